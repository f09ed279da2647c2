"""Agreement of two profile annotations on the same articles (issue 22).

    python tools/profile_agreement.py eval/gold/profiles/ann-p2.jsonl ... --second eval/gold/profiles/ann-p5.jsonl

Compares, source by source (same article and source id), each field as
``saidwho eval`` scores it: title after normalisation, category, gender over
persons the first annotator gives evidence for, whether an anonymous source
has a reason, and party. Prints JSON: per field, pairs compared, agreement,
and for category Cohen's kappa.
"""

from __future__ import annotations

import argparse
import json

from sklearn.metrics import cohen_kappa_score

from saidwho.evaluation.tally import normalise_title


def _profiles(paths: list[str]) -> dict[tuple[str, str], dict]:
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for source in record["sources"]:
                    out[(record["id"], source["id"])] = source
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", nargs="+")
    parser.add_argument("--second", nargs="+", required=True)
    args = parser.parse_args()
    first, second = _profiles(args.first), _profiles(args.second)
    keys = sorted(set(first) & set(second))
    fields = {
        "title": lambda p: normalise_title(p.get("title")),
        "category": lambda p: p.get("category"),
        "reason_given": lambda p: p.get("anonymity_reason") is not None,
        "party": lambda p: (p.get("party") or "").lower() or None,
    }
    report = {"articles": len({k[0] for k in keys}), "sources": len(keys)}
    for name, value in fields.items():
        pairs = [(value(first[k]), value(second[k])) for k in keys
                 if name != "reason_given" or first[k].get("gender") is None and "anonymity_reason" in first[k]]
        report[name] = {"pairs": len(pairs), "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 3) if pairs else None}
    gender = [(first[k]["gender"], second[k].get("gender")) for k in keys if first[k].get("gender") in ("female", "male")]
    report["gender"] = {"pairs": len(gender), "agreement": round(sum(a == b for a, b in gender) / len(gender), 3) if gender else None}
    categories = [(first[k]["category"], second[k]["category"]) for k in keys]
    report["category"]["kappa"] = round(cohen_kappa_score(*zip(*categories)), 3) if categories else None
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
