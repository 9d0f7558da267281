"""Email as a channel: briefings and weekly client emails out by SMTP, replies in through a webhook."""
