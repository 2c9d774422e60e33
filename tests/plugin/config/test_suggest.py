"""The suggestion maps everything whose name matches on both sides, both ways, the newest change winning."""
from plugin.config.suggest import suggestion
from plugin.config.validate import problems
from tests.plugin.config.metadata_samples import globex, side


def _ids(rows):
    return [(row["1"]["id"], row["2"]["id"]) for row in rows]


def test_types_statuses_and_fields_pair_by_name_across_different_ids():
    suggested = suggestion(side("https://acme.atlassian.net"), globex())
    assert _ids(suggested["issueTypes"]) == [("1", "7")]  # Bug and Defect differ: not suggested
    assert _ids(suggested["statuses"]) == [("10", "20"), ("12", "22")]
    fields = {row["1"]["name"]: row for row in suggested["fields"]}
    assert (fields["Story Points"]["1"]["id"], fields["Story Points"]["2"]["id"]) == ("customfield_2",
                                                                                      "customfield_8")
    assert {row["direction"] for row in suggested["fields"]} == {"both"}
    assert {row["conflict"] for row in suggested["fields"]} == {"newest"}


def test_priorities_and_select_options_get_value_maps_of_their_same_named_values():
    fields = {row["1"]["name"]: row for row in suggestion(side("https://a.atlassian.net"), globex())["fields"]}
    assert fields["Priority"]["transform"] == {"type": "valueMap", "pairs": [
        {"1": {"id": "1", "name": "High"}, "2": {"id": "5", "name": "High"}},
        {"1": {"id": "2", "name": "Medium"}, "2": {"id": "6", "name": "Medium"}}]}
    assert fields["Severity"]["transform"]["pairs"] == [
        {"1": {"id": "100", "name": "Critical"}, "2": {"id": "900", "name": "Critical"}}]


def test_comments_attachments_and_the_rest_follow_the_issue():
    suggested = suggestion(side("https://a.atlassian.net"), globex())
    assert suggested["comments"]["direction"] == suggested["attachments"]["direction"] == "both"
    assert suggested["attachments"]["maxSize"] == 10 * 1024 * 1024
    assert (suggested["filters"], suggested["existingIssues"], suggested["deletes"]) == (
        {"1": None, "2": None}, "sync", "ignore")


def test_the_suggestion_between_equal_projects_has_no_problems():
    assert problems(suggestion(side("https://a"), side("https://b")), {"1": side("a"), "2": side("b")}) == []
