"""The pipeline stages, one module each, and how they are put together.

- :mod:`~saidwho.pipeline.component`: the :class:`Component` base class.
- :mod:`~saidwho.pipeline.core`: :class:`Pipeline` (``nlp(text)``, ``nlp.pipe``).
- :mod:`~saidwho.pipeline.registry`: components by name; :func:`load` builds a model's pipeline.
- Stages: ``segment``, ``attribution`` (rules), ``neural`` (learned and hybrid),
  ``speakers``, ``opinion`` (TF-IDF), ``labels``, ``summary``; ``parse`` is the shared spaCy.
"""

from saidwho.pipeline.component import Component
from saidwho.pipeline.core import Pipeline
from saidwho.pipeline.registry import build_pipeline, load, register

__all__ = ["Component", "Pipeline", "build_pipeline", "load", "register"]
