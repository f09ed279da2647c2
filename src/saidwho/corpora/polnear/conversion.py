"""PolNeAR articles -> records: segments, labels, speakers and spans (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from saidwho.corpora._common import split_names
from saidwho.corpora.polnear.brat import Fragments, PolnearAttribution, SpanAnn, parse_ann, span_text
from saidwho.corpora.polnear.layout import ArticleFiles, find_splits, read_file, read_metadata, split_files
from saidwho.corpora.polnear.sources import PolnearSpeakers
from saidwho.errors import UserError
from saidwho.records import LABELLED_KINDS, Article, Sentence

PUBLISHERS: dict[str, str] = {
    "huff-post": "Huffington Post",
    "breitbart": "Breitbart",
    "nyt": "New York Times",
    "politico": "Politico",
    "wash-post": "Washington Post",
    "west-journal": "Western Journalism",
    "usa-today": "USA Today",
}

LABEL_SCOPE = (
    "PolNeAR annotates attribution only: sourced_claim comes from its attributions; every other "
    "body/dek sentence is reported_fact with alt_labels ['opinion'] because the corpus does not "
    "tell fact from opinion."
)


def convert(
    src: str | Path,
    split: Iterable[str] | str | None = None,
    *,
    splits: Iterable[str] | str | None = None,
    annotator: str | None = None,
    check_offsets: bool = True,
) -> Iterator[Article]:
    """Convert PolNeAR at ``src`` into article records, split by split, file by file.

    ``split`` (or ``splits``; a name, "train,dev" or a list) picks the splits
    (default: every one of train/dev/test that is present); ``annotator``
    prefers that annotator code where it has a file.
    Layout problems raise :class:`UserError` at call time; with
    ``check_offsets`` an annotation whose stored text does not match the
    article text also raises one.
    """
    found, meta_path = find_splits(src, split_names(split, splits))
    metadata = read_metadata(meta_path)
    docs = [doc for split, folder in found for doc in split_files(split, folder, annotator)]
    return (_convert_doc(doc, metadata.get(doc.stem, {}), check_offsets) for doc in docs)


def _segment(text: str) -> list[Sentence]:
    from saidwho.pipeline.segment import segment_text

    return segment_text(text)


def _convert_doc(doc: ArticleFiles, meta: dict[str, str], check_offsets: bool) -> Article:
    text = read_file(doc.text_path)
    spans, attributions = parse_ann(read_file(doc.ann_path), str(doc.ann_path))
    if check_offsets:
        _check_spans(doc, text, spans)
    publisher = meta.get("publisher") or None
    article = Article(
        id=doc.stem,
        text=text,
        title=meta.get("title") or None,
        outlet=PUBLISHERS.get(publisher, publisher) if publisher else None,
        published=meta.get("publication_date") or None,
    )
    sentences = _segment(text)
    speakers = PolnearSpeakers(text, attributions)
    article.sources = speakers.sources
    pronoun_sentences, no_source_sentences = _label_sentences(sentences, text, attributions, speakers)
    article.sentences = sentences
    article.extra = {
        "corpus": "polnear",
        "split": doc.split,
        "annotator": doc.annotator,
        "label_scope": LABEL_SCOPE,
        "pronoun_speaker_sentences": pronoun_sentences,
        "no_source_sentences": no_source_sentences,
    }
    return article


def _check_spans(doc: ArticleFiles, text: str, spans: dict[str, SpanAnn]) -> None:
    """Every span lies inside the text and stores exactly the text at its offsets."""
    for span in spans.values():
        if any(b > len(text) for _, b in span.fragments):
            raise UserError(f"{doc.ann_path}:{span.line}: span {span.id} runs past the end of {doc.text_path.name}")
        if span_text(text, span.fragments) != span.text:
            raise UserError(
                f"{doc.ann_path}:{span.line}: span {span.id} text {span.text[:40]!r} does not match "
                f"{doc.text_path.name} at {span.fragments[0][0]}"
            )


def _label_sentences(
    sentences: list[Sentence], text: str, attributions: list[PolnearAttribution], speakers: PolnearSpeakers
) -> tuple[list[int], list[int]]:
    """Set label, alt_labels, speaker and spans of every sentence (see the module docstring).

    Returns the indices of the sentences whose speaker came through a pronoun
    and of those attributed without a Source.
    """
    pronoun_sentences: list[int] = []
    no_source_sentences: list[int] = []
    scorer = _Overlap(text)
    for index, sentence in enumerate(sentences):
        sentence.label = None
        sentence.alt_labels = []
        sentence.speaker = None
        sentence.speaker_span = None
        sentence.cue_span = None
        if sentence.kind not in LABELLED_KINDS:
            continue
        found = _best_attribution(sentence, attributions, scorer)
        if found is None:
            sentence.label = "reported_fact"
            sentence.alt_labels = ["opinion"]
            continue
        order, best = found
        sentence.label = "sourced_claim"
        sentence.cue_span = _nearest(best.cue, sentence.start, sentence.end)
        sentence.speaker_span = _nearest(best.source, sentence.start, sentence.end)
        if not best.source:
            sentence.alt_labels = ["reported_fact"]
            no_source_sentences.append(index)
            continue
        speaker, via_pronoun = speakers.speaker_of(order)
        sentence.speaker = speaker
        if via_pronoun:
            pronoun_sentences.append(index)
    return pronoun_sentences, no_source_sentences


def _best_attribution(
    sentence: Sentence, attributions: list[PolnearAttribution], scorer: _Overlap
) -> tuple[int, PolnearAttribution] | None:
    """``(index, attribution)`` overlapping the sentence most: by Content, then Cue, then the earlier one."""
    best = None
    best_key = None
    for order, attr in enumerate(attributions):
        c = scorer.overlap(sentence.start, sentence.end, attr.content)
        q = scorer.overlap(sentence.start, sentence.end, attr.cue)
        if c == 0 and q == 0:
            continue
        key = (c, q, -order)
        if best_key is None or key > best_key:
            best, best_key = (order, attr), key
    return best


class _Overlap:
    """Counts letters/digits of a span list inside [start, end) in O(fragments)."""

    def __init__(self, text: str):
        prefix = [0]
        total = 0
        for ch in text:
            total += ch.isalnum()
            prefix.append(total)
        self.prefix = prefix

    def overlap(self, start: int, end: int, fragments: Fragments) -> int:
        n = 0
        for a, b in fragments:
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                n += self.prefix[hi] - self.prefix[lo]
        return n


def _nearest(fragments: Fragments, start: int, end: int) -> tuple[int, int] | None:
    if not fragments:
        return None

    def distance(frag: tuple[int, int]) -> int:
        a, b = frag
        if b > start and a < end:
            return 0
        return start - b if b <= start else a - end

    return min(fragments, key=lambda f: (distance(f), f[0]))
