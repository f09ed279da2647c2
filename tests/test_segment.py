"""Segmentation: kinds, exact sentence offsets, quotation state across paragraphs."""

from saidwho.pipeline.segment import segment_text, split_sentences


def kinds(text):
    return [(s.kind, text[s.start:s.end]) for s in segment_text(text)]


def test_tricky_abbreviations_do_not_split():
    text = "Mr. Ortiz met U.S. officials on Oct. 23 at 4 p.m. in the capital. They left."
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "Mr. Ortiz met U.S. officials on Oct. 23 at 4 p.m. in the capital.",
        "They left.",
    ]


def test_offsets_index_original_text_and_cover_it():
    text = "Headline here\n\nFirst  sentence.   Second one!\nThird?\n"
    segments = segment_text(text)
    for s in segments:
        assert text[s.start:s.end] == text[s.start:s.end].strip()
    covered = "".join(text[s.start:s.end] for s in segments)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_closing_quote_belongs_to_its_sentence():
    text = "“We will not wait.” She left the room."
    spans = split_sentences(text, 0, len(text))
    assert text[spans[0][0]:spans[0][1]] == "“We will not wait.”"


def test_segment_kinds():
    text = (
        "Dock strike enters third day\n\n"
        "Union and operators trade blame over pay\n\n"
        "By Marta Kowalczyk\n\n"
        "Workers picket outside a terminal on Tuesday. (Jan de Vries/Saidwho Wire)\n\n"
        "Updated: Oct. 23, 2026\n\n"
        "WASHINGTON (Reuters) —\n\n"
        "The strike began on Monday. Ships are waiting.\n\n"
        "Foot in the Door\n\n"
        "Talks resume on Thursday.\n\n"
        "Dock strike enters third day\n\n"
        "0:00\n"
    )
    got = kinds(text)
    assert got[0] == ("headline", "Dock strike enters third day")
    assert got[1][0] == "dek"
    assert got[2] == ("byline", "By Marta Kowalczyk")
    assert got[3][0] == "caption"
    assert got[4][0] == "meta"
    assert got[5][0] == "dateline"
    assert got[6:8] == [("body", "The strike began on Monday."), ("body", "Ships are waiting.")]
    assert got[8] == ("heading", "Foot in the Door")
    assert got[9] == ("body", "Talks resume on Thursday.")
    assert got[10][0] == "headline"
    assert got[11] == ("meta", "0:00")


def test_duplicate_headline_is_marked():
    text = "Strike ends\n\nThe strike ended.\n\nStrike ends\n"
    segments = segment_text(text)
    assert segments[-1].kind == "headline" and segments[-1].layout.duplicate
    assert not segments[0].layout.duplicate


def test_multi_paragraph_quote_state():
    text = (
        "Title line\n\n"
        "Ortiz said the talks had failed.\n\n"
        "“We came with a fair offer. We were told to wait.\n\n"
        "“Nobody here is against cranes. But nobody will say thank you,” she said.\n\n"
        "The port was quiet."
    )
    seg = [s for s in segment_text(text) if s.kind == "body"]
    by_text = {text[s.start:s.end]: s.quotes for s in seg}
    first_open = text.index("“We came")
    a = by_text["“We came with a fair offer."]
    b = by_text["We were told to wait."]
    c = by_text["“Nobody here is against cranes."]
    d = by_text["But nobody will say thank you,” she said."]
    assert not a.in_quote_start and a.in_quote_end and a.quote_open == first_open
    assert b.in_quote_start and b.quoted_share == 1.0 and b.quote_open == first_open
    # the next paragraph reopens the same quotation
    assert c.quote_open == first_open
    assert d.in_quote_start and not d.in_quote_end and d.quote_open == first_open
    assert by_text["The port was quiet."].quote_open is None
    assert by_text["Ortiz said the talks had failed."].quoted_share == 0.0


def test_unclosed_quote_does_not_spill_into_next_paragraph():
    text = "Title\n\nHe said \"this is odd.\n\nThe next paragraph is plain. Really plain."
    seg = [s for s in segment_text(text) if s.kind == "body"]
    last = seg[-1].quotes
    assert last.quote_open is None and not last.in_quote_start


def test_straight_and_mixed_marks():
    text = "Title\n\n\"It is over,\" she said. Then “it began” again."
    seg = [s for s in segment_text(text) if s.kind == "body"]
    assert seg[0].quotes.quoted_share > 0.4
    assert 0 < seg[1].quotes.quoted_share < 0.7
    assert not seg[1].quotes.in_quote_start


def test_apostrophes_are_not_quotes():
    text = "Title\n\nThe union’s chief didn’t sign the workers’ deal. It was late."
    seg = [s for s in segment_text(text) if s.kind == "body"]
    assert all(s.quotes.quoted_share == 0 for s in seg)


def test_annotate_existing_matches_segmenter():
    from saidwho.records import Article
    from saidwho.pipeline.segment import annotate_existing

    text = "Title line\n\nOrtiz spoke.\n\n“We came. We waited.\n\n“Nobody came,” she said.\n"
    fresh = segment_text(text)
    article = Article(id="x", text=text, sentences=[type(s)(s.start, s.end, s.kind) for s in fresh])
    annotate_existing(article)
    for mine, theirs in zip(article.sentences, fresh):
        assert mine.layout.paragraph == theirs.layout.paragraph
        assert mine.layout.first_in_paragraph == theirs.layout.first_in_paragraph
        for key in ("in_quote_start", "in_quote_end", "quote_open"):
            assert getattr(mine.quotes, key) == getattr(theirs.quotes, key), key


def test_dash_credit_line_joins_the_quote_it_credits():
    text = "Title\n\n“We are hard-working people. We pay taxes.”\n― Carla Sanchez.\n\nThe vote is on Monday."
    seg = [text[s.start:s.end] for s in segment_text(text) if s.kind == "body"]
    assert seg == ["“We are hard-working people.", "We pay taxes.”\n― Carla Sanchez.", "The vote is on Monday."]


def test_closing_mark_typed_as_an_opening_mark_opens():
    # Pasted reader comments often open with ” instead of “.
    text = "Title\n\n”He is unfit. He has spread fear.” ― Dana Ortiz\n\nThe vote is on Monday."
    seg = [s for s in segment_text(text) if s.kind == "body"]
    assert seg[0].quotes.quoted_share > 0.8 and seg[0].quotes.in_quote_end
    assert seg[1].quotes.quoted_share > 0.5
    assert seg[-1].quotes.quoted_share == 0


def test_two_apostrophes_make_a_double_quote():
    text = "Title\n\n''You'd think they would be up in arms,'' said Mr. Holtz-Eakin. It was late."
    seg = [s for s in segment_text(text) if s.kind == "body"]
    (lo, hi), = seg[0].quotes.quoted_spans
    assert text[lo:hi] == "''You'd think they would be up in arms,''"
    assert seg[1].quotes.quoted_share == 0


def test_a_quote_ending_in_an_exclamation_or_question_mark_keeps_its_inverted_cue():
    # ANNOTATION.md: a closing quote mark belongs to the sentence it closes;
    # the cue that follows in lower case is the same sentence.
    text = 'Title\n\n"We won!" said the mayor, Jane Smith. "Why now?" asked Tom Brown. He shouted “Stop!” Then he left.'
    seg = [text[s.start:s.end] for s in segment_text(text) if s.kind == "body"]
    assert seg == ['"We won!" said the mayor, Jane Smith.', '"Why now?" asked Tom Brown.', "He shouted “Stop!”", "Then he left."]


def test_mismatched_marks_close_the_quotation():
    # textacy's test case: an opening single mark closed by a double one.
    text = "Title\n\n'AMANDA, you stabbed me,\" a stunned Anna Ramirez told her twin. Edward said it was over."
    first, second = [s for s in segment_text(text) if s.kind == "body"]
    (lo, hi), = first.quotes.quoted_spans
    assert text[lo:hi] == "'AMANDA, you stabbed me,\""
    assert second.quotes.quoted_share == 0 and not second.quotes.in_quote_start


def test_numeric_dates_are_page_furniture():
    text = "Title\n\nUpdated: 7/31/2023\n\n7/31/2023\n\n07/31/2023 10:15 AM EDT\n\n0:00\n\nThe minister spoke."
    kinds = [(text[s.start:s.end], s.kind) for s in segment_text(text)][1:]
    assert kinds == [("Updated: 7/31/2023", "meta"), ("7/31/2023", "meta"), ("07/31/2023 10:15 AM EDT", "meta"), ("0:00", "meta"), ("The minister spoke.", "body")]


def test_a_title_abbreviation_does_not_end_a_sentence():
    text = "Title\n\nDel. Stacey Plaskett said it was over. He met Amb. Nikki Haley. Reporters asked Gov. Brown. He left."
    seg = [text[s.start:s.end] for s in segment_text(text) if s.kind == "body"]
    assert seg == ["Del. Stacey Plaskett said it was over.", "He met Amb. Nikki Haley.", "Reporters asked Gov. Brown.", "He left."]


def test_the_pysbd_shortcuts_give_pysbds_sentences():
    """A paragraph with nowhere to end before its last character skips pysbd;
    others go through pysbd's processor without its span mapping: same pieces."""
    import re

    from saidwho.pipeline.segment import _pysbd_segmenter, _pysbd_sentences

    paragraphs = [
        "The council met on Monday and approved the budget",
        "The council met on Monday. It approved the budget, Mayor Ruiz said.",
        "Dr. Smith arrived at 3 p.m. on Jan. 5. The U.S. team left.",
        "Why now? Because the money ran out! Officials were stunned…",
        "  One sentence with trailing space.  ",
    ]
    for paragraph in paragraphs:
        masked = re.sub(r"[“”\"«»„]", " ", paragraph)
        expected = [p.strip() for p in _pysbd_segmenter().segment(masked) if p.strip()]
        assert [p.strip() for p in _pysbd_sentences(masked)] == expected, paragraph
    assert _pysbd_sentences("   ") == []
