"""Where the app's assets are: Jinja templates, static files and the Connect descriptor template.

In a checkout (and an editable install) they are the repository's top-level `templates/`,
`plugin/static/` and `atlassian-connect.json`; a built wheel carries copies inside the package
(`plugin/_assets/`, written by the build, see setup.py). This module is the one place that knows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "_assets"
CHECKOUT = PACKAGE.parent
DESCRIPTOR_TEMPLATE = "atlassian-connect.json"


@lru_cache(maxsize=1)
def root() -> Path:
    """The folder holding `templates/` and the descriptor template: the wheel's bundle, else the checkout."""
    for candidate in (BUNDLED, CHECKOUT):
        if (candidate / DESCRIPTOR_TEMPLATE).is_file() and (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError(f"Work Sync's assets are neither in {BUNDLED} nor in {CHECKOUT}: reinstall the package")


def templates_dir() -> Path:
    """Jinja templates of the iframe pages."""
    return root() / "templates"


def static_dir() -> Path:
    """Static files served under /static (scripts, styles, icons, vendored AUI)."""
    return PACKAGE / "static"


def descriptor_template() -> Path:
    """The Connect descriptor template (`atlassian-connect.json`)."""
    return root() / DESCRIPTOR_TEMPLATE
