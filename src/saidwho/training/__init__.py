"""Training: the learned model's :class:`~saidwho.training.trainer.Trainer` with its
:mod:`~saidwho.training.arguments` and :mod:`~saidwho.training.data`, dev evaluation for the
card (:mod:`~saidwho.training.dev`), calibration, model cards, and the rule system's
opinion classifier (:mod:`~saidwho.training.rules`)."""
