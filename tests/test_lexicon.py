"""The word lists (saidwho.lexicon) stay consistent with each other: where two
readers keep different lists for the same idea, the difference is the
documented one, so a word added to one list alone shows up here."""

import re

import pytest

from saidwho import lexicon as L

WORD_SETS = {name: value for name, value in vars(L).items() if name.isupper() and isinstance(value, frozenset)}
# The inflected forms the attributor's and the resolver's patterns match.
FORM_TUPLES = {
    name: value for name, value in vars(L).items()
    if name.endswith("_SPEECH_FORMS") and isinstance(value, tuple)
}


@pytest.mark.parametrize("name", sorted(WORD_SETS))
def test_every_word_is_lower_case_and_trimmed(name):
    bad = [w for w in WORD_SETS[name] if w != w.strip().lower() or not w]
    assert not bad, f"{name}: {bad}"


def test_title_strings_are_normalised_and_unique():
    assert len(set(L.TITLE_STRINGS)) == len(L.TITLE_STRINGS)
    assert all(re.fullmatch(r"[a-z]+( [a-z]+)*", t) for t in L.TITLE_STRINGS)
    assert L.HONORIFICS <= L.TITLE_WORDS


def test_gendered_titles_are_titles_in_their_written_case():
    for word in L.MALE_TITLE_WORDS + L.FEMALE_TITLE_WORDS:
        assert word[:1].isupper() and word[1:].islower()
    male = {w.lower() for w in L.MALE_TITLE_WORDS}
    female = {w.lower() for w in L.FEMALE_TITLE_WORDS}
    assert not male & female
    # "Sister" is a title of address for a nun, not one the scorer strips.
    assert (male | female) - L.TITLE_WORDS == {"sister"}


def test_weak_titles_and_portfolio_heads_are_titles():
    assert L.WEAK_TITLE_WORDS <= L.TITLE_WORDS
    assert L.PORTFOLIO_HEADS <= L.TITLE_WORDS


def test_resolver_titles_are_scorer_titles_but_three_abbreviations():
    assert L.PERSON_TITLES - L.TITLE_WORDS == {"amb", "del", "delegate"}
    assert L.CONVERTER_TITLE_WORDS - L.TITLE_WORDS == {"former"}


def test_pronoun_sets_are_disjoint_by_gender_person_and_number():
    classes = [L.FIRST_SINGULAR, L.FIRST_PLURAL, L.SECOND_PERSON, L.MALE_FORMS, L.FEMALE_FORMS, L.NEUTER_PRONOUNS,
               L.THIRD_PLURAL, L.RELATIVE_PERSON]
    for i, a in enumerate(classes):
        for b in classes[i + 1 :]:
            assert not a & b, (a, b)
    assert L.MALE_PRONOUNS <= L.MALE_FORMS and L.FEMALE_PRONOUNS <= L.FEMALE_FORMS


def test_every_pronoun_list_is_built_from_the_scorers_pronouns():
    # "us" (also "US") and "one" ("one said") are the documented extras.
    assert "us" not in L.PRONOUNS
    assert L.MENTION_PRONOUNS - L.PRONOUNS == {"one"}
    for name in ("WRITER_PRONOUNS", "GROUP_PRONOUNS", "FIRST_PERSON", "PERSON_PRONOUNS"):
        assert WORD_SETS[name] - L.PRONOUNS <= {"us"}, name
    pronoun_like = L.PRONOUNS | L.OTHER_PRONOUN_WORDS
    for name in ("RELATIVE_PRONOUNS", "PLURAL_PRONOUNS", "THING_PRONOUNS"):
        assert WORD_SETS[name] <= pronoun_like, name


def test_gender_nouns_are_disjoint():
    assert not L.MALE_NOUNS & L.FEMALE_NOUNS


def test_resolver_heads_overlap_only_where_documented():
    # "paper" is a document and an organisation ("the paper reported"); "report(s)"
    # a document that also makes a phrase anonymous ("reports say").
    assert L.ORG_HEADS & L.DOCUMENT_HEADS == {"paper"}
    assert L.DOCUMENT_HEADS & L.ANONYMOUS_WORDS == {"report", "reports"}
    assert not L.ORG_HEADS & L.ANONYMOUS_WORDS


def test_converter_heads_are_disjoint():
    assert not L.CONVERTER_ORG_WORDS & L.CONVERTER_DOCUMENT_WORDS
    assert not L.CONVERTER_ORG_WORDS & L.CONVERTER_ANONYMOUS_WORDS
    assert not L.CONVERTER_DOCUMENT_WORDS & L.CONVERTER_ANONYMOUS_WORDS
    assert L.CONVERTER_ANONYMOUS_WHOLE - L.CONVERTER_ANONYMOUS_WORDS == set()


def test_resolver_and_converter_share_their_cores():
    assert L._ORG_CORE == L.ORG_HEADS & L.CONVERTER_ORG_WORDS
    assert L._DOCUMENT_CORE == L.DOCUMENT_HEADS & L.CONVERTER_DOCUMENT_WORDS
    assert L._ANONYMOUS_CORE == L.ANONYMOUS_WORDS & L.CONVERTER_ANONYMOUS_WORDS


def test_hearsay_adverbs_that_name_no_one_are_hearsay_adverbs():
    adverbs = {w for w in L.ANONYMOUS_WORDS if w.endswith("ly")}
    assert adverbs and adverbs <= L.HEARSAY_ADVERBS


def test_verb_classes_are_reporting_verbs():
    for name in ("NEEDS_QUOTE", "NEEDS_CLAUSE", "XCOMP_VERBS", "NAMING_VERBS"):
        assert WORD_SETS[name] <= L.REPORTING_VERBS, name


_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write", "writes": "write"}


def _lemmas(form: str) -> set[str]:
    """The lemmas a regular English verb form may come from ("warned" -> warn, "noted" -> note)."""
    if form in _IRREGULAR:
        return {_IRREGULAR[form]}
    out = {form}
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if form.endswith(suffix):
            out.add(form[: -len(suffix)] + repl)
    return out


@pytest.mark.parametrize("name", sorted(FORM_TUPLES))
def test_speech_forms_are_forms_of_reporting_verbs(name):
    forms = FORM_TUPLES[name]
    assert len(set(forms)) == len(forms)
    # "continued" follows a quotation ("..., he continued") but is no reporting verb for the parse.
    strays = [f for f in forms if not _lemmas(f) & L.REPORTING_VERBS and f != "continued"]
    assert not strays, f"{name}: {strays}"


def test_speech_cue_forms_are_irregular_forms_or_documented_cue_words():
    irregular = {"thought": "think", "found": "find", "felt": "feel", "knew": "know", "heard": "hear", "written": "write"}
    forms = L.SPEECH_CUE_IRREGULAR_FORMS
    assert len(set(forms)) == len(forms) and "said" in forms
    of_reporting_verbs = {f for f in forms if ({irregular.get(f, f)} | _lemmas(f)) & L.REPORTING_VERBS}
    assert set(forms) - of_reporting_verbs == {"spoke", "spoken", "quoted", "according"}


def test_narrower_form_lists_are_subsets():
    assert set(L.PRONOUN_AFTER_SPEECH_FORMS) <= set(L.PRONOUN_SPEECH_FORMS)
    assert set(L.HEARSAY_SPEECH_FORMS) <= set(L.TRAILING_SPEECH_FORMS)


def test_name_suffixes():
    assert L.CONVERTER_NAME_SUFFIXES <= L.NAME_SUFFIXES


def test_name_particles():
    assert L.CONVERTER_NAME_PARTICLES <= L.NAME_PARTICLES


@pytest.mark.parametrize("text, expected", [
    ("Brill's", "Brill"), ("the Democrats'", "the Democrats"), ("Ortiz’s ", "Ortiz"), ("Ortiz", "Ortiz"),
])
def test_strip_possessive(text, expected):
    assert L.strip_possessive(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Brill's", "Brill"), ("the Democrats'", "the Democrats"), ("Caesar!''", "Caesar!''"), ("'s", "'s"),
])
def test_strip_possessive_of_word_leaves_closing_quotes(text, expected):
    assert L.strip_possessive_of_word(text) == expected
    # The resolver's form cuts the last apostrophe of "''" (records depend on it).
    assert L.strip_possessive("Caesar!''") == "Caesar!'"
