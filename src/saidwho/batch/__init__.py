"""Scoring many articles: ``saidwho score`` and its Python counterparts.

==================================  ==========================================================
:mod:`~saidwho.batch.command`       the ``saidwho score`` command (registered in :mod:`saidwho.cli`)
:mod:`~saidwho.batch.output`        output checks, ``OUT.part`` written as records come, ``--resume``
:mod:`~saidwho.batch.workers`       ``--workers N``: several processes, records in input order
:mod:`~saidwho.batch.tables`        Parquet in and out, ``saidwho.score_dataset`` (``datasets``)
:mod:`~saidwho.batch.ray`           Ray Data (``--engine ray``; ``saidwho.ray`` for Python)
==================================  ==========================================================
"""
