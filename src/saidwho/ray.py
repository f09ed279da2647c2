"""``saidwho.ray``: the Ray Data entry point for Python (``saidwho.ray.score``).

Kept at this path because users import it by this name; the code lives in
:mod:`saidwho.batch.ray`.
"""

from saidwho.batch.ray import Scorer, score, score_files

__all__ = ["Scorer", "score", "score_files"]
