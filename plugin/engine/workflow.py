"""Reaching a status through a project's workflow: the shortest path over the transitions seen so far.

Jira only tells an app the transitions available from an issue's current status, so the graph of each
(site, project, issue type) is learnt as issues move and kept in memory. A status that cannot be reached in a
few steps is a problem to report, never a loop.
"""
from __future__ import annotations

import threading
from collections import deque

from cachetools import TTLCache

from plugin.errors import ValidationError
from plugin.jira import JiraClient

MAX_STEPS = 6


class Unreachable(Exception):
    """The status cannot be reached from the current one through the workflow's transitions."""


class WorkflowGraphs:
    """Edges status → [(transition id, to status)] per (site, project, issue type), learnt from Jira's answers."""

    def __init__(self, ttl: float = 3600):
        self._graphs: TTLCache = TTLCache(maxsize=1000, ttl=ttl)
        self._lock = threading.Lock()

    def graph(self, key: tuple) -> dict[str, list[tuple[str, str]]]:
        """The edges known for `key` (a mutable dict; learn into it with `learn`)."""
        with self._lock:
            if key not in self._graphs:
                self._graphs[key] = {}
            return self._graphs[key]

    def learn(self, key: tuple, status: str, transitions: list[dict]) -> list[tuple[str, str]]:
        """Remember the transitions available from `status`."""
        edges = [(str(t["id"]), str(t["to"]["id"])) for t in transitions]
        self.graph(key)[status] = edges
        return edges


def shortest_path(edges: dict[str, list[tuple[str, str]]], start: str, goal: str) -> list[tuple[str, str]] | None:
    """The fewest transitions from `start` to `goal` over known edges, or None."""
    queue: deque[tuple[str, list[tuple[str, str]]]] = deque([(start, [])])
    seen = {start}
    while queue:
        status, path = queue.popleft()
        if status == goal:
            return path
        for transition, to in edges.get(status, []):
            if to not in seen:
                seen.add(to)
                queue.append((to, path + [(transition, to)]))
    return None


def reach(jira: JiraClient, graphs: WorkflowGraphs, key: tuple, issue_id: str, current: str, goal: str) -> int:
    """Move the issue from `current` to `goal`; the number of transitions made. Unreachable when it cannot."""
    moves, explored = 0, {current}
    edges = graphs.graph(key)
    while current != goal and moves < MAX_STEPS:
        if current not in edges:  # known exits are used as they are; a refusal makes us ask again
            graphs.learn(key, current, jira.transitions(issue_id))
        path = shortest_path(edges, current, goal)
        if path is None:  # explore towards a status whose exits are still unknown
            unknown = [(t, to) for t, to in edges.get(current, []) if to not in edges and to not in explored]
            if not unknown:
                break
            path = unknown[:1]
        transition, to = path[0]
        try:
            jira.transition(issue_id, transition)
        except ValidationError:  # the workflow changed since we learnt it: forget and look again
            edges.pop(current, None)
            moves += 1
            continue
        current, moves = to, moves + 1
        explored.add(current)
    if current != goal:
        raise Unreachable(f"status {goal} cannot be reached from {current} through the workflow's transitions")
    return moves
