"""Where PolNeAR's files are: split folders, each text with its annotators' files, and metadata.tsv."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from saidwho.corpora._common import split_names
from saidwho.errors import UserError
from saidwho.io import read_text

CORE_SPLITS: tuple[str, ...] = ("train", "dev", "test")


@dataclass
class ArticleFiles:
    """One text of a split, with the annotator file the converter uses and every annotator's file."""

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


def split_files(split: str, folder: Path, annotator: str | None) -> list[ArticleFiles]:
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
        docs.append(ArticleFiles(stem, split, text_path, found[code], code, dict(sorted(found.items()))))
    return docs


def read_file(path: Path) -> str:
    """The file as BRAT sees it: UTF-8, newlines untouched, a BOM kept (offsets count it)."""
    return read_text(path, keep_bom=True)


def read_metadata(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    reader = csv.DictReader(io.StringIO(read_file(path), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    if not reader.fieldnames or "filename" not in reader.fieldnames:
        raise UserError(f"{path}: expected a tab-separated table with a 'filename' column")
    return {row["filename"]: row for row in reader}


def article_ids(src: str | Path, split: Iterable[str] | str | None = None) -> list[str]:
    """Ids of the articles :func:`convert` would produce, without converting them."""
    found, _ = find_splits(src, split_names(split))
    return [doc.stem for split, folder in found for doc in split_files(split, folder, None)]


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
    for doc in split_files(name, folder, annotator):
        paths = doc.all_ann.values() if annotators == "all" else [doc.ann_path]
        for path in paths:
            total += sum(1 for line in read_file(path).split("\n") if re.match(r"E\d+\t", line))
    return total
