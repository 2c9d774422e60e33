"""The `hierarchy` and `worklogs` sections: optional (older documents stay valid), issue type levels mapped per side
(a sub-task type only to a sub-task type, and only with hierarchy on), the parent read only when it is on, worklogs by
user needing a user mapping; each problem at its path, saying what to do."""
import copy

from plugin.config.schema import shape_problems
from plugin.config.suggest import suggestion
from plugin.config.validate import problems
from plugin.engine.compiled import extra_fields
from tests.plugin.config.metadata_samples import globex, side

META = {"1": side("https://acme.atlassian.net"), "2": globex()}
META["1"].issue_types["5"] = "Sub-task"
META["2"].issue_types["9"] = "Sub-task"
META["1"].levels, META["2"].levels = {"1": 0, "2": 0, "5": -1}, {"7": 0, "8": 0, "9": -1}
SUB = {"1": {"id": "5", "name": "Sub-task"}, "2": {"id": "9", "name": "Sub-task"}, "direction": "both"}


def _document(**sections):
    document = copy.deepcopy(suggestion(META["1"], META["2"]))
    document.update(sections)
    return document


def test_a_document_without_the_sections_is_valid_and_the_suggestion_maps_no_sub_task_type():
    document = _document()
    assert shape_problems(document) == [] and problems(document, META) == []
    assert all(row["1"]["id"] != "5" for row in document["issueTypes"])
    assert "parent" not in extra_fields(document)


def test_hierarchy_on_reads_the_parent_and_maps_sub_task_types_to_sub_task_types():
    document = _document(hierarchy={"direction": "both"})
    document["issueTypes"].append(SUB)
    assert shape_problems(document) == [] and problems(document, META) == []
    assert "parent" in extra_fields(document)


def test_a_sub_task_type_mapped_to_a_standard_type_is_refused_with_what_to_do():
    document = _document(hierarchy={"direction": "both"})
    document["issueTypes"].append({"1": SUB["1"], "2": {"id": "8", "name": "Defect"}, "direction": "both"})
    (problem,) = problems(document, META)
    assert problem["path"] == f"/issueTypes/{len(document['issueTypes']) - 1}"
    assert "'Sub-task' is a sub-task type in P (side 1) and 'Defect' a standard type" in problem["message"]
    assert "map sub-task types only to sub-task types" in problem["message"]


def test_sub_task_types_with_hierarchy_off_are_refused_with_what_to_do():
    document = _document()
    document["issueTypes"].append(SUB)
    (problem,) = problems(document, META)
    assert "turn on Hierarchy in Configure → Sub-tasks and worklogs" in problem["message"]


def test_malformed_sections_are_refused_with_their_paths():
    found = shape_problems(_document(hierarchy={"direction": "up"}, worklogs={"direction": "both", "mode": "x"}))
    assert {p["path"] for p in found} == {"/hierarchy/direction", "/worklogs/mode"}


def test_worklogs_by_user_need_a_user_mapping():
    document = _document(worklogs={"direction": "both", "mode": "user"})
    document["users"] = {"match": [], "pairs": [], "fallback": {"type": "unassigned"}}
    (problem,) = [p for p in problems(document, META) if p["path"] == "/worklogs/mode"]
    assert "log worklogs anonymously" in problem["message"]
    document["worklogs"]["mode"] = "anonymous"
    assert [p for p in problems(document, META) if p["path"] == "/worklogs/mode"] == []


def test_worklogs_in_a_direction_are_accepted_and_read_from_the_issue_only_when_on():
    document = _document(worklogs={"direction": "both", "mode": "anonymous"})
    assert problems(document, META) == [] and "worklog" in extra_fields(document)
    document["worklogs"]["direction"] = "none"
    assert problems(document, META) == [] and "worklog" not in extra_fields(document)
