"""Reading and writing files: :func:`read_bytes` and :func:`read_text` (a file
that cannot be read or decoded is a one-line user error), JSONL line by line
with user errors that name the file and line, and atomic writes (a failure
leaves nothing half-written)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.records import Article


def read_bytes(path: str | Path, *, expect: str = "a file") -> bytes:
    """The bytes of the file at ``path``.

    The one place that turns a failed read into a one-line :class:`UserError`:
    ``FILE: no such file``, ``FILE: is a directory, expected EXPECT`` or
    ``FILE: cannot read: REASON``.
    """
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory, expected {expect}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None


def read_text(path: str | Path, *, expect: str = "a file", keep_bom: bool = False) -> str:
    """The file at ``path`` decoded as UTF-8 with its newlines untouched.

    A leading byte order mark is dropped unless ``keep_bom`` (BRAT offsets,
    for one, count it). A file that cannot be read or decoded raises a
    one-line :class:`UserError` (see :func:`read_bytes` and :func:`decode_utf8`).
    """
    return decode_utf8(read_bytes(path, expect=expect), str(path), keep_bom=keep_bom)


def iter_jsonl_dicts(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file.

    Bad input raises :class:`UserError` naming the file and line.
    """
    yield from iter_jsonl_text(read_text(path, expect="a JSONL file"), str(path))


def iter_jsonl_text(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in iter_nonblank_lines(text):
        yield number, parse_jsonl_line(line, name, number)


def parse_jsonl_line(line: str, name: str, number: int) -> dict[str, Any]:
    """One JSONL line as an object; bad input is a :class:`UserError` naming the file and line."""
    return parse_json(line, name, dict, "a JSON object", line=number)


def parse_json(text: str, name: str, expected: type, described: str, *, line: int | None = None) -> Any:
    """``text`` as JSON of type ``expected``; bad input is a :class:`UserError`
    naming the file and line: ``line`` where the text is one line of the file,
    else the line JSON's parser stopped at."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{name}:{line if line is not None else exc.lineno}: bad JSON: {exc.msg} (column {exc.colno})") from None
    return check_json_type(obj, name if line is None else f"{name}:{line}", expected, described)


def check_json_type(obj: Any, where: str, expected: type, described: str) -> Any:
    """``obj``, parsed JSON, when it is of type ``expected``; else a :class:`UserError`
    ``WHERE: expected DESCRIBED, got TYPE``."""
    if not isinstance(obj, expected):
        raise UserError(f"{where}: expected {described}, got {type(obj).__name__}")
    return obj


def decode_utf8(raw: bytes, name: str, *, keep_bom: bool = False) -> str:
    """Decode UTF-8 (a leading BOM dropped unless ``keep_bom``); undecodable input
    is a user error ``NAME:LINE: not valid UTF-8 (...)``."""
    try:
        return raw.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as exc:
        # utf-8-sig counts the offset after a BOM it dropped: count it in raw.
        start = exc.start + (len(_BOM) if not keep_bom and raw.startswith(_BOM) else 0)
        line = raw[:start].count(b"\n") + 1
        raise UserError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{raw[start]:02x} at offset {start}); "
            "convert the file to UTF-8 first"
        ) from None


_BOM = b"\xef\xbb\xbf"


def read_articles(path: str | Path) -> list[Article]:
    """Read a JSONL file of article records (structure errors raise UserError)."""
    articles = []
    for number, obj in iter_jsonl_dicts(path):
        articles.append(article_from_dict_checked(obj, f"{path}:{number}"))
    return articles


def article_from_dict_checked(obj: dict[str, Any], where: str) -> Article:
    if "id" not in obj or "text" not in obj:
        raise UserError(f"{where}: a record needs 'id' and 'text'")
    if not isinstance(obj["text"], str):
        raise UserError(f"{where}: 'text' must be a string")
    try:
        return Article.from_dict(obj)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise UserError(f"{where}: malformed record: {exc!r}") from None


def dumps_article(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False)


def write_articles(path: str | Path, articles: Iterable[Article]) -> int:
    """Write records atomically: a failure leaves no half-written file."""
    with atomic_writer(path) as handle:
        count = 0
        for article in articles:
            handle.write(dumps_article(article) + "\n")
            count += 1
    return count


def check_writable(path: str | Path) -> None:
    """A file or folder can be created at ``path``: tried in its folder (or in
    the nearest one that exists, where the writer makes the missing ones, as
    :func:`atomic_directory` does), not guessed from the mode bits (root
    ignores them; a read-only mount does not show in them)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    fd, probe = _temp_file_beside(path, folder, ".probe")
    os.close(fd)
    os.unlink(probe)


def _temp_file_beside(path: Path, directory: Path, suffix: str) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=directory)
    except OSError as exc:
        raise UserError(f"{path}: cannot write in folder {directory}: {exc.strerror}") from None


STDOUT_NAME = "-"  # an output path that means standard output


def is_stdout(path: str | Path | None) -> bool:
    """``-o -``: write to standard output, not to a file named ``-``."""
    return path is not None and str(path) == STDOUT_NAME


class atomic_writer:
    """Open a temporary file beside ``path``; rename it over ``path`` on success only.

    ``-`` is standard output (written as it comes, and left open). A folder
    that does not exist or cannot be written is a one-line :class:`UserError`.
    """

    def __init__(self, path: str | Path, mode: str = "w"):
        self.path = Path(path)
        self.mode = mode
        self._tmp: str | None = None
        self._handle = None
        self._stdout = is_stdout(path)

    def __enter__(self):
        if self._stdout:
            return sys.stdout.buffer if "b" in self.mode else sys.stdout
        directory = self.path.parent if str(self.path.parent) else Path(".")
        if not directory.exists():
            raise UserError(f"{self.path}: folder {directory} does not exist")
        fd, self._tmp = _temp_file_beside(self.path, directory, ".part")
        self._handle = os.fdopen(fd, self.mode, encoding=None if "b" in self.mode else "utf-8")
        return self._handle

    def __exit__(self, exc_type, exc, tb):
        if self._stdout:
            (sys.stdout.buffer if "b" in self.mode else sys.stdout).flush()
            return False
        assert self._handle is not None and self._tmp is not None
        self._handle.close()
        if exc_type is None:
            # mkstemp makes the file private (0600); give it the usual mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)
            os.replace(self._tmp, self.path)
        else:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
        return False


@contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """Build a folder beside ``path`` and move it into place only on success.

    An interrupted or failed run leaves the old folder (or nothing) in place,
    never a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        yield staging
        staging.chmod(0o755)
        if path.exists():
            shutil.rmtree(path)
        staging.rename(path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def iter_nonblank_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line_number, line)`` for the non-blank lines of a JSONL text.

    Splits on "\n" only: str.splitlines() also breaks on U+2028 and friends,
    which json.dumps(ensure_ascii=False) leaves unescaped inside strings.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            yield number, line
