"""The Label Studio round trip against a real Label Studio server.

Label Studio lives in its own virtual environment (``$SAIDWHO_LABELSTUDIO_VENV``,
default ``.venv-labelstudio``; ``.ci/labelstudio.sh`` makes it). The test starts
it on localhost with a throw-away data folder and a user and API token from its
environment variables (legacy tokens enabled: they are what a fixed token is),
then through the REST API: creates a project with configs/labelstudio.xml,
imports exported tasks, adds an annotation, exports JSON, and imports that
with saidwho. It skips only where Label Studio is not installed or does not
start; the server is stopped at the end either way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from saidwho.evaluation.goldset import load_gold
from saidwho.io import read_articles
from saidwho.labelstudio import config as ls
from saidwho.labelstudio.export import article_to_task
from saidwho.labelstudio.imports import import_export
from saidwho.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("SAIDWHO_LABELSTUDIO_VENV", ROOT / ".venv-labelstudio"))
TOKEN = "saidwho-ci-token-0123456789"
USER = "ci@saidwho.example"


@dataclass(frozen=True)
class Server:
    url: str

    def call(self, method: str, path: str, body: Any = None, *, raw: bool = False) -> Any:
        request = urllib.request.Request(
            self.url + path, method=method, data=None if body is None else json.dumps(body).encode("utf-8"),
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: HTTP {exc.code}: {exc.read()[:1000]!r}") from None
        return data if raw else json.loads(data or b"null")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    executable = VENV / "bin" / "label-studio"
    if not executable.exists():
        pytest.skip(f"label-studio is not installed in {VENV} (run .ci/labelstudio.sh, or set SAIDWHO_LABELSTUDIO_VENV)")
    data = tmp_path_factory.mktemp("labelstudio") / "data"
    template = VENV / "saidwho-template"
    if (template / "label_studio.sqlite3").exists():
        shutil.copytree(template, data)  # an already migrated, empty database: starts in seconds
    else:
        data.mkdir()
    port = _free_port()
    env = {
        **os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_USERNAME": USER,
        "LABEL_STUDIO_PASSWORD": "saidwho-ci-password", "LABEL_STUDIO_USER_TOKEN": TOKEN,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true", "LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    }
    log_path = data.parent / "label-studio.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(executable), "start", "--no-browser", "--port", str(port), "--internal-host", "127.0.0.1"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=data.parent,
        )
    url = f"http://127.0.0.1:{port}"
    # Without the template the first start migrates a database (over a minute on a slow machine).
    deadline = time.monotonic() + (90 if (template / "label_studio.sqlite3").exists() else 300)
    try:
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-800:]
                pytest.skip(f"Label Studio did not start (exit code {process.poll()}); its log ends: {tail}")
            time.sleep(1)
        yield Server(url)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and its children
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_round_trip_through_label_studio(server, tmp_path):
    team = load_gold(ROOT / "eval" / "gold", None, "team")[:2]
    for article in team:  # as a model's output: confidences to carry as scores
        for sentence in article.sentences:
            if sentence.label:
                sentence.confidence = 0.8
    project = server.call("POST", "/api/projects", {"title": "saidwho live test", "label_config": ls.label_config()})
    tasks = [article_to_task(a, mode="predictions", model_version="gold-as-model") for a in team]
    imported = server.call("POST", f"/api/projects/{project['id']}/import", tasks)
    assert imported["task_count"] == 2 and imported["prediction_count"] == 2

    listed = server.call("GET", f"/api/tasks?project={project['id']}")["tasks"]
    first = next(t for t in listed if t["data"]["article_id"] == team[0].id)
    prediction = server.call("GET", f"/api/tasks/{first['id']}")["predictions"][0]
    assert prediction["score"] == pytest.approx(0.8) and prediction["model_version"] == "gold-as-model"
    # The annotator accepts the pre-annotation but relabels the first body sentence.
    result = prediction["result"]
    body = next(s for s in team[0].sentences if s.kind == "body")
    changed = "opinion" if body.label != "opinion" else "reported_fact"
    index = team[0].sentences.index(body)
    region = next(r for r in result if r.get("id") == f"s{index}" and r["from_name"] == ls.LABEL)
    region["value"]["labels"] = [changed]
    if body.speaker is not None:  # a relabelled sentence loses its speaker and cue
        result = [r for r in result if not (r.get("type") == "relation" and r["from_id"] == f"s{index}")]
    server.call("POST", f"/api/tasks/{first['id']}/annotations", {"result": result, "lead_time": 12.5})

    export = tmp_path / "export.json"
    export.write_bytes(server.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true", raw=True))
    out = tmp_path / "records.jsonl"
    outcome = import_export(export, out)
    assert len(outcome.skipped) == 1  # the second task has no annotation yet
    assert validate_file(out) == []
    [record] = read_articles(out)
    assert record.id == team[0].id and record.text == team[0].text
    expected = [(s.start, s.end, s.kind, s.label) for s in team[0].sentences]
    expected[index] = (body.start, body.end, body.kind, changed)
    assert [(s.start, s.end, s.kind, s.label) for s in record.sentences] == expected
    speakers = [(record.source_by_id(s.speaker).name if s.speaker else None) for s in record.sentences]
    gold_speakers = [(team[0].source_by_id(s.speaker).name if s.speaker else None) for s in team[0].sentences]
    gold_speakers[index] = None
    assert speakers == gold_speakers
