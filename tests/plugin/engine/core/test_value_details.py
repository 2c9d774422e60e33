"""The PUT that makes a component or version equal to its partner's."""
from plugin.engine.core.value_details import changes


def test_a_renamed_version_is_renamed_and_nothing_else_is_sent_when_the_rest_agrees():
    source = {"name": "3.0 Spring", "description": "Spring", "released": False, "releaseDate": "2027-03-01"}
    target = {"name": "3.0", "description": "Spring", "released": False, "releaseDate": "2027-03-01"}
    assert changes("versions", source, target) == {"name": "3.0 Spring"}


def test_a_case_only_rename_is_carried():
    assert changes("components", {"name": "Backend"}, {"name": "backend"}) == {"name": "Backend"}


def test_release_date_start_date_and_flags_follow_the_source():
    source = {"name": "3.0", "releaseDate": "2027-03-01", "startDate": "2027-01-10", "released": True,
              "archived": True}
    assert changes("versions", source, {"name": "3.0"}) == {
        "releaseDate": "2027-03-01", "startDate": "2027-01-10", "released": True, "archived": True}


def test_a_date_cleared_on_the_source_stays_on_the_partner_as_jira_takes_no_null_date():
    assert changes("versions", {"name": "3.0", "releaseDate": None, "startDate": ""},
                   {"name": "3.0", "releaseDate": "2027-03-01", "startDate": "2027-01-04"}) == {}


def test_a_changed_date_is_carried():
    assert changes("versions", {"name": "3.0", "releaseDate": "2027-04-01"},
                   {"name": "3.0", "releaseDate": "2027-03-01"}) == {"releaseDate": "2027-04-01"}


def test_missing_and_empty_details_are_equal_so_nothing_is_written():
    assert changes("versions", {"name": "3.0", "description": None, "released": None, "startDate": ""},
                   {"name": "3.0", "description": "", "released": False}) == {}


def test_a_detail_the_source_does_not_tell_is_left_alone():
    assert changes("versions", {"name": "3.0"}, {"name": "3.0", "releaseDate": "2027-03-01"}) == {}


def test_components_keep_only_their_name_and_description_equal():
    assert changes("components", {"name": "Billing", "description": "Bills", "releaseDate": "2027-03-01"},
                   {"name": "Billing", "description": ""}) == {"description": "Bills"}
