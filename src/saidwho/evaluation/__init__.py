"""Evaluation: FORMAT.md scoring (:mod:`~saidwho.evaluation.scoring`), the project's gold
set (:mod:`~saidwho.evaluation.goldset`), annotator agreement and the speed benchmark."""
