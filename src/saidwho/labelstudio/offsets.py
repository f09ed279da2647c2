"""Python and JavaScript offsets into the same text.

FORMAT.md offsets count code points (Python ``str`` indices); Label Studio's
editor runs in a browser and counts UTF-16 code units, so every character
outside the Basic Multilingual Plane (emoji, some CJK) counts twice there.
Texts without such characters (nearly all news) map one to one.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

__all__ = ["OffsetMap"]


@dataclass(frozen=True)
class OffsetMap:
    """Converts offsets into ``text`` between code points and UTF-16 code units."""

    text: str
    # Code point indices of the characters that take two UTF-16 units, in order.
    wide: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "wide", tuple(i for i, ch in enumerate(self.text) if ord(ch) > 0xFFFF))

    def to_js(self, index: int) -> int:
        """UTF-16 offset of the code point offset ``index``."""
        return index + bisect_right(self.wide, index - 1)

    def to_py(self, index: int) -> int | None:
        """Code point offset of the UTF-16 offset ``index``; None when it falls inside a surrogate pair."""
        if not self.wide:
            return index
        lo, hi = 0, len(self.text)
        while lo < hi:  # smallest code point offset whose UTF-16 offset is >= index
            mid = (lo + hi) // 2
            if self.to_js(mid) < index:
                lo = mid + 1
            else:
                hi = mid
        return lo if self.to_js(lo) == index else None
