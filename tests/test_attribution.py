"""Rule attribution and speaker resolution on tiny hand-written articles."""

import pytest

from saidwho.records import Article


@pytest.fixture(scope="module")
def run(rule_pipeline):
    def _run(body: str):
        article = rule_pipeline(Article(id="t", text="A headline\n\n" + body))
        sources = {s.id: s for s in article.sources}
        rows = []
        for s in article.sentences:
            if s.kind != "body":
                continue
            speaker = sources[s.speaker] if s.speaker else None
            rows.append((article.text[s.start:s.end], s.label, speaker))
        return article, rows

    return _run


def labels(rows):
    return [label for _, label, _ in rows]


def names(rows):
    return [speaker.name if speaker else None for _, _, speaker in rows]


def by_sentence(rows):
    """Sentence text -> (label, speaker name)."""
    return {text: (label, speaker.name if speaker else None) for text, label, speaker in rows}


def test_indirect_speech_and_plain_fact(run):
    _, rows = run("The vote took place on Monday. Dana Ortiz, a regional analyst, said the plan would fail.")
    assert labels(rows) == ["reported_fact", "sourced_claim"]
    assert names(rows)[1] == "Dana Ortiz"


def test_noun_phrase_announcement_is_not_a_claim(run):
    _, rows = run("The ministry announced its resignation.")
    assert labels(rows) == ["reported_fact"]


def test_pronoun_resolves_to_earlier_person(run):
    _, rows = run("Carla Ruiz Montes chairs the committee. “We will not wait,” she said.")
    assert labels(rows)[1] == "sourced_claim"
    assert names(rows)[1] == "Carla Ruiz Montes"


def test_according_to_and_document(run):
    article, rows = run("According to the report, prices rose 4 percent.")
    assert labels(rows) == ["sourced_claim"]
    assert rows[0][2].type == "document"


def test_hearsay_is_anonymous(run):
    _, rows = run("The company reportedly plans to cut 300 jobs.")
    assert labels(rows) == ["sourced_claim"]
    assert rows[0][2].type == "anonymous"


def test_outlet_addressee_is_not_the_speaker(run):
    _, rows = run("Hendrik Bos told The Daily Planet that the offer was final.")
    assert names(rows) == ["Hendrik Bos"]


def test_quote_continuation_gets_the_speaker_of_its_cue(run):
    _, rows = run(
        "Dana Ortiz said the talks had failed.\n\n"
        "“We came with a fair offer. We were told to wait.\n\n"
        "“Nobody is against cranes,” she said.\n\n"
        "The port was quiet."
    )
    assert labels(rows) == ["sourced_claim"] * 4 + ["reported_fact"]
    assert names(rows)[:4] == ["Dana Ortiz"] * 4


def test_cue_after_the_quote(run):
    _, rows = run("Mr. Bos arrived late. “It is over. We lost,” said Hendrik Bos.")
    assert labels(rows) == ["reported_fact", "sourced_claim", "sourced_claim"]
    assert names(rows)[1:] == ["Hendrik Bos", "Hendrik Bos"]


def test_surname_form_joins_full_name_and_same_surname_stays_apart(run):
    article, rows = run(
        "Dana Ortiz said the strike would go on. Luis Ortiz said he was worried. Ms. Ortiz said more talks were due."
    )
    assert names(rows) == ["Dana Ortiz", "Luis Ortiz", "Luis Ortiz"] or names(rows)[:2] == ["Dana Ortiz", "Luis Ortiz"]
    assert len({s.name for s in article.sources}) == 2


def test_summary_counts(run):
    article, _ = run("Dana Ortiz said the plan would fail. “It will,” she said. The vote passed.")
    summary = article.summary
    assert summary["sourced_sentences"] == 2
    assert summary["sources"][0]["name"] == "Dana Ortiz"
    assert summary["sources"][0]["sentences"] == 2
    assert summary["sources"][0]["direct_quotes"] == 1
    assert summary["top_source_share"] == 1.0


def test_writer_in_first_person_is_not_a_source(run):
    _, rows = run("I have watched the club for years, and I can report that the seats are empty. The mayor said the stadium would pay.")
    assert labels(rows)[0] != "sourced_claim"
    assert labels(rows)[1] == "sourced_claim"


def test_calls_with_a_quoted_or_predicate_object_is_a_claim(run):
    _, rows = run(
        'Mayor Lukas Brandt calls the project "an investment in the city\'s pride." '
        "Senator Ann Lowe called the plan a hoax. The mayor called a meeting for Monday."
    )
    assert labels(rows) == ["sourced_claim", "sourced_claim", "reported_fact"]
    assert names(rows)[:2] == ["Lukas Brandt", "Ann Lowe"]


def test_according_to_her_account_is_her(run):
    _, rows = run(
        "Dr. Connie Mariano was the White House physician. "
        "According to her account, the first lady insisted on going to the hospital."
    )
    assert labels(rows)[1] == "sourced_claim" and names(rows)[1] == "Connie Mariano"


def test_speech_verb_names_the_speaker_over_according_to_a_copy(run):
    _, rows = run(
        "The airline’s chief executive, Tomas Hellberg, told staff in a memo that the airline was exploring all options, "
        "according to a copy seen by reporters."
    )
    assert names(rows) == ["Tomas Hellberg"]


def test_transcript_lines_belong_to_their_tag(run):
    _, rows = run(
        "Mike Pence and Chris Wallace spoke on Sunday. Partial transcript as follows:\n\n"
        "WALLACE: Governor, do you see those two as equivalent? I want to be clear.\n\n"
        "PENCE: I do not. The momentum is with us.\n\n"
        "WALLACE: Thank you."
    )
    by_text = by_sentence(rows)
    assert by_text["I want to be clear."] == ("sourced_claim", "Chris Wallace")
    assert by_text["The momentum is with us."] == ("sourced_claim", "Mike Pence")


def test_a_lone_capitalised_tag_is_not_a_speaker(run):
    _, rows = run("UPDATE: The bridge reopened on Monday. Traffic was light.")
    assert "sourced_claim" not in labels(rows)


def test_qa_answers_go_to_the_interviewee_and_questions_stay_the_writers(run):
    _, rows = run(
        "By Tomas Reyna\n\n"
        "Solveig Arnesen became the harbour master in 1996. Tomas Reyna spoke to Arnesen in her office.\n\n"
        "Q: When did you first raise the alarm?\n\n"
        "A: In 2009, in writing. I sent a memo to the board.\n\n"
        "Q: What will you miss?\n\n"
        "A: The dawn over the estuary."
    )
    by_text = by_sentence(rows)
    assert by_text["I sent a memo to the board."] == ("sourced_claim", "Solveig Arnesen")
    assert by_text["A: The dawn over the estuary."] == ("sourced_claim", "Solveig Arnesen")
    assert by_text["Q: What will you miss?"][0] != "sourced_claim"


def test_title_case_name_tags_count_when_they_repeat(run):
    _, rows = run(
        "Rosalind Achterberg retires on Friday.\n\n"
        "Q: Why the river?\n\n"
        "Achterberg: My father was a lock keeper. I wanted to be that.\n\n"
        "Q: What will you miss?\n\n"
        "Achterberg: The dawn.\n\n"
        "Updated: The ceremony starts at noon."
    )
    by_text = by_sentence(rows)
    label, name = by_text["I wanted to be that."]
    assert label == "sourced_claim" and name.endswith("Achterberg")
    assert all(label != "sourced_claim" for text, (label, _) in by_text.items() if "ceremony" in text)


def test_a_single_title_case_tag_is_not_a_transcript(run):
    _, rows = run("Background: The dam was finished in 1971. It was built for a smaller surge.\n\nVERDICT: It failed.")
    assert "sourced_claim" not in labels(rows)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Senators Angus King and Chuck Schultz said the bill would fail.", "Angus King"),
        ("Holt, Berg and Lind all suggested the vote be delayed.", "Holt"),
        ("Critics, like Senator Maria Holt, argue the deal is bad.", "Maria Holt"),
        ("Economists such as Ana Ruiz warned that the plan would fail.", "Ana Ruiz"),
    ],
)
def test_joint_speakers_and_named_examples_give_the_first_named(run, text, speaker):
    # eval/ANNOTATION-NOTES.md §3: one speaker per sentence, the first-named person.
    _, rows = run(text)
    assert names(rows) == [speaker]


def test_inverted_verb_takes_the_subject_outside_the_quote(run):
    _, rows = run("“We are in full panic mode,” said Leslie Wimes, the caucus president.")
    assert names(rows) == ["Leslie Wimes"]


def test_transcript_answer_over_several_quoted_paragraphs(run):
    _, rows = run(
        'Partial transcript as follows:\n\n"WALLACE: Do you see those two as equivalent?\n\n'
        '"PENCE: Well, look, the question is a fair one.\n\n"But the truth is that we are ahead.\n\n'
        "The interview ended at noon."
    )
    by_text = by_sentence(rows)
    assert by_text['"But the truth is that we are ahead.'] == ("sourced_claim", "Pence")
    assert by_text["The interview ended at noon."][0] != "sourced_claim"


def test_parenthetical_cue_verb_tagged_as_noun_and_new_verbs(run):
    _, rows = run(
        "If the city can build a stadium, he observed this week, then it can fix the roads. "
        "Secrecy is not a stranger when it comes to her health, the candidate's former doctor maintains. "
        'He would be a better mayor "no matter what," one user commented. '
        "Republicans have portrayed her email use as a reckless danger."
    )
    table = by_sentence(rows)
    assert labels(rows) == ["sourced_claim"] * 4
    assert table["Secrecy is not a stranger when it comes to her health, the candidate's former doctor maintains."][1] == "the candidate's former doctor"
    assert table['He would be a better mayor "no matter what," one user commented.'][1] == "one user"
