"""Pydantic shapes of the REST API that the domain does not already define (envelopes, bodies, errors)."""
