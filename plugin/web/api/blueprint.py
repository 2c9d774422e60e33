"""The blueprint of the App JSON API (`/api/...`), called by our pages with `AP.context.getToken()` tokens."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
