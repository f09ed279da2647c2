"""PolNeAR (Political News Attribution Relations) -> saidwho article records.

Input: the upstream layout of networkdynamics/PolNeAR. ``src`` may be

- the repository root (holding ``data/``),
- the ``data`` folder or a copy of it (holding ``train/``, ``dev/``, ``test/``
  and ``metadata.tsv``), or
- one split folder (holding ``text/`` and ``attributions/``; its metadata is
  read from ``../metadata.tsv`` when that exists).

Each split folder has ``text/NAME.txt`` and one or more
``attributions/NAME_CODE.ann`` (BRAT standoff, one per annotator code).

Mapping (also in docs/corpora.md):

- One record per text file: ``id`` = the file stem, ``text`` = the file read
  as UTF-8 with ``newline=""`` (BRAT offsets are code-point offsets into
  exactly that string), ``title``/``outlet``/``published`` from
  ``metadata.tsv`` (``outlet`` is the publisher's name, e.g. "Breitbart" for
  ``breitbart``). Extra fields: ``corpus`` ("polnear"), ``split``,
  ``annotator`` (the code whose file was used), ``label_scope`` (see below),
  ``pronoun_speaker_sentences`` and ``no_source_sentences``.
- Annotator choice: where several annotators' files exist for one text (16
  train and 2 dev articles, used for agreement checks), the file with the
  lexicographically smallest annotator code is used. metadata.tsv lists the
  annotators in that same sorted order, so this is also "the first listed".
  ``annotator="CODE"`` prefers another code where that annotator's file
  exists. With the default rule train has 19,868 attributions (E lines);
  counted over every annotator file, as :func:`count_attributions` does with
  ``annotators="all"``, train has 22,501.
- Segments come from :func:`saidwho.pipeline.segment.segment_text`. Only ``body`` and
  ``dek`` segments are labelled, the others get ``label: null``.
- A body/dek sentence that overlaps (by at least one letter or digit) the
  Content or Cue span of an attribution is a ``sourced_claim``. When it
  overlaps several, the attribution whose Content overlaps it most wins (then
  the larger Cue overlap, then the earlier attribution). ``speaker_span`` is
  the Source fragment nearest the sentence, ``cue_span`` the nearest Cue
  fragment. ``Content2`` roles (content shared with a neighbouring
  attribution) count as Content.
- Attributions of type ``Attribution-no-source`` ("has been
  well-documented", "one view is") have no Source: the sentence is a
  ``sourced_claim`` with ``speaker: null`` and ``alt_labels:
  ["reported_fact"]``; its index is listed in ``no_source_sentences``.
- Unattributed body/dek sentences: PolNeAR annotates attribution only, not
  fact against opinion, so they are ``reported_fact`` with ``alt_labels:
  ["opinion"]`` (the record's ``label_scope`` says so). Use them to learn
  "sourced or not", not "fact or opinion".
- Sources: one entry per distinct speaker. Each non-pronoun Source mention
  is reduced to a core: the name inside a described person ("Sanders
  campaign manager Jeff Weaver" -> "Jeff Weaver", "Hicks, his spokeswoman"
  -> "Hicks"), else the mention without a possessive ending. Cores are
  grouped by :func:`saidwho.names.normalise_name` (a "Jr."/"Sr." suffix keeps
  a son apart); "Donald J. Trump" joins "Donald Trump" (same first and last
  token); a one-word person name ("Trump") joins the fuller name with that
  surname (or first name), the most recently mentioned one when there are
  several, else the most frequent, else stands alone. Descriptions ("the
  senator", "the campaign") are not linked to names.
- Pronoun Sources are resolved: first-person pronouns ("I", "we") inside the
  Content of another attribution take that attribution's speaker (the "I"
  inside a quotation is whoever is quoted); relative pronouns ("who",
  "which", "that") take a capitalised name written just before them
  ("Sen. Lindsey Graham, who ..."); otherwise the nearest preceding
  non-pronoun Source mention of a fitting type (person for he/she/I, group
  or organisation for they/we, organisation or document for it/which), then
  the nearest preceding of any type, then the nearest following. Sentences
  whose Source mention is a pronoun are listed in
  ``pronoun_speaker_sentences`` (indices into ``sentences``). Second-person
  pronouns ("you") are generic or the addressee and stay unresolved, as does
  a pronoun with no named Source anywhere in the article: ``speaker: null``.
- Source type (:func:`analyse_mention`): ``person`` when the mention opens
  with a full name ("Erin Murphy, a former Clinton aide"); else ``anonymous``
  when a hearsay word appears (sources, officials, critics, aides, experts,
  some, many, others, reports, ...); ``person`` when the head of the mention ends in a
  capitalised name that is not an organisation word; ``document`` when the
  head noun is report-like (report, poll, study, statement, ad, ...);
  ``unknown`` when the head noun names a person by role ("the GOP nominee",
  "a spokeswoman for ..."); ``organization`` for organisation words
  (campaign, committee, department, party, news, times, ...) or acronyms
  (CNN, FBI); ``unknown`` otherwise. ``name`` is the fullest form (for a
  person known only by surname, the most frequent "First Last" the article
  writes), ``aliases`` the other forms seen (no pronouns).
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from saidwho.corpora._common import split_names
from saidwho.errors import UserError
from saidwho.io import read_text
from saidwho.lexicon import CONVERTER_ANONYMOUS_WHOLE as _ANON_WHOLE
from saidwho.lexicon import CONVERTER_ANONYMOUS_WORDS as _ANON_WORDS
from saidwho.lexicon import CONVERTER_DOCUMENT_WORDS as _DOCUMENT_WORDS
from saidwho.lexicon import CONVERTER_NAME_SUFFIXES as _SUFFIX_WORDS
from saidwho.lexicon import CONVERTER_ORG_WORDS as _ORG_WORDS
from saidwho.lexicon import CONVERTER_PERSON_NOUNS as _PERSON_NOUNS
from saidwho.lexicon import CONVERTER_TITLE_WORDS as _TITLE_WORDS
from saidwho.lexicon import FIRST_PERSON as _FIRST_PERSON
from saidwho.lexicon import OTHER_PRONOUN_WORDS as _EXTRA_PRONOUNS
from saidwho.lexicon import PERSON_PRONOUNS as _PERSON_PRONOUNS
from saidwho.lexicon import PLURAL_PRONOUNS as _GROUP_PRONOUNS
from saidwho.lexicon import RELATIVE_PRONOUNS as _RELATIVE
from saidwho.lexicon import SECOND_PERSON as _SECOND_PERSON
from saidwho.lexicon import THING_PRONOUNS as _THING_PRONOUNS
from saidwho.names import is_pronoun, name_tokens, normalise_name
from saidwho.records import LABELLED_KINDS, Article, Sentence, Source

__all__ = [
    "CORE_SPLITS",
    "PolnearAttribution",
    "SpanAnn",
    "analyse_mention",
    "article_ids",
    "choose_annotator",
    "convert",
    "count_attributions",
    "find_splits",
    "parse_ann",
]

CORE_SPLITS: tuple[str, ...] = ("train", "dev", "test")

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

Fragments = list[tuple[int, int]]


# ------------------------------------------------------------------ BRAT parsing


@dataclass
class SpanAnn:
    """A BRAT text-bound annotation (``T`` line)."""

    id: str
    type: str
    fragments: Fragments
    text: str
    line: int


@dataclass
class PolnearAttribution:
    """A PolNeAR attribution relation: an ``E`` line with its role spans resolved.

    Corpus input only; the pipeline's attribution is :class:`saidwho.records.Attribution`.
    """

    id: str
    type: str  # "Attribution" or "Attribution-no-source"
    source: Fragments = field(default_factory=list)
    cue: Fragments = field(default_factory=list)
    content: Fragments = field(default_factory=list)
    line: int = 0


_NEW_ANNOTATION = re.compile(r"(?:[TEARNM]\d+|#\d*)\t")
_T_BODY = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)$")


def parse_ann(content: str, name: str = "<ann>") -> tuple[dict[str, SpanAnn], list[PolnearAttribution]]:
    """Parse BRAT standoff text into text-bound annotations and attributions.

    A ``T`` line's text may continue on following lines (span text with a
    newline in it): a new annotation starts only with ``T1<TAB>``,
    ``E1<TAB>``, ``A1<TAB>``, ``R1<TAB>``, ``N1<TAB>``, ``M1<TAB>`` or ``#``.
    Malformed lines raise :class:`UserError` naming the file and line.
    """
    spans: dict[str, SpanAnn] = {}
    events: list[tuple[int, str, str]] = []
    last_t: SpanAnn | None = None
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's final newline ends the last line, it is not span text
    for number, line in enumerate(lines, start=1):
        if not _NEW_ANNOTATION.match(line):
            if last_t is not None:
                last_t.text += "\n" + line
            elif line.strip():
                raise UserError(f"{name}:{number}: not a BRAT annotation line: {line[:60]!r}")
            continue
        last_t = None
        ann_id, _, rest = line.partition("\t")
        if ann_id.startswith("T"):
            body, _, span_text = rest.partition("\t")
            m = _T_BODY.match(body)
            if not m:
                raise UserError(f"{name}:{number}: bad text-bound annotation: {line[:60]!r}")
            fragments = []
            for part in m.group(2).split(";"):
                a, b = part.split()
                fragments.append((int(a), int(b)))
            if any(a > b for a, b in fragments):
                raise UserError(f"{name}:{number}: span end before start: {line[:60]!r}")
            last_t = SpanAnn(ann_id, m.group(1), fragments, span_text, number)
            spans[ann_id] = last_t
        elif ann_id.startswith("E"):
            events.append((number, ann_id, rest))
    attributions = []
    for number, ann_id, rest in events:
        args = rest.split("\t")[0].split()
        if not args or ":" not in args[0]:
            raise UserError(f"{name}:{number}: bad event line: {ann_id}\t{rest[:60]!r}")
        event_type = args[0].split(":", 1)[0]
        attr = PolnearAttribution(ann_id, event_type, line=number)
        for arg in args:
            role, _, target = arg.partition(":")
            if role == event_type:
                continue
            span = spans.get(target)
            if span is None:
                raise UserError(f"{name}:{number}: {ann_id} refers to missing annotation {target!r}")
            role = role.rstrip("0123456789")  # Content2 -> Content
            if role == "Source":
                attr.source.extend(span.fragments)
            elif role == "Cue":
                attr.cue.extend(span.fragments)
            elif role == "Content":
                attr.content.extend(span.fragments)
        for frags in (attr.source, attr.cue, attr.content):
            frags.sort()
        attributions.append(attr)
    return spans, attributions


def span_text(text: str, fragments: Fragments) -> str:
    """The text BRAT stores for a span: its fragments joined by one space."""
    return " ".join(text[a:b] for a, b in fragments)


# ------------------------------------------------------------------ layout


@dataclass
class _Doc:
    stem: str
    split: str
    text_path: Path
    ann_path: Path
    annotator: str
    all_ann: dict[str, Path]


def find_splits(src: str | Path, splits: Iterable[str] | None = None) -> tuple[list[tuple[str, Path]], Path | None]:
    """Resolve ``src`` to ``[(split_name, split_folder), ...]`` and the metadata.tsv path.

    Raises :class:`UserError` when ``src`` does not look like PolNeAR.
    """
    src = Path(src)
    if not src.exists():
        raise UserError(f"{src}: no such file or folder")
    if not src.is_dir():
        raise UserError(f"{src}: expected the PolNeAR folder (holding data/, or train/ and dev/), got a file")
    wanted = None if splits is None else [splits] if isinstance(splits, str) else list(splits)

    def is_split(folder: Path) -> bool:
        return (folder / "text").is_dir() and (folder / "attributions").is_dir()

    if is_split(src):
        if wanted is not None and src.name not in wanted:
            raise UserError(f"{src}: this is the {src.name!r} split folder, but splits {wanted} were asked for")
        meta = src.parent / "metadata.tsv"
        return [(src.name, src)], meta if meta.is_file() else None
    root = src / "data" if (src / "data").is_dir() and not any(is_split(src / s) for s in CORE_SPLITS) else src
    present = [s for s in CORE_SPLITS if is_split(root / s)]
    if wanted is None:
        chosen = present
    else:
        missing = [s for s in wanted if not is_split(root / s)]
        if missing:
            raise UserError(f"{root}: no PolNeAR split folder {missing[0]!r} (with text/ and attributions/) here")
        chosen = wanted
    if not chosen:
        raise UserError(
            f"{src}: not a PolNeAR folder: expected data/{{train,dev,test}}/{{text,attributions}}/, "
            "a folder holding train/ and dev/, or one split folder"
        )
    meta = root / "metadata.tsv"
    return [(s, root / s) for s in chosen], meta if meta.is_file() else None


def choose_annotator(codes: Iterable[str], prefer: str | None = None) -> str:
    """The documented rule: ``prefer`` if given and present, else the smallest code."""
    codes = sorted(codes)
    if prefer and prefer in codes:
        return prefer
    return codes[0]


def _split_docs(split: str, folder: Path, annotator: str | None) -> list[_Doc]:
    anns: dict[str, dict[str, Path]] = {}
    for path in (folder / "attributions").glob("*.ann"):
        stem, sep, code = path.stem.rpartition("_")
        if sep:
            anns.setdefault(stem, {})[code] = path
    docs = []
    for text_path in sorted((folder / "text").glob("*.txt")):
        stem = text_path.stem
        found = anns.get(stem)
        if not found:
            raise UserError(f"{text_path}: no attributions/{stem}_CODE.ann file for this text")
        code = choose_annotator(found, annotator)
        docs.append(_Doc(stem, split, text_path, found[code], code, dict(sorted(found.items()))))
    return docs


def _read(path: Path) -> str:
    """The file as BRAT sees it: UTF-8, newlines untouched, a BOM kept (offsets count it)."""
    return read_text(path, keep_bom=True)


def read_metadata(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    reader = csv.DictReader(io.StringIO(_read(path), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    if not reader.fieldnames or "filename" not in reader.fieldnames:
        raise UserError(f"{path}: expected a tab-separated table with a 'filename' column")
    return {row["filename"]: row for row in reader}


def article_ids(src: str | Path, split: Iterable[str] | str | None = None) -> list[str]:
    """Ids of the articles :func:`convert` would produce, without converting them."""
    found, _ = find_splits(src, split_names(split))
    return [doc.stem for split, folder in found for doc in _split_docs(split, folder, None)]


def count_attributions(
    src: str | Path, split: str = "train", annotators: str = "chosen", annotator: str | None = None
) -> int:
    """Number of attributions (``E`` lines) in one split.

    ``annotators="chosen"`` counts the file the converter uses for each text
    (see :func:`choose_annotator`); ``"all"`` counts every annotator's file.
    """
    if annotators not in ("chosen", "all"):
        raise UserError(f"annotators must be 'chosen' or 'all', not {annotators!r}")
    (name, folder), = find_splits(src, [split])[0]
    total = 0
    for doc in _split_docs(name, folder, annotator):
        paths = doc.all_ann.values() if annotators == "all" else [doc.ann_path]
        for path in paths:
            total += sum(1 for line in _read(path).split("\n") if re.match(r"E\d+\t", line))
    return total


# ------------------------------------------------------------------ conversion


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
    docs = [doc for split, folder in found for doc in _split_docs(split, folder, annotator)]
    return (_convert_doc(doc, metadata.get(doc.stem, {}), check_offsets) for doc in docs)


def _segment(text: str) -> list[Sentence]:
    from saidwho.pipeline.segment import segment_text

    return segment_text(text)


def _convert_doc(doc: _Doc, meta: dict[str, str], check_offsets: bool) -> Article:
    text = _read(doc.text_path)
    spans, attributions = parse_ann(_read(doc.ann_path), str(doc.ann_path))
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
    speakers = _PolnearSpeakers(text, attributions)
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


def _check_spans(doc: _Doc, text: str, spans: dict[str, SpanAnn]) -> None:
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
    sentences: list[Sentence], text: str, attributions: list[PolnearAttribution], speakers: _PolnearSpeakers
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


# ------------------------------------------------------------------ sources

def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w’'.-]+", text)


def _strip_possessive(text: str) -> str:
    return re.sub(r"(?<=\w)['’]s?$", "", text.strip())


def _folded_words(text: str) -> list[str]:
    return [w.lower().strip(".’'") for w in re.findall(r"[\w’'.-]+", text)]


def _is_pronoun_mention(text: str) -> bool:
    stripped = text.strip().strip(".,;:!?\"'“”‘’")
    return is_pronoun(stripped) or stripped.lower() in _EXTRA_PRONOUNS


_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today yesterday tonight""".split()
)
_PARTICLES = frozenset({"de", "van", "von", "da", "del", "la", "le", "bin", "al", "di", "du"})

_PREPOSITIONS = frozenset({"on", "for", "at", "in", "from", "with", "to", "by", "about", "against"})


def _is_acronym(token: str) -> bool:
    bare = token.replace(".", "")
    return len(bare) >= 2 and bare.isalpha() and bare.isupper()


def _person_name(part: str) -> str | None:
    """The trailing capitalised name in ``part``: "Republican candidate Donald Trump" -> "Donald Trump"."""
    tokens = _tokens(part)
    if not tokens or " and " in f" {part} " or "&" in part:
        return None
    run: list[str] = []
    i = len(tokens)
    while i > 0 and tokens[i - 1].lower().strip(".") in _SUFFIX_WORDS and len(tokens) > 1:
        i -= 1
    suffix = tokens[i:]
    while i > 0:
        token = tokens[i - 1]
        low = token.lower().strip(".’'")
        if low in _PARTICLES and run:
            run.insert(0, token)
            i -= 1
            continue
        if not token[:1].isupper() or low in _ORG_WORDS or low in _TITLE_WORDS or low in _ANON_WORDS:
            break
        if low in _PERSON_NOUNS:
            break
        if run and token.endswith(".") and len(token.strip(".")) > 1:
            break  # "Trump. Scheiderman": a sentence ended between them
        if low in _DOCUMENT_WORDS or low in _NOT_NAMES or _is_acronym(token) or low in {"the", "a", "an"}:
            break
        run.insert(0, token)
        i -= 1
    while run and run[0].lower() in _PARTICLES:
        run.pop(0)
    if i > 0 and run and tokens[i - 1].lower() in _PREPOSITIONS:
        return None  # "Commission on Presidential Debates": the run names a thing
    if not run or (len(run) == 1 and len(run[0].strip(".")) <= 1):
        return None
    if len(run) > 4:
        return None
    # The run must end the part (apart from a suffix): "the Clinton campaign" has no name.
    return " ".join(run + suffix)


def analyse_mention(text: str) -> tuple[str, str]:
    """``(core, type)`` of a Source mention.

    ``type`` is person / organization / document / anonymous / unknown;
    ``core`` is the name inside a described person ("Sanders campaign
    manager Jeff Weaver" -> "Jeff Weaver", "Hicks, his spokeswoman," ->
    "Hicks"), else the mention without a possessive ending.
    """
    form = _strip_possessive(text.strip().strip(",;:—–-").strip())
    words = _folded_words(form)
    if not words:
        return form, "unknown"
    parts = [p.strip() for p in re.split(r",|\(|\)| -- | — | – ", form) if p.strip()]
    # A named person described with a hearsay word is still that person:
    # "Erin Murphy, a former Clinton aide who ..." is Erin Murphy.
    first_name = _person_name(_strip_possessive(parts[0])) if parts else None
    if first_name and len(first_name.split()) >= 2:
        return first_name, "person"
    if " ".join(words) in _ANON_WHOLE or any(w in _ANON_WORDS for w in words):
        return form, "anonymous"
    for part in parts:
        # Only the head of a part can hold the speaker's name: "A spokeswoman
        # for Hillary Clinton" is not Clinton, "The Commission on Presidential
        # Debates" is no person; after "of" a full name may follow a title
        # ("Secretary of State John Kerry").
        part = re.split(r"\s+(?:for|at|in|from|with|to|by|on|about|against|who|that)\s+", part)[0]
        for number, piece in enumerate(re.split(r"\s+of\s+", part)):
            name = _person_name(_strip_possessive(piece))
            # After "of" a lone word is more often an organisation ("CEO of Hewlett-Packard").
            if name and (number == 0 or len(name.split()) >= 2):
                return name, "person"
    # The head of the first part decides between document, organisation and a
    # description: "a spokesman for the campaign" is not the campaign.
    head_text = re.split(r"\s+(?:for|of|at|with|from|in|on|to|who|that)\s+", parts[0] if parts else form)[0]
    head = _folded_words(head_text)
    if head and head[-1] in _DOCUMENT_WORDS:
        return form, "document"
    if head and (head[-1] in _PERSON_NOUNS or head[-1] in _TITLE_WORDS):
        return form, "unknown"
    if any(w in _ORG_WORDS for w in head) or any(_is_acronym(t) for t in _tokens(head_text)):
        return form, "organization"
    return form, "unknown"


def source_type(text: str) -> str:
    """person / organization / document / anonymous / unknown for a Source mention."""
    return analyse_mention(text)[1]


def _key(core: str, kind: str) -> str:
    """Grouping key: the normalised name; a "Jr."/"Sr." suffix keeps a son apart from his father."""
    key = normalise_name(core) or core.lower()
    if kind == "person":
        last = core.split()[-1].lower().strip(".") if core.split() else ""
        if last in _SUFFIX_WORDS and not key.endswith(last):
            key = f"{key} {last}"
    return key


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    attr_index: int


@dataclass
class _Cluster:
    id: str
    type: str
    forms: list[str] = field(default_factory=list)
    cores: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    last_tokens: set[str] = field(default_factory=set)
    first_tokens: set[str] = field(default_factory=set)
    count: int = 0
    first: int = -1

    def add(self, form: str, key: str, position: int, core: str) -> None:
        if self.first < 0 or position < self.first:
            self.first = position
        if form not in self.forms:
            self.forms.append(form)
        if core not in self.cores:
            self.cores.append(core)
        self.keys.add(key)
        self.count += 1
        toks = key.split()
        if len(toks) >= 2:
            self.last_tokens.add(toks[-1])
            self.first_tokens.add(toks[0])


class _PolnearSpeakers:
    """Groups a PolNeAR article's Source mentions into sources and resolves pronouns.

    Works on the gold Source spans; the pipeline's speaker step is
    :class:`saidwho.pipeline.speakers.SpeakerResolver`.
    """

    def __init__(self, text: str, attributions: list[PolnearAttribution]):
        self.text = text
        self.attributions = attributions
        self.clusters: list[_Cluster] = []
        # attribution index -> (cluster or None, reached through a pronoun)
        self.resolved: dict[int, tuple[_Cluster | None, bool]] = {}
        self.named: list[tuple[int, _Cluster]] = []  # (mention start, cluster), sorted
        mentions = []
        for index, attr in enumerate(attributions):
            if attr.source:
                a, b = attr.source[0][0], attr.source[-1][1]
                mentions.append(_Mention(a, b, span_text(text, attr.source), index))
        mentions.sort(key=lambda m: (m.start, m.attr_index))
        self.pronouns: list[_Mention] = []
        names: list[_Mention] = []
        for m in mentions:
            (self.pronouns if _is_pronoun_mention(m.text) else names).append(m)
        self._cluster_names(names)
        self.named.sort(key=lambda item: item[0])
        self._named_starts = [s for s, _ in self.named]
        for m in self.pronouns:
            self._resolve(m.attr_index, set())
        self.sources = self._build_sources()

    # -- names

    def _cluster_names(self, names: list[_Mention]) -> None:
        by_key: dict[str, _Cluster] = {}
        singles: list[tuple[_Mention, str, str, str]] = []
        for m in names:
            form = _strip_possessive(m.text.strip().strip(",;:"))
            core, kind = analyse_mention(m.text)
            key = _key(core, kind)
            if kind == "person" and len(key.split()) == 1:
                singles.append((m, form, core, key))
                continue
            cluster = by_key.get(key)
            if cluster is None and kind == "person":
                cluster = self._match_full_name(key)
            if cluster is None:
                cluster = self._new_cluster(kind)
            cluster.add(form, key, m.start, core)
            by_key[key] = cluster
            self._set(m, cluster)
        for m, form, core, key in singles:
            cluster = by_key.get(key)
            if cluster is None:
                cluster = self._match_single(key, m.start)
            if cluster is None:
                cluster = self._new_cluster("person")
            cluster.add(form, key, m.start, core)
            by_key.setdefault(key, cluster)
            self._set(m, cluster)

    def _new_cluster(self, kind: str) -> _Cluster:
        cluster = _Cluster(id="", type=kind)
        self.clusters.append(cluster)
        return cluster

    def _set(self, m: _Mention, cluster: _Cluster) -> None:
        self.resolved[m.attr_index] = (cluster, False)
        self.named.append((m.start, cluster))

    def _match_full_name(self, key: str) -> _Cluster | None:
        """"Donald J. Trump" joins "Donald Trump": same first and last token."""
        toks = key.split()
        if len(toks) < 2:
            return None
        for cluster in self.clusters:
            if cluster.type != "person":
                continue
            for other in cluster.keys:
                o = other.split()
                if len(o) >= 2 and o[0] == toks[0] and o[-1] == toks[-1]:
                    return cluster
        return None

    def _match_single(self, token: str, position: int) -> _Cluster | None:
        """A one-word person name joins a fuller name with that surname (or first name)."""
        for attr in ("last_tokens", "first_tokens"):
            candidates = [c for c in self.clusters if c.type == "person" and token in getattr(c, attr)]
            if not candidates:
                continue
            if len(candidates) == 1:
                return candidates[0]
            before = [(s, c) for s, c in self.named if s < position and c in candidates]
            if before:
                return max(before, key=lambda item: item[0])[1]
            return max(candidates, key=lambda c: c.count)
        return None

    # -- pronouns

    def _resolve(self, index: int, seen: set[int]) -> tuple[_Cluster | None, bool]:
        if index in self.resolved:
            return self.resolved[index]
        if index in seen:
            return (None, True)
        seen.add(index)
        attr = self.attributions[index]
        start, end = attr.source[0][0], attr.source[-1][1]
        word = span_text(self.text, attr.source).strip().strip(".,;:!?\"'“”‘’").lower()
        cluster: _Cluster | None = None
        if word in _SECOND_PERSON:
            # "you" as a Source is generic or the addressee: left unresolved.
            self.resolved[index] = (None, True)
            return self.resolved[index]
        if word in _FIRST_PERSON:
            outer = self._enclosing(index, start, end)
            if outer is not None and self.attributions[outer].source:
                cluster = self._resolve(outer, seen)[0]
        if cluster is None and word in _RELATIVE:
            cluster = self._antecedent(start, word)
        if cluster is None:
            cluster = self._preceding(start, word)
        self.resolved[index] = (cluster, True)
        return self.resolved[index]

    def _enclosing(self, index: int, start: int, end: int) -> int | None:
        best = None
        best_len = None
        for other, attr in enumerate(self.attributions):
            if other == index:
                continue
            for a, b in attr.content:
                if a <= start and end <= b:
                    if best_len is None or b - a < best_len:
                        best, best_len = other, b - a
        return best

    _NAME_BEFORE = re.compile(
        r"((?:(?:[A-Z][\w’'.-]*|of|the|de|van|von)\s+)*[A-Z][\w’'.-]*)\s*,?\s*$"
    )

    def _antecedent(self, start: int, word: str) -> _Cluster | None:
        window = self.text[max(0, start - 80) : start]
        m = self._NAME_BEFORE.search(window)
        if not m:
            return None
        form = _strip_possessive(m.group(1).strip())
        if _is_pronoun_mention(form):
            return None
        core, kind = analyse_mention(form)
        allowed = {"person", "organization"} if word in {"who", "whom", "whose"} else {"organization", "document"}
        if kind not in allowed:
            return None
        key = _key(core, kind)
        for cluster in self.clusters:
            if key in cluster.keys:
                cluster.add(form, key, start, core)
                return cluster
        cluster = None
        if kind == "person":
            cluster = self._match_full_name(key) if len(key.split()) > 1 else self._match_single(key, start)
        if cluster is None:
            cluster = self._new_cluster(kind)
        cluster.add(form, key, start, core)
        return cluster

    def _preceding(self, start: int, word: str) -> _Cluster | None:
        if word in _PERSON_PRONOUNS:
            fits = {"person"}
        elif word in _GROUP_PRONOUNS:
            fits = {"organization", "anonymous", "unknown"}
        elif word in _THING_PRONOUNS:
            fits = {"organization", "document"}
        else:
            fits = set()
        i = bisect.bisect_left(self._named_starts, start)
        before = self.named[:i]
        for _, cluster in reversed(before):
            if cluster.type in fits:
                return cluster
        if before:
            return before[-1][1]
        if i < len(self.named):
            return self.named[i][1]
        return None

    def speaker_of(self, index: int) -> tuple[str | None, bool]:
        cluster, via_pronoun = self.resolved.get(index, (None, False))
        return (cluster.id if cluster else None), via_pronoun

    # -- output

    def _fuller_name(self, single: str) -> str | None:
        """The most frequent "First Last" the article writes for a one-word name, if any."""
        token = single.split()[-1]
        pattern = re.compile(r"((?:(?:[A-Z][\w’'-]*|[A-Z]\.)\s+){1,3})" + re.escape(token) + r"\b")
        counts: Counter = Counter()
        first: dict[str, int] = {}
        for m in pattern.finditer(self.text):
            name = _person_name(m.group(0))
            if name and len(name.split()) >= 2 and name.split()[-1] == token:
                counts[name] += 1
                first.setdefault(name, m.start())
        if not counts:
            return None
        return max(counts, key=lambda n: (counts[n], -first[n]))

    def _build_sources(self) -> list[Source]:
        used = sorted((c for c in self.clusters if c.forms), key=lambda c: c.first)
        sources = []
        for number, cluster in enumerate(used, start=1):
            cluster.id = f"s{number}"
            forms = cluster.cores if cluster.type == "person" else cluster.forms
            name = max(forms, key=lambda f: (len(name_tokens(f)), -len(f), -forms.index(f)))
            if cluster.type == "person" and len(name_tokens(name)) == 1:
                fuller = self._fuller_name(name)
                if fuller:
                    cluster.cores.append(name)
                    name = fuller
            aliases = []
            for form in cluster.forms + cluster.cores:
                if form != name and form not in aliases and not _is_pronoun_mention(form):
                    aliases.append(form)
            sources.append(Source(id=cluster.id, name=name, type=cluster.type, aliases=aliases))
        return sources
