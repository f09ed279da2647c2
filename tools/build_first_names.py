"""Build src/saidwho/data/first_names.tsv from the nomquamgender package (MIT licence).

The list is weak evidence for pronoun resolution only ("she said" after a
"Hanna Vogel"): the article's own titles and pronouns outweigh it. Only
common first names whose recorded usage is at least 90% one way are kept, so
the file stays small and loading it costs milliseconds, not the 3 s and
550 MB of the full 720,000-name table.

    pip install nomquamgender==0.1.4 && python tools/build_first_names.py
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

MIN_COUNT = 2000  # people recorded with the name, summed over sources
MIN_SOURCES = 10  # countries / datasets the name appears in
CONFIDENT = 0.1  # keep p(female) <= 0.1 or >= 0.9 (nomquamgender's own default)

HEADER = """# First names and the gender they are used for (m/f), for pronoun resolution.
# Derived from nomquamgender 0.1.4 (https://github.com/ianvanbuskirk/nomquamgender),
# Copyright (c) 2022 Ian Van Buskirk, MIT licence. Regenerate: tools/build_first_names.py
"""


def main() -> None:
    data = json.loads((importlib.resources.files("nomquamgender") / "name_data.json").read_text(encoding="utf-8"))
    rows = []
    for name, (sources, count, p_female, *_rest) in data.items():
        if not name.isalpha() or not name.isascii() or len(name) < 2:
            continue
        if count < MIN_COUNT or sources < MIN_SOURCES:
            continue
        if p_female <= CONFIDENT:
            rows.append(f"{name}\tm")
        elif p_female >= 1 - CONFIDENT:
            rows.append(f"{name}\tf")
    out = Path(__file__).resolve().parents[1] / "src" / "saidwho" / "data" / "first_names.tsv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(HEADER + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} names -> {out}")


if __name__ == "__main__":
    main()
