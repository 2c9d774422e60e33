"""A malformed configuration is refused with one message per problem and the JSON path it concerns."""
from plugin.config.schema import normalise, shape_problems
from plugin.config.suggest import suggestion
from tests.plugin.config.metadata_samples import globex, side


def _document():
    return suggestion(side("https://acme.atlassian.net"), globex())


def test_the_suggestion_is_a_well_formed_document():
    assert shape_problems(_document()) == []


def test_every_problem_is_reported_once_with_its_path():
    document = _document()
    document["fields"][0]["direction"] = "sideways"
    document["fields"][1]["1"] = {"id": 7}
    del document["statuses"][0]["2"]
    document["deletes"] = "shred"
    document["surprise"] = True
    found = {(p["path"], p["message"]) for p in shape_problems(document)}
    assert found == {
        ("/", "unknown key(s) not allowed ('surprise' was unexpected)"),
        ("/fields/0/direction", "must be one of both, 1→2, 2→1, not 'sideways'"),
        ("/fields/1/1/id", "7 is not of type 'string'"),
        ("/statuses/0", "'2' is required"),
        ("/deletes", "must be one of ignore, unlink, not 'shred'"),
    }


def test_directions_typed_with_ascii_arrows_are_normalised():
    document = _document()
    document["fields"][0]["direction"] = "1->2"
    assert normalise(document)["fields"][0]["direction"] == "1→2"
    assert shape_problems(normalise(document)) == []


def test_mentions_are_mapped_or_text_and_may_be_left_out():
    document = _document()
    assert "mentions" not in document["users"]  # existing configurations, without it, stay well-formed
    for choice in ("map", "text"):
        document["users"]["mentions"] = choice
        assert shape_problems(document) == []


def test_a_mentions_choice_other_than_map_or_text_is_refused_with_what_to_choose():
    document = _document()
    document["users"]["mentions"] = "loud"
    [problem] = shape_problems(document)
    assert problem["path"] == "/users/mentions"
    assert problem["message"].startswith("must be one of map, text, not 'loud': choose map (mentions follow the user "
                                         "mapping) or text")
    assert "nobody on the other site is notified" in problem["message"]
