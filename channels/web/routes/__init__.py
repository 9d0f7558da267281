"""Routers of the web app, one module per concern; `channels.web.app.create_app` includes them."""
