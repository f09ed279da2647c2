"""Records: round trips, JSONL reading errors, atomic writing."""

import json

import pytest

from saidwho.errors import UserError
from saidwho.io import read_articles, read_bytes, read_text, write_articles
from saidwho.records import Article, Sentence, Source


def sample() -> Article:
    text = "Prices rose. “It hurts,” she said.\u2028Done."
    return Article(
        id="a1",
        text=text,
        title="t",
        sources=[Source("s1", "Carla Ruiz", "person", ["Ms. Ruiz"])],
        sentences=[
            Sentence(0, 12, "body", "reported_fact"),
            Sentence(13, 34, "body", "sourced_claim", speaker="s1", speaker_span=(25, 28), cue_span=(29, 33), confidence=0.9, scores={"sourced_claim": 0.9}),
        ],
        extra={"corpus": "test"},
    )


def test_round_trip_keeps_everything(tmp_path):
    path = tmp_path / "r.jsonl"
    write_articles(path, [sample()])
    (back,) = read_articles(path)
    assert back == sample()
    assert back.extra == {"corpus": "test"}
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["sentences"][1]["text"] == "“It hurts,” she said."
    assert line["sentences"][1]["speaker_span"] == [25, 28]


def test_bad_json_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{"id": \n', encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.jsonl:3: bad JSON"):
        read_articles(path)


def test_missing_text_is_user_error(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"r\.jsonl:1: a record needs"):
        read_articles(path)


def test_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "out.jsonl"

    def broken():
        yield sample()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_articles(path, broken())
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the one reading helper


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message
    return message


def test_read_helper_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    assert one_line_error(read_bytes, path) == f"{path}: no such file"
    assert one_line_error(read_text, path) == f"{path}: no such file"
    assert one_line_error(read_articles, path) == f"{path}: no such file"


def test_read_helper_directory(tmp_path):
    assert one_line_error(read_text, tmp_path) == f"{tmp_path}: is a directory, expected a file"
    assert one_line_error(read_articles, tmp_path) == f"{tmp_path}: is a directory, expected a JSONL file"


def test_read_helper_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("First line\nCaf\u00e9 au lait\n".encode("latin-1"))
    assert one_line_error(read_text, path) == (
        f"{path}:2: not valid UTF-8 (byte 0xe9 at offset 14); convert the file to UTF-8 first"
    )
    # after a byte order mark the offset still counts from the file's first byte
    path.write_bytes(b"\xef\xbb\xbf" + "First line\nCaf\u00e9\n".encode("latin-1"))
    assert one_line_error(read_text, path).startswith(f"{path}:2: not valid UTF-8 (byte 0xe9 at offset 17)")
    assert one_line_error(read_text, path, keep_bom=True).startswith(f"{path}:2: not valid UTF-8 (byte 0xe9 at offset 17)")


def test_read_text_keeps_newlines_and_optionally_the_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\rthree\n")
    assert read_text(path) == "one\r\ntwo\rthree\n"
    assert read_text(path, keep_bom=True) == "\ufeffone\r\ntwo\rthree\n"


# ---------------------------------------------------------------- attribution mode: object and record agree


def test_attribution_mode_is_the_mode_the_record_writes():
    from saidwho.records import Attribution, QuoteState

    quoted = QuoteState(quoted_share=0.8)
    sentence = Sentence(0, 10, "body", "sourced_claim", quotes=quoted, attribution=Attribution("verb", None, None, 0.9))
    assert sentence.attribution.mode == quoted.mode == sentence.to_dict()["attribution"]["mode"] == "direct"
    sentence.quotes = QuoteState(quoted_share=0.2)  # a later quotation state: the derived mode follows it
    assert sentence.attribution.mode == sentence.to_dict()["attribution"]["mode"] == "mixed"
    sentence.attribution = Attribution("verb", None, None, 0.9)
    assert sentence.attribution.mode == "mixed"
    # a mode given (read from a record) is kept, whatever the quotation state says
    sentence.attribution = Attribution("verb", None, None, 0.9, mode="indirect")
    sentence.quotes = QuoteState(quoted_share=1.0)
    assert sentence.attribution.mode == sentence.to_dict()["attribution"]["mode"] == "indirect"
    back = Sentence.from_dict(sentence.to_dict())
    assert back.attribution.mode == "indirect"
    sentence.attribution = None
    assert "attribution" not in sentence.to_dict()


def test_readme_example_prints_the_mode_of_the_record():
    """The README's Python example: ``sentence.attribution.mode`` is what ``to_dict()`` reports."""
    from saidwho import load
    from saidwho.records import QUOTE_MODES

    nlp = load("rules")
    article = nlp("Harbour talks stall\n\nThe port authority said cargo handling had stopped. "
                  "“We are ready to talk,” said Dana Ortiz, the union’s negotiator.")
    record = article.to_dict()
    pairs = [(s.attribution.mode, r["attribution"]["mode"], s.quotes.mode)
             for s, r in zip(article.sentences, record["sentences"]) if "attribution" in r]
    assert pairs, "no sourced sentence with an attribution"
    for on_object, in_record, from_quotes in pairs:
        assert on_object == in_record == from_quotes and on_object in QUOTE_MODES
