"""Components and versions in one side's cached metadata: taken in as created or changed, or as read anew."""
from plugin.config.metadata import SideMetadata, decode, encode


def _meta():
    meta = SideMetadata(site="https://acme.example", project_id="10000", project_key="ACME")
    meta.remember("versions", {"id": 1, "name": "3.0", "description": "Spring", "releaseDate": "2027-03-01",
                               "released": False})
    meta.remember("components", {"id": "7", "name": "Backend"})
    return meta


def test_a_remembered_version_keeps_its_dates_and_flags_beside_its_name_and_description():
    meta = _meta()
    assert (meta.versions, meta.descriptions["versions"]) == ({"1": "3.0"}, {"1": "Spring"})
    assert meta.version_details["1"] == {"releaseDate": "2027-03-01", "startDate": None, "released": False,
                                         "archived": None}
    assert meta.components == {"7": "Backend"} and "7" not in meta.version_details


def test_values_read_anew_replace_the_kind_and_drop_the_deleted_ones():
    meta = _meta()
    meta.replace("versions", [{"id": "2", "name": "3.0 Spring", "released": True}])
    assert meta.versions == {"2": "3.0 Spring"} and meta.descriptions["versions"] == {"2": ""}
    assert meta.version_details == {"2": {"releaseDate": None, "startDate": None, "released": True, "archived": None}}
    assert meta.components == {"7": "Backend"}  # the other kind is left as it was


def test_version_details_survive_the_shared_cache():
    assert decode(encode(_meta())).version_details == _meta().version_details
