"""The JqlQuery structure `POST /jql/parse` returns for a parsed query (see `jirasim.jql` for the AST)."""
from __future__ import annotations

import re

PLAIN = re.compile(r"^[A-Za-z0-9_.\-]+$")
RESERVED = {"and", "or", "not", "empty", "null", "order", "by", "in", "is", "asc", "desc"}


def encoded(text: str) -> str:
    """A value as it can be written back into JQL (quoted when it has to be)."""
    if PLAIN.match(text) and text.lower() not in RESERVED:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _field(field, name: str) -> dict:
    if isinstance(field, tuple):
        _, key, path = field
        suffix = f".{path}" if path else ""
        return {"name": f"issue.property[{key}]{suffix}", "encodedName": f"issue.property[{encoded(key)}]{suffix}",
                "property": [{"entity": "issue", "key": key, "path": path}]}
    return {"name": name, "encodedName": encoded(name)}


def _single(value) -> dict:
    if isinstance(value, tuple):
        text = value[1]
        if text.endswith("()"):
            return {"function": text[:-2], "arguments": [], "encodedOperand": text}
        if text.lower() in ("empty", "null"):
            return {"keyword": "empty"}
        return {"value": text, "encodedValue": encoded(text)}
    return {"value": value, "encodedValue": encoded(value)}


def _operand(value) -> dict:
    if isinstance(value, list):
        values = [_single(v) for v in value]
        written = [v.get("encodedValue") or v.get("encodedOperand") or "EMPTY" for v in values]
        return {"values": values, "encodedOperand": "(" + ", ".join(written) + ")"}
    return _single(value)


def _clause(node) -> dict:
    kind = node[0]
    if kind in ("and", "or"):
        clauses = []
        for child in node[1:]:
            part = _clause(child)
            clauses.extend(part["clauses"] if part.get("operator") == kind and "clauses" in part else [part])
        return {"operator": kind, "clauses": clauses}
    if kind == "not":
        return {"operator": "not", "clauses": [_clause(node[1])]}
    _, field, op, value, name = node
    return {"field": _field(field, name), "operator": op, "operand": _operand(value)}


def structure(where, order) -> dict:
    """JqlQuery: the where clause and the order-by fields of a parsed query."""
    body = {}
    if where is not None:
        body["where"] = _clause(where)
    if order:
        body["orderBy"] = {"fields": [{"field": {"name": f, "encodedName": encoded(f)},
                                       "direction": "desc" if desc else "asc"} for f, desc in order]}
    return body
