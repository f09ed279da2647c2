"""The Label Studio labelling interface and the names of its controls.

``configs/labelstudio.xml`` is what a Label Studio project is created with; the
export writes regions for these controls and the import reads them back, so the
names live here once (tests check them against the XML).
"""

from __future__ import annotations

from pathlib import Path

from saidwho.paths import checkout_root

__all__ = [
    "ALT_LABELS", "CONFIG_PATH", "CUE", "LABEL", "MENTION", "SEGMENT", "SEGMENT_KINDS", "SENTENCE_SPEAKER",
    "SPEAKER", "SPEAKER_NAME", "SPEAKER_TYPE", "TEXT", "label_config",
]

TEXT = "text"  # the <Text> object: regions point at it (to_name)
LABEL = "label"  # Labels: reported_fact / sourced_claim / opinion, one region per body or dek sentence
MENTION = "mention"  # Labels: Speaker / Cue, linked to their sentence by a relation
SEGMENT = "segment"  # Labels: the kind of a segment that is not a body sentence (and "dek")
SPEAKER_NAME = "speaker_name"  # TextArea per Speaker region: canonical name
SPEAKER_TYPE = "speaker_type"  # Choices per Speaker region: source type
SENTENCE_SPEAKER = "sentence_speaker"  # TextArea per sentence region: speaker named nowhere in the text
ALT_LABELS = "alt_labels"  # Choices per sentence region

SPEAKER = "Speaker"
CUE = "Cue"
SEGMENT_KINDS: tuple[str, ...] = ("headline", "dek", "byline", "dateline", "caption", "heading", "meta")

# In the checkout; from a wheel, configs/ beside the working folder.
CONFIG_PATH: Path = (checkout_root() or Path.cwd()) / "configs" / "labelstudio.xml"


def label_config(path: Path | None = None) -> str:
    """The labelling interface as Label Studio's ``label_config`` string."""
    return (path or CONFIG_PATH).read_text(encoding="utf-8")
