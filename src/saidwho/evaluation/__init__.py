"""Evaluation: FORMAT.md scoring (:func:`~saidwho.evaluation.scoring.evaluate`, built from
:mod:`~saidwho.evaluation.alignment`, :mod:`~saidwho.evaluation.tally`,
:mod:`~saidwho.evaluation.counts`, :mod:`~saidwho.evaluation.bootstrap` and
:mod:`~saidwho.evaluation.results`), the evaluation report (the tables of
``saidwho eval`` in :mod:`~saidwho.evaluation.tables_terminal`, ``eval --report``
in :mod:`~saidwho.evaluation.eval_report`), the project's gold set
(:mod:`~saidwho.evaluation.goldset`), annotator agreement and the speed benchmark."""
