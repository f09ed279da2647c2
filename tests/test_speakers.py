"""Speaker resolution, one case per rule, on short articles written here."""

import pytest

from saidwho.names import names_match
from saidwho.records import Article, Source


@pytest.fixture(scope="module")
def speakers(rule_pipeline):
    def run(body: str):
        article = rule_pipeline(Article(id="t", text="Headline\n\n" + body))
        sources = {s.id: s for s in article.sources}
        out = []
        for s in article.sentences:
            if s.label == "sourced_claim":
                out.append((article.text[s.start:s.end], sources.get(s.speaker)))
        return article, out

    return run


def speaker_of(rows, fragment):
    for text, source in rows:
        if fragment in text:
            return source
    raise AssertionError(f"no sourced sentence with {fragment!r}: {[t for t, _ in rows]}")


def is_(source, name, typ=None):
    return source is not None and names_match(source, Source("g", name, typ or source.type)) and (typ is None or source.type == typ)


def test_pronoun_by_title_gender(speakers):
    _, rows = speakers(
        "Ms. Ruiz met Mr. Okafor at the port on Monday. “We will not wait,” she said. "
        "“Nor will we,” he said."
    )
    assert is_(speaker_of(rows, "not wait"), "Ruiz")
    assert is_(speaker_of(rows, "Nor will"), "Okafor")


def test_pronoun_by_gender_the_article_shows(speakers):
    _, rows = speakers(
        "Melanie Adams runs the shelter, and her volunteers arrive at dawn. "
        "Peter Lund, the mayor, visited on Friday. "
        "“We need beds, not speeches,” she said."
    )
    assert is_(speaker_of(rows, "not speeches"), "Melanie Adams")


def test_pronoun_after_a_speaker_is_that_speaker(speakers):
    _, rows = speakers("Dana Ortiz said the talks had failed. “We came with a fair offer,” she said.")
    assert is_(speaker_of(rows, "fair offer"), "Dana Ortiz")


def test_surname_and_title_forms_join_the_full_name(speakers):
    article, rows = speakers("Hendrik Bos leads the operators. Mr. Bos said the offer was final. Bos added that talks could resume.")
    assert is_(speaker_of(rows, "offer was final"), "Hendrik Bos")
    assert is_(speaker_of(rows, "talks could resume"), "Hendrik Bos")
    assert [s.name for s in article.sources] == ["Hendrik Bos"]
    assert "Mr. Bos" in article.sources[0].aliases


def test_same_surname_different_people(speakers):
    article, rows = speakers("Dana Ortiz said the strike would go on. Luis Ortiz said he was worried about money.")
    assert is_(speaker_of(rows, "strike would"), "Dana Ortiz")
    assert speaker_of(rows, "worried").name == "Luis Ortiz"
    assert len(article.sources) == 2


def test_appositive_gives_name_and_description_alias(speakers):
    article, rows = speakers("Dana Ortiz, a regional analyst, said the plan would fail.")
    source = speaker_of(rows, "plan would fail")
    assert source.name == "Dana Ortiz" and source.type == "person"
    assert "a regional analyst" in source.aliases


def test_organisation_and_document_speak(speakers):
    _, rows = speakers("The ministry said exports fell. The report found that wages rose. According to the study, prices rose.")
    assert speaker_of(rows, "exports fell").type == "organization"
    assert speaker_of(rows, "wages rose").type == "document"
    assert speaker_of(rows, "prices rose").type == "document"


def test_anonymous_sources_one_per_phrase(speakers):
    article, rows = speakers(
        "Officials who asked not to be named said the deal was close. The airline reportedly plans cuts. "
        "Officials who asked not to be named said a vote was due."
    )
    first = speaker_of(rows, "deal was close")
    assert first.type == "anonymous" and first.name.startswith("Officials who asked not to be named")
    assert speaker_of(rows, "vote was due").id == first.id
    assert speaker_of(rows, "reportedly").type == "anonymous"
    assert speaker_of(rows, "reportedly").id != first.id


def test_outlet_addressed_is_not_the_speaker(speakers):
    _, rows = speakers("Hendrik Bos told The Daily Planet that the offer was final.")
    assert is_(speaker_of(rows, "offer was final"), "Hendrik Bos")


def test_names_inside_a_quote_are_not_its_speaker(speakers):
    _, rows = speakers("Carla Ruiz spoke first. “Peter Lund promised us a bridge and gave us nothing,” she said.")
    assert is_(speaker_of(rows, "Peter Lund promised"), "Carla Ruiz")


def test_multi_paragraph_quote_cue_before(speakers):
    _, rows = speakers(
        "Dana Ortiz said the union would not give in.\n\n"
        "“We came with a fair offer. We were told to wait.\n\n"
        "“Nobody here is against cranes.”"
    )
    for fragment in ("fair offer", "told to wait", "against cranes"):
        assert is_(speaker_of(rows, fragment), "Dana Ortiz"), fragment


def test_quote_cue_inside_and_after(speakers):
    _, rows = speakers(
        "“The port is closed,” said Hendrik Bos, “and it will stay closed.” "
        "“It is over. We lost,” Luis Ortiz said."
    )
    assert is_(speaker_of(rows, "port is closed"), "Hendrik Bos")
    assert is_(speaker_of(rows, "It is over"), "Luis Ortiz")
    assert is_(speaker_of(rows, "We lost"), "Luis Ortiz")


def test_colon_and_dash_attributions(speakers):
    _, rows = speakers(
        "Mayor Ana Lopes put it simply:\n\n“The river will rise again. We must be ready.”\n\n"
        "“Nobody listened to the warning.”\n― Anselm Kroll, opening statement"
    )
    assert is_(speaker_of(rows, "river will rise"), "Ana Lopes")
    assert is_(speaker_of(rows, "must be ready"), "Ana Lopes")
    assert is_(speaker_of(rows, "Nobody listened"), "Anselm Kroll")


def test_example_article_against_its_gold():
    """Regression guard on the hand-annotated example (it was used while writing the rules)."""
    from pathlib import Path

    from saidwho.evaluation.scoring import evaluate
    from saidwho.pipeline import load
    from saidwho.io import read_articles

    gold = read_articles(Path(__file__).resolve().parents[1] / "examples" / "harbour-strike.gold.jsonl")
    pred = [load("rules")(Article(id=a.id, text=a.text)) for a in gold]
    result = evaluate(gold, pred, bootstrap=0)
    assert result.metrics["sourced_claim_f1"] == 1.0
    assert result.metrics["speaker_accuracy"] >= 0.9


def test_pronoun_by_first_name_after_an_unnamed_group(speakers):
    # "Economists" is a group, not a person "she" could be; Hanna is a woman's name.
    _, rows = speakers(
        "Economists have warned for decades that stadiums rarely pay for themselves. "
        "Hanna Vogel, who studies public finance, put it bluntly. "
        "“Cities that borrow end up subsidising them,” she said."
    )
    group = speaker_of(rows, "warned for decades")
    assert group.type == "anonymous"
    assert is_(speaker_of(rows, "subsidising"), "Hanna Vogel", "person")


def test_person_the_speaker_talks_about_does_not_take_the_next_pronoun(speakers):
    _, rows = speakers(
        "Economist Aparna Mathur said Ivanka Trump’s statement did not clarify the matter.\n\n"
        "“I don’t see details about who is eligible,” she said."
    )
    assert is_(speaker_of(rows, "see details"), "Aparna Mathur")


def test_a_group_is_named_by_its_whole_phrase(speakers):
    _, rows = speakers("But many Democrats say the lead hides a turnout problem.")
    group = speaker_of(rows, "turnout problem")
    assert group.name.lower() == "many democrats" and "Democrats" in group.aliases


# textacy's own direct-quotation cases (its tests/extract/test_triples.py).


def test_textacy_a_surname_the_tagger_calls_an_organisation_is_reached_by_he(speakers):
    _, rows = speakers('Burton explained from a podium. "I love cats," he said.')
    assert is_(speaker_of(rows, "love cats"), "Burton", "person")


def test_textacy_mismatched_marks_leave_the_explicit_cues_their_speakers(speakers):
    _, rows = speakers(
        "'AMANDA, you stabbed me,\" a stunned Anna Ramirez told her identical twin in court. "
        'Edward said prosecutors had established "clear and convincing evidence" of guilt.'
    )
    assert is_(speaker_of(rows, "AMANDA"), "Anna Ramirez")
    assert is_(speaker_of(rows, "prosecutors had"), "Edward")


def test_textacy_an_exclamation_with_an_inverted_cue_and_the_quote_after_it(speakers):
    _, rows = speakers('"I love cats!" insists Burton. "I absolutely do."')
    assert [text for text, _ in rows] == ['"I love cats!" insists Burton.', '"I absolutely do."']
    assert all(is_(source, "Burton") for _, source in rows)


def test_inverted_cues_after_exclamation_and_question_marks(speakers):
    _, rows = speakers('"We won!" said the mayor, Jane Smith. "Why now?" asked Tom Brown.')
    assert is_(speaker_of(rows, "We won"), "Jane Smith")
    assert is_(speaker_of(rows, "Why now"), "Tom Brown")


def test_hearsay_sources_read_as_unnamed_reports_with_the_cue_as_alias(speakers):
    article, rows = speakers(
        "Several shipping lines have reportedly begun diverting vessels. Reports emerged that the port would close. "
        "Critics argue that the strike was avoidable."
    )
    reports = speaker_of(rows, "reportedly")
    assert (reports.name, reports.type) == ("unnamed reports", "anonymous") and "reportedly" in reports.aliases
    assert speaker_of(rows, "Reports emerged") is reports
    critics = speaker_of(rows, "Critics argue")
    assert (critics.name, critics.type) == ("Critics", "anonymous")


def test_an_organisation_word_inside_a_description_does_not_make_it_an_organisation(speakers):
    _, rows = speakers("A former high-ranking member of Bolivia's government said the general had planned it for weeks.")
    source = speaker_of(rows, "planned it")
    # Not an organisation; and, introduced with "a" and never named, an anonymous source (class 6).
    assert source.type == "anonymous" and source.name.startswith("A former high-ranking member")


def test_a_person_named_before_the_head_word_only_modifies_it(speakers):
    _, rows = speakers(
        "McConnell aides said the senator would not attend. Mr. Trump's aides said he was busy. "
        "The Clinton campaign said the report was false."
    )
    aides = speaker_of(rows, "would not attend")
    assert (aides.name, aides.type) == ("McConnell aides", "anonymous")
    assert speaker_of(rows, "was busy").type == "anonymous"
    campaign = speaker_of(rows, "report was false")
    assert (campaign.name, campaign.type) == ("The Clinton campaign", "organization")


def test_quantities_are_unnamed_groups_and_demonstratives_name_no_one(speakers):
    article, rows = speakers(
        "A dozen said they would return. Another 19 percent said they were undecided. "
        "All this has led the mayor to fear that the vote will fail."
    )
    assert speaker_of(rows, "would return").type == "anonymous"
    assert speaker_of(rows, "undecided").type == "anonymous"
    assert "this" not in {s.name.lower() for s in article.sources}


def test_documents_and_indefinite_speakers_get_readable_types(speakers):
    _, rows = speakers(
        "The transcript of the debate shows that the senator talked about reform. "
        "Someone said the vote was rigged."
    )
    assert speaker_of(rows, "talked about reform").type == "document"
    assert speaker_of(rows, "vote was rigged").type == "anonymous"


def test_a_definite_description_joins_the_person_it_describes(speakers):
    _, rows = speakers(
        "Hillary Clinton spoke in Ohio on Monday. The crowd was large. "
        "“This is not who we are,” the former secretary of state said. "
        "A woman at the rally said she was scared."
    )
    clinton = speaker_of(rows, "not who we are")
    assert clinton.name == "Hillary Clinton" and "the former secretary of state" in clinton.aliases
    # An indefinite description is someone new.
    assert speaker_of(rows, "was scared").name == "A woman at the rally"


def test_the_reason_for_anonymity_is_not_part_of_the_name(speakers):
    _, rows = speakers("Two officials who asked not to be named because the talks are confidential said a mediator was due.")
    source = speaker_of(rows, "mediator")
    assert source.name == "Two officials who asked not to be named" and source.type == "anonymous"


def test_untagged_full_name_does_not_join_a_namesake(rule_pipeline):
    # The tagger misses "Carmen Reyes"; her surname must not make her Luis Reyes,
    # and a title's gender chooses between them for "Mr."/"Ms. Reyes".
    article = rule_pipeline(
        "Carmen Reyes runs a patients' group. Luis Reyes, the union leader, said the plan was rushed. "
        "Carmen Reyes said patients were not consulted. Mr. Reyes said the union would strike. "
        "Ms. Reyes said the group would protest."
    )
    speakers = sourced_speakers(article)
    assert speakers == ["Luis Reyes", "Carmen Reyes", "Luis Reyes", "Carmen Reyes"]


def test_he_after_two_named_men_means_the_main_subject(rule_pipeline):
    # "Brill" tagged as an organisation after "Mayor Tom Brill" is still him, and
    # "he" after two named men is the one the sentence was about.
    for text in (
        "Mayor Tom Brill met Governor Jon Vance on Monday. Brill said the port would reopen. He said the deal was fair.",
        'Tom Brill spoke after Jon Vance left the room. "We won," he said.',
    ):
        article = rule_pipeline(text)
        assert set(sourced_speakers(article)) == {"Tom Brill"}, text


def test_the_department_joins_the_department_named_before(rule_pipeline):
    article = rule_pipeline(
        "Rainfall has been low, according to the National Meteorological Department. "
        "The department said on Friday that the rains had failed. "
        "The Valmora Residents' Association met on Monday. The association said the mains were leaking."
    )
    speakers = sourced_speakers(article)
    assert len(set(speakers[:2])) == 1 and "Meteorological Department" in speakers[0]
    assert "Residents' Association" in speakers[-1]


def test_it_means_an_organisation_or_document_not_a_plural_group(rule_pipeline):
    article = rule_pipeline(
        "The report, by the Health Inspectorate, found that staff were short on 63 nights. "
        "Some residents said they were not surprised. It said patients had waited up to three hours."
    )
    speakers = sourced_speakers(article)
    assert speakers[-1] == speakers[0] and speakers[0].lower().endswith("report")


def sourced_speakers(article) -> list[str | None]:
    """The speaker's name of each sourced claim, in order."""
    names = {s.id: s.name for s in article.sources}
    return [names.get(s.speaker) for s in article.sentences if s.label == "sourced_claim"]
