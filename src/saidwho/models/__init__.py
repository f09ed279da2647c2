"""Models: the config every model folder has (:mod:`~saidwho.models.config`), the learned
encoder and its heads (:mod:`~saidwho.models.encoder`), its input windows, its ONNX
export, and the rule system's TF-IDF opinion classifier."""
