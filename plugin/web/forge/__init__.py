"""The Forge Remote front end: lifecycle, product events and the scheduled trigger, each a POST with a FIT.
With FORGE_APP_ID unset every /forge/* route answers 404."""
from plugin.web.forge.routes import bp

__all__ = ["bp"]
