"""saidwho: who said what in a news article.

Labels every sentence of an article as reported fact, sourced claim (with its
speaker) or the writer's opinion, and sums up the article's source balance.
"""

__version__ = "0.1.0"
