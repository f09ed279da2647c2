"""PolNeAR (Political News Attribution Relations) -> saidwho article records.

The package: :mod:`.brat` reads BRAT standoff files, :mod:`.layout` finds the
split folders, texts, annotator files and metadata, :mod:`.mentions` types a
Source mention and finds the name in it, :mod:`.sources` groups an article's
Source mentions into speakers and resolves pronouns, :mod:`.conversion` makes
the records.

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

from saidwho.corpora.polnear.brat import Fragments, PolnearAttribution, SpanAnn, parse_ann, span_text
from saidwho.corpora.polnear.conversion import LABEL_SCOPE, PUBLISHERS, convert
from saidwho.corpora.polnear.layout import (
    CORE_SPLITS,
    article_ids,
    choose_annotator,
    count_attributions,
    find_splits,
    read_metadata,
)
from saidwho.corpora.polnear.mentions import analyse_mention, source_type

__all__ = [
    "CORE_SPLITS",
    "LABEL_SCOPE",
    "PUBLISHERS",
    "Fragments",
    "PolnearAttribution",
    "SpanAnn",
    "analyse_mention",
    "article_ids",
    "choose_annotator",
    "convert",
    "count_attributions",
    "find_splits",
    "parse_ann",
    "read_metadata",
    "source_type",
    "span_text",
]
