"""The unified client timeline (seed 004 US-015-041): every touchpoint and event of a client, in one list."""
