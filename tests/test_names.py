from __future__ import annotations

import pytest

from saidwho.names import is_pronoun, names_match, normalise_name, surname
from saidwho.records import Source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. José Núñez", "jose nunez"),
        ("MR. SMITH", "smith"),
        ("The Ministry of Finance", "ministry of finance"),
        ("Prime Minister Boris Johnson", "boris johnson"),
        ("former Sen. Bob Dole", "bob dole"),
        ("Foreign Minister Wang Yi", "wang yi"),
        ("Secretary of State Antony Blinken", "antony blinken"),
        ("Martin Luther King Jr.", "martin luther king"),
        ("U.S.", "us"),
        ("O\u2019Brien", "obrien"),
        ("Ørsted", "orsted"),
        # Descriptions keep their titles (minus the article) so they still compare.
        ("the deputy minister", "deputy minister"),
        ("President", "president"),
        # A weak title word is part of an organisation's name.
        ("General Motors", "general motors"),
        ("Gen. Mark Milley", "mark milley"),
    ],
)
def test_normalise_name(text: str, expected: str) -> None:
    assert normalise_name(text) == expected


def test_surname() -> None:
    assert surname("Carla Ruiz Montes") == "montes"
    assert surname("Ms. Ruiz Montes") == "montes"
    assert surname("Martin Luther King Jr.") == "king"
    assert surname("the minister") is None  # a description has no surname
    assert surname("a spokesman for the ministry") is None
    assert surname("John F") is None  # an initial is not a surname
    assert surname("she") is None


def test_is_pronoun() -> None:
    for word in ("he", "She", "THEY", "it", "we", "I", "you", "him", "her", "them", " he,"):
        assert is_pronoun(word), word
    for word in ("U.S.", "Hebert", "the ministry", "Ms. He"):
        assert not is_pronoun(word), word


RUIZ = Source("s1", "Carla Ruiz Montes", "person", ["Ms. Ruiz Montes", "the deputy minister"])
MINISTRY = Source("s2", "Ministry of Finance", "organization", [])


def test_match_by_name_after_titles_and_accents() -> None:
    assert names_match(Source("p", "Dr. Carla Ruíz Montes", "person"), RUIZ)
    assert names_match(Source("p", "THE MINISTRY OF FINANCE.", "organization"), MINISTRY)
    # An alias on either side is enough.
    assert names_match(Source("p", "someone", "unknown", ["The Deputy Minister"]), RUIZ)


def test_match_by_surname_only_for_persons() -> None:
    assert names_match(Source("p", "Minister Montes", "person"), RUIZ)
    # Either side being a person suffices.
    assert names_match(Source("p", "Montes", "unknown"), RUIZ)
    # Neither is a person: the shared last word is no surname.
    a = Source("g", "Bank of England", "organization")
    b = Source("p", "Church of England", "organization")
    assert not names_match(b, a)
    assert not names_match(Source("p", "Pedro Montoya", "person"), RUIZ)


def test_pronouns_never_match() -> None:
    she = Source("p", "she", "person")
    assert not names_match(she, RUIZ)
    # Even against a (malformed) gold source that is itself a pronoun.
    assert not names_match(she, Source("g", "She", "person"))
    assert not names_match(Source("p", "he", "person", ["they"]), Source("g", "he", "person"))


def test_missing_source_never_matches() -> None:
    assert not names_match(None, RUIZ)
    assert not names_match(RUIZ, None)


def test_descriptions_need_the_same_description() -> None:
    # "the minister" and "the deputy minister" are different descriptions, and
    # descriptions have no surname.
    assert not names_match(Source("p", "the minister", "person"), RUIZ)


def test_honorific_before_a_title_word_leaves_a_surname():
    assert normalise_name("Mr. King") == "king"
    assert surname("Mr. King") == "king"
    assert names_match(Source("a", "King", "person"), Source("b", "Mr. King", "person"))
    assert normalise_name("the King") == "king"


# names_match, both ways, on the kinds of pairs speakers come in: a person and
# a titled surname, an organisation and its pronoun, two pronouns, a shared
# surname without a person, two different persons.
@pytest.mark.parametrize("a, b, expected", [
    (Source("a", "Dana Ortiz", "person"), Source("b", "Ms. Ortiz", "unknown"), True),  # one side a person: surname
    (Source("a", "the ministry", "organization"), Source("b", "Ministry", "organization", ["it"]), True),
    (Source("a", "he", "person"), Source("b", "He", "person"), False),  # pronouns never match
    (Source("a", "Luis Brandt", "organization"), Source("b", "Dana Brandt", "organization"), False),  # no person: no surname rule
    (Source("a", "Luis Brandt", "person"), Source("b", "Dana Ortiz", "person", ["the harbour master"]), False),
])
def test_candidate_speaker_cases(a, b, expected):
    assert names_match(a, b) is expected
    assert names_match(b, a) is expected
