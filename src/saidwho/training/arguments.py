"""The settings of a training run of the learned model, loaded from a TOML file (``configs/*.toml``)."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Self

import tomllib

from saidwho.errors import UserError
from saidwho.paths import shared_data_dir


class TomlArguments:
    """Loading a dataclass of run settings from TOML: unknown keys and values of
    the wrong type are refused, ``${SAIDWHO_DATA}`` expands."""

    @classmethod
    def from_toml(cls, path: str | Path) -> Self:
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{path}: no such config file") from None
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{path}: bad TOML: {exc}") from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise UserError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        # Checked here, against the dataclass's field types: a wrong type
        # would otherwise fail deep inside training, after the data loaded.
        hints = typing.get_type_hints(cls)
        for key, value in raw.items():
            if not _matches(value, hints[key]):
                raise UserError(f"{path}: {key} must be {_describe(hints[key])}, not {value!r}")
        return cls(**raw)

    def data_path(self) -> Path:
        return Path(self.data.replace("${SAIDWHO_DATA}", str(shared_data_dir()))).expanduser()


def _matches(value: Any, expected: Any) -> bool:
    """``value`` (as TOML gives it) fits the field type ``expected``."""
    origin = typing.get_origin(expected)
    if expected is Any:
        return True
    if origin in (types.UnionType, typing.Union):
        return any(_matches(value, option) for option in typing.get_args(expected))
    if origin is list:
        (item,) = typing.get_args(expected) or (Any,)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    if expected is type(None):
        return value is None
    if isinstance(value, bool):  # TOML's true/false are not numbers here
        return expected is bool
    if expected is float:
        return isinstance(value, (int, float))
    return isinstance(value, expected)


def _describe(expected: Any) -> str:
    origin = typing.get_origin(expected)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(option) for option in typing.get_args(expected))
    if origin is list:
        (item,) = typing.get_args(expected) or (Any,)
        return f"a list of {_describe(item).removeprefix('a ').removeprefix('an ')}s" if item is not Any else "a list"
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string", dict: "a table", type(None): "empty"}
    return names.get(origin or expected, getattr(expected, "__name__", str(expected)))


@dataclass
class TrainingArguments(TomlArguments):
    """Everything a training run depends on; loaded from a TOML file and saved with the model."""

    name: str = "minilm-v1"
    data: str = "${SAIDWHO_DATA}"  # folder with polnear/, babe/, checkthat-subjectivity/
    use_polnear: bool = True
    use_babe: bool = True
    use_checkthat: bool = True
    babe_somewhat: str = "drop"  # opinion | fact | drop (see the model card's experiment)
    records: list[str] = field(default_factory=list)  # the project's own record files
    # Training-only stand-off gold (eval/train-extra/ann-h*/polnear.jsonl, paths
    # from the checkout's root, globs allowed); replaces PolNeAR's reading of those texts.
    extra_gold: list[str] = field(default_factory=list)
    extra_gold_articles: int = 0  # 0: all; N: the first N in the draw's order
    # "speech": keep only PolNeAR attributions whose cue is a speech or
    # reporting expression (ANNOTATION.md's sense of sourced); "all": every one.
    polnear_cues: str = "all"
    gold_train_usable: bool = False  # add eval/gold's train_usable articles (needs the PolNeAR texts)
    gold_keep_out: list[str] = field(default_factory=list)  # train-usable ids kept out of training (a dev set)
    use_webis: bool = False  # webis editorials as in-context subjectivity text (assumption = opinion)
    webis_max_articles: int = 0  # 0: all 266 editorials; else a seeded sample
    max_train_articles: int = 0  # 0: all (a small number for smoke runs)
    max_subjectivity_sentences: int = 0
    heldout_fraction: float = 0.05
    max_tokens: int = 192
    trainable_layers: int = 2
    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    span_loss_weight: float = 0.5
    subjectivity_loss_weight: float = 1.0
    patience: int = 1
    seed: int = 13
    threads: int = 0  # 0: torch's default
    checkpoint_every: int = 100  # steps between checkpoints (and one at each epoch's end); 0: epoch ends only
    # Fine-tuning: start from this model's weights and keep its pipeline (a name
    # such as "default", or a folder); replay mixes in that share of its own
    # training data (by labelled sentences) so a few articles do not make it forget.
    init_from: str = ""
    replay: float = 0.0


