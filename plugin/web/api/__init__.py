"""The App JSON API: the contract our pages, scripts and tests drive (described in openapi.yaml)."""
from plugin.web.api import blocks, configuration, context, engine, openapi, pairing, pickers, syncs, troubleshoot
from plugin.web.api.blueprint import bp

__all__ = ["bp", "blocks", "configuration", "context", "engine", "openapi", "pairing", "pickers", "syncs",
           "troubleshoot"]
