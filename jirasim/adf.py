"""Atlassian Document Format helpers: plain text <-> ADF documents."""
from __future__ import annotations

from html import escape


def from_text(text: str | None) -> dict | None:
    """A plain string as an ADF document (one paragraph per line); None stays None."""
    if text is None:
        return None
    paragraphs = []
    for line in str(text).split("\n"):
        paragraphs.append({"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []})
    return {"type": "doc", "version": 1, "content": paragraphs}


def to_text(doc) -> str | None:
    """Plain text of an ADF document (paragraphs joined by newlines); strings pass through."""
    if doc is None or isinstance(doc, str):
        return doc
    if doc.get("type") == "doc":
        return "\n".join(_inline(block) for block in doc.get("content") or [])
    return _inline(doc)


def _inline(node: dict) -> str:
    if node.get("type") == "text":
        return node.get("text", "")
    if node.get("type") == "hardBreak":
        return "\n"
    if node.get("type") == "mention":
        return (node.get("attrs") or {}).get("text", "")
    children = node.get("content") or []
    joiner = "\n" if node.get("type") in ("bulletList", "orderedList", "blockquote", "listItem") else ""
    return joiner.join(_inline(child) for child in children)


def is_document(value) -> bool:
    """True if `value` looks like an ADF document."""
    return isinstance(value, dict) and value.get("type") == "doc" and isinstance(value.get("content", []), list)


def to_html(doc) -> str:
    """Very small HTML rendering (for renderedFields)."""
    text = to_text(doc) or ""
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n")) if text else ""
