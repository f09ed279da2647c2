"""Windows: the learned model's input, cut from articles.

Each article is cut into windows of consecutive labelled sentences (at most
``max_tokens`` word pieces), led by the end of the sentence before the window
as left context and with ``[SEP]`` at paragraph breaks. The window is encoded
once and every sentence's vector is the mean over its own word pieces, so
context costs nothing extra per sentence. Curly quotes are mapped to straight
ones before tokenising (same length, so offsets hold).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from saidwho.models.pieces import QUOTE_FEATURES, TAGS, load_word_pieces
from saidwho.records import Article, Sentence

_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def quote_features(sentence: Sentence) -> list[float]:
    q = sentence.quotes
    first = sentence.layout is not None and sentence.layout.first_in_paragraph
    return [
        float(q.in_quote_start),
        float(q.in_quote_end),
        float(q.quoted_share),
        float(first),
        float(q.quote_open is not None and (q.in_quote_start or q.in_quote_end)),
    ]




@dataclass
class Window:
    """Word pieces of a run of sentences, with each sentence's piece range."""

    article_index: int
    input_ids: list[int]
    offsets: list[tuple[int, int]]  # absolute char offsets per piece ((0, 0) for specials)
    sentence_indices: list[int]  # index into article.sentences, for sentences scored here
    sentence_pieces: list[tuple[int, int]]  # [start, end) piece range of each
    features: list[list[float]] = field(default_factory=list)


def build_windows(articles: list[Article], max_tokens: int = 192, only: set[str] | None = None) -> list[Window]:
    """Cut articles into windows of whole labelled sentences (see module doc).

    ``only`` restricts which sentence kinds are scored (default body and dek).
    """
    tokenizer = load_word_pieces()
    kinds = only or {"body", "dek"}
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    windows: list[Window] = []
    for a_index, article in enumerate(articles):
        labelled = [i for i, s in enumerate(article.sentences) if s.kind in kinds]
        if not labelled:
            continue
        texts = [article.sentence_text(article.sentences[i]).translate(_QUOTE_MAP) for i in labelled]
        piece_ids, piece_offsets = tokenizer(texts)
        pieces = []
        for i, ids, offs in zip(labelled, piece_ids, piece_offsets):
            base = article.sentences[i].start
            budget = max_tokens - 4
            pieces.append((i, ids[:budget], [(base + s, base + e) for s, e in offs[:budget]]))
        position = 0
        while position < len(pieces):
            ids: list[int] = [cls_id]
            offsets: list[tuple[int, int]] = [(0, 0)]
            if position > 0:
                # Left context: the end of the sentence before the window.
                _, ctx_ids, ctx_offs = pieces[position - 1]
                keep = min(len(ctx_ids), max(0, max_tokens // 4))
                ids += ctx_ids[len(ctx_ids) - keep :] + [sep_id]
                offsets += ctx_offs[len(ctx_offs) - keep :] + [(0, 0)]
            window = Window(a_index, ids, offsets, [], [])
            previous_paragraph = None
            while position < len(pieces):
                index, s_ids, s_offs = pieces[position]
                layout = article.sentences[index].layout
                paragraph = layout.paragraph if layout is not None else None
                extra = 1 if previous_paragraph is not None and paragraph != previous_paragraph else 0
                if window.sentence_indices and len(window.input_ids) + extra + len(s_ids) + 1 > max_tokens:
                    break
                if extra:
                    window.input_ids.append(sep_id)
                    window.offsets.append((0, 0))
                start = len(window.input_ids)
                window.input_ids += s_ids
                window.offsets += s_offs
                window.sentence_indices.append(index)
                window.sentence_pieces.append((start, len(window.input_ids)))
                window.features.append(quote_features(article.sentences[index]))
                previous_paragraph = paragraph
                position += 1
            window.input_ids.append(sep_id)
            window.offsets.append((0, 0))
            windows.append(window)
    return windows


def collate_arrays(windows: list[Window]) -> dict[str, np.ndarray]:
    """Pad a batch; sentence pooling as a (sentences × pieces) averaging matrix per window."""
    length = max(len(w.input_ids) for w in windows)
    input_ids = np.zeros((len(windows), length), dtype=np.int64)
    mask = np.zeros((len(windows), length), dtype=np.int64)
    rows = []
    features = []
    for b, w in enumerate(windows):
        input_ids[b, : len(w.input_ids)] = w.input_ids
        mask[b, : len(w.input_ids)] = 1
        for (s, e), f in zip(w.sentence_pieces, w.features):
            rows.append((b, s, max(e, s + 1)))
            features.append(f)
    pool = np.zeros((len(rows), len(windows) * length), dtype=np.float32)
    for r, (b, s, e) in enumerate(rows):
        pool[r, b * length + s : b * length + e] = 1.0 / (e - s)
    return {
        "input_ids": input_ids,
        "attention_mask": mask,
        "pool": pool,
        "features": np.asarray(features, dtype=np.float32).reshape(len(rows), len(QUOTE_FEATURES)),
    }


def collate(windows: list[Window]) -> dict:
    """:func:`collate_arrays` as torch tensors (training and the torch runtime)."""
    import torch

    return {name: torch.from_numpy(array) for name, array in collate_arrays(windows).items()}


def decode_spans(tags: list[int], offsets: list[tuple[int, int]], kind: str) -> list[tuple[int, int]]:
    """Character spans of B-/I- runs of one kind (an I- without B- starts a span too)."""
    begin, inside = TAGS.index(f"B-{kind}"), TAGS.index(f"I-{kind}")
    spans: list[list[int]] = []
    open_span = False
    for tag, (s, e) in zip(tags, offsets):
        if s == e:
            open_span = False
            continue
        if tag == begin or (tag == inside and not open_span):
            spans.append([s, e])
            open_span = True
        elif tag == inside and open_span:
            spans[-1][1] = e
        else:
            open_span = False
    return [(s, e) for s, e in spans]
