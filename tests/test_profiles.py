"""Source profiles (issue 22): each field on small hand-built articles, the summary
and Parquet counts built from them, validation, and how saidwho eval scores them.
Every article here is invented."""

import json

import pytest

from saidwho.records import Article, Source, SourceProfile
from saidwho.validate import validate_record

FERRY = """Ferry line cuts winter sailings

Harbour Lines said on Monday that it would cut winter sailings to the islands. "Demand has fallen by a third," said Ana Ruiz, a spokeswoman for Harbour Lines. She said the cuts would be reviewed in March.

Rep. Jim Hale (R-Texas) said Congress should look into the cuts. Lena Moss, who runs a bakery on the quay, said trade would suffer. Professor Omar Idris of Tellbury University said island economies depend on the ferries.

Two port officials, speaking on condition of anonymity because the contract is confidential, said the company had asked for a subsidy. Critics said the line had neglected the islands for years.

Superintendent Karen Whitfield said school trips would move to the spring. Mr. Tomas Berg, a union organiser, said workers would protest.
"""


@pytest.fixture(scope="module")
def ferry(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler

    article = rule_pipeline(Article(id="ferry", text=FERRY))
    SourceProfiler()(article)  # the test pipeline has no profiler; the shipped ones do
    return {s.name: s for s in article.sources}, article


def test_a_spokesperson_whose_organisation_is_a_source_of_its_own(ferry):
    sources, _ = ferry
    ruiz, lines = sources["Ana Ruiz"], sources["Harbour Lines"]
    assert ruiz.type == "person" and ruiz.profile.title == "spokeswoman"
    assert ruiz.profile.affiliation == "Harbour Lines" and ruiz.profile.affiliation_id == lines.id
    assert ruiz.profile.category == lines.profile.category == "business"
    assert ruiz.profile.gender == "female" and ruiz.profile.gender_evidence == ["spokeswoman"]  # a gendered noun


def test_a_person_with_no_gender_evidence_is_unknown(ferry):
    sources, _ = ferry
    moss, whitfield = sources["Lena Moss"], sources["Karen Whitfield"]
    # First names are never evidence: "Lena" and "Karen" say nothing here.
    assert (moss.profile.gender, moss.profile.gender_evidence) == ("unknown", [])
    assert (whitfield.profile.gender, whitfield.profile.gender_evidence) == ("unknown", [])
    assert moss.profile.title == "runs a bakery" and moss.profile.category == "citizen"


def test_titles_stay_out_of_names_and_give_the_category(ferry):
    sources, _ = ferry
    assert sources["Karen Whitfield"].profile.title == "Superintendent"
    assert sources["Karen Whitfield"].profile.category == "official"
    assert sources["Omar Idris"].profile.title == "Professor" and sources["Omar Idris"].profile.category == "expert"
    hale = sources["Jim Hale"]
    assert (hale.profile.title, hale.profile.category, hale.profile.party) == ("Rep.", "politician", "Republican")
    berg = sources["Tomas Berg"]
    assert (berg.profile.title, berg.profile.category) == ("union organiser", "advocacy")
    assert berg.profile.gender == "male" and berg.profile.gender_evidence == ["Mr."]  # an honorific is evidence


def test_anonymous_sources_with_and_without_a_reason(ferry):
    sources, article = ferry
    officials = next(s for name, s in sources.items() if name.startswith("Two port officials"))
    reason = officials.profile.anonymity_reason
    assert reason is not None and "condition of anonymity" in reason and "contract is confidential" in reason
    start, end = officials.profile.anonymity_reason_span
    assert article.text[start:end] == reason
    assert officials.profile.category == "official" and officials.profile.gender is None
    critics = sources["Critics"]
    assert critics.profile.anonymity_reason is None and critics.profile.anonymity_reason_span is None


def test_reasons_in_a_sourcing_note_after_the_claim(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler

    text = ("A headline\n\nThe deal is worth 40 million euros, according to two people familiar with the talks. "
            "They spoke on condition of anonymity because the negotiations are private.\n")
    article = SourceProfiler()(rule_pipeline(Article(id="t", text=text)))
    (people,) = [s for s in article.sources if s.type == "anonymous"]
    assert people.profile.anonymity_reason.endswith("on condition of anonymity because the negotiations are private")


def test_profiles_go_into_the_record_summary_and_validate(ferry):
    from saidwho.batch.tables import profile_columns
    from saidwho.pipeline.summary import source_balance

    _, article = ferry
    article.summary = source_balance(article)
    record = article.to_dict()
    assert validate_record(record) == []
    ruiz = next(s for s in record["sources"] if s["name"] == "Ana Ruiz")
    assert ruiz["category"] == "business" and ruiz["gender"] == "female" and ruiz["title"] == "spokeswoman"
    summary = record["summary"]
    assert sum(summary["category_sentences"].values()) == summary["sourced_sentences"] - summary["unresolved"]
    assert summary["gender_persons"]["female"] >= 1 and summary["anonymous_with_reason"] == 1
    assert summary["anonymous_sources"] == 2
    columns = profile_columns(article)
    assert columns["saidwho_anonymous_with_reason"] == 1 and columns["saidwho_sourced_business"] >= 2
    assert Source.from_dict(ruiz).profile == next(s for s in article.sources if s.name == "Ana Ruiz").profile


def test_bad_profiles_are_reported():
    record = {"id": "x", "text": "Ana said it.", "sentences": [],
              "sources": [{"id": "s1", "name": "Ana", "type": "organization", "aliases": [], "category": "police",
                           "gender": "female", "affiliation_id": "s9", "anonymity_reason": "because",
                           "anonymity_reason_span": [0, 3]}]}
    problems = " | ".join(validate_record(record))
    assert "unknown category 'police'" in problems and "gender on a organization source" in problems
    assert "affiliation_id 's9' is not a source id" in problems and "does not hold 'anonymity_reason'" in problems


def _gold_and_prediction():
    text = "A headline\n\nAna Ruiz said it. Officials said it."
    gold = Article(id="g", text=text, sources=[
        Source("s1", "Ana Ruiz", "person", [], SourceProfile(title="spokeswoman", category="business", gender="female")),
        Source("s2", "Officials", "anonymous", [], SourceProfile(category="official", anonymity_reason="x")),
    ])
    pred = Article(id="g", text=text, sources=[
        Source("p1", "Ana Ruiz", "person", [], SourceProfile(title="a Spokeswoman", category="official", gender="female")),
        Source("p2", "Officials", "anonymous", [], SourceProfile(category="official")),
    ])
    return gold, pred


def test_eval_scores_each_field_beside_the_majority_baseline():
    from saidwho.evaluation.tally import tally_article

    gold, pred = _gold_and_prediction()
    metrics = tally_article(gold, pred, lambda _: None).counts.values()
    assert metrics["profile_coverage"] == 1.0
    assert metrics["profile_title_accuracy"] == 1.0  # "a Spokeswoman" = "spokeswoman" after normalisation
    assert metrics["profile_category_accuracy"] == 0.5 and metrics["profile_category_majority"] == 0.5
    assert metrics["profile_gender_accuracy"] == 1.0 and metrics["profile_gender_coverage"] == 1.0
    assert metrics["anonymity_reason_f1"] == 0.0 and metrics["anonymity_reason_majority_f1"] == 1.0


def test_gold_profiles_attach_to_the_gold_sources(tmp_path):
    from saidwho.evaluation.goldset import attach_profiles

    gold, _ = _gold_and_prediction()
    for source in gold.sources:
        source.profile = None
    (tmp_path / "profiles.jsonl").write_text(json.dumps(
        {"id": "g", "sources": [{"id": "s1", "title": None, "affiliation": None, "affiliation_id": None, "category": "media",
                                 "gender": "unknown", "gender_evidence": [], "anonymity_reason": None,
                                 "anonymity_reason_span": None, "party": None}]}) + "\n")
    (article,) = attach_profiles(tmp_path, [gold])
    assert article.sources[0].profile.category == "media" and article.sources[1].profile is None


# Political news (issue 22, second build set): roles written in more ways than
# "Title Name" and ", the role,". Invented, one sentence per class.
CAMPAIGN = """Mayor's race tightens in Lakeport

Helen Draper, a retired crossing guard, said she would vote for the first time in a decade. Owen Pratt, a volunteer who has knocked on doors since June, said turnout would decide it.

Senator Ruth Calloway said the race was close. Dan Whitby, a former senior adviser to Calloway, said the campaign had enough money. Marta Kell, a pollster with Mr. Whitby's old firm, said the numbers were moving.

Glen Ashby, the city's former treasurer and a longtime party donor, said taxes were the issue. Calloway's allies said the mayor had overspent.

Lars Onken said the debate had changed nothing. If the council listens to Lars Onken, the mayor's days in office are over.

Years ago, Paul Renner, a talk-radio host, organised a petition. Renner, the campaign's field director, said on Tuesday that volunteers were ready.

Former Sen. Maria Holt said the seat was winnable. "We are ahead," said Jonah Price, a Calloway spokesman. Ivan Lisk, a Harbour Herald columnist, said the debate was dull. Sara Mund, a real estate agent today, said prices were rising.

Ian Brook, who managed Calloway's 2019 campaign, said money was not a problem. Ola Fenn, who ran a pro-Calloway super PAC, said ads would start in May.

Vera Quist said the poll was wrong. The independent front-runner added that she would debate anyone.

Rui Pardo, who served as U.S. envoy to Lakeport from 2012 until May, said the race was close.
"""


@pytest.fixture(scope="module")
def campaign(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler

    article = SourceProfiler()(rule_pipeline(Article(id="campaign", text=CAMPAIGN)))
    return {s.name: s.profile for s in article.sources}


@pytest.mark.parametrize(
    "name, title",
    [
        ("Helen Draper", "retired crossing guard"),  # an occupation no word list names, after an article
        ("Owen Pratt", "volunteer"),  # the appositive ends where a "who" clause begins
        ("Dan Whitby", "former senior adviser"),  # for whom is not the role
        ("Marta Kell", "pollster"),  # nor with whom
        ("Glen Ashby", "former treasurer"),  # two roles: the first
        ("Lars Onken", None),  # ", the mayor's days in office are over" is a clause, not his role
        ("Paul Renner", "field director"),  # the role nearest his first sourced sentence
        ("Maria Holt", "Former Sen."),  # a former role stays former
        ("Jonah Price", "spokesman"),  # whom he speaks for goes to the affiliation
        ("Ivan Lisk", "columnist"),  # so does his outlet
        ("Sara Mund", "real estate agent"),  # an adverb after the role is not part of it
        ("Vera Quist", "independent front-runner"),  # a role opening the next sentence, for a name never titled
        ("Rui Pardo", "U.S. envoy"),  # the role of a "who served as" clause (where to goes to no field)
    ],
)
def test_titles_in_political_news(campaign, name, title):
    assert campaign[name].title == title


def test_affiliations_and_categories_in_political_news(campaign):
    assert (campaign["Jonah Price"].affiliation, campaign["Jonah Price"].category) == ("Calloway", "politician")
    assert (campaign["Ivan Lisk"].affiliation, campaign["Ivan Lisk"].category) == ("Harbour Herald", "media")
    assert campaign["Dan Whitby"].category == "politician"  # staff of a politician
    assert campaign["Paul Renner"].category == "politician"  # staff of a campaign
    assert campaign["Calloway's allies"].category == "politician"  # an unnamed group of her people
    assert campaign["Ian Brook"].category == campaign["Ola Fenn"].category == "politician"  # "who managed her campaign"
    assert campaign["Owen Pratt"].category == campaign["Helen Draper"].category == "citizen"  # backers speak for themselves
    assert campaign["Vera Quist"].category == "politician"
    assert campaign["Glen Ashby"].category == "official"  # the city's treasurer
    # "Mr. Whitby" inside Marta Kell's description is not evidence of her gender.
    assert (campaign["Marta Kell"].gender, campaign["Marta Kell"].affiliation) == ("unknown", None)


CAPITAL = """Budget talks stall in Varna

Sen. Petra Lund said the budget would pass. The White House said it was confident. Nils Aho, a Harbour Times White House correspondent, said the talks had stalled. Mia Stenlund, the show's co-host, said viewers were tired of the fight.

A spokesman for Petra Lund said she would not give way. Lund's allies think the deal is close. Ove Dahl, a Republican strategist, said the vote was weeks away.

Rasmus Eng, the Independent candidate, spoke to voters on Monday. Later that week, Eng said the budget was "a disgrace."
"""


@pytest.fixture(scope="module")
def capital(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler

    article = SourceProfiler()(rule_pipeline(Article(id="capital", text=CAPITAL)))
    return {s.name: s.profile for s in article.sources}


def test_categories_by_seat_head_and_staff(capital):
    assert capital["The White House"].category == "official"  # a government named by its seat
    assert capital["Nils Aho"].category == "media"  # "White House correspondent": the role decides, not the seat
    assert (capital["Mia Stenlund"].title, capital["Mia Stenlund"].category) == ("co-host", "media")  # a hyphenated head
    spokesman = next(p for name, p in capital.items() if name.lower().startswith("a spokesman"))
    assert (spokesman.title, spokesman.category) == ("spokesman", "politician")  # whom he speaks for, read on in the text
    allies = next(p for name, p in capital.items() if name.startswith("Lund's allies"))
    assert allies.category == "politician"  # "think" alone is no think tank
    assert (capital["Ove Dahl"].title, capital["Ove Dahl"].party, capital["Ove Dahl"].category) == (
        "Republican strategist", "Republican", "politician")  # the party stays in the title as written


def test_a_person_the_article_calls_a_politician_elsewhere(capital):
    from saidwho.pipeline.profiles import politician_surnames

    assert {"Lund", "Eng"} <= politician_surnames(CAPITAL)
    assert "Aho" not in politician_surnames(CAPITAL)
    assert capital["Rasmus Eng"].category == "politician"  # titled where he does not speak


def test_a_pronoun_after_someone_who_is_not_a_source_is_not_the_sources(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler

    text = ("A headline\n\nTom Vale, a radio host, said the photo was real. He posted a picture of Anna Berg "
            "with her aides on Tuesday and said her team had seen it.\n")
    article = SourceProfiler()(rule_pipeline(Article(id="t", text=text)))
    (vale,) = [s for s in article.sources if s.name == "Tom Vale"]
    assert (vale.profile.gender, vale.profile.gender_evidence) == ("male", ["He"])


def test_the_headline_person_of_a_political_story_is_a_politician(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler

    political = ("Vale says he will win Ohio\n\nRobert Vale said on Monday that he would win the primary. "
                 "Voters in the state have backed Republicans and Democrats in turn, and the campaign expects the "
                 "election to be close. Vale's team said the polls were wrong.\n")
    article = SourceProfiler()(rule_pipeline(Article(id="t", text=political)))
    profiles = {s.name: s.profile for s in article.sources}
    assert profiles["Robert Vale"].category == "politician"  # named with no role, in the headline of an election story
    assert profiles["Vale's team"].category == "politician"  # a politician's people, as an organisation
    plain = ("Vale opens a bakery\n\nRobert Vale said on Monday that the bread would be ready by six.\n")
    article = SourceProfiler()(rule_pipeline(Article(id="t", text=plain)))
    assert {s.name: s.profile for s in article.sources}["Robert Vale"].category == "other"  # elsewhere: not said


def test_ranks_and_agents_are_officials_and_a_party_committee_is_political():
    from saidwho.pipeline.profiles import category_of
    from saidwho.records import Source

    person = Source(id="s1", name="Ana Lee", type="person")
    assert category_of(person, "Gen.", None, None) == category_of(person, "special agent", None, None) == "official"
    assert category_of(Source(id="s2", name="the DNC", type="organization"), None, None, None) == "politician"


def test_a_pronoun_the_speaker_stage_resolved_outweighs_pronouns_that_drift():
    from saidwho.pipeline.profiles import gender_of
    from saidwho.pipeline.roles import Mentions

    text = "Tom Vale said so. She said it was fine. He left. His aide and her aide met."
    source = Source(id="s1", name="Tom Vale", type="person")
    where = Mentions(names=[(0, 8)], speaker_spans=[(18, 21)], proper=[(0, 8)])  # "She said": the speaker stage's choice
    # One resolved "She" (weighing three) against "He", "His" and one "her" that follow: 4 to 2, female.
    assert gender_of(text, source, where, None, ["He", "His", "her"])[0] == "female"
    assert gender_of(text, source, Mentions([(0, 8)], [], [(0, 8)]), None, ["He", "His", "her"])[0] == "male"


@pytest.mark.parametrize(
    "gold, predicted, strict, head",
    [
        ("spokesman", "Vatican spokesman", False, True),  # a modifier more
        ("former NIH director", "former director", False, True),  # a modifier less
        ("Gov.", "governor", True, True),  # abbreviations expand
        ("director", "editor", False, False),  # another role
        ("chief executive", "executive director", False, False),  # another head
        (None, None, True, True),
        ("senator", None, False, False),
    ],
)
def test_title_matches_strict_and_by_head(gold, predicted, strict, head):
    from saidwho.evaluation.tally import normalise_title, titles_share_head

    assert (normalise_title(gold) == normalise_title(predicted)) is strict
    assert titles_share_head(gold, predicted) is head


def test_a_title_with_of_in_it_before_the_name():
    from saidwho.pipeline.roles import title_before

    text = "After Deputy Secretary of State Nils Varga spoke, the crowd left."
    start = text.index("Nils")
    assert title_before(text, start, start + len("Nils Varga")) == "Deputy Secretary of State"


@pytest.mark.parametrize(
    "written, title",
    [
        ("candidate aiming to unseat the mayor", "candidate"),  # a participle after the role
        ("senior managing director", "senior managing director"),  # but not one before it
        ("teaches at Selwyn University", "teaches at Selwyn University"),  # a verb alone is no role
        ("runs a food stall near the bus station", "runs a food stall"),
        ("- Democratic front-runner", "Democratic front-runner"),  # a dash left from the text
    ],
)
def test_titles_a_reader_can_read(written, title):
    from saidwho.pipeline.roles import trim_title

    assert trim_title(written) == title


def test_a_party_word_or_a_clause_before_a_name_is_no_title(rule_pipeline):
    from saidwho.pipeline.profiles import SourceProfiler
    from saidwho.pipeline.roles import title_before

    text = "Many backed what they call Republican Ana Lee in May."
    start = text.index("Ana")
    assert title_before(text, start, start + len("Ana Lee")) is None
    article = SourceProfiler()(rule_pipeline(Article(id="t", text="A headline\n\nTom Vale said taxes would rise. The Republican said cuts would follow.\n")))
    assert all(s.profile.title is None for s in article.sources)


def test_eval_prints_the_profile_fields_only_where_the_gold_has_them(tmp_path):
    import io

    from rich.console import Console

    from saidwho.evaluation.eval_report import write_eval_report
    from saidwho.evaluation.scoring import evaluate
    from saidwho.evaluation.tables_terminal import render_table

    gold, pred = _gold_and_prediction()
    result = evaluate([gold], [pred], bootstrap=20)
    out = io.StringIO()
    render_table(result, Console(file=out, width=140, color_system=None))
    assert "Source profiles" in out.getvalue() and "Most-frequent baseline" in out.getvalue()
    assert "| Category | 0.500 |" in write_eval_report(result, tmp_path / "with")[0].read_text()
    for source in gold.sources:
        source.profile = None
    bare = evaluate([gold], [pred], bootstrap=20)
    out = io.StringIO()
    render_table(bare, Console(file=out, width=140, color_system=None))
    assert "Source profiles" not in out.getvalue()
    assert "Source profiles" not in write_eval_report(bare, tmp_path / "without")[0].read_text()
