"""`POST /jql/parse`: parse and validate JQL queries as the caller; errors (and warnings) per query."""
from __future__ import annotations

from flask import request

from jirasim.errors import bad_request
from jirasim.jql import JqlError, JqlValueError, parse
from jirasim.rest.common import body_json, caller, new_blueprint, ok, site, world
from jirasim.shapes.jql import structure
from jirasim.store.entities import now
from jirasim.store.query import Compiler

VALIDATIONS = ("strict", "warn", "none")


def parsed(text: str, validation: str) -> dict:
    """ParsedJqlQuery of one query: `strict` gives the structure only to a valid query; `warn` to any well-formed
    one, with missing values as warnings; `none` checks only the syntax."""
    result: dict = {"query": text}
    try:
        where, order = parse(text)
    except JqlError as exc:
        return {**result, "errors": [exc.message]}
    problem = None
    if validation != "none" and where is not None:
        try:
            Compiler(site(), caller(), now()).compile(where)
        except JqlError as exc:
            problem = exc
    if problem is not None and validation == "warn" and isinstance(problem, JqlValueError):
        result["warnings"] = [problem.message]
    elif problem is not None:
        result["errors"] = [problem.message]
        if validation == "strict":
            return result
    return {**result, "structure": structure(where, order)}


def blueprint():
    """Blueprint of the JQL parse endpoint."""
    bp = new_blueprint("jql_parse")

    @bp.post("/jql/parse")
    def parse_queries():
        validation = request.args.get("validation") or "strict"
        if validation not in VALIDATIONS:
            raise bad_request(f"The 'validation' parameter must be one of {', '.join(VALIDATIONS)}.")
        queries = body_json().get("queries")
        if not isinstance(queries, list) or not queries:
            raise bad_request(None, queries="Provide at least one query to parse.")
        if not all(isinstance(q, str) and q for q in queries):
            raise bad_request(None, queries="Each query must be a non-empty string.")
        with world().lock:
            return ok({"queries": [parsed(q, validation) for q in queries]})

    return bp
