"""``saidwho serve``: a real server on a free loopback port, started and stopped here.

The API's records against ``saidwho score``'s, status codes and messages of
bad requests, the scorer off the event loop (``/healthz`` during a long
article, 503 when the queue is full), the page in headless Chromium, and a
bounded load test. Skipped where the ``serve`` extra is not installed.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed: pip install -e '.[serve]'")
pytest.importorskip("uvicorn", reason="the serve extra is not installed: pip install -e '.[serve]'")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-strike.txt"
EXAMPLE_HTML = ROOT / "examples" / "council-budget.html"
HOSTILE = (
    "Harbour talks <script>document.title='pwned'</script> stall\n\n"
    "The mayor said <img src=x onerror=\"document.title='pwned'\"> the port \" onmouseover=\"alert(1)\" would stay closed. "
    "\"We will not move,\" said Dana Ortiz, a union steward. Prices rose & fell.\n"
)


# ---------------------------------------------------------------- the server


class Server:
    """``saidwho serve --port 0`` in a subprocess; ``url`` once the model is loaded."""

    def __init__(self, tmp: Path, *args: str):
        self.log = tmp / "serve.log"
        with open(self.log, "w") as log:  # a file, not a pipe: a full pipe would stall the server
            self.process = subprocess.Popen(
                [sys.executable, "-m", "saidwho", "serve", "--port", "0", *args],
                stdout=subprocess.DEVNULL, stderr=log, cwd=tmp,
            )
        deadline = time.monotonic() + 180
        while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)/", self.log.read_text())):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"saidwho serve did not start: {self.log.read_text()}")
            time.sleep(0.2)
        self.url = found.group(1)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def peak_rss_kib(self) -> int:
        """The server's peak resident memory so far (VmHWM)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


@contextmanager
def running(tmp: Path, *args: str):
    server = Server(tmp, *args)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The rule system (fast), a small body limit for the 413 tests."""
    with running(tmp_path_factory.mktemp("serve"), "-m", "rules", "--max-body", "200000", "--max-chars", "60000") as started:
        yield started


def call(url: str, body: bytes | None = None, content_type: str | None = None, timeout: float = 120) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of one request: GET, or POST of ``body``.

    http.client, not urllib: urllib gives a POST without a Content-Type one of its own."""
    host, _, path = url.removeprefix("http://").partition("/")
    connection = http.client.HTTPConnection(host, timeout=timeout)
    try:
        connection.request("GET" if body is None else "POST", "/" + path, body=body, headers={"Content-Type": content_type} if content_type else {})
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


def cli_score(tmp: Path, *paths: str, model: str = "rules") -> list[str]:
    """The lines ``saidwho score`` writes for the given inputs."""
    result = subprocess.run([sys.executable, "-m", "saidwho", "score", *paths, "-m", model], capture_output=True, text=True, cwd=tmp)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines(keepends=True)


def cli_error(tmp: Path, content: bytes) -> str:
    """The one line ``saidwho score -`` prints for a bad input on standard input, its name as ``request``."""
    result = subprocess.run([sys.executable, "-m", "saidwho", "score", "-", "-m", "rules"], input=content, capture_output=True, cwd=tmp)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and stderr.count("\n") == 1, stderr
    return stderr.removeprefix("saidwho: ").strip().replace("<stdin>", "request")


def article_line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


# ---------------------------------------------------------------- records


def test_a_record_is_the_line_saidwho_score_writes(server, tmp_path):
    """Text, HTML and a JSON article in, the CLI's line out, byte for byte."""
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "mine.jsonl").write_text(article_line(id="mine", text=HOSTILE, title="A <title>", outlet="x") + "\n", encoding="utf-8")
    expected = cli_score(tmp_path, str(EXAMPLE), str(EXAMPLE_HTML), "mine.jsonl")
    answers = [
        call(f"{server.url}/v1/score?id=harbour-strike", text.encode(), "text/plain; charset=utf-8"),
        call(f"{server.url}/v1/score?id=council-budget", EXAMPLE_HTML.read_bytes(), "text/html"),
        call(f"{server.url}/v1/score", article_line(id="mine", text=HOSTILE, title="A <title>", outlet="x").encode(), "application/json"),
    ]
    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert [body.decode() for _, _, body in answers] == expected
    assert all(headers["content-type"] == "application/json" for _, headers, _ in answers)
    # The record scored by the service is the input of another request: kept as it is, like the CLI keeps it.
    status, _, again = call(f"{server.url}/v1/score", answers[2][2], "application/json")
    (tmp_path / "record.jsonl").write_bytes(answers[2][2])
    assert status == 200 and again.decode() == cli_score(tmp_path, "record.jsonl")[0]


def test_a_batch_keeps_order_and_ids_and_agrees_with_single_requests(server, tmp_path):
    articles = [
        {"id": "b", "text": "Prices rose, officials said."},
        {"id": "a", "text": "The mayor said the port is closed. It rained."},
        {"text": "\"We will not move,\" said Dana Ortiz."},  # no id: request-3, as line 3 of request.jsonl gets
        {"id": "a", "text": "This is a disgraceful decision."},  # a repeated id: a-2, as the CLI renames it
        {"id": "z", "text": HOSTILE},
    ]
    jsonl = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles).encode()
    (tmp_path / "request.jsonl").write_bytes(jsonl)
    expected = cli_score(tmp_path, "request.jsonl")
    assert [json.loads(line)["id"] for line in expected] == ["b", "a", "request-3", "a-2", "z"]
    status, headers, lines = call(f"{server.url}/v1/score/batch", jsonl, "application/x-ndjson")
    assert status == 200 and headers["content-type"] == "application/x-ndjson"
    assert lines.decode().splitlines(keepends=True) == expected
    status, _, listed = call(f"{server.url}/v1/score/batch", json.dumps(articles).encode(), "application/json")
    assert status == 200 and listed == lines
    for article, line in zip(articles, expected):
        if "id" in article and article["id"] != "a":  # the id of a single request is not renamed
            assert call(f"{server.url}/v1/score", json.dumps(article).encode(), "application/json")[2].decode() == line


# ---------------------------------------------------------------- bad requests


LONG_TEXT = "The mayor said the port is closed. " * 2000  # 70,000 characters: past --max-chars 60000


@pytest.mark.parametrize(
    "path, content_type, body, status, message",
    [
        ("/v1/score", "application/json", b"", 400, "request: empty body"),
        ("/v1/score", None, b"  \n", 400, "request: empty body"),
        ("/v1/score", "text/plain", "Caf\u00e9 owners said".encode("latin-1"), 400, "request:1: not valid UTF-8 (byte 0xe9 at offset 3); convert the file to UTF-8 first"),
        ("/v1/score", "application/json", b'{"text": "x"', 400, "request:1: bad JSON: Expecting ',' delimiter (column 13)"),
        ("/v1/score", "application/json", b"[1, 2]", 400, "request:1: expected a JSON object, got list"),
        ("/v1/score", "application/json", b'{"id": "x"}', 422, "request:1: record has no 'text'"),
        ("/v1/score", "application/json", b'{"text": "  "}', 422, "request:1: empty article"),
        ("/v1/score", "application/json", b'{"text": 5}', 422, "request:1: 'text' must be a string"),
        ("/v1/score", "application/json", b'{"id": "x", "text": "x", "sentences": [{"start": "a"}]}', 422, "request:1: malformed record: ValueError"),
        ("/v1/score", "text/html", b"<html><body><nav>Home</nav></body></html>", 422, "request: no article text found in the HTML page"),
        ("/v1/score", "image/png", b"\x89PNG", 415, "request: Content-Type 'image/png' is not read"),
        ("/v1/score", "text/plain; charset=latin-1", b"x", 415, "request: charset 'latin-1' is not read; send UTF-8"),
        ("/v1/score", "text/plain", LONG_TEXT.encode(), 413, "request: article of 70,000 characters is longer than the limit of 60,000; split it, or raise the limit with --max-chars"),
        ("/v1/score", "text/plain", b"x" * 300_000, 413, "request: body is larger than the limit of 200,000 bytes (saidwho serve --max-body)"),
        ("/v1/score/batch", "application/x-ndjson", b'{"text": "ok"}\n{"text": \n', 400, "request:2: bad JSON"),
        ("/v1/score/batch", "application/json", b'{"text": "ok"}', 400, "request: expected a JSON list of articles, got dict"),
        ("/v1/score/batch", "application/json", b'[{"text": "ok"}, "x"]', 422, "request:2: expected a JSON object, got str"),
        ("/v1/score/batch", "application/json", b"[]", 422, "request: no records"),
    ],
)
def test_bad_requests_get_their_status_and_one_line(server, path, content_type, body, status, message):
    got, headers, answer = call(server.url + path, body, content_type)
    assert got == status, answer
    assert headers["content-type"] == "application/json"
    error = json.loads(answer)["error"]
    assert error.startswith(message) and "\n" not in error and "Traceback" not in answer.decode()


def test_messages_are_the_command_lines(server, tmp_path):
    """The same bad input on standard input (a request body is a stream too): the CLI's line is the service's."""
    for body in (b'{"id": "x"}\n', b'{"text": 5}\n', b'{"text": "x"\n', b'{"text": "ok"}\n{"text": ""}\n', "Caf\u00e9 owners said\n".encode("latin-1")):
        answer = json.loads(call(f"{server.url}/v1/score/batch", body)[2])["error"]
        assert answer == cli_error(tmp_path, body)
        if body.count(b"\n") == 1:
            assert json.loads(call(f"{server.url}/v1/score", body)[2])["error"] == answer


def test_a_body_past_the_limit_without_a_length_is_cut_off(server):
    """Chunked, no Content-Length: 413 as soon as the body passes --max-body, and the answer is read."""
    connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=60)
    connection.request("POST", "/v1/score", body=iter([b"a" * 50_000] * 10), headers={"Content-Type": "text/plain"}, encode_chunked=True)
    response = connection.getresponse()
    assert response.status == 413 and "--max-body" in json.loads(response.read())["error"]
    connection.close()


def test_schema_model_health_headers(server):
    status, _, schema = call(f"{server.url}/openapi.json")
    paths = json.loads(schema)["paths"]
    assert status == 200 and {"/v1/score", "/v1/score/batch", "/v1/model", "/healthz"} <= set(paths)
    assert set(paths["/v1/score"]["post"]["responses"]) >= {"200", "400", "413", "415", "422", "503"}
    assert call(f"{server.url}/docs")[0] == 404  # Swagger UI would load scripts from a CDN
    model = json.loads(call(f"{server.url}/v1/model")[2])
    assert model["name"] == "rules-v1" and model["kind"] == "rules" and model["card"]["title"].startswith("rules-v1")
    assert model["card"]["summary"].startswith("Attribution and speakers by rules")
    health = json.loads(call(f"{server.url}/healthz")[2])
    assert health == {"status": "ok", "model": "rules-v1", "scoring": 0, "waiting": 0}
    for url in (f"{server.url}/", f"{server.url}/healthz", f"{server.url}/nothing"):
        headers = call(url)[1]
        assert "default-src 'none'" in headers["content-security-policy"] and "script-src" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
    status, _, missing = call(f"{server.url}/nothing")
    assert status == 404 and json.loads(missing) == {"error": "Not Found"}


# ---------------------------------------------------------------- off the event loop


def long_article(copies: int = 12) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    return text + ("\n\n" + text.split("\n\n", 3)[3]) * copies


def test_healthz_answers_while_a_long_article_is_scored_and_a_full_queue_is_503(tmp_path):
    with running(tmp_path, "-m", "rules", "--queue", "1") as started:
        call(f"{started.url}/v1/score", b"Warm up.", "text/plain")
        answers: dict[str, tuple] = {}

        def post(name: str, body: bytes) -> threading.Thread:
            thread = threading.Thread(target=lambda: answers.update({name: call(f"{started.url}/v1/score", body, "text/plain")}))
            thread.start()
            return thread

        # Long enough (about 120,000 characters, under --max-chars) that the
        # loop below sees it being scored even on a loaded machine.
        first = post("first", long_article(40).encode())
        latencies, seen, second = [], [], None
        while first.is_alive():
            start = time.monotonic()
            health = json.loads(call(f"{started.url}/healthz", timeout=10)[2])
            latencies.append(time.monotonic() - start)
            seen.append((health["scoring"], health["waiting"]))
            if health["scoring"] and second is None:
                second = post("second", b"It rained.")  # takes the one place in the queue
            elif second is not None and health["waiting"] and "third" not in answers:
                # Only once the second request holds the queue's place: a first
                # look can also find the long article itself still waiting.
                answers["third"] = call(f"{started.url}/v1/score", b"It rained.", "text/plain")  # finds it taken
            time.sleep(0.05)
        first.join()
        assert second is not None, f"the long article was never seen being scored: {seen}"
        second.join()
    assert answers["first"][0] == 200 and answers["second"][0] == 200, (answers["first"][2][:200], seen)
    busy = [latency for latency, (scoring, _) in zip(latencies, seen) if scoring]
    assert len(busy) >= 10, seen  # asked many times while the article was being scored
    assert max(busy) < 1.0, busy
    status, headers, refused = answers["third"]
    assert status == 503 and int(headers["retry-after"]) >= 1
    assert json.loads(refused)["error"].startswith("busy: 1 request(s) are waiting")


def test_a_fault_is_500_with_one_line_and_no_detail():
    """An unexpected error while scoring: the client gets one line; the traceback stays in the server's log."""
    import socket

    import uvicorn

    from saidwho.serve.app import create_app

    class Broken:
        name, path, config, component_names = "broken", None, None, []

        def pipe(self, articles):
            raise RuntimeError("secret detail /etc/passwd")

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(create_app(Broken()), log_level="critical"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        status, _, body = call(f"{url}/v1/score", b"It rained.", "text/plain")
        assert call(f"{url}/healthz")[0] == 200  # still serving
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert status == 500 and json.loads(body) == {"error": "internal error; the server's log has the details"}


# ---------------------------------------------------------------- the page


def test_the_page_in_headless_chromium(server, tmp_path, chromium):
    """Paste a hostile article, submit: labels and speakers in the DOM, its markup shown as text, no console error."""
    from test_report import DevTools  # the project's driver of Chromium over --remote-debugging-pipe

    browser = DevTools(chromium, tmp_path / "profile")
    try:
        browser.open(server.url + "/")
        form = browser.evaluate("[document.title, document.querySelectorAll('form textarea[name=text], form input[type=file]').length]")
        browser.evaluate("(document.querySelector('textarea').focus(), true)")
        browser.call("Input.insertText", {"text": HOSTILE})
        browser.evaluate("(document.querySelector('form').requestSubmit(), true)")
        assert browser._read(lambda m: m.get("method") == "Page.loadEventFired") is not None
        browser._read(lambda m: False, timeout=0.5)  # late console and CSP messages
        state = browser.evaluate("""({
            title: document.title,
            labels: [...document.querySelectorAll('.s[data-label]')].map(s => s.dataset.label),
            speakers: [...document.querySelectorAll('.who')].map(w => w.textContent),
            executable: document.querySelectorAll('script, img, iframe, [onerror], [onmouseover]').length,
            text: document.querySelector('article').textContent,
        })""")
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True}, session=False)
        browser.evaluate("(document.querySelector('#download').click(), true)")
        done = browser._read(lambda m: m.get("method") == "Browser.downloadProgress" and m["params"]["state"] in ("completed", "canceled"))
        browser._read(lambda m: False, timeout=0.5)
        errors = browser.errors()
    finally:
        browser.close()
    assert form == ["saidwho", 2]
    assert errors == []
    assert state["title"] == "saidwho: pasted"  # the pasted script did not run
    assert "sourced_claim" in state["labels"] and "Dana Ortiz" in state["speakers"]
    assert state["executable"] == 0
    assert "<script>document.title='pwned'</script>" in state["text"] and "onerror=" in state["text"]
    # The download is the record saidwho score writes for the same text in pasted.txt.
    assert done is not None and done["params"]["state"] == "completed"
    (tmp_path / "pasted.txt").write_text(HOSTILE, encoding="utf-8")
    assert (downloads / "pasted.json").read_text(encoding="utf-8") == cli_score(tmp_path, "pasted.txt")[0]


def test_the_page_uploads_a_file_and_shows_errors_on_the_form(server):
    boundary = "saidwho-test"

    def form(filename: str, content: bytes) -> bytes:
        return (
            f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()

    kind = f"multipart/form-data; boundary={boundary}"
    status, headers, page = call(f"{server.url}/score", form("harbour-strike.txt", EXAMPLE.read_bytes()), kind)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert page.decode().count('class="s sourced_claim"') >= 10 and 'download="harbour-strike.json"' in page.decode()
    jsonl = (article_line(id="one", text="It rained.") + "\n" + article_line(id="two", text="Prices rose, officials said.") + "\n").encode()
    status, _, page = call(f"{server.url}/score", form("two.jsonl", jsonl), kind)
    assert status == 200 and "Download the 2 records (JSONL)" in page.decode()
    for filename, content, code, message in [
        ("notes.pdf", b"%PDF", 415, "notes.pdf: choose a .txt, .html or .jsonl file"),
        ("bad.jsonl", b'{"id": "x"}\n', 422, "bad.jsonl:1: record has no &#x27;text&#x27;"),
        ("empty.txt", b"", 400, "empty.txt: empty file"),
        ("big.txt", b"x" * 300_000, 413, "request: body is larger than the limit of 200,000 bytes (saidwho serve --max-body)"),
        ("", b"", 400, "paste an article&#x27;s text or choose a file"),  # no file chosen, nothing pasted
    ]:
        status, _, page = call(f"{server.url}/score", form(filename, content), kind)
        assert status == code and f'<p class="error" role="alert">{message}' in page.decode(), page.decode()[-800:]


# ---------------------------------------------------------------- the command


def test_serve_help_documents_every_option():
    result = subprocess.run([sys.executable, "-m", "saidwho", "serve", "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0
    for option in ("--model", "--host", "--port", "--max-body", "--max-chars", "--queue", "saidwho[serve]"):
        assert option in result.stdout, option


def test_a_port_in_use_is_one_line(tmp_path):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "saidwho", "serve", "-m", "rules", "--port", str(port)], capture_output=True, text=True, timeout=120)
    finally:
        taken.close()
    assert result.returncode == 2 and result.stderr == f"saidwho: 127.0.0.1:{port}: cannot listen: Address already in use\n"
    result = subprocess.run([sys.executable, "-m", "saidwho", "serve", "-m", "no-such-model"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no-such-model" in result.stderr


def test_without_the_extra_it_says_what_to_install():
    blocked = "import sys; sys.modules['fastapi'] = None; from saidwho.cli import main; sys.argv[0] = 'saidwho'; main()"
    result = subprocess.run([sys.executable, "-c", blocked, "serve", "-m", "rules"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr == "saidwho: saidwho serve needs fastapi: pip install 'saidwho[serve]'\n"


def test_it_says_who_can_connect_and_stops_on_ctrl_c(server):
    log = server.log.read_text()
    assert "only this machine can connect" in log and "Traceback" not in log


# ---------------------------------------------------------------- load


@pytest.mark.slow
def test_load_200_requests_from_20_clients(tmp_path):
    """All answered, each with its own record, none lost; peak memory flat; latency percentiles printed (docs/serve.md)."""
    with running(tmp_path, "-m", "rules") as started:

        def one(number: int) -> tuple[float, int, str]:
            text = f"Talks on pier {number} stalled, the union said. Prices rose {number} percent. It rained."
            start = time.monotonic()
            status, _, body = call(f"{started.url}/v1/score", article_line(id=f"r{number}", text=text).encode(), "application/json")
            return time.monotonic() - start, status, json.loads(body)["id"]

        with ThreadPoolExecutor(20) as clients:
            list(clients.map(one, range(-40, 0)))  # warm-up: the first requests load lazy parts
            warm = started.peak_rss_kib()
            began = time.monotonic()
            results = list(clients.map(one, range(200)))
            wall = time.monotonic() - began
        peak = started.peak_rss_kib()
    assert [status for _, status, _ in results] == [200] * 200
    assert [ident for _, _, ident in results] == [f"r{n}" for n in range(200)]
    latencies = sorted(latency for latency, _, _ in results)
    centile = {p: latencies[min(199, round(p / 100 * 200))] for p in (50, 90, 99)}
    print(
        f"\n200 requests, 20 clients: {200 / wall:.1f} requests/s; latency p50 {centile[50]:.3f} s, p90 {centile[90]:.3f} s, "
        f"p99 {centile[99]:.3f} s, max {latencies[-1]:.3f} s; peak RSS {warm / 1024:.0f} MiB after warm-up, {peak / 1024:.0f} MiB after"
    )
    assert peak - warm < 30 * 1024, (warm, peak)  # flat: no growth with the number of requests


@pytest.mark.slow
def test_default_model_record_equals_the_cli_and_batch_equals_single(tmp_path):
    """The default (learned) model: the records do not depend on how the articles arrive."""
    texts = [EXAMPLE.read_text(encoding="utf-8"), HOSTILE, "Prices rose, officials said. This is a disgraceful decision."]
    jsonl = "".join(article_line(id=f"t{n}", text=text) + "\n" for n, text in enumerate(texts))
    (tmp_path / "request.jsonl").write_text(jsonl, encoding="utf-8")
    expected = cli_score(tmp_path, "request.jsonl", model="default")
    with running(tmp_path, "-m", "default") as started:
        batch = call(f"{started.url}/v1/score/batch", jsonl.encode(), "application/x-ndjson")[2].decode()
        singles = [call(f"{started.url}/v1/score", line.encode(), "application/json")[2].decode() for line in jsonl.splitlines()]
    assert batch.splitlines(keepends=True) == expected
    assert singles == expected
