"""Atlassian Document Format for the engine: plain text ↔ ADF, and mentions of people the other side lacks."""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any


def from_text(text: str | None) -> dict[str, Any] | None:
    """Plain text as an ADF document (a paragraph per line); None or empty stays None."""
    if not text:
        return None
    return {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []}
        for line in text.split("\n")]}


def to_text(doc: dict[str, Any] | None) -> str | None:
    """The plain text of an ADF document (blocks joined by newlines; a mention becomes its text)."""
    if not doc:
        return None

    def inline(node: dict[str, Any]) -> str:
        kind = node.get("type")
        if kind == "text":
            text: str = node.get("text", "")
            return text
        if kind == "hardBreak":
            return "\n"
        if kind == "mention":
            label: str = (node.get("attrs") or {}).get("text", "")
            return label
        joiner = "\n" if kind in ("bulletList", "orderedList", "listItem", "blockquote") else ""
        return joiner.join(inline(child) for child in node.get("content") or [])

    return "\n".join(inline(block) for block in doc.get("content") or []) or None


def map_mentions(doc: dict[str, Any] | None, person: Callable[[str], str | None],
                 name: Callable[[str], str | None] | None = None) -> dict[str, Any] | None:
    """A copy of `doc` whose mentions point at `person(accountId)`; one that has no counterpart becomes plain text,
    "@" and the person's display name (`name(accountId)`, else the mention's own text) — never a mention of someone
    else who happens to share the name."""
    if not doc:
        return doc
    result = copy.deepcopy(doc)

    def walk(node: dict[str, Any]) -> None:
        for index, child in enumerate(node.get("content") or []):
            if child.get("type") == "mention":
                attrs = child.get("attrs") or {}
                account = attrs.get("id")
                target = person(account) if account else None
                if target:
                    child["attrs"] = {**attrs, "id": target}
                else:
                    display = name(account) if name and account else None
                    text = f"@{display}" if display else attrs.get("text") or "@someone"
                    node["content"][index] = {"type": "text", "text": text}
            else:
                walk(child)

    walk(result)
    return result


def mentioned(doc: dict[str, Any] | None) -> set[str]:
    """The accountIds mentioned in a document."""
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        for child in node.get("content") or []:
            if child.get("type") == "mention" and (child.get("attrs") or {}).get("id"):
                found.add(child["attrs"]["id"])
            walk(child)

    if doc:
        walk(doc)
    return found
