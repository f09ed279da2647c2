"""The ASGI app of ``saidwho serve`` (FastAPI): routes, status codes, limits, headers.

========================  ====================================================================
``GET /``                 the form: paste an article's text or upload a .txt, .html or .jsonl file
``POST /score``           the form's answer: the labelled article (or the form with the error)
``POST /v1/score``        one article in, its record out: the line ``saidwho score`` writes
``POST /v1/score/batch``  a JSON list or JSONL in; records streamed back as JSONL, in order
``GET /v1/model``         the model: name, kind, saidwho's version, the card's summary
``GET /healthz``          liveness, and the scorer's queue
``GET /openapi.json``     the OpenAPI schema (no docs page: it would load scripts from a CDN)
========================  ====================================================================

Every error is JSON ``{"error": "one line"}`` (the form shows the same line):
the messages are the command line's (see :mod:`saidwho.serve.inputs` for the
statuses); a body past ``max_body`` bytes gets 413 (by Content-Length before
it is read, else as soon as it passes the limit), a full queue 503 with
Retry-After, an unexpected fault 500 with no detail (the traceback goes to the
server's log, never into a response). Every response carries a
Content-Security-Policy that allows no script, no frame and no fetch from
anywhere, and forms posting only back here. No file on the server is read or
written for a request: uploads are read in memory.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from saidwho import __version__
from saidwho.batch.output import MAX_CHARS
from saidwho.errors import UserError
from saidwho.io import dumps_article
from saidwho.serve import MAX_BODY, QUEUE, page
from saidwho.serve.inputs import BadInput, batch_articles, one_article, pasted_article, upload_articles
from saidwho.serve.scorer import QueueFull, Scorer

__all__ = ["create_app"]

log = logging.getLogger(__name__)


SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]

JSONL = "application/x-ndjson"


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"request: body is larger than the limit of {limit:,} bytes (saidwho serve --max-body)")


class Guard:
    """ASGI middleware: the body limit, and the security headers on every response.

    The limit is checked in ``receive``, where the route reads the body, so
    that the route's own error handling (JSON or the form) answers it. A body
    over the limit is read to its end (up to :data:`DRAIN`) and dropped before
    the answer: a client still sending when the server closes gets a
    connection reset instead of its 413."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        received = 0

        async def limited_receive():
            nonlocal received
            if declared.isdigit() and int(declared) > self.max_body:
                await _drain(receive, int(declared))
                raise BodyTooLarge(self.max_body)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                if message.get("more_body"):
                    await _drain(receive, DRAIN)
                raise BodyTooLarge(self.max_body)
            return message

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


DRAIN = 64 * 1024 * 1024  # bytes of an oversized body read and dropped, at most, before its 413


async def _drain(receive, size: int) -> None:
    """Read and drop a request body of ``size`` bytes, when it is no larger than :data:`DRAIN`."""
    if size > DRAIN:
        return
    drained = 0
    while drained <= DRAIN:
        message = await receive()
        drained += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return


def create_app(pipeline, *, max_body: int = MAX_BODY, max_chars: int = MAX_CHARS, queue: int = QUEUE) -> FastAPI:
    """The app over one loaded pipeline, scored on one thread behind a queue of ``queue`` places."""
    scorer = Scorer(pipeline, queue)

    @asynccontextmanager
    async def lifespan(app):
        yield
        scorer.close()

    app = FastAPI(
        title="saidwho",
        version=__version__,
        summary="Who said what: each sentence of a news article labelled reported fact, sourced claim (with its speaker) or opinion.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.scorer = scorer
    app.state.max_chars = max_chars
    app.state.max_body = max_body
    app.add_middleware(Guard, max_body=max_body)
    for refusal in REFUSALS:
        app.add_exception_handler(refusal, lambda request, exc: _error(*_refusal(exc)))
    app.add_exception_handler(HTTPException, lambda request, exc: _error(exc.status_code, str(exc.detail), exc.headers))
    app.add_exception_handler(Exception, _fault)
    app.include_router(router)
    return app


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


REFUSALS = (BadInput, BodyTooLarge, QueueFull)  # answered with their one line, as JSON or on the form


def _refusal(exc: Exception) -> tuple[int, str, dict | None]:
    """The status, the one line and the headers that answer a refused request."""
    if isinstance(exc, QueueFull):
        return 503, str(exc), {"Retry-After": str(exc.retry_after)}
    return (413 if isinstance(exc, BodyTooLarge) else exc.status), str(exc), None


def _fault(request: Request, exc: Exception) -> JSONResponse:
    # The traceback is logged by the server; the client gets one line without it.
    return _error(500, "internal error; the server's log has the details")


async def _scored(request: Request, articles) -> list:
    """The scored articles (the pipeline's user errors are 422, like the command line's exit 2)."""
    try:
        return [article async for article in request.app.state.scorer.submit(articles)]
    except UserError as exc:
        raise BadInput(422, str(exc)) from None


# ---------------------------------------------------------------- API

router = APIRouter()

ARTICLE_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "description": "The article's text (or a record: docs/format.md)."},
        "id": {"type": "string", "description": "Default: request-1 (request-N for item N of a batch)."},
        "title": {"type": "string"},
    },
    "additionalProperties": True,
}
ERRORS = {
    code: {"description": what, "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}}}
    for code, what in {
        400: "The body cannot be read (empty, not UTF-8, not the JSON expected).",
        413: "The body is larger than --max-body bytes, or an article longer than --max-chars characters.",
        415: "A Content-Type or charset that is not read.",
        422: "Readable, but not an article (no text, empty text, malformed record).",
        503: "The queue is full: retry after Retry-After seconds.",
    }.items()
}
RECORD = {"description": "The record, the line `saidwho score` writes (docs/format.md).", "content": {"application/json": {"schema": {"type": "object"}}}}


@router.post(
    "/v1/score",
    summary="Label one article",
    responses={200: RECORD, **ERRORS},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": ARTICLE_SCHEMA},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    }}},
)
async def score_one(request: Request, id: str | None = None) -> Response:
    """One article (a JSON object with ``text``, or a record; or a plain text
    or HTML page, named by ``id``) in; its record out, byte for byte the line
    ``saidwho score`` writes for it."""
    article = one_article(await request.body(), request.headers.get("content-type"), article_id=id, max_chars=request.app.state.max_chars)
    (scored,) = await _scored(request, [article])
    return Response(dumps_article(scored) + "\n", media_type="application/json")


@router.post(
    "/v1/score/batch",
    summary="Label many articles",
    responses={200: {"description": "One record a line, in input order.", "content": {JSONL: {"schema": {"type": "string"}}}}, **ERRORS},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "array", "items": ARTICLE_SCHEMA}},
        JSONL: {"schema": {"type": "string"}},
    }}},
)
async def score_batch(request: Request) -> StreamingResponse:
    """A JSON list of articles, or JSONL (one a line), all read and checked
    before any is scored; the records stream back one a line, in input order,
    ids made unique as ``saidwho score`` makes them."""
    articles = batch_articles(await request.body(), request.headers.get("content-type"), max_chars=request.app.state.max_chars)
    results = request.app.state.scorer.submit(articles)  # queued now: a full queue is a 503 before any line

    async def lines():
        async for article in results:
            yield dumps_article(article) + "\n"

    return StreamingResponse(lines(), media_type=JSONL)


@router.get("/v1/model", summary="The model served")
async def model_info(request: Request) -> dict:
    pipeline = request.app.state.scorer.pipeline
    config = pipeline.config
    return {
        "name": pipeline.name,
        "kind": getattr(config, "kind", None),
        "components": pipeline.component_names,
        "saidwho_version": __version__,
        "card": _card_summary(pipeline.path),
    }


def _card_summary(folder) -> dict:
    """The model card's title and first paragraph (README.md of the model folder)."""
    try:
        text = (folder / "README.md").read_text(encoding="utf-8")
    except (OSError, TypeError):
        return {}
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    title = next((block[2:].strip() for block in blocks if block.startswith("# ")), None)
    summary = next((" ".join(block.split()) for block in blocks if not block.startswith(("#", "|", "-", "`"))), None)
    return {"title": title, "summary": summary}


@router.get("/healthz", summary="Liveness and the queue")
async def healthz(request: Request) -> dict:
    scorer = request.app.state.scorer
    return {"status": "ok", "model": scorer.pipeline.name, "scoring": scorer.scoring, "waiting": scorer.waiting}


# ---------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def form(request: Request) -> HTMLResponse:
    return HTMLResponse(page.form_page(model=request.app.state.scorer.pipeline.name))


@router.post("/score", response_class=HTMLResponse, include_in_schema=False)
async def score_page(request: Request) -> HTMLResponse:
    """The form's answer: the labelled article, or the form again with the error (and the pasted text)."""
    state, text = request.app.state, ""
    try:
        fields = await _form(request)
        text = fields.get("text") if isinstance(fields.get("text"), str) else ""
        upload = fields.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            articles = upload_articles(await upload.read(), upload.filename, max_chars=state.max_chars)
        else:
            articles = [pasted_article(text, max_chars=state.max_chars)]
        scored = await _scored(request, articles)
    except REFUSALS as exc:
        status, message, headers = _refusal(exc)
        return HTMLResponse(page.form_page(error=message, text=text, model=state.scorer.pipeline.name), status_code=status, headers=headers)
    return HTMLResponse(await run_in_threadpool(page.result_page, scored))


async def _form(request: Request):
    """The form's fields; an upload is kept in memory (no temporary file on the server), up to the body limit."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    limit = request.app.state.max_body
    try:
        if media == "multipart/form-data":
            parser = MultiPartParser(request.headers, request.stream(), max_files=1, max_fields=4, max_part_size=limit)
            parser.spool_max_size = limit  # Starlette's default would spill past 1 MB into a temporary file
            return await parser.parse()
        if media == "application/x-www-form-urlencoded":
            return await FormParser(request.headers, request.stream(), max_fields=4, max_part_size=limit).parse()
    except MultiPartException as exc:
        raise BadInput(400, f"request: bad form: {exc.message}") from None
    raise BadInput(415, f"request: Content-Type {media!r} is not a form; post multipart/form-data")


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    # Browsers ask for it; a 404 would be an error in the page's console.
    return Response(status_code=204)
