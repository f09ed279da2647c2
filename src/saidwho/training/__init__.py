"""Training: the learned model (:mod:`~saidwho.training.trainer`), the rule system's
opinion classifier (:mod:`~saidwho.training.rules`), calibration and model cards."""
