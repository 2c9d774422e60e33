"""Render the Connect descriptor template for a base URL and validate it against our schema."""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import jsonschema

from descriptor import modules
from plugin import resources

SCHEMA = Path(__file__).resolve().parent / "schema.json"


class DescriptorError(ValueError):
    """The rendered descriptor does not satisfy the Connect descriptor schema."""


@lru_cache(maxsize=1)
def _template() -> dict:
    return json.loads(resources.descriptor_template().read_text())


@lru_cache(maxsize=1)
def schema() -> dict:
    """Our JSON schema of the Connect descriptor."""
    return json.loads(SCHEMA.read_text())


def render(base_url: str, app_key: str) -> dict:
    """The descriptor for this deployment: the template with our base URL and app key."""
    descriptor = json.loads(json.dumps(_template()))
    # The pages and webhooks come from the one module list the Forge manifest is made from too.
    descriptor["modules"] = {**json.loads(json.dumps(modules.connect_modules())), **descriptor.get("modules", {})}
    descriptor["baseUrl"] = base_url.rstrip("/")
    descriptor["key"] = app_key
    validate(descriptor)
    return descriptor


def validate(descriptor: dict) -> None:
    """Raise DescriptorError listing every schema violation."""
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = sorted(validator.iter_errors(descriptor), key=lambda e: list(e.absolute_path))
    if problems:
        lines = [f"{'/'.join(map(str, p.absolute_path)) or '(root)'}: {p.message}" for p in problems]
        raise DescriptorError("invalid Connect descriptor:\n" + "\n".join(lines))


def declared_urls(descriptor: dict) -> Iterator[tuple[str, str, str]]:
    """(kind, HTTP method, url) for every URL the descriptor tells Jira to call or load."""
    for event, url in descriptor.get("lifecycle", {}).items():
        yield f"lifecycle:{event}", "POST", url
    modules = descriptor.get("modules", {})
    for kind in ("jiraProjectAdminTabPanels", "adminPages", "generalPages"):
        for module in modules.get(kind, []):
            yield f"{kind}:{module['key']}", "GET", module["url"]
    for kind in ("jiraIssueGlances", "jiraIssueContexts"):
        for panel in modules.get(kind, []):
            yield f"{kind}:{panel['key']}", "GET", panel["target"]["url"]
            yield f"{kind}:{panel['key']}:icon", "GET", panel["icon"]["url"]
    for hook in modules.get("webhooks", []):
        yield f"webhooks:{hook['event']}", "POST", hook["url"]
