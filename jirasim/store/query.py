"""Evaluate parsed JQL (see `jirasim.jql`) against a site's issues: predicates and ORDER BY."""
from __future__ import annotations

from functools import cmp_to_key

from jirasim.jql import DATE_FIELDS, JqlError, JqlValueError, parse, parse_date
from jirasim.store.clock import zone_of

EQUALITY = {"=", "!=", "in", "not in"}


def _text(value) -> str:
    return value[1] if isinstance(value, tuple) else str(value)


def _is_empty(value) -> bool:
    return isinstance(value, tuple) and value[1].lower() in ("empty", "null")


def _key_number(key: str) -> tuple:
    project, _, number = key.rpartition("-")
    return project, int(number) if number.isdigit() else 0


def indexed(site, key: str, path: str) -> bool:
    """True when an enabled app on the site indexes the issue property `key` at `path` for JQL."""
    for inst in site.apps.values():
        if not inst.enabled:
            continue
        for module in inst.modules.get("jiraEntityProperties") or []:
            if module.get("entityType", "issue") != "issue":
                continue
            for config in module.get("keyConfigurations") or []:
                if config.get("propertyKey") == key and any(
                        extraction.get("objectName") == path for extraction in config.get("extractions") or []):
                    return True
    return False


class Compiler:
    """Turns a JQL AST into a predicate over issues of one site."""

    def __init__(self, site, viewer, now):
        self.site, self.viewer, self.now = site, viewer, now

    def compile(self, node):
        """A predicate `issue -> bool` for an AST node."""
        kind = node[0]
        if kind == "and":
            left, right = self.compile(node[1]), self.compile(node[2])
            return lambda issue: left(issue) and right(issue)
        if kind == "or":
            left, right = self.compile(node[1]), self.compile(node[2])
            return lambda issue: left(issue) or right(issue)
        if kind == "not":
            inner = self.compile(node[1])
            return lambda issue: not inner(issue)
        field, op, value = node[1:4]
        if isinstance(field, tuple):
            return self.property_clause(field[1], field[2], op, value)
        return self.clause(field, op, value)

    def _unsupported(self, field, op):
        raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")

    def _values(self, value) -> list:
        return list(value) if isinstance(value, list) else [value]

    def _membership(self, field, op, value, resolve, getter):
        if op in ("is", "is not"):
            if not _is_empty(value):
                raise JqlError(f"The operator '{op}' only supports 'EMPTY' for the '{field}' field.")
            return (lambda issue: not getter(issue)) if op == "is" else (lambda issue: bool(getter(issue)))
        if op not in EQUALITY:
            self._unsupported(field, op)
        wanted = {resolve(_text(v)) for v in self._values(value)}
        positive = op in ("=", "in")

        def test(issue):
            current = getter(issue)
            hit = bool(set(current) & wanted) if isinstance(current, list) else current in wanted
            return hit if positive else (not hit and current not in (None, []))
        return test

    def _project(self, text):
        project = self.site.project(text)
        if project is None:
            raise JqlValueError(f"The value '{text}' does not exist for the field 'project'.")
        return project.id

    def _status(self, text):
        status = self.site.status(text)
        if status is None:
            raise JqlValueError(f"The value '{text}' does not exist for the field 'status'.")
        return status.id

    def _type(self, text):
        found = self.site.issue_type(text)
        if found is None:
            raise JqlValueError(f"The value '{text}' does not exist for the field 'issuetype'.")
        return found.id

    def _key(self, text):
        issue = self.site.issue(text)
        if issue is None:
            if not text.isdigit() and "-" not in text:
                raise JqlError(f"The issue key '{text}' for field 'key' is invalid.")
            raise JqlValueError(f"An issue with key '{text}' does not exist for field 'key'.")
        return issue.id

    def _user(self, text):
        if text.lower() == "currentuser()":
            return self.viewer.account_id if self.viewer else None
        return text

    def clause(self, field, op, value):
        """A predicate for `field op value`."""
        f = lambda name: (lambda issue: issue.fields.get(name))  # noqa: E731
        if field == "project":
            return self._membership(field, op, value, self._project, lambda issue: issue.project_id)
        if field in ("key", "id"):
            return self._membership("issuekey", op, value, self._key, lambda issue: issue.id)
        if field == "status":
            return self._membership(field, op, value, self._status, f("status"))
        if field == "issuetype":
            return self._membership(field, op, value, self._type, f("issuetype"))
        if field == "labels":
            return self._membership(field, op, value, lambda text: text, f("labels"))
        if field in ("assignee", "reporter"):
            return self._membership(field, op, value, self._user, f(field))
        if field == "parent":
            return self._membership(field, op, value, self._key, f("parent"))
        if field == "summary":
            if op not in ("~", "!~"):
                self._unsupported(field, op)
            needle = _text(value).lower().strip("*")
            hit = lambda issue: needle in (issue.fields.get("summary") or "").lower()  # noqa: E731
            return hit if op == "~" else (lambda issue: not hit(issue))
        if field in DATE_FIELDS:
            if op not in ("=", "!=", ">", ">=", "<", "<="):
                self._unsupported(field, op)
            moment = parse_date(_text(value), field, self.now, zone_of(self.viewer))
            compare = {"=": lambda when: when == moment, "!=": lambda when: when != moment,
                       ">": lambda when: when > moment, ">=": lambda when: when >= moment,
                       "<": lambda when: when < moment, "<=": lambda when: when <= moment}[op]
            return lambda issue: compare(issue.fields[field])
        raise JqlError(f"Field '{field}' is not supported by this simulator.")

    def property_clause(self, key, path, op, value):
        """A predicate for `issue.property[key].path op value` — only for a property an app indexes (Jira indexes
        issue properties for JQL only when an installed app declares them in a `jiraEntityProperties` module)."""
        if op not in ("=", "!=", ">", ">=", "<", "<=", "in", "not in", "is", "is not"):
            self._unsupported(f"issue.property[{key}]", op)
        if not indexed(self.site, key, path):
            raise JqlError(f"Field 'issue.property[{key}].{path}' does not exist or you do not have permission to "
                           "view it.")

        def lookup(issue):
            if key not in issue.properties:
                return []
            current = [issue.properties[key]]
            for part in [p for p in path.split(".") if p]:
                nxt = []
                for item in current:
                    for element in (item if isinstance(item, list) else [item]):
                        if isinstance(element, dict) and part in element:
                            nxt.append(element[part])
                current = nxt
            flat = []
            for item in current:
                flat.extend(item if isinstance(item, list) else [item])
            return [x for x in flat if x is not None]

        if op in ("is", "is not"):
            return (lambda issue: not lookup(issue)) if op == "is" else (lambda issue: bool(lookup(issue)))
        wanted = [_text(v) for v in self._values(value)]

        def matches(actual, text):
            if isinstance(actual, bool):
                return str(actual).lower() == text.lower()
            if isinstance(actual, (int, float)):
                try:
                    number = float(text)
                except ValueError:
                    return False
                return {"=": actual == number, "in": actual == number, "!=": actual == number,
                        "not in": actual == number, ">": actual > number, ">=": actual >= number,
                        "<": actual < number, "<=": actual <= number}[op]
            if op in (">", ">=", "<", "<="):
                return {">": str(actual) > text, ">=": str(actual) >= text, "<": str(actual) < text,
                        "<=": str(actual) <= text}[op]
            return str(actual) == text

        def test(issue):
            hit = any(matches(a, t) for a in lookup(issue) for t in wanted)
            return not hit if op in ("!=", "not in") else hit
        return test


def sorter(site, order):
    """A key function ordering issues by `order` [(field, descending)], default: created DESC."""
    order = order or [("created", True), ("id", True)]

    def value(issue, field):
        if field == "key":
            return _key_number(issue.key)
        if field == "id":
            return int(issue.id)
        if field == "project":
            return site.projects[issue.project_id].key
        if field in ("status", "issuetype"):
            return issue.fields.get(field) or ""
        return issue.fields.get(field) or ""

    def compare(first, second):
        for field, desc in order:
            x, y = value(first, field), value(second, field)
            if x != y:
                result = -1 if x < y else 1
                return -result if desc else result
        return 0
    return cmp_to_key(compare)


def compile_query(site, text: str, viewer, now):
    """(predicate, sort key) for a JQL string."""
    where, order = parse(text)
    predicate = Compiler(site, viewer, now).compile(where) if where is not None else (lambda issue: True)
    return predicate, sorter(site, order)
