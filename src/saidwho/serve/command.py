"""``saidwho serve``: the command (registered in :mod:`saidwho.cli`).

Every check runs before the model loads: the options, the extra installed,
the model folder, and the address (the socket is bound here, so a port in use
is one line and exit 2, and ``--port 0`` takes a free port, printed when the
model is ready). Binds to 127.0.0.1 unless ``--host`` says otherwise, and says
who can connect.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

import typer

from saidwho.batch.output import MAX_CHARS
from saidwho.errors import UserError
from saidwho.models.config import DEFAULT_MODEL
from saidwho.serve import MAX_BODY, QUEUE

__all__ = ["serve"]



def serve(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Model name under models/ or a model folder; 'rules' for the rule system."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. 127.0.0.1: this machine only; 0.0.0.0: every network (there is no authentication)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on; 0 takes a free one (printed at start)."),
    max_body: int = typer.Option(MAX_BODY, "--max-body", help="Largest request body in bytes (an upload included); a larger one gets 413."),
    max_chars: int = typer.Option(MAX_CHARS, "--max-chars", help="Refuse an article longer than this many characters (413), as saidwho score does."),
    queue: int = typer.Option(QUEUE, "--queue", help="Requests that may wait while one is scored; past that, 503 with Retry-After."),
) -> None:
    """Serve a page and a JSON API that label articles, with the model loaded once.

    The page (/) takes a pasted text or a .txt, .html or .jsonl file and shows
    the labelled article. POST /v1/score takes one article (JSON, text or HTML)
    and answers its record, the line saidwho score writes; POST /v1/score/batch
    takes a JSON list or JSONL and streams the records back. GET /healthz,
    GET /v1/model, and the OpenAPI schema at /openapi.json. Needs
    pip install 'saidwho\\[serve]'. Ctrl-C stops it."""
    for name, value, least in (("--port", port, 0), ("--max-body", max_body, 1), ("--max-chars", max_chars, 1), ("--queue", queue, 1)):
        if value < least:
            raise UserError(f"{name} must be at least {least}")
    if port > 65535:
        raise UserError("--port must be at most 65535")
    try:
        import uvicorn

        from saidwho.serve.app import create_app
    except ImportError as exc:
        raise UserError(f"saidwho serve needs {exc.name}: pip install 'saidwho[serve]'") from None
    from saidwho.pipeline import load
    from saidwho.pipeline.registry import check_model

    check_model(model)  # an unknown or broken model stops here, before the port is taken
    listener = _bind(host, port)
    pipeline = load(model)
    app = create_app(pipeline, max_body=max_body, max_chars=max_chars, queue=queue)
    bound = listener.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    _say(f"serving {pipeline.name} at http://{shown}:{bound}/ (API: /v1/score, schema: /openapi.json); Ctrl-C stops")
    if ipaddress.ip_address(listener.getsockname()[0].split("%")[0]).is_loopback:
        _say("only this machine can connect (--host 0.0.0.0 to listen on every network)")
    else:
        _say(f"listening on {host}: anyone who can reach this machine on port {bound} can use this service; there is no authentication")
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[listener])


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; failure is one line naming the address."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise UserError(f"--host {host}: unknown address ({exc.strerror})") from None
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as exc:
        listener.close()
        raise UserError(f"{host}:{port}: cannot listen: {exc.strerror}") from None
    return listener


def _say(line: str) -> None:
    sys.stderr.write(f"saidwho: {line}\n")
    sys.stderr.flush()
