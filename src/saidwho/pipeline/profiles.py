"""Source profiles: who each source is, as far as the article says (issue 22).

For every source the resolver found, :class:`SourceProfiler` reads the
article around the source's mentions and fills a
:class:`~saidwho.records.SourceProfile` (docs/annotation.md section 5):

- ``title`` and ``affiliation``: the role the article writes beside the
  source and the organisation in it, read by :mod:`saidwho.pipeline.roles`;
- ``category``: from the words of the title, the affiliation and, for
  organisations and groups, the name (word lists in :mod:`saidwho.lexicon`);
- ``gender`` (persons): pronouns the article uses for the person as a
  speaker or right after a mention, an honorific, a gendered noun in the
  title; ``unknown`` without evidence (a first name is never evidence here);
- ``anonymity_reason`` (anonymous sources): the writer's justification near
  the source's mentions ("was not authorized to speak publicly", "on
  condition of anonymity because ...");
- ``party``: "(R-Texas)", "D-Calif.", "a Democrat", "Republican Sen. X".

Everything is read from the text: no world knowledge, no name lists.
"""

from __future__ import annotations

import re

from saidwho.lexicon import (
    CATEGORY_WORDS,
    FEMALE_NOUNS,
    FEMALE_PRONOUNS,
    MALE_NOUNS,
    MALE_PRONOUNS,
    MALE_TITLE_WORDS,
    FEMALE_TITLE_WORDS,
)
from saidwho.pipeline.component import Component
from saidwho.pipeline.roles import (
    ALL_ROLE_WORDS,
    PARTY_WORDS,
    Mentions,
    NamedBefore,
    affiliation_of,
    description_votes,
    mention_starts,
    mentions_of,
    own_surname,
    source_named,
    source_title,
    trim_title,
    who_clause,
    without_named_prefix,
)
from saidwho.records import Article, Source, SourceProfile, Span

_PUBLICLY_OWNED = re.compile(r"\b(?:city|state|publicly|government|municipally|council|county)[- ]owned\b", re.I)
# A government named by its seat.
_SEAT_OF_GOVERNMENT = re.compile(r"\b(?:White House|Kremlin|Downing Street|Élysée Palace|Blue House)\b")
_PUBLIC_BODY = re.compile(r"\b(?:council|committee|commission)\b", re.I)
_SMALL_BUSINESS = re.compile(r"(?:runs|owns|manages)\s+(?:a|an|the|his|her|their)\s+(?:[\w'’-]+\s+){0,3}(?:firm|shop|stall|bakery|business|restaurant|cafe|café|farm|store|bar|pub)\b", re.I)
_PARTY_WORD_AFTER = re.compile(r"^\s*,\s+(?:a|the)\s+(Democrat|Republican|Independent|Libertarian|Green)\b")
_PARTY_BEFORE = re.compile(r"\b(Democratic|Republican|GOP|Labour|Conservative|Liberal)\s+(?:(?:[\w.]+\s+){0,3})$")
_PARTY_NAMES = {"R": "Republican", "D": "Democrat", "I": "Independent", "Democratic": "Democrat", "GOP": "Republican"}
# The writer's reasons for not naming a source (docs/annotation.md section 5).
ANONYMITY_REASON = re.compile(
    r"(?:who|because\s+(?:he|she|they|the\s+\w+)|as\s+(?:he|she|they))?\s*"
    r"(?:(?:was|were|is|are)\s+not\s+(?:authori[sz]ed|permitted|allowed|cleared)\s+to\s+[\w\s]{2,40}?"
    r"|(?:spoke|speaking|talked|talking)\s+on\s+(?:the\s+)?condition\s+of\s+anonymity"
    r"|on\s+(?:the\s+)?condition\s+of\s+anonymity"
    r"|(?:asked|requested|declined)\s+(?:not\s+to\s+be\s+(?:named|identified)|to\s+be\s+named|anonymity)"
    r"|(?:requested|was\s+granted|were\s+granted|granted)\s+anonymity"
    r"|for\s+fear\s+of\s+[\w\s]{2,40}?"
    r"|to\s+discuss\s+(?:private|internal|confidential|sensitive|ongoing)\s+[\w\s]{2,40}?"
    r"|because\s+(?:the\s+)?(?:talks|matter|negotiations|discussions|investigation|deliberations|process|decision)\s+"
    r"(?:is|are|was|were|remains?|remained)\s+(?:confidential|private|ongoing|sensitive|not\s+public)"
    r"|because\s+(?:he|she|they)\s+(?:was|were|is|are)\s+not\s+authori[sz]ed\s+to\s+[\w\s]{2,40}?)"
    r"(?:\s+(?:because|to\s+discuss|as|for\s+fear\s+of)\s+[^.;:“”\"]{2,80}?)?(?=[,.;:“”\"]|\s+(?:said|says|told)\b|$)",
    re.I,
)


# A politician's people ("Calloway's allies", "Romney associates"): politician,
# as campaigns and their staff are (annotation.md 5); critics and voters are not.
_STAFF = re.compile(r"\b(?:aides?|advis[eo]rs?|allies|ally|associates?|loyalists?|staff(?:ers?)?|surrogates?|"
                    r"strategists?|operatives?|confidants?|camp|team|spokes(?:man|woman|person|people))\b", re.I)


# People who back a campaign without working for it speak for themselves.
_BACKER = re.compile(r"\b(?:volunteers?|supporters?|voters?|fans?)\b", re.I)


class SourceProfiler(Component):
    """Pipeline component: fills each source's profile (docs/annotation.md section 5)."""

    name = "profiles"
    reads = frozenset({"sentences", "sources"})
    writes = frozenset({"sources"})
    scored_by = ("profile_category_accuracy", "profile_title_accuracy", "profile_gender_accuracy", "anonymity_reason_f1")

    def predict(self, article: Article) -> list[SourceProfile]:
        mentions = {s.id: mentions_of(article, s) for s in article.sources}
        pronouns = pronoun_votes(article.text, {s.id: mentions[s.id].names for s in article.sources if s.type == "person"})
        # The role as written ("former senior adviser to Romney"), before it is cut
        # to the title ("former senior adviser"): whom it serves decides below.
        roles = {s.id: source_title(article.text, s, mentions[s.id]) for s in article.sources}
        # A person the article never titles beside the name may be titled as the
        # subject of a later sentence ("... Ted Cruz ... The Texas senator said").
        described = description_votes(article.text, {s.id: mentions[s.id].names for s in article.sources
                                                     if s.type == "person" and roles[s.id] is None})
        roles.update(described)
        surnames = politician_surnames(article.text)
        profiles = [self._profile(article, source, mentions[source.id], roles[source.id], pronouns.get(source.id, []), surnames)
                    for source in article.sources]
        # A spokesperson or employee of an organisation that is a source of its
        # own speaks in that organisation's category ("a spokeswoman for Harbour
        # Lines" is business when Harbour Lines is).
        by_id = {source.id: profile for source, profile in zip(article.sources, profiles)}
        for source, profile in zip(article.sources, profiles):
            body = by_id.get(profile.affiliation_id) if profile.affiliation_id else None
            if source.type in ("person", "anonymous") and body is not None and body.category != "other":
                profile.category = body.category
        # Campaign staff: a role tied to a politician ("Sanders aide", "adviser to
        # Romney", "a spokesman for the campaign") is politician (annotation.md 5:
        # candidates, campaigns and their staff).
        politicians = [(s.id, s.name.split()[-1]) for s, p in zip(article.sources, profiles)
                       if s.type == "person" and p.category == "politician" and s.name.split()]
        politicians += [("", n) for n in surnames]
        for source, profile in zip(article.sources, profiles):
            if source.type in ("person", "anonymous", "organization") and profile.category != "politician":
                who = who_clause(article.text, mentions[source.id].proper) if source.type == "person" else None
                written = " ".join(filter(None, (roles[source.id], who, profile.affiliation,
                                                 source.name if source.type != "person" else None)))
                if _serves_a_politician(source, written, politicians):
                    profile.category = "politician"
        return profiles

    def set_annotations(self, article: Article, result: list[SourceProfile]) -> None:
        for source, profile in zip(article.sources, result):
            source.profile = profile

    def _profile(self, article: Article, source: Source, where: Mentions, written: str | None, pronouns: list[str],
                 politicians: frozenset[str]) -> SourceProfile:
        text = article.text
        title = trim_title(written) if written else None
        if title and all(w.lower() in PARTY_WORDS for w in title.split()):
            title = None  # "The Republican said": the party, not a role
        affiliation = affiliation_of(written) if written else None
        if title and source.type == "person":
            title, named = without_named_prefix(title, article.sources, source)
            affiliation = affiliation or named
        if source.type == "document":
            title = None  # a document has no role; "by X" gives its issuer
        profile = SourceProfile(title=title, affiliation=affiliation)
        if affiliation:
            profile.affiliation_id = source_named(article.sources, affiliation, other_than=source.id)
        profile.party = party_of(text, source, where)
        profile.category = category_of(source, title, affiliation, profile.party, text, politicians)
        if source.type == "person":
            profile.gender, profile.gender_evidence = gender_of(text, source, where, title, pronouns)
        if source.type == "anonymous":
            reason = anonymity_reason(text, article, source, where)
            if reason is not None:
                profile.anonymity_reason, profile.anonymity_reason_span = text[reason[0] : reason[1]], reason
        return profile


def _serves_a_politician(source: Source, written: str, politicians: list[tuple[str, str]]) -> bool:
    """Whether what the article writes of a source (its role, "who" clause,
    affiliation and, for groups, its name) ties it to a campaign or to a
    politician other than itself ((id, surname) pairs); backers do not count."""
    if not written or _BACKER.search(written):
        return False
    if re.search(r"\bcampaign|\bPAC\b", written, re.I):
        return True
    if source.type != "person" and not _STAFF.search(source.name):
        return False  # a group is a politician's only as staff ("Lund's allies"), not as critics
    own = own_surname(source)
    return any(re.search(rf"\b{re.escape(n)}\b", written) for i, n in politicians if i != source.id and n != own)


# ---------------------------------------------------------------- category


def _in_headline(text: str, source: Source) -> bool:
    """The person's surname is in the article's first line (its headline)."""
    last = source.name.split()[-1] if source.name.split() else ""
    first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
    return len(last) > 2 and re.search(rf"\b{re.escape(last)}\b", first_line) is not None


_POLITICIAN_BEFORE = re.compile(
    r"\b(?:Sen\.|Senator|Rep\.|Gov\.|Governor|President|Vice President|Mayor|Congressman|Congresswoman|Speaker|"
    r"candidate|nominee|front-?runner)\s+(?:[A-Z][\w.'’-]*\s+){0,2}([A-Z][\w'’-]+)"
)
_POLITICIAN_AFTER = re.compile(r"\b([A-Z][\w'’-]+)(?:['’]s?)?\s+(?:(?:presidential|re-?election|\d{4})\s+)?(?:campaign|camp)\b|"
                               r"\b([A-Z][\w'’-]+)\s+\([RDI]-|"
                               r"\b([A-Z][\w'’-]+),\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}?(?:nominee|candidate|front-?runner|senator|"
                               r"governor|congressman|congresswoman|mayor|lawmaker)\b")


def politician_surnames(text: str) -> frozenset[str]:
    """Surnames the article itself marks as politicians anywhere: a political
    title before them ("Sen. Lindsey Graham", "nominee Mitt Romney"), a campaign
    of theirs ("Sanders's campaign", "the Trump campaign"), a party code ("Reid
    (D-Nev.)"), whether or not that mention speaks."""
    names = {m.group(1) for m in _POLITICIAN_BEFORE.finditer(text)}
    names |= {m.group(1) or m.group(2) or m.group(3) for m in _POLITICIAN_AFTER.finditer(text)}
    return frozenset(n.rstrip("'’s") if n.endswith(("'s", "’s")) else n for n in names if len(n) > 2)


_POLITICAL_WORDS = re.compile(r"\b(?:campaign|election|primary|primaries|nominee|nomination|candidate|caucus|delegates|"
                             r"Republicans?|Democrats?|Democratic|GOP|Senate|Congress|voters|polls?)\b")


def category_of(source: Source, title: str | None, affiliation: str | None, party: str | None, article_text: str = "",
                politicians: frozenset[str] | None = None) -> str:
    """The first category whose words the title, affiliation or name holds (in the
    lexicon's order of precedence); a stated party, or a surname the article marks
    as a politician's (``politicians``, default :func:`politician_surnames` of
    ``article_text``), makes a politician; a person with no role at all is a
    citizen; else ``other``."""
    if source.type == "document":
        words_from = [source.name, affiliation or ""]
    elif source.type == "person":
        words_from = [title or "", affiliation or ""]
    else:
        words_from = [source.name, title or "", affiliation or ""]
    if source.type != "person":
        words_from += list(source.aliases)  # "Valmora Water and Sewerage Company (VWSC), the city-owned utility"
    text = " ".join(words_from)
    seat = _SEAT_OF_GOVERNMENT.search(" ".join(words_from[1:] if source.type == "person" else words_from))  # not "White House correspondent"
    if _PUBLICLY_OWNED.search(text) or seat or (source.type == "organization" and _PUBLIC_BODY.search(source.name)):
        return "official"  # a city-owned company, "the White House", the county council (its members are politicians)
    if source.type == "person" and title and _SMALL_BUSINESS.match(title):
        return "citizen"  # "runs a plumbing firm", "owns a bakery": speaking for themselves
    words = re.findall(r"[a-z][a-z&'’-]*", text.lower().replace("think tank", "think-tank"))  # not "allies think"
    head = (re.findall(r"[a-z][a-z&'’-]*", (title or "").lower()) or [""])[-1]
    if "-" in head.strip("-"):
        words.append(head.rsplit("-", 1)[1])  # the head "co-host" is a host (but "in-state director" no state)
    for category, lexicon in CATEGORY_WORDS.items():
        if any(w in lexicon or w.rstrip("s") in lexicon for w in words):
            return category
    if politicians is None:
        politicians = politician_surnames(article_text)
    last = source.name.split()[-1] if source.name.split() else ""
    if party or (source.type == "person" and len(last) > 2 and last[:1].isupper() and last in politicians):
        return "politician"  # "Trump's campaign", "the Clinton campaign": a candidate the article never calls one
    if source.type == "person" and (title or not _in_headline(article_text, source)):
        # A person with an occupation no category names ("crane operator",
        # "Captain"), or named without a role and not in the headline, speaks for
        # themself (vox pops, witnesses).
        return "citizen"
    # The article's subject named with no role, in its headline: in an article
    # about an election or a legislature, the candidate or lawmaker the story is
    # about (every such person in the four dev sets of docs/profiles.md was
    # annotated politician); elsewhere the article does not say who they are.
    if source.type == "person" and len(_POLITICAL_WORDS.findall(article_text)) >= 5:
        return "politician"
    return "other"


# ---------------------------------------------------------------- gender


_GENDERED_PRONOUN = re.compile(r"\b(he|she|his|her|him|himself|herself|hers)\b", re.I)
_QUOTATION = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


_OTHER_NAME = re.compile(r"(?<![\w.])(?:[A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+(?:Mc|Mac|O')?[A-Z][a-z]+(?![\w])")


def pronoun_votes(text: str, person_names: dict[str, list[Span]], reach: int = 250) -> dict[str, list[str]]:
    """Each gendered pronoun outside quotations, given to the person mentioned last
    before it (within ``reach`` characters): a small coreference, read as votes."""
    unquoted = _QUOTATION.sub(lambda m: " " * len(m.group(0)), text)
    # People who are not sources take pronouns too ("Ed Henry posted a photo of
    # Hillary Clinton with her staff": "her" is not his): any other full name
    # between a source's mention and a pronoun keeps the pronoun from it.
    taken = [(a, b) for spans in person_names.values() for a, b in spans]
    others = [(m.start(), "") for m in _OTHER_NAME.finditer(unquoted)
              if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken)
              and not {w.lower() for w in m.group(0).split()} & ALL_ROLE_WORDS]
    named_before = NamedBefore(mention_starts(person_names) + others, reach)
    votes: dict[str, list[str]] = {}
    for m in _GENDERED_PRONOUN.finditer(unquoted):
        who = named_before(m.start())
        if who:
            votes.setdefault(who, []).append(m.group(1))
    return votes


# Chosen on the four dev sets of docs/profiles.md (session 8): weights 1, 3, 5
# and majorities 2:1, 3:2, 1:1 were tried; 3 and 3:2 raised gender accuracy on
# two PolNeAR sets and changed nothing on the other two.
_SPEAKER_PRONOUN_WEIGHT = 3
_GENDER_MAJORITY = 1.5


def gender_of(text: str, source: Source, where: Mentions, title: str | None, pronouns: list[str]) -> tuple[str, list[str]]:
    """female / male / unknown, with the words that show it: an honorific or a
    gendered noun decides alone; else the pronouns of its speaker spans and the
    pronoun votes, by a 3:2 majority; none: unknown."""
    female: list[str] = []
    male: list[str] = []
    # An alias may be a description naming someone else ("a pollster with Mr.
    # Hale's firm"): only its words before any complement speak of the source.
    own_words = [re.split(r"\s+(?:of|for|to|with|at|from|under|by|and|who|whose)\s+", alias)[0] for alias in source.aliases]
    forms = [text[max(0, a - 6) : b] for a, b in where.proper] + own_words
    for form in forms:
        for word in FEMALE_TITLE_WORDS:
            if re.search(rf"\b{word}\b", form):
                female.append(word + ("." if word in ("Mrs", "Ms") else ""))
        for word in MALE_TITLE_WORDS:
            if re.search(rf"\b{word}\b", form):
                male.append(word + ("." if word == "Mr" else ""))
    for noun in re.findall(r"[a-z]+", " ".join([title or "", *own_words]).lower()):
        (female if noun in FEMALE_NOUNS else male if noun in MALE_NOUNS else []).append(noun)
    if bool(female) != bool(male):
        return ("female", _first(female)) if female else ("male", _first(male))
    she = [text[a:b] for a, b in where.speaker_spans if text[a:b].lower() in FEMALE_PRONOUNS]
    he = [text[a:b] for a, b in where.speaker_spans if text[a:b].lower() in MALE_PRONOUNS]
    # A pronoun the speaker stage resolved to this person ("she said") weighs
    # more than one that merely follows a mention (_SPEAKER_PRONOUN_WEIGHT);
    # the larger side must outweigh the other by _GENDER_MAJORITY.
    she, he = she * _SPEAKER_PRONOUN_WEIGHT, he * _SPEAKER_PRONOUN_WEIGHT
    she += [p for p in pronouns if p.lower() in ("she", "her", "herself", "hers")]
    he += [p for p in pronouns if p.lower() in ("he", "his", "him", "himself")]
    if len(she) > _GENDER_MAJORITY * len(he):
        return "female", _first(she)
    if len(he) > _GENDER_MAJORITY * len(she):
        return "male", _first(he)
    return "unknown", []


def _first(words: list[str], n: int = 3) -> list[str]:
    seen: list[str] = []
    for w in words:
        if w.lower() not in (s.lower() for s in seen):
            seen.append(w)
    return seen[:n]


# ---------------------------------------------------------------- anonymity and party


def anonymity_reason(text: str, article: Article, source: Source, where: Mentions) -> Span | None:
    """The writer's reason for a source's anonymity: in a sentence it speaks or is
    named in, or the sentence after its first (a sourcing note: "The officials
    spoke on condition of anonymity because ...")."""
    spoken = [i for i, s in enumerate(article.sentences) if s.speaker == source.id]
    spans = [(article.sentences[i].start, article.sentences[i].end) for i in spoken[:4]]
    anonymous = {s.id for s in article.sources if s.type == "anonymous"}
    for i in spoken[:4]:
        for following in article.sentences[i + 1 : i + 3]:
            if following.speaker is None or following.speaker in anonymous:
                spans.append((following.start, following.end))
    spans += [(s.start, s.end) for s in article.sentences for a, _ in where.names[:4] if s.start <= a < s.end]
    for start, end in sorted(set(spans)):
        m = ANONYMITY_REASON.search(text, start, end)
        if m:
            a, b = m.span()
            while a < b and text[a] in " ,":
                a += 1
            return (a, b) if b > a else None
    return None


def party_of(text: str, source: Source, where: Mentions) -> str | None:
    for start, end in where.names[:8]:
        after = text[end : end + 30]
        m = re.match(r"\s*[,(]\s*([RDI])-\s?[A-Z]", after) or _PARTY_WORD_AFTER.match(after)
        if m:
            return _PARTY_NAMES.get(m.group(1), m.group(1))
        m = _PARTY_BEFORE.search(text[max(0, start - 40) : start])
        if m:
            return _PARTY_NAMES.get(m.group(1), m.group(1))
    return None
