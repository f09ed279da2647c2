"""The project's hand-annotated evaluation set (eval/gold/), joined with the PolNeAR texts.

Layout of ``eval/gold/``:

- ``team.jsonl``: articles written by the team, full records with their text.
- ``polnear.jsonl``: stand-off records for PolNeAR articles (dev, and some
  train articles, which only ``train_usable`` may list). The texts are
  copyrighted and stay outside the repository, so these records carry no
  ``text`` (and no sentence ``text``) but ``polnear_file`` (the text's path
  relative to the PolNeAR folder) and ``text_sha256``; :func:`load_gold`
  joins them with the text from a PolNeAR folder and fails loudly where the
  text has changed.
- ``split.json``: which PolNeAR articles training may use (``train_usable``)
  and which articles, PolNeAR or team-written, only evaluation may use
  (``eval_only``). Nothing is tuned on the eval-only part; the ``team`` part
  leaves out the team articles listed there.
- ``second/polnear.jsonl``: an independent second annotation of some
  articles, for agreement figures (:mod:`saidwho.evaluation.agreement`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from saidwho.errors import UserError
from saidwho.io import article_from_dict_checked, atomic_writer, iter_jsonl_dicts, read_text
from saidwho.records import Article, SourceProfile

PARTS = ("all", "eval_only", "train_usable", "team", "polnear")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_standoff(article: Article, polnear_file: str) -> dict:
    """A record without the copyrighted text: offsets, labels, sources, and the text's hash."""
    record = article.to_dict(include_sentence_text=False)
    del record["text"]
    record["polnear_file"] = polnear_file
    record["text_sha256"] = text_sha256(article.text)
    return record


def write_standoff(path: str | Path, records: list[dict]) -> None:
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def find_polnear_root(path: str | Path) -> Path:
    """The folder holding ``dev/text`` (accepts the repo root, ``data/`` or the folder itself)."""
    path = Path(path)
    for candidate in (path, path / "data"):
        if (candidate / "dev" / "text").is_dir():
            return candidate
    raise UserError(f"{path}: not a PolNeAR folder (expected dev/text/ under it or under data/)")


def load_standoff(path: str | Path, polnear: str | Path | None) -> list[Article]:
    """Join stand-off records with their PolNeAR texts; a changed or missing text is an error."""
    if polnear is None:
        raise UserError(
            f"{path}: stand-off gold needs the PolNeAR texts: pass --polnear PATH or set SAIDWHO_DATA"
        )
    root = find_polnear_root(polnear)
    articles = []
    for number, record in iter_jsonl_dicts(path):
        where = f"{path}:{number}"
        text_path = root / record.get("polnear_file", "")
        if not record.get("polnear_file") or not text_path.is_file():
            raise UserError(f"{where}: text {record.get('polnear_file')!r} not found under {root}")
        text = read_text(text_path, keep_bom=True)  # as the PolNeAR converter reads it
        if text_sha256(text) != record.get("text_sha256"):
            raise UserError(
                f"{where}: the text of {text_path} differs from the one annotated (SHA-256 mismatch); "
                "the annotation cannot be used with this copy of PolNeAR"
            )
        data = {k: v for k, v in record.items() if k not in ("polnear_file", "text_sha256")}
        data["text"] = text
        articles.append(article_from_dict_checked(data, where))
    return articles


def load_split(gold_dir: Path) -> dict[str, list[str]]:
    path = gold_dir / "split.json"
    if not path.exists():
        raise UserError(f"{path}: missing (lists the train_usable and eval_only articles)")
    return json.loads(path.read_text(encoding="utf-8"))


def load_gold(gold_dir: str | Path, polnear: str | Path | None, part: str = "all") -> list[Article]:
    """The evaluation set: ``all`` (team + PolNeAR), ``eval_only``, ``train_usable``, ``team`` (not eval-only) or ``polnear``."""
    gold_dir = Path(gold_dir)
    if part not in PARTS:
        raise UserError(f"unknown part {part!r}; choose one of {', '.join(PARTS)}")
    if not gold_dir.is_dir():
        raise UserError(f"{gold_dir}: no such folder")
    team: list[Article] = []
    if part in ("all", "team", "eval_only") and (gold_dir / "team.jsonl").exists():
        for number, obj in iter_jsonl_dicts(gold_dir / "team.jsonl"):
            team.append(article_from_dict_checked(obj, f"{gold_dir / 'team.jsonl'}:{number}"))
    if part == "team":
        # Team-written articles listed as eval-only are held out like the PolNeAR ones.
        held_out = set(load_split(gold_dir)["eval_only"]) if (gold_dir / "split.json").exists() else set()
        return attach_profiles(gold_dir, [a for a in team if a.id not in held_out])
    polnear_articles = load_standoff(gold_dir / "polnear.jsonl", polnear)
    if part in ("eval_only", "train_usable"):
        wanted = set(load_split(gold_dir)[part])
        return attach_profiles(gold_dir, [a for a in team + polnear_articles if a.id in wanted])
    return attach_profiles(gold_dir, team + polnear_articles)


def attach_profiles(gold_dir: Path, articles: list[Article]) -> list[Article]:
    """Set the gold source profiles of ``gold_dir/profiles.jsonl`` (docs/annotation.md
    section 5; one line per article: its id and its sources' profiles by source id)."""
    from saidwho.validate import profile_problems

    path = gold_dir / "profiles.jsonl"
    if not path.exists():
        return articles
    by_article = {}
    for number, record in iter_jsonl_dicts(path):
        by_article[record.get("id")] = (number, {s.get("id"): s for s in record.get("sources", [])})
    for article in articles:
        number, profiles = by_article.get(article.id, (None, {}))
        for source in article.sources:
            if source.id in profiles:
                problems = profile_problems(profiles[source.id], article.text, {s.id for s in article.sources}, source.type)
                if problems:
                    raise UserError(f"{path}:{number}: {article.id} {source.id}: {problems[0]}")
                source.profile = SourceProfile.from_dict(profiles[source.id])
    return articles
