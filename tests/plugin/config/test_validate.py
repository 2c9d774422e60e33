"""Validation against both sides' current metadata: each rule, with the message a user sees on the row."""
import copy

from plugin.config.suggest import suggestion
from plugin.config.validate import problems
from tests.plugin.config.metadata_samples import globex, side

META = {"1": side("https://acme.atlassian.net"), "2": globex()}


def _document():
    return copy.deepcopy(suggestion(META["1"], META["2"]))


def _field(document, name):
    return next(row for row in document["fields"] if row["1"]["name"] == name)


def _found(document, jql_errors=None):
    return [(p["path"], p["message"]) for p in problems(document, META, jql_errors)]


def test_the_suggestion_itself_is_valid():
    assert _found(_document()) == []


def test_a_deleted_status_field_type_or_option_is_named_with_what_to_do():
    document = _document()
    document["statuses"][0]["2"] = {"id": "29", "name": "Gone"}
    _field(document, "Story Points")["1"]["id"] = "customfield_404"
    document["issueTypes"][0]["2"] = {"id": "99", "name": "Epic"}
    _field(document, "Severity")["transform"]["pairs"][0]["2"] = {"id": "999", "name": "Blocker"}
    found = dict(_found(document))
    assert found["/statuses/0/2"] == ("Status 'Gone' (id 29) does not exist in P on side 2 any more: pick another "
                                      "one or remove the row")
    assert "Field 'Story Points' (id customfield_404) does not exist" in next(
        message for path, message in found.items() if path.endswith("/1") and path.startswith("/fields"))
    assert found["/issueTypes/0/2"].startswith("Issue type 'Epic' (id 99) does not exist")
    severity = [path for path in found if "/transform/pairs/0/2" in path]
    assert severity and "Option 'Blocker' of 'Severity' does not exist in P (side 2)" in found[severity[0]]


def test_a_field_mapped_twice_on_one_side_is_refused():
    document = _document()
    document["fields"].append({**_field(document, "Labels"), "2": {"id": "summary", "name": "Summary"}})
    assert (f"/fields/{len(document['fields']) - 1}/1",
            "Field 'Labels' is mapped twice for P (side 1): keep one row") in _found(document)


def test_kinds_that_cannot_be_copied_need_a_transform_and_to_text_needs_a_text_target():
    document = _document()
    row = _field(document, "Story Points")
    row["2"] = {"id": "assignee", "name": "Assignee"}
    document["fields"] = [r for r in document["fields"] if r["2"]["id"] != "assignee" or r is row]
    index = document["fields"].index(row)
    assert (f"/fields/{index}/transform", "A Number field cannot be copied into a User picker field (P → P): choose "
            "another field, or a transform (value map, or to text)") in _found(document)
    row["transform"] = {"type": "toText"}
    row["direction"] = "1→2"
    assert (f"/fields/{index}/transform", "'To text' needs a text field in P, not a User picker field: pick a text "
            "field or another transform") in _found(document)
    row["2"] = {"id": "customfield_3", "name": "Customer Reference"}
    document["fields"] = [r for r in document["fields"] if r["1"]["id"] != "customfield_3"]
    assert _found(document) == []


def test_a_required_field_on_the_target_that_nothing_fills_blocks_creates_there():
    document = _document()
    document["fields"] = [r for r in document["fields"] if r["2"]["id"] != "customfield_3"]
    assert ("/issueTypes/0/2", "'Customer Reference' is required to create a Task in P and nothing fills it: "
            "map a field into it (or make it optional in Jira)") in _found(document)
    document["issueTypes"][0]["2"]["name"] = "Epic"
    assert ("/issueTypes/0/2", "'Customer Reference' is required to create an Epic in P and nothing fills it: "
            "map a field into it (or make it optional in Jira)") in _found(document)
    for row in document["issueTypes"]:
        row["direction"] = "2→1"
    assert not any(path == "/issueTypes/0/2" for path, _ in _found(document))


def test_jira_rejected_filters_are_reported_on_their_side():
    assert _found(_document(), {"2": ["Field 'colour' does not exist."]}) == [
        ("/filters/2", "Side 2's filter is not valid JQL: Field 'colour' does not exist. Fix the query or clear it.")]


def test_a_fallback_user_needs_an_account_on_each_side():
    document = _document()
    document["users"]["fallback"] = {"type": "user", "1": "account-1"}
    assert ("/users/fallback", "A fallback user needs an account on each side: choose both, or fall back to "
            "unassigned") in _found(document)
