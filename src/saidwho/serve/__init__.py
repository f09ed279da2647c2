"""``saidwho serve``: a local web page and JSON API over one loaded model.

==================================  ==========================================================
:mod:`~saidwho.serve.command`       the ``saidwho serve`` command (registered in :mod:`saidwho.cli`)
:mod:`~saidwho.serve.app`           the ASGI app: routes, status codes, body limit, headers
:mod:`~saidwho.serve.inputs`        request bodies and uploads read as ``saidwho score`` reads files
:mod:`~saidwho.serve.scorer`        one thread owns the model; a bounded queue in front of it
:mod:`~saidwho.serve.page`          the form page and the labelled-article page
==================================  ==========================================================

FastAPI and uvicorn come with the optional extra: ``pip install 'saidwho[serve]'``.
Only :mod:`~saidwho.serve.command` is imported by the command line, and it
imports them only when the command runs.
"""

# Defaults of the command's limits (here: --help must not need FastAPI).
MAX_BODY = 4 * 1024 * 1024  # bytes: a 200,000-character article as escaped JSON, with room to spare
QUEUE = 32  # requests that may wait for the scorer (the one being scored not counted)
