"""Pairing issues that already exist on both sides, before the initial sync creates partners. Pure.

A configuration's `pairing` section says how: `key-field` (a field on one side holds the other side's issue key),
`summary` (exactly equal summaries; refused when ambiguous) or `csv` (pairs of keys uploaded by a person). The
result is the pairs to link, the refusals (each naming its candidates) and, per side, the issues left unpaired
(created on the other side, or skipped, as `unpaired` says)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

METHODS = ("none", "key-field", "summary", "csv")
KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}-[0-9]{1,18}")
MAX_PAIRS = 10_000


@dataclass(frozen=True)
class Candidate:
    """An existing issue as pairing sees it: its id, key, summary and the key its key field names (if any)."""

    side: int
    id: str
    key: str
    summary: str = ""
    named: str | None = None  # the other side's key held in this side's key field


@dataclass
class Result:
    """Pairs (side-1 candidate, side-2 candidate, how), refusals, and per side the ids left unpaired."""

    pairs: list[tuple[Candidate, Candidate, str]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    unpaired: dict[int, list[Candidate]] = field(default_factory=lambda: {1: [], 2: []})

    def as_json(self, creates: int) -> dict[str, Any]:
        """The preview's answer."""
        return {"pairs": [{"1": {"id": a.id, "key": a.key}, "2": {"id": b.id, "key": b.key}, "by": how}
                          for a, b, how in self.pairs],
                "refused": self.refused, "creates": creates,
                "unpaired": {str(side): len(found) for side, found in self.unpaired.items()}}


def method(document: dict[str, Any]) -> str:
    """How this configuration pairs existing issues ('none' without a section, or when existing issues are ignored)."""
    if document.get("existingIssues") != "sync":
        return "none"
    return str((document.get("pairing") or {}).get("by", "none"))


def normal_summary(text: str | None) -> str:
    """A summary as compared: surrounding and repeated white space do not count, case does."""
    return " ".join((text or "").split())


def match(section: dict[str, Any], issues: dict[int, list[Candidate]]) -> Result:
    """Pair `issues` of both sides as `section` says."""
    by = section.get("by", "none")
    if by == "summary":
        return _by_summary(issues)
    if by == "key-field":
        return _by_key_field(issues)
    if by == "csv":
        return _by_csv(section.get("pairs") or [], issues)
    return Result(unpaired={side: list(issues[side]) for side in (1, 2)})


def _finish(result: Result, issues: dict[int, list[Candidate]], taken: dict[int, set[str]]) -> Result:
    for side in (1, 2):
        result.unpaired[side] = [c for c in issues[side] if c.id not in taken[side]]
    return result


def _refusal(candidate: Candidate, reason: str, others: list[Candidate], line: int | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"side": candidate.side, "key": candidate.key, "reason": reason,
                           "candidates": sorted(c.key for c in others)}
    if line is not None:
        row["line"] = line
    return row


def _none_taken() -> dict[int, set[str]]:
    return {1: set(), 2: set()}


def _by_summary(issues: dict[int, list[Candidate]]) -> Result:
    result, taken = Result(), _none_taken()
    groups: dict[int, dict[str, list[Candidate]]] = {1: {}, 2: {}}
    for side in (1, 2):
        for candidate in issues[side]:
            text = normal_summary(candidate.summary)
            if text:
                groups[side].setdefault(text, []).append(candidate)
    for text, ones in groups[1].items():
        twos = groups[2].get(text) or []
        if not twos:
            continue
        if len(ones) == 1 and len(twos) == 1:
            result.pairs.append((ones[0], twos[0], "summary"))
            taken[1].add(ones[0].id)
            taken[2].add(twos[0].id)
            continue
        # Ambiguous: nothing of this summary is paired, and nothing of it is created either (that would double it).
        for candidate in ones:
            result.refused.append(_refusal(candidate, f"{len(twos)} issues on side 2 have the same summary"
                                           if len(twos) > 1 else f"{len(ones)} issues on side 1 have the same "
                                           "summary", twos if len(twos) > 1 else ones))
            taken[1].add(candidate.id)
        for candidate in twos:
            result.refused.append(_refusal(candidate, f"{len(ones)} issues on side 1 have the same summary"
                                           if len(ones) > 1 else f"{len(twos)} issues on side 2 have the same "
                                           "summary", ones if len(ones) > 1 else twos))
            taken[2].add(candidate.id)
    return _finish(result, issues, taken)


def _by_key_field(issues: dict[int, list[Candidate]]) -> Result:
    result, taken = Result(), _none_taken()
    by_key = {side: {c.key: c for c in issues[side]} for side in (1, 2)}
    everyone = {side: {c.id: c for c in issues[side]} for side in (1, 2)}
    partners: dict[int, dict[str, set[str]]] = {1: {}, 2: {}}  # side → id → ids of the other side it is paired with
    for side in (1, 2):
        for candidate in issues[side]:
            if not candidate.named:
                continue
            named = by_key[3 - side].get(candidate.named.strip().upper())
            if named is None:
                result.refused.append(_refusal(candidate, f"its key field names {candidate.named.strip()!r}, which "
                                               f"is no existing issue of side {3 - side}", []))
                taken[side].add(candidate.id)
                continue
            partners[side].setdefault(candidate.id, set()).add(named.id)
            partners[3 - side].setdefault(named.id, set()).add(candidate.id)
    for one, twos in sorted(partners[1].items()):
        two = next(iter(twos))
        if len(twos) == 1 and len(partners[2][two]) == 1 and one not in taken[1] and two not in taken[2]:
            result.pairs.append((everyone[1][one], everyone[2][two], "key-field"))
            taken[1].add(one)
            taken[2].add(two)
    # The rest are ambiguous (an issue named by, or naming, several of the other side, or paired with one that
    # is): refused with their candidates, never guessed, and never created either (that would double them).
    for side in (1, 2):
        for issue_id, others in sorted(partners[side].items()):
            if issue_id in taken[side]:
                continue
            candidate = everyone[side][issue_id]
            rivals = [everyone[3 - side][i] for i in others]
            reason = (f"{len(rivals)} issues of side {3 - side} are paired with it by key fields" if len(rivals) > 1
                      else f"{rivals[0].key} is paired with several issues of side {side} by key fields")
            result.refused.append(_refusal(candidate, reason, rivals))
            taken[side].add(issue_id)
    return _finish(result, issues, taken)


def _by_csv(pairs: list[Any], issues: dict[int, list[Candidate]]) -> Result:
    result, taken = Result(), _none_taken()
    by_key = {side: {c.key: c for c in issues[side]} for side in (1, 2)}
    for one, two in pairs:
        a, b = by_key[1].get(one), by_key[2].get(two)
        if a is None or b is None or a.id in taken[1] or b.id in taken[2]:
            continue  # the configuration's validation and the preview's problems name these lines
        result.pairs.append((a, b, "csv"))
        taken[1].add(a.id)
        taken[2].add(b.id)
    return _finish(result, issues, taken)


def parse_csv(text: str) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """Pairs of keys from CSV text (one pair a line: side-1 key, side-2 key; a header line is allowed), and the
    problems of lines that are no pair, each with its line number."""
    pairs, problems = [], []
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip().upper() for cell in row if cell.strip()]
        if not cells or (line == 1 and not any(KEY.fullmatch(cell) for cell in cells)):
            continue  # blank lines, and a header
        if len(cells) != 2 or not all(KEY.fullmatch(cell) for cell in cells):
            problems.append({"line": line, "message": "a line holds two issue keys: side 1's, then side 2's"})
            continue
        pairs.append(cells)
    if len(pairs) > MAX_PAIRS:
        problems.append({"line": None, "message": f"at most {MAX_PAIRS} pairs"})
    return pairs, problems
