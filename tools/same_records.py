#!/usr/bin/env python3
"""Check that two record files (JSONL) hold the same records, line by line.

For behaviour-preserving changes (a refactor, a speed-up): score the same
input before and after, then

    python tools/same_records.py before.jsonl after.jsonl [--ignore attribution]

``--ignore FIELD`` drops a sentence field from both sides first (for example
an optional field the change adds). Prints the first differences and exits 1
if any record differs.
"""

from __future__ import annotations

import argparse
import json
import sys


def normalised(line: str, ignore: list[str]) -> dict:
    record = json.loads(line)
    for sentence in record.get("sentences", []):
        for name in ignore:
            sentence.pop(name, None)
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--ignore", action="append", default=[], help="sentence field to leave out of the comparison")
    args = parser.parse_args()
    with open(args.before, encoding="utf-8") as a, open(args.after, encoding="utf-8") as b:
        before, after = a.read().splitlines(), b.read().splitlines()
    if len(before) != len(after):
        print(f"different numbers of records: {len(before)} and {len(after)}")
        return 1
    differing = 0
    for number, (x, y) in enumerate(zip(before, after), start=1):
        old, new = normalised(x, args.ignore), normalised(y, args.ignore)
        if old == new:
            continue
        differing += 1
        if differing <= 3:
            keys = [k for k in old.keys() | new.keys() if old.get(k) != new.get(k)]
            print(f"line {number} ({old.get('id')}): differs in {', '.join(sorted(keys))}")
    print(f"{len(before) - differing}/{len(before)} records identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
