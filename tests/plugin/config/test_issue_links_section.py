"""The `issueLinks` section: optional (older documents stay valid), link types mapped by name or by hand, each
mapped type checked against that side's link types."""
import copy

from plugin.config.schema import shape_problems
from plugin.config.suggest import suggestion
from plugin.config.validate import link_type_map, problems
from plugin.engine.compiled import extra_fields
from tests.plugin.config.metadata_samples import globex, side

META = {"1": side("https://acme.atlassian.net"), "2": globex()}
META["1"].link_types = {"10000": "Blocks", "10003": "Relates", "10500": "Causes"}
META["2"].link_types = {"20000": "blocks", "20003": "Relates"}


def _document(**section):
    document = copy.deepcopy(suggestion(META["1"], META["2"]))
    if section:
        document["issueLinks"] = section
    return document


def test_a_document_without_the_section_is_valid_and_reads_no_links():
    document = _document()
    assert "issueLinks" not in document and shape_problems(document) == [] and problems(document, META) == []
    assert "issuelinks" not in extra_fields(document)


def test_the_section_turned_on_reads_the_issuelinks_field():
    assert "issuelinks" in extra_fields(_document(direction="both"))
    assert "issuelinks" not in extra_fields(_document(direction="none"))


def test_types_map_by_the_same_name_unless_mapped_by_hand_or_turned_off():
    by_name = {"direction": "both"}
    assert link_type_map(by_name, META, "1") == {"10000": "20000", "10003": "20003"}
    assert link_type_map(by_name, META, "2") == {"20000": "10000", "20003": "10003"}
    by_hand = {"direction": "both", "types": [{"1": {"id": "10500"}, "2": {"id": "20003"}}]}
    assert link_type_map(by_hand, META, "1") == {"10500": "20003", "10000": "20000", "10003": "20003"}
    only = {"direction": "both", "sameName": False, "types": [{"1": {"id": "10500"}, "2": {"id": "20003"}}]}
    assert link_type_map(only, META, "1") == {"10500": "20003"}


def test_a_malformed_section_is_refused_with_its_path():
    found = shape_problems(_document(direction="sideways", extra=1))
    assert {p["path"] for p in found} == {"/issueLinks", "/issueLinks/direction"}


def test_a_type_that_a_side_does_not_have_or_that_is_mapped_twice_is_named_with_what_to_do():
    document = _document(direction="both", types=[
        {"1": {"id": "10500", "name": "Causes"}, "2": {"id": "29999", "name": "Gone"}},
        {"1": {"id": "10500", "name": "Causes"}, "2": {"id": "20003", "name": "Relates"}}])
    found = {p["path"]: p["message"] for p in problems(document, META)}
    assert found["/issueLinks/types/0/2"].startswith("Link type 'Gone' (id 29999) does not exist in P on side 2")
    assert found["/issueLinks/types/1/1"] == "Link type 'Causes' is mapped twice for P (side 1): keep one row"


def test_links_on_with_no_type_in_common_is_a_problem():
    document = _document(direction="1→2", sameName=False)
    (problem,) = problems(document, META)
    assert problem["path"] == "/issueLinks/types" and "has a counterpart" in problem["message"]
