"""Pre-fill records for hand annotation: the segmenter's sentences and kinds, nothing else.

    python tools/prefill.py TEXT.txt [TEXT.txt ...] -o records.jsonl [--outlet NAME]

Each text file becomes one record (id = the file's stem, title = its first
line). Body sentences get no label, speaker or source: annotators fill those
in from ANNOTATION.md without seeing any model's predictions, so the gold is
not anchored on the system it scores. Only the segmentation is pre-filled,
as the PolNeAR converter does for PolNeAR texts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from saidwho.io import atomic_writer, read_text
from saidwho.pipeline.core import Pipeline
from saidwho.pipeline.segment import Segmenter
from saidwho.records import Article


def prefill(path: Path, outlet: str | None) -> dict:
    text = read_text(path)
    title = text.strip().splitlines()[0].strip() if text.strip() else None
    article = Pipeline([Segmenter()], name="segment-only")(Article(id=path.stem, text=text, title=title, outlet=outlet))
    record = article.to_dict()
    record["sources"] = []
    for sentence in record["sentences"]:
        sentence.update(label=None, alt_labels=[], speaker=None, speaker_span=None, cue_span=None)
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--outlet", default=None)
    args = parser.parse_args()
    with atomic_writer(args.output) as handle:
        for path in args.texts:
            handle.write(json.dumps(prefill(path, args.outlet), ensure_ascii=False) + "\n")
    print(f"wrote {len(args.texts)} records to {args.output}")


if __name__ == "__main__":
    main()
