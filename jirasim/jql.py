"""A JQL subset: tokenizer, recursive-descent parser, and compilation to an issue predicate and sort keys."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from jirasim.errors import JiraError

TOKEN = re.compile(r"""\s*(?:
    (?P<prop>issue\.property\[(?P<pkey>[^\]]+)\](?P<ppath>(?:\.[A-Za-z0-9_\-]+)*))
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op>!=|>=|<=|!~|[=<>~(),])
  | (?P<word>[A-Za-z0-9_\-+.:/*]+(?:\(\))?)
)""", re.X)
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "~", "!~", "in", "not in", "is", "is not")
FIELDS = {"project": "project", "key": "key", "issuekey": "key", "issue": "key", "id": "id", "issuetype": "issuetype",
          "type": "issuetype", "status": "status", "updated": "updated", "updateddate": "updated",
          "created": "created", "createddate": "created", "labels": "labels", "summary": "summary",
          "assignee": "assignee", "reporter": "reporter", "parent": "parent"}
DATE_FIELDS = {"updated", "created"}
RELATIVE = re.compile(r"^([-+]?)(\d+)([mhdw])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class JqlError(JiraError):
    """A 400 for JQL that cannot be parsed or uses something unsupported."""

    def __init__(self, message: str):
        super().__init__(400, message)


class JqlValueError(JqlError):
    """A well-formed clause naming a value that does not exist (a warning for `jql/parse?validation=warn`)."""


@dataclass
class Token:
    """A lexical token."""
    kind: str
    text: str
    pos: int
    pkey: str | None = None
    ppath: str | None = None


def tokenize(text: str) -> list[Token]:
    """Split a JQL string into tokens (JqlError on an unexpected character)."""
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            char = text[pos:].strip()[0]
            raise JqlError(f"Error in the JQL Query: The character '{char}' is a reserved JQL character. You must "
                           f"enclose it in a string or use the escape '\\u{ord(char):04x}' instead. "
                           f"(line 1, character {pos + 1})")
        kind = m.lastgroup if m.lastgroup in ("str", "op", "word") else "prop"
        if m.group("prop"):
            tokens.append(Token("prop", m.group("prop"), m.start("prop"), m.group("pkey").strip(),
                                m.group("ppath").lstrip(".")))
        elif m.group("str"):
            raw = m.group("str")[1:-1]
            tokens.append(Token("str", re.sub(r"\\(.)", r"\1", raw), m.start("str")))
        else:
            kind = "op" if m.group("op") else "word"
            tokens.append(Token(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return tokens


class Parser:
    """Recursive-descent parser producing a tuple AST."""

    def __init__(self, text: str):
        self.text, self.tokens, self.i = text, tokenize(text), 0

    def peek(self, offset: int = 0) -> Token | None:
        """The token at the cursor (+offset)."""
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def word(self, *words: str, offset: int = 0) -> bool:
        """True if the token at the cursor is one of the (case-insensitive) keywords."""
        t = self.peek(offset)
        return t is not None and t.kind == "word" and t.text.lower() in words

    def fail(self, expected: str):
        """Raise Jira's 'Expecting X but got Y' error."""
        t = self.peek()
        got = f"'{t.text}'" if t else "the end of the query"
        where = t.pos + 1 if t else len(self.text)
        raise JqlError(f"Error in the JQL Query: Expecting {expected} but got {got}. (line 1, character {where})")

    def parse(self):
        """(where-AST or None, [(field, descending)])."""
        where = None if (self.peek() is None or self.word("order")) else self.or_expr()
        order = []
        if self.word("order"):
            self.i += 1
            if not self.word("by"):
                self.fail("'by'")
            self.i += 1
            while True:
                t = self.peek()
                if t is None or t.kind not in ("word", "str"):
                    self.fail("a field name")
                field = FIELDS.get(t.text.lower())
                if field not in ("updated", "created", "key", "id", "summary", "status", "issuetype", "project"):
                    raise JqlError(f"Not able to sort using field '{t.text}'.")
                self.i += 1
                desc = False
                if self.word("asc", "desc"):
                    desc = self.peek().text.lower() == "desc"
                    self.i += 1
                order.append((field, desc))
                if self.peek() is not None and self.peek().text == ",":
                    self.i += 1
                    continue
                break
        if self.peek() is not None:
            self.fail("either 'OR' or 'AND'" if where is not None else "a field name")
        return where, order

    def or_expr(self):
        """expr OR expr ..."""
        node = self.and_expr()
        while self.word("or"):
            self.i += 1
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self):
        """expr AND expr ..."""
        node = self.not_expr()
        while self.word("and"):
            self.i += 1
            node = ("and", node, self.not_expr())
        return node

    def not_expr(self):
        """NOT expr | (expr) | clause."""
        if self.word("not"):
            self.i += 1
            return ("not", self.not_expr())
        t = self.peek()
        if t is not None and t.text == "(":
            self.i += 1
            node = self.or_expr()
            if self.peek() is None or self.peek().text != ")":
                self.fail("')'")
            self.i += 1
            return node
        return self.clause()

    def clause(self):
        """field operator value."""
        t = self.peek()
        if t is None or t.kind not in ("word", "str", "prop"):
            self.fail("a field name")
        self.i += 1
        if t.kind == "prop":
            field = ("property", t.pkey, t.ppath)
        else:
            field = FIELDS.get(t.text.lower())
            if field is None:
                raise JqlError(f"Field '{t.text}' does not exist or you do not have permission to view it.")
        op = self.operator()
        return ("clause", field, op, self.value(op), t.text)

    def operator(self) -> str:
        """One of OPERATORS."""
        t = self.peek()
        if t is not None and t.kind == "op" and t.text in OPERATORS:
            self.i += 1
            return t.text
        if self.word("in"):
            self.i += 1
            return "in"
        if self.word("not") and self.word("in", offset=1):
            self.i += 2
            return "not in"
        if self.word("is"):
            self.i += 1
            if self.word("not"):
                self.i += 1
                return "is not"
            return "is"
        self.fail("operator")

    def value(self, op: str):
        """A single value, or a parenthesised list for IN / NOT IN."""
        if op in ("in", "not in"):
            if self.peek() is None or self.peek().text != "(":
                self.fail("'('")
            self.i += 1
            values = [self.single()]
            while self.peek() is not None and self.peek().text == ",":
                self.i += 1
                values.append(self.single())
            if self.peek() is None or self.peek().text != ")":
                self.fail("')'")
            self.i += 1
            return values
        return self.single()

    def single(self):
        """A string, number or word."""
        t = self.peek()
        if t is None or t.kind not in ("word", "str"):
            self.fail("either a value, 'EMPTY' or a function")
        self.i += 1
        return t.text if t.kind == "str" else ("word", t.text)


def parse(text: str):
    """Parse JQL into (where-AST, order)."""
    return Parser(text or "").parse()


def parse_date(value: str, field: str, now: datetime, zone: tzinfo = UTC) -> datetime:
    """An absolute date in the caller's time zone (`2026-11-29 04:40`, `2026-11-29`) or a relative one (`-5m`, `-1h`,
    `-2d`, `-1w`)."""
    text = value.strip()
    m = RELATIVE.match(text)
    if m:
        delta = timedelta(**{UNITS[m.group(3)]: int(m.group(2))})
        return now - delta if m.group(1) == "-" else now + delta
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    raise JqlError(f"Date value '{value}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
                   "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.")
