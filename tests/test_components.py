"""Components one at a time on tiny hand-built documents: each reads only the typed
state earlier stages leave on the record, so no parse or model is needed here."""

import pytest

from saidwho.pipeline.labels import Labeler, three_label_scores
from saidwho.pipeline.opinion import UNATTRIBUTED_PRIOR, OpinionScorer
from saidwho.pipeline.speakers import SpeakerResolver
from saidwho.pipeline.summary import SourceBalance
from saidwho.records import Article, Attribution, Entity, Mention, Probabilities, QuoteState, Sentence

TEXT = "Dana Ortiz said the talks failed. “We waited,” she said. The port is quiet. It is a disgrace."


def _sentences() -> list[Sentence]:
    spans = [(0, 33), (34, 56), (57, 75), (76, 94)]
    return [Sentence(start, end) for start, end in spans]


def _attributed_article() -> Article:
    """Two attributed sentences, as an attributor would leave them."""
    article = Article(id="t", text=TEXT, sentences=_sentences())
    first, second = article.sentences[0], article.sentences[1]
    first.entities = (Entity(0, 10, "PERSON"),)
    first.attribution = Attribution("verb", (11, 15), Mention((0, 10), "Dana Ortiz", "name", head=(5, 10)), 0.9)
    second.quotes = QuoteState(quoted_share=0.6, quoted_spans=((34, 46),))
    second.attribution = Attribution("verb", (51, 55), Mention((47, 50), "she", "pronoun"), 0.9)
    return article


def test_speaker_resolver_names_the_source_and_resolves_the_pronoun():
    article = _attributed_article()
    SpeakerResolver()(article)
    assert [s.name for s in article.sources] == ["Dana Ortiz"]
    assert [s.speaker for s in article.sentences] == ["s1", "s1", None, None]


def test_speaker_resolver_keeps_hearsay_anonymous():
    article = Article(id="t", text="Ships have reportedly left.", sentences=[Sentence(0, 27)])
    article.sentences[0].attribution = Attribution("hearsay", (11, 21), Mention(None, "reportedly", "anonymous"), 0.85, anonymous_phrase="reportedly")
    SpeakerResolver()(article)
    # ANNOTATION.md 3: an adverb names no one; the source reads "unnamed reports", the cue is an alias.
    assert [(s.name, s.type, s.aliases) for s in article.sources] == [("unnamed reports", "anonymous", ["reportedly"])]


def test_opinion_scorer_without_a_classifier_gives_the_prior_and_no_opinion():
    article = _attributed_article()
    OpinionScorer(None)(article)
    assert article.sentences[0].probabilities == Probabilities(0.9, 0.0)
    assert article.sentences[2].probabilities == Probabilities(UNATTRIBUTED_PRIOR, 0.0)


def test_labeler_attribution_beats_opinion_and_the_threshold_decides_the_rest():
    article = _attributed_article()
    for sentence, p_opinion in zip(article.sentences, (0.99, 0.2, 0.3, 0.8)):
        attributed = sentence.attribution.score if sentence.attribution else 0.05
        sentence.probabilities = Probabilities(attributed, p_opinion)
    Labeler(opinion_threshold=0.5)(article)
    assert [s.label for s in article.sentences] == ["sourced_claim", "sourced_claim", "reported_fact", "opinion"]
    last = article.sentences[3]
    assert last.scores == pytest.approx(three_label_scores(0.05, 0.8))
    assert last.confidence == pytest.approx(0.95 * 0.8)
    assert sum(last.scores.values()) == pytest.approx(1.0)


def test_labeler_leaves_unlabelled_kinds_alone():
    article = Article(id="t", text="Headline", sentences=[Sentence(0, 8, kind="headline")])
    article.sentences[0].probabilities = Probabilities(0.9, 0.9)
    Labeler()(article)
    assert article.sentences[0].label is None and article.sentences[0].scores is None


def test_source_balance_counts_direct_quotes_and_shares():
    article = _attributed_article()
    SpeakerResolver()(article)
    for sentence, label in zip(article.sentences, ("sourced_claim", "sourced_claim", "reported_fact", "opinion")):
        sentence.label = label
    SourceBalance()(article)
    summary = article.summary
    assert summary["sourced_sentences"] == 2 and summary["label_share"]["opinion"] == 0.25
    (source,) = summary["sources"]
    assert (source["name"], source["sentences"], source["direct_quotes"], source["first_offset"]) == ("Dana Ortiz", 2, 1, 0)
    assert summary["top_source_share"] == 1.0 and summary["anonymous_share"] == 0.0


def test_attribution_mode_is_written_for_sourced_sentences_only():
    article = _attributed_article()
    article.sentences[0].label = "sourced_claim"
    article.sentences[1].label = "sourced_claim"
    record = article.to_dict()
    assert record["sentences"][0]["attribution"]["mode"] == "indirect"
    assert record["sentences"][1]["attribution"]["mode"] == "direct"
    assert "attribution" not in record["sentences"][2]


def test_a_title_tagged_alone_takes_the_name_after_it():
    text = "Mr. Bos stressed that the offer was final."
    article = Article(id="t", text=text, sentences=[Sentence(0, len(text))])
    article.sentences[0].entities = (Entity(0, 3, "PERSON"),)
    article.sentences[0].attribution = Attribution("verb", (8, 16), Mention((0, 7), "Mr. Bos", "name", head=(4, 7)), 0.9)
    SpeakerResolver()(article)
    assert [s.name for s in article.sources] == ["Mr. Bos"]


def test_a_mention_of_function_words_names_no_source():
    # A learned span cut short to "the" must not become a source called "the".
    text = "The officials said the port was shut."
    article = Article(id="t", text=text, sentences=[Sentence(0, len(text))])
    article.sentences[0].attribution = Attribution("model", (14, 18), Mention((0, 3), "The", "description"), 0.95)
    SpeakerResolver()(article)
    assert article.sources == [] and article.sentences[0].speaker is None


def _parts(article: Article) -> dict:
    """The record, by the part names components declare (saidwho.pipeline.component.RECORD_PARTS);
    per sentence, only values other than a new sentence's."""
    import copy

    def per_sentence(value, empty) -> dict:
        return {i: v for i, v in enumerate(map(value, article.sentences)) if v != empty}

    return copy.deepcopy({
        "text": article.text,
        "sentences": [(x.start, x.end, x.kind) for x in article.sentences],
        "layout": per_sentence(lambda x: x.layout, None),
        "quotes": per_sentence(lambda x: x.quotes, QuoteState()),
        "entities": per_sentence(lambda x: x.entities, ()),
        "attribution": per_sentence(lambda x: (x.attribution, x.speaker_span, x.cue_span), (None, None, None)),
        "probabilities": per_sentence(lambda x: x.probabilities, None),
        "sources": (article.sources, per_sentence(lambda x: x.speaker, None)),
        "labels": per_sentence(lambda x: (x.label, x.scores, x.confidence), (None, None, None)),
        "summary": article.summary,
    })


def _changed(before: dict, after: dict) -> set[str]:
    return {part for part in before if before[part] != after[part]}


def test_parts_cover_every_declared_record_part():
    from saidwho.pipeline.component import RECORD_PARTS

    assert set(_parts(Article(id="t", text="x"))) == RECORD_PARTS


def test_labeler_declares_the_speaker_and_spans_it_clears():
    article = _attributed_article()
    SpeakerResolver()(article)
    for sentence in article.sentences:
        sentence.probabilities = Probabilities(0.05, 0.2)
    # A speaker the attribution no longer backs: the labeler clears it and the spans.
    article.sentences[0].attribution = None
    article.sentences[0].speaker_span = (0, 10)
    article.sentences[0].speaker = "s1"
    before = _parts(article)
    Labeler()(article)
    changed = _changed(before, _parts(article))
    assert changed == {"labels", "sources", "attribution"} <= Labeler.writes
    assert (article.sentences[0].speaker, article.sentences[0].speaker_span) == (None, None)


def test_every_stage_of_the_rule_pipeline_changes_only_what_it_declares():
    import saidwho

    nlp = saidwho.load("rules")
    article = Article(id="t", text="Port strike\n\nThe port authority said cargo handling had stopped. “We are ready to talk,” said Dana Ortiz. It is a disgrace.")
    for component in nlp.components:
        before = _parts(article)
        component(article)
        changed = _changed(before, _parts(article))
        assert changed and changed <= component.writes, (component.name, changed - component.writes)


def _component_classes() -> set[type]:
    import importlib
    import pkgutil

    import saidwho.pipeline
    from saidwho.pipeline.component import Component

    for module in pkgutil.iter_modules(saidwho.pipeline.__path__):
        importlib.import_module(f"saidwho.pipeline.{module.name}")
    found, todo = set(), [Component]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("saidwho.") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_scored_by_names_metrics_that_eval_reports():
    from saidwho.evaluation.counts import Counts

    metrics = set(Counts().metrics())
    classes = _component_classes()
    assert len(classes) >= 8
    for component in classes:
        assert set(component.scored_by) <= metrics, (component.__name__, set(component.scored_by) - metrics)
