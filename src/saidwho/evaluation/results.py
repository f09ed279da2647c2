"""What ``saidwho eval`` measured: the result types and the JSON they write.

:class:`EvalResult` holds the totals, metrics and intervals of one
evaluation (``to_dict()`` is ``eval --json`` and ``report.json``), built by
:func:`saidwho.evaluation.scoring.evaluate`; the names of the headline
metrics shown in tables and comparisons are here too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from saidwho.evaluation.bootstrap import CONFIDENCE
from saidwho.records import LABELS

__all__ = [
    "COLUMNS",
    "HEADLINE_METRICS",
    "NO_SEGMENT",
    "NULL",
    "PROFILE_METRICS",
    "ArticleScores",
    "ClassScores",
    "EvalResult",
    "LabelScores",
    "Ratio",
    "has_profiles",
]

NULL = "null"
"""Predicted label of a gold sentence that no predicted labelled sentence covers."""
NO_SEGMENT = "none"
"""Predicted kind of a gold segment that no predicted segment covers."""
COLUMNS: tuple[str, ...] = (*LABELS, NULL)

# Metrics shown in tables and comparisons, in order, with display names. All
# metrics (per-class ones too) are in EvalResult.metrics and .ci.
HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("accuracy", "Accuracy"),
    ("macro_f1", "Macro-F1"),
    ("sourced_claim_precision", "sourced_claim P"),
    ("sourced_claim_recall", "sourced_claim R"),
    ("sourced_claim_f1", "sourced_claim F1"),
    ("lenient_accuracy", "Accuracy (lenient)"),
    ("lenient_macro_f1", "Macro-F1 (lenient)"),
    ("opinion_vs_not_macro_f1", "Opinion-vs-not macro-F1"),
    ("speaker_accuracy", "Speaker accuracy"),
    ("speaker_accuracy_attributed", "Speaker acc. (both attributed)"),
    ("kind_accuracy", "Body-or-not accuracy"),
    ("boundary_agreement", "Boundary agreement"),
)


# Source-profile fields (docs/profiles.md), shown where the gold carries
# profiles: (metric, display name, the most-frequent baseline beside it).
PROFILE_METRICS: tuple[tuple[str, str, str | None], ...] = (
    ("profile_coverage", "Sources matched (coverage)", None),
    ("profile_title_accuracy", "Title (normalised)", None),
    ("profile_title_head_accuracy", "Title (same head, lenient)", None),
    ("profile_category_accuracy", "Category", "profile_category_majority"),
    ("profile_gender_accuracy", "Gender (article shows it)", "profile_gender_majority"),
    ("profile_gender_coverage", "Gender given", None),
    ("anonymity_reason_f1", "Anonymity reason F1", "anonymity_reason_majority_f1"),
)


def has_profiles(result: "EvalResult") -> bool:
    """Whether the gold of ``result`` carried source profiles."""
    return result.metrics.get("profile_coverage") is not None


@dataclass
class Ratio:
    """A share with its counts: ``correct`` of ``n`` (value None when n is 0)."""

    n: int = 0
    correct: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "correct": self.correct, "value": self.value}


@dataclass
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int  # gold sentences of this class
    predicted: int  # aligned predictions of this class

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LabelScores:
    """Label scores of one mode (strict or lenient)."""

    n: int
    correct: int
    accuracy: float | None
    macro_f1: float | None
    per_class: dict[str, ClassScores]
    confusion: dict[str, dict[str, int]]  # gold label -> predicted label (incl. "null") -> count

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_class": {k: v.to_dict() for k, v in self.per_class.items()},
            "confusion": {k: dict(v) for k, v in self.confusion.items()},
        }


@dataclass
class ArticleScores:
    id: str
    has_prediction: bool
    n_sentences: int  # gold labelled sentences
    n_aligned: int  # of which a predicted labelled sentence covers some
    accuracy: float | None
    sourced_claim_f1: float | None
    speaker: Ratio

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "has_prediction": self.has_prediction,
            "n_sentences": self.n_sentences,
            "n_aligned": self.n_aligned,
            "accuracy": self.accuracy,
            "sourced_claim_f1": self.sourced_claim_f1,
            "speaker_n": self.speaker.n,
            "speaker_correct": self.speaker.correct,
            "speaker_accuracy": self.speaker.value,
        }


@dataclass
class EvalResult:
    """Everything :func:`evaluate` measured; ``to_dict()`` is the JSON report."""

    n_gold_articles: int
    n_pred_articles: int
    missing_articles: list[str]
    extra_articles: list[str]
    n_gold_sentences: int
    n_aligned: int
    strict: LabelScores
    lenient: LabelScores
    speaker: Ratio
    kind: Ratio
    kind_unaligned: int
    kind_confusion: dict[str, dict[str, int]]
    boundary: Ratio
    metrics: dict[str, float | None]
    ci: dict[str, tuple[float, float] | None]
    bootstrap: int
    seed: int
    per_article: list[ArticleScores]
    gold_digest: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": {
                "gold_articles": self.n_gold_articles,
                "predicted_articles": self.n_pred_articles,
                "matched_articles": self.n_gold_articles - len(self.missing_articles),
                "missing_articles": list(self.missing_articles),
                "extra_articles": list(self.extra_articles),
                "gold_sentences": self.n_gold_sentences,
                "aligned_sentences": self.n_aligned,
                "null_sentences": self.n_gold_sentences - self.n_aligned,
                "speaker_sentences": self.speaker.n,
                "gold_segments": self.kind.n,
                "gold_body_sentences": self.boundary.n,
            },
            "metrics": dict(self.metrics),
            "ci": {k: (list(v) if v is not None else None) for k, v in self.ci.items()},
            "bootstrap": {
                "resamples": self.bootstrap,
                "seed": self.seed,
                "confidence": CONFIDENCE,
                "unit": "article",
                "method": "percentile",
            },
            "strict": self.strict.to_dict(),
            "lenient": self.lenient.to_dict(),
            "speaker": self.speaker.to_dict(),
            "segment_kind": {
                **self.kind.to_dict(),
                "unaligned": self.kind_unaligned,
                "confusion": {k: dict(v) for k, v in self.kind_confusion.items()},
            },
            "boundary": self.boundary.to_dict(),
            "per_article": [a.to_dict() for a in self.per_article],
            "gold_digest": self.gold_digest,
            "warnings": list(self.warnings),
        }

