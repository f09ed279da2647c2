"""saidwho: who said what in a news article.

Labels every sentence of an article as reported fact, sourced claim (with its
speaker) or the writer's opinion, and sums up the article's source balance::

    import saidwho

    nlp = saidwho.load()                      # the default model, as the CLI
    article = nlp("The mayor said the budget was balanced.")
    for sentence in article.sentences:
        print(sentence.label, article.sentence_text(sentence))
    record = article.to_dict()                # the FORMAT.md record
    for article in nlp.pipe(texts_or_articles, batch_size=16):
        ...
    scored = saidwho.score_dataset(dataset, num_proc=2)   # a datasets.Dataset with a "text" column
"""

from saidwho.errors import UserError
from saidwho.pipeline import Component, Pipeline, load
from saidwho.records import Article, Attribution, Mention, Sentence, Source
from saidwho.batch.tables import score_dataset

__version__ = "0.1.0"

__all__ = ["Article", "Attribution", "Component", "Mention", "Pipeline", "Sentence", "Source", "UserError", "__version__", "load", "score_dataset"]
