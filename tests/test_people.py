"""The persons of an article (saidwho.pipeline.people): entity clean-up, who each
mention is, genders the article shows, and salience."""

from saidwho.pipeline.people import PersonIndex, _people_not_organisations, _with_surname_mentions, title_gender
from saidwho.records import Entity


def _persons(text: str, *names: str, subject: str | None = None) -> list[Entity]:
    """PERSON entities at each (first) occurrence of the names, in text order."""
    out = []
    for name in names:
        start = text.index(name)
        out.append(Entity(start, start + len(name), "PERSON", False, name == subject))
    return sorted(out, key=lambda e: e.start)


def test_name_tagged_as_organisation_is_a_person():
    text = "Astrid Lunde said it. Councillor Petra Lindqvist agreed. Goldman Sachs declined."
    entities = [Entity(0, 12, "ORG"), Entity(22, 48, "ORG"), Entity(58, 71, "ORG")]
    labels = [e.label for e in _people_not_organisations(text, entities)]
    assert labels == ["PERSON", "PERSON", "ORG"]


def test_surname_as_modifier_is_not_a_person_mention():
    text = "Donald Trump spoke. The Trump campaign said nothing. Trump left."
    found = _with_surname_mentions(text, [Entity(0, 12, "PERSON")])
    added = [text[e.start : e.end] for e in found][1:]
    assert added == ["Trump"] and text.index("Trump left") in [e.start for e in found]


def test_surname_forms_join_the_nearest_earlier_full_name():
    text = "Dana Ortiz spoke first. Luis Ortiz spoke next. Ortiz then left."
    entities = [Entity(0, 10, "PERSON"), Entity(24, 34, "PERSON"), Entity(text.index("Ortiz then"), text.index("Ortiz then") + 5, "PERSON")]
    people = PersonIndex(text, entities)
    assert [people.keys[e.start] for e in entities] == ["dana ortiz", "luis ortiz", "luis ortiz"]


def test_gender_from_title_first_name_and_pronouns():
    text = "Mr. Brill arrived. Hanna Vos waved. Tom Berg ran the shop, and her volunteers helped. Pat Quist came."
    people = PersonIndex(text, _persons(text, "Brill", "Hanna Vos", "Tom Berg", "Pat Quist"))
    assert people.gender.get("brill") == "m"  # the title
    assert people.gender.get("hanna vos") == "f"  # a common first name
    assert people.gender.get("pat quist") is None  # nothing shows it
    assert title_gender(text, text.index("Brill")) == "m" and title_gender(text, 0) is None


def test_salience_weighs_main_clause_subjects_and_those_who_spoke():
    text = "Ivo Brill met Karl Vance. Then Vance left, and Brill stayed behind."
    entities = _persons(text, "Ivo Brill", "Karl Vance") + [
        Entity(text.index("Vance left"), text.index("Vance left") + 5, "PERSON", False, True),
        Entity(text.index("Brill stayed"), text.index("Brill stayed") + 5, "PERSON"),
    ]
    people = PersonIndex(text, sorted(entities, key=lambda e: e.start))
    end = len(text)
    # Vance is the main-clause subject: that outweighs Brill's nearer mention.
    assert [name for name, _ in people.salient(end, {"m", "f", None}, set())] == ["Karl Vance", "Ivo Brill"]
    # One who already spoke gets a bonus.
    assert [name for name, _ in people.salient(end, {"m", "f", None}, {"ivo brill"})] == ["Ivo Brill", "Karl Vance"]
    # Only persons of an accepted gender count.
    assert people.salient(end, {"f"}, set()) == []


def test_person_between_two_offsets():
    text = "Ivo Brill spoke. Later Karl Vance arrived. He said no."
    people = PersonIndex(text, _persons(text, "Ivo Brill", "Karl Vance"))
    he = text.index("He said")
    assert people.person_between(10, he, "m", other_than="ivo brill")
    assert not people.person_between(10, he, "m", other_than="karl vance")
    assert not people.person_between(text.index("arrived"), he, "m", other_than="ivo brill")


def test_earlier_full_name_and_surname_tagged_as_organisation():
    text = "Dana Ortiz spoke. Burton explained it. Ortiz agreed."
    entities = _persons(text, "Dana Ortiz") + [Entity(text.index("Burton"), text.index("Burton") + 6, "ORG")]
    people = PersonIndex(text, entities)
    assert people.earlier_full_name("ortiz", text.index("Ortiz agreed")) == "Dana Ortiz"
    assert people.earlier_full_name("ortiz", 0) is None
    assert people.surname_tagged_as_organisation(len(text)) == ("Burton", text.index("Burton"))
