"""Converters from public corpora to saidwho records.

Each converter is ``convert(src, **options) -> Iterator[Article]``; layout
problems (missing path, wrong folder, missing columns) raise
:class:`~saidwho.errors.UserError` when ``convert`` is called, problems
inside a file when that record is reached. The mappings are documented in
each module and in docs/corpora.md.

============  =====================================================  =========================
name          module                                                 options
============  =====================================================  =========================
polnear       :mod:`saidwho.corpora.polnear`                         ``split``, ``annotator``
babe          :mod:`saidwho.corpora.babe`                            ``somewhat``
checkthat     :mod:`saidwho.corpora.checkthat`                       ``split``
webis         :mod:`saidwho.corpora.webis`                           ``other``
============  =====================================================  =========================
"""

from __future__ import annotations

import inspect

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from saidwho.corpora import babe, checkthat, polnear, webis
from saidwho.errors import UserError
from saidwho.records import Article

__all__ = ["CONVERTERS", "convert_corpus"]

CONVERTERS: dict[str, Callable[..., Iterator[Article]]] = {
    "polnear": polnear.convert,
    "babe": babe.convert,
    "checkthat": checkthat.convert,
    "webis": webis.convert,
}


def convert_corpus(name: str, src: str | Path, **options: Any) -> Iterator[Article]:
    """Records of corpus ``name`` read from ``src``; unknown names, paths or options raise UserError.

    Options with the value None are ignored, so a CLI can pass its optional
    flags through unchanged.
    """
    converter = CONVERTERS.get(name)
    if converter is None:
        raise UserError(f"unknown corpus {name!r}: choose one of {', '.join(CONVERTERS)}")
    path = Path(src)
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    options = {key: value for key, value in options.items() if value is not None}
    accepted = inspect.signature(converter).parameters
    for key in options:
        if key not in accepted or key == "src":
            usable = [p for p in accepted if p != "src"]
            raise UserError(
                f"{name}: option {key!r} does not apply (options: {', '.join(usable) or 'none'})"
            )
    return converter(path, **options)
