"""Write a profile gold set of eval/train-extra as full records, for ``saidwho eval`` (issue 22).

    SAIDWHO_DATA=../shared/data python tools/profile_gold.py eval/train-extra/profiles/test2 -o test2.jsonl
    saidwho eval test2.jsonl -m default --json

FOLDER holds ``profiles.jsonl`` (profiles by article and source id) and
``ids.json`` (a list of article ids, or an object whose "test" is one); the
political build set is ``eval/train-extra`` with ``eval/train-extra/profiles/ids.json``.
The articles are the training-only gold of eval/train-extra (``ann-h1`` ...
``ann-h7``) joined with the PolNeAR texts; the output holds article text, so
keep it out of the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from saidwho.evaluation.goldset import attach_profiles
    from saidwho.io import write_articles
    from saidwho.training.data import extra_gold_articles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--ids", type=Path, help="ids.json (default: FOLDER/ids.json, or FOLDER/profiles/ids.json)")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    if "SAIDWHO_DATA" not in os.environ:
        print("profile_gold: set SAIDWHO_DATA to the folder that holds polnear/", file=sys.stderr)
        return 2
    ids_path = args.ids or next((p for p in (args.folder / "ids.json", args.folder / "profiles" / "ids.json") if p.exists()), None)
    if ids_path is None or not (args.folder / "profiles.jsonl").exists():
        print(f"profile_gold: {args.folder} has no profiles.jsonl and ids.json", file=sys.stderr)
        return 2
    ids = json.loads(ids_path.read_text(encoding="utf-8"))
    wanted = set(ids["test"] if isinstance(ids, dict) else ids)
    polnear = Path(os.environ["SAIDWHO_DATA"]) / "polnear"
    articles = [a for a in extra_gold_articles(["eval/train-extra/ann-h[1-7]/*.jsonl"], polnear) if a.id in wanted]
    articles = attach_profiles(args.folder, articles)
    count = write_articles(args.output, articles)
    profiled = sum(1 for a in articles for s in a.sources if s.profile)
    print(f"wrote {count} articles ({profiled} sources with profiles) to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
