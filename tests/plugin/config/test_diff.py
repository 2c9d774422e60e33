"""A received draft is shown as rows added, changed and removed against the published configuration."""
import copy

from plugin.config.diff import diff
from plugin.config.suggest import suggestion
from tests.plugin.config.metadata_samples import globex, side


def test_rows_added_changed_and_removed_and_whole_sections_changed():
    published = suggestion(side("https://a.atlassian.net"), globex())
    draft = copy.deepcopy(published)
    draft["statuses"].pop()
    draft["fields"][0]["direction"] = "1→2"
    draft["issueTypes"].append({"1": {"id": "2", "name": "Bug"}, "2": {"id": "8", "name": "Defect"},
                                "direction": "both"})
    draft["deletes"] = "unlink"
    found = [(d["section"], d["change"], d["label"]) for d in diff(published, draft)]
    assert found == [("issueTypes", "added", "Bug ↔ Defect"),
                     ("fields", "changed", f"{draft['fields'][0]['1']['name']} ↔ {draft['fields'][0]['2']['name']}"),
                     ("statuses", "removed", "Done ↔ Done"),
                     ("deletes", "changed", "deletes")]


def test_a_first_configuration_is_all_additions():
    draft = suggestion(side("https://a.atlassian.net"), globex())
    assert {d["change"] for d in diff(None, draft)} == {"added"}
