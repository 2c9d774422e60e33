"""The shortest path through a workflow's transitions, over what is known of it."""
from plugin.engine.workflow import shortest_path

EDGES = {"todo": [("21", "doing"), ("41", "done")], "doing": [("31", "done"), ("11", "todo")],
         "done": [("11", "todo")], "review": [("51", "done")]}


def test_the_fewest_transitions_are_chosen():
    assert shortest_path(EDGES, "todo", "done") == [("41", "done")]
    assert shortest_path(EDGES, "done", "doing") == [("11", "todo"), ("21", "doing")]


def test_an_unreachable_status_has_no_path():
    assert shortest_path(EDGES, "todo", "review") is None
    assert shortest_path(EDGES, "todo", "todo") == []
