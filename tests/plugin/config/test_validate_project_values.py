"""'Create missing' and 'keep names and descriptions in sync' for components and versions, and attachments into a
site that takes none: each refused with what to do."""
from plugin.config.metadata import Field
from plugin.config.schema import shape_problems
from plugin.config.suggest import suggestion
from plugin.config.validate import problems
from tests.plugin.config.metadata_samples import globex, side


def _meta(administers=(True, True), attachments=(True, True)):
    metas = {"1": side("https://acme.atlassian.net"), "2": globex()}
    for index, key in enumerate(("1", "2")):
        metas[key].project_key = ("ACME", "GLOBEX")[index]
        metas[key].fields = {**metas[key].fields,
                             "fixVersions": Field("fixVersions", "Fix versions", "versions", False),
                             "components": Field("components", "Components", "components", False)}
        metas[key].administers, metas[key].attachments_enabled = administers[index], attachments[index]
    return metas


def _with(meta, row):
    """The suggestion with `row` in place of the row of its field (at the end)."""
    document = suggestion(meta["1"], meta["2"])
    document["fields"] = [r for r in document["fields"] if r["1"]["id"] != row["1"]["id"]] + [row]
    return document


def _row(field="fixVersions", direction="1→2", **options):
    return {"1": {"id": field}, "2": {"id": field}, "direction": direction, **options}


def test_create_missing_and_sync_details_are_booleans_of_a_field_row():
    document = _with(_meta(), _row(createMissing="yes"))
    assert [p["path"] for p in shape_problems(document)] == [f"/fields/{len(document['fields']) - 1}/createMissing"]


def test_a_one_way_row_the_app_may_administer_is_valid():
    meta = _meta(administers=(False, True))  # nothing is added to side 1
    assert problems(_with(meta, _row(createMissing=True, syncDetails=True)), meta) == []


def test_the_app_must_administer_the_project_it_adds_versions_to():
    meta = _meta(administers=(True, False))
    document = _with(meta, _row(createMissing=True))
    found = problems(document, meta)
    assert [p["path"] for p in found] == [f"/fields/{len(document['fields']) - 1}/createMissing"]
    assert "grant the app Administer Projects in GLOBEX" in found[0]["message"]
    assert "PROJECT_ADMIN" in found[0]["message"] and "turn off 'Create missing'" in found[0]["message"]


def test_only_components_and_versions_can_be_created_missing():
    meta = _meta()
    found = problems(_with(meta, _row("labels", createMissing=True)), meta)
    assert len(found) == 1 and "only for components and versions" in found[0]["message"]


def test_two_way_details_need_a_side_that_wins():
    meta = _meta()
    found = problems(_with(meta, _row("components", "both", syncDetails=True)), meta)
    assert len(found) == 1 and found[0]["path"].endswith("/syncDetails")
    assert "choose which side wins" in found[0]["message"]
    assert problems(_with(meta, _row("components", "both", syncDetails=True, conflict="2")), meta) == []


def test_attachments_cannot_go_to_a_site_that_turned_them_off():
    meta = _meta(attachments=(True, False))
    document = suggestion(meta["1"], meta["2"])
    document["attachments"] = {"direction": "both"}
    found = problems(document, meta)
    assert [p["path"] for p in found] == ["/attachments/direction"]
    assert "turned off on GLOBEX's site" in found[0]["message"] and "System → Attachments" in found[0]["message"]
    document["attachments"] = {"direction": "2→1"}
    assert problems(document, meta) == []
