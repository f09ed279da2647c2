"""Paragraph kinds (saidwho.pipeline.kinds): bylines, reader requests, kickers and other page furniture."""

from test_segment import kinds


def test_bylines_with_job_titles_and_several_names():
    from saidwho.pipeline.kinds import is_byline

    for line in (
        "By Elena Novak, Business Reporter",
        "By Marta Kowalczyk, Transport Correspondent, and Pieter Smit",
        "By Priya Raman and Jonas Weller",
        "By Ana Ruiz, Tom Berg and Jan de Vries",
        "BY ELENA NOVAK, STAFF WRITER",
        "Written by Elena Novak | Health Editor",
        "Elena Novak, Business Reporter",
        "Elena Novak | Health Reporter",
        "Elena Novak | Northfield Courier",
        "By Miriam Achterberg, columnist",
    ):
        assert is_byline(line), line
    for line in (
        "By Monday, the strike had spread to three ports.",
        "By Elena Novak's own account, the plan failed.",
        "Tomas Berg, the chief executive, said the line would close.",
        "By the end of the day, prices had fallen by half.",
        "Bryant Rousseau and Caryn Wilson contributed reporting.",
        "Politics | Europe",
        "Economic Scene",
    ):
        assert not is_byline(line), line


def test_reader_solicitations_are_page_furniture():
    from saidwho.pipeline.kinds import is_solicitation

    for line in (
        "Have a news tip?",
        "Got a story we should look into? Contact the newsdesk at news@herald.example.",
        "Email tips@gazette.example",
        "Email tips@wire.example or message the newsroom on Signal.",
        "Sign up for Morning Wire, our daily briefing on business and the economy.",
        "Subscribe to our newsletter for more local news.",
        "Follow us on Mastodon for more business news.",
        "Tips? Write to desk@paper.example.",
    ):
        assert is_solicitation(line), line
    for line in (
        "The complaint was sent to ceo@firm.example on Monday, the documents show.",
        "Have you got any news for the workers?",
        "Have the talks failed?",
        "Signups for the scheme fell by a third last year.",
        "Subscribers lost access to the service on Monday.",
    ):
        assert not is_solicitation(line), line


def test_furniture_lines_get_non_body_kinds():
    text = (
        "Business\n\n"
        "Grain exporter cuts 300 jobs at Lindqvist mill\n\n"
        "The closure ends a century of flour production in the town.\n\n"
        "By Elena Novak, Business Reporter\n\n"
        "Norrvik Grain said on Monday it would close the line. About 300 jobs go.\n\n"
        "Have a news tip?\n\n"
        "Email tips@gazette.example\n\n"
        "It is a sad end for a mill that once fed half the region.\n\n"
        "Sign up for Morning Wire, our daily briefing on business and the economy.\n"
    )
    assert kinds(text) == [
        ("meta", "Business"),
        ("headline", "Grain exporter cuts 300 jobs at Lindqvist mill"),
        ("dek", "The closure ends a century of flour production in the town."),
        ("byline", "By Elena Novak, Business Reporter"),
        ("body", "Norrvik Grain said on Monday it would close the line."),
        ("body", "About 300 jobs go."),
        ("meta", "Have a news tip?"),
        ("meta", "Email tips@gazette.example"),
        ("body", "It is a sad end for a mill that once fed half the region."),
        ("meta", "Sign up for Morning Wire, our daily briefing on business and the economy."),
    ]


def test_a_section_trail_above_the_headline_and_a_bare_name_byline():
    text = (
        "News › Health\n\n"
        "Hospital opens night clinic for minor injuries\n\n"
        "Patients with small cuts no longer wait in the emergency ward.\n\n"
        "Elena Novak\n\n"
        "The clinic opened on Tuesday.\n"
    )
    assert [k for k, _ in kinds(text)] == ["meta", "headline", "dek", "byline", "body"]
    # A short Title Case line that is not a name (a column name) stays what it was.
    column = "Markets fall again\n\nEconomic Scene\n\nShares fell on Monday.\n"
    assert [k for k, _ in kinds(column)][:2] == ["headline", "heading"]


def test_a_short_first_line_is_a_kicker_only_above_a_headline():
    # The line under it is a whole paragraph (two sentences, a full stop):
    # the short first line is the headline, as before.
    text = "Refugees\n\nThe camp closed on Monday. Families moved to the town.\n\nMore came later.\n"
    assert [k for k, _ in kinds(text)][0] == "headline"
    text = "Title\n\n”He is unfit. He has spread fear.” ― Dana Ortiz\n\nThe vote is on Monday."
    assert [k for k, _ in kinds(text)][0] == "headline"
    # A lead-in to a quotation ("... put it simply:") is body, not a headline under a kicker.
    for lead in ("The mayor put it simply:", "Here is what the minister told reporters:"):
        text = f"Floods\n\n{lead}\n\n“The river will rise again.”\n"
        assert [k for k, _ in kinds(text)][:2] == ["headline", "body"], lead
