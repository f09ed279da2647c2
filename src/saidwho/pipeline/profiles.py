"""Source profiles: who each source is, as far as the article says (issue 22).

For every source the resolver found, :class:`SourceProfiler` reads the
article around the source's mentions and fills a
:class:`~saidwho.records.SourceProfile` (docs/annotation.md section 5):

- ``title``: a title written before the name ("Superintendent Karen
  Whitfield", "former Gov. Ana Pereira"), else an appositive after it ("Dana
  Ortiz, the union's chief negotiator,"), else, for an unnamed person, the
  description itself ("a spokeswoman for the ministry");
- ``affiliation``: the organisation in that title ("of/for/at X", "X's"),
  linked to X's own source entry when it has one;
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
from bisect import bisect_left
from dataclasses import dataclass

from saidwho.lexicon import (
    CATEGORY_WORDS,
    HONORIFICS,
    INSTITUTION_WORDS,
    QUANTIFIERS,
    ROLE_NOUNS,
    ROLE_VERBS,
    FEMALE_NOUNS,
    FEMALE_PRONOUNS,
    MALE_NOUNS,
    MALE_PRONOUNS,
    MALE_TITLE_WORDS,
    FEMALE_TITLE_WORDS,
)
from saidwho.names import name_tokens, normalise_name, role_before_name, split_title
from saidwho.pipeline.component import Component
from saidwho.pipeline.people import common_words
from saidwho.records import Article, Source, SourceProfile, Span

# "the union's chief negotiator", "a spokeswoman for the ministry", "an analyst at Carver Securities".
_AFFILIATION_OF = re.compile(r"\b(?:of|for|at|with|from|by)\s+((?:the\s+)?(?:[A-Z][\w&.'’-]*)(?:\s+(?:of|for|and|&|the|[A-Z][\w&.'’-]*))*)")
_AFFILIATION_LOWER = re.compile(r"\b(?:of|for|at|with|from)\s+(the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})\s*$")
_POSSESSIVE = re.compile(r"^((?:the\s+)?[\w&.'’ -]+?)['’]s\s+(.+)$", re.I)
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


@dataclass
class _Mentions:
    """Where a source is written: (start, end) of each occurrence of its name, its
    aliases and (persons) its surname; of those, the forms of the name itself
    ("Ms. Vance", "Vance", not "the minister"); and its speaker spans."""

    names: list[Span]
    speaker_spans: list[Span]
    proper: list[Span]


class SourceProfiler(Component):
    """Pipeline component: fills each source's profile (docs/annotation.md section 5)."""

    name = "profiles"
    reads = frozenset({"sentences", "sources"})
    writes = frozenset({"sources"})
    scored_by = ("profile_category_accuracy", "profile_title_accuracy", "profile_gender_accuracy", "anonymity_reason_f1")

    def predict(self, article: Article) -> list[SourceProfile]:
        mentions = {s.id: _mentions(article, s) for s in article.sources}
        pronouns = pronoun_votes(article.text, {s.id: mentions[s.id].names for s in article.sources if s.type == "person"})
        # The role as written ("former senior adviser to Romney"), before it is cut
        # to the title ("former senior adviser"): whom it serves decides below.
        roles = {s.id: source_title(article.text, s, mentions[s.id]) for s in article.sources}
        # A person the article never titles beside the name may be titled as the
        # subject of a later sentence ("... Ted Cruz ... The Texas senator said").
        described = description_votes(article.text, {s.id: mentions[s.id].names for s in article.sources
                                                     if s.type == "person" and roles[s.id] is None})
        roles.update(described)
        profiles = [self._profile(article, source, mentions[source.id], roles[source.id], pronouns.get(source.id, []))
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
        politicians += [("", n) for n in politician_surnames(article.text)]
        for source, profile in zip(article.sources, profiles):
            who = _who_clause(article.text, mentions[source.id].proper) if source.type == "person" else None
            written = " ".join(filter(None, (roles[source.id], who, profile.affiliation, source.name if source.type in ("anonymous", "organization") else None)))
            if source.type in ("person", "anonymous", "organization") and profile.category != "politician" and written and not _BACKER.search(written) and (
                re.search(r"\bcampaign|\bPAC\b", written, re.I)
                or any(re.search(rf"\b{re.escape(n)}\b", written) for i, n in politicians
                       if i != source.id and n != _own_surname(source)
                       and (source.type == "person" or _STAFF.search(source.name)))
            ):
                profile.category = "politician"
        return profiles

    def set_annotations(self, article: Article, result: list[SourceProfile]) -> None:
        for source, profile in zip(article.sources, result):
            source.profile = profile

    def _profile(self, article: Article, source: Source, where: _Mentions, written: str | None, pronouns: list[str]) -> SourceProfile:
        text = article.text
        title = _trim_title(written) if written else None
        if title and all(w.lower() in _PARTY_WORDS for w in title.split()):
            title = None  # "The Republican said": the party, not a role
        affiliation = affiliation_of(written) if written else None
        if title and source.type == "person":
            title, named = _without_named_prefix(title, article.sources, source)
            affiliation = affiliation or named
        if source.type == "document":
            title = None  # a document has no role; "by X" gives its issuer
        profile = SourceProfile(title=title, affiliation=affiliation)
        if affiliation:
            profile.affiliation_id = _source_named(article.sources, affiliation, other_than=source.id)
        profile.party = party_of(text, source, where)
        profile.category = category_of(source, title, affiliation, profile.party, text)
        if source.type == "person":
            profile.gender, profile.gender_evidence = gender_of(text, source, where, title, pronouns)
        if source.type == "anonymous":
            reason = anonymity_reason(text, article, source, where)
            if reason is not None:
                profile.anonymity_reason, profile.anonymity_reason_span = text[reason[0] : reason[1]], reason
        return profile


# ---------------------------------------------------------------- mentions


def _mentions(article: Article, source: Source) -> _Mentions:
    own = set(name_tokens(source.name))
    forms = {f for f in (source.name, *source.aliases) if len(f) > 2}
    last = source.name.split()[-1] if source.name.split() else ""
    namesakes = [s for s in article.sources if s.id != source.id and s.type == "person" and s.name.split()[-1:] == [last]]
    if source.type == "person" and len(own) > 1 and not namesakes:
        forms.add(last)  # "Ms. Vance" after "Helen Vance" (not where two people share the surname)
    names: list[Span] = []
    proper: list[Span] = []
    for form in sorted(forms, key=len, reverse=True):
        is_name = bool(name_tokens(form)) and set(name_tokens(form)) <= own
        for m in re.finditer(r"(?<![\w])" + re.escape(form) + r"(?![\w])", article.text):
            previous = re.search(r"([A-Z][\w'’-]*)\s+$", article.text[max(0, m.start() - 30) : m.start()])
            if (is_name and previous and previous.group(1).lower() not in own and not split_title(previous.group(1) + " X")[0]
                    and previous.group(1).lower() not in common_words()):
                continue  # "Ortiz" in "Dana Ortiz" is not Luis Ortiz
            if not any(a <= m.start() < b for a, b in names):
                names.append((m.start(), m.end()))
                if is_name:
                    proper.append((m.start(), m.end()))
    spans = [s.speaker_span for s in article.sentences if s.speaker == source.id and s.speaker_span]
    return _Mentions(sorted(names), spans, sorted(proper))


def _source_named(sources: list[Source], name: str, other_than: str) -> str | None:
    key = normalise_name(name)
    for source in sources:
        if source.id != other_than and source.type in ("organization", "document") and key in {
            normalise_name(f) for f in (source.name, *source.aliases)
        }:
            return source.id
    for source in sources:  # "the union" for "The Coastal Machinists Union": the head word in the name
        head = key.split()[-1] if key else ""
        if source.id != other_than and source.type == "organization" and head and head in normalise_name(source.name).split():
            return source.id
    return None


# ---------------------------------------------------------------- title and affiliation


def source_title(text: str, source: Source, where: _Mentions) -> str | None:
    """The role the article gives the source, nearest its first mention: a title
    before the name ("Rep.", "harbour master"), an appositive after it (", the
    union's chief negotiator,", ", who runs a food stall,"); an honorific alone
    ("Dr.", "Mr.") is no role. An unnamed person's description is its own title."""
    if source.type == "anonymous":
        return _role_description(source.name)
    if source.type == "document":
        for _, end in where.names[:4]:  # "A report published last week by the Maas Institute": issued for it
            m = re.match(r"[^.;“”\"]{0,40}?\bby\s+((?:the\s+)?[A-Z][\w&'’-]*(?:\s+(?:of|for|and|&|the|[A-Z][\w&'’-]*))*)", text[end : end + 140])
            if m:
                return "report by " + m.group(1).rstrip(" ,")
        return None
    if source.type != "person":
        return None
    first = source.name.split()[0].lower()
    if first in QUANTIFIERS or first.rstrip("s") in ROLE_NOUNS or first in ROLE_NOUNS:
        # An unnamed person: the description is the role, with whom it serves
        # where the text goes on ("a spokesman" in "a spokesman for Mitt Romney said").
        role = _role_description(source.name) or source.name
        for _, end in where.names[:1]:
            m = re.match(r"\s+((?:for|of|to|at|with)\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})", text[end : end + 80])
            if m and not re.search(r"\b(?:for|of|to|at|with)\b", source.name):
                role += " " + m.group(1)
        return role
    if not source.name[:1].isupper():
        m = re.match(r"((?:[a-z][\w'’-]*\s+)+)[A-Z]", source.name)  # "retired judge Anselm Kroll"
        if m:
            return m.group(1).strip()
    # Where the article gives several roles, the one nearest the first sourced
    # sentence (annotation.md 5): a talk-radio host earlier in the story may be
    # the campaign's field director where he speaks.
    anchor = where.speaker_spans[0][0] if where.speaker_spans else (where.proper[0][0] if where.proper else 0)
    found = [(abs(start - anchor), start, role) for start, end in where.proper
             if (role := _title_before(text, start, end) or _title_after(text, end))]
    if found:
        return min(found)[2]
    for form in source.aliases:
        title, proper = split_title(form)
        if title and proper and not _honorific_only(title):
            return title
    for form in source.aliases:  # "Meridan's chief executive", "The hospital's medical director"
        words = re.findall(r"[\w'’-]+", form.lower())
        if words and not name_tokens(form) or (words and words[-1].rstrip("s") in ROLE_NOUNS):
            if words and (words[-1].rstrip("s") in ROLE_NOUNS or words[-1] in ROLE_NOUNS):
                return form
    for form in source.aliases:  # a role the speaker stage took off the name ("former neurosurgeon Ben Carson")
        split = role_before_name(form)
        if split and normalise_name(split[1]) == normalise_name(source.name):
            return split[0]
    return None


def _trim_title(title: str) -> str:
    """A role without where and for whom ("dean of medicine at Selwyn University" ->
    "dean of medicine"): those belong to the affiliation."""
    if title.split()[0].lower() in ROLE_VERBS:
        # A "who" clause loses where ("runs a food stall near the station" ->
        # "runs a food stall"), but a verb alone is no role: "teaches at Selwyn
        # University" stays whole.
        cut = re.sub(r"\s+(?:at|near|on|in|for|since|to|with|under)\b.*$", "", title)
        return cut if len(cut.split()) > 1 else title
    m = _POSSESSIVE.match(title.strip())
    if m and (" " not in m.group(1).strip() or m.group(1).lower().startswith("the ") or m.group(1)[:1].isupper()):
        title = m.group(2)  # "the union's chief negotiator" -> "chief negotiator"
    title = re.sub(r"^(?:the|a|an|its|his|her|their)\s+", "", title.strip(), flags=re.I)
    title = re.sub(r"^\d+-year-old\s+", "", title)  # an age is no role
    # Where, for and with whom ("adviser to Romney", "pollster with Mr. Hale's
    # firm"), a participle or an adverb after the role ("donor involved in the
    # effort", "agent today") belong to the affiliation or nowhere.
    title = re.sub(r"\s+(?:at|near|on|in|for|since|to|with|under|involved|based|today|now|yesterday|also)\b.*$", "", title)
    title = re.sub(r"\s+of\s+(?:the\s+)?(?:[A-Z]|''|[“\"‘']).*$", "", title)
    # A participle after the role ("candidate aiming to unseat her") is no part of it.
    words = title.split()
    for i in range(1, len(words)):
        if words[i].lower().endswith("ing") and _is_person_word(words[i - 1].lower()):
            title = " ".join(words[:i])
            break
    # Two roles joined ("former senator and presidential candidate"): the first.
    first, _, rest = title.partition(" and ")
    if rest and _is_person_word(first.split()[-1].lower()) and (
        re.match(r"(?:a|an|the|former|ex-)\s?", rest) or _is_person_word(rest.split()[-1].lower())
    ):
        title = first
    return title.strip(" ,-–—")


def _without_named_prefix(title: str, sources: list[Source], source: Source) -> tuple[str, str | None]:
    """A role led by whom or what it serves ("Washington Post columnist", "Cruz
    spokesman") is the role ("columnist") with that name as its affiliation, when
    the name is another source of the article or an outlet; "U.S. District Judge"
    and "Senate minority leader" keep theirs."""
    m = re.match(r"((?:[A-Z][\w.&'’-]*\s+)+)([a-z][\w-]*(?:\s+[a-z][\w-]*)*)$", title)
    if not m:
        return title, None
    prefix = m.group(1).strip()
    words = prefix.split()
    others = {w.lower() for s in sources if s.id != source.id and s.type in ("person", "organization")
              for w in re.findall(r"[\w'’-]+", s.name)[-1:]}
    if {w.lower() for w in words} <= others:
        return m.group(2), prefix
    outlet = [i for i, w in enumerate(words) if re.sub(r"['’]s?$", "", w.lower().strip(".,")) in CATEGORY_WORDS["media"]]
    if outlet:  # "Harbour Times White House correspondent": the outlet, then the beat
        cut = outlet[-1] + 1
        return " ".join(words[cut:] + [m.group(2)]), " ".join(words[:cut])
    return title, None


def _honorific_only(title: str) -> bool:
    return all(w.lower().rstrip(".") in HONORIFICS for w in title.split())


def _title_before(text: str, start: int, end: int) -> str | None:
    """"Rep. Jim Hale", "Finance Minister Jonas Terhune", "harbour master Solveig
    Arnesen", with a "former" before it ("former Sen. Scott Brown": annotation.md 5)."""
    title = _title_words_before(text, start, end)
    if title:
        before = text[max(0, start - 80) : start].rstrip()
        at = before.rfind(title)
        m = re.search(r"\b(former|onetime|one-time|retired|ex-)\s*$", before[:at], re.I) if at >= 0 else None
        if m and not title.lower().startswith(m.group(1).lower()):
            return m.group(1) + ("" if m.group(1).endswith("-") else " ") + title
    return title


def _title_words_before(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - 60) : start]
    m = re.search(r"((?:(?:[A-Z][\w.'’-]*|of)\s+){1,5})$", before)  # "Deputy Secretary of State Tom Nides"
    if m:
        words = m.group(1).split()
        for k in range(len(words), 0, -1):  # "When Finance Minister Jonas Terhune": the longest title
            title, proper = split_title(" ".join(words[-k:]) + " " + text[start:end])
            if title and proper and not _honorific_only(title):
                return title
    clause = re.split(r"[.,;:“”\"()\n—–]", before)[-1].split()
    for k in range(min(3, len(clause)), 0, -1):  # "Republican presidential nominee Donald Trump"
        words = clause[-k:]
        if (_is_person_word(words[-1].lower()) and not any(w.lower() in _NOT_IN_A_ROLE for w in words)
                and not _honorific_only(" ".join(words)) and not all(w.lower() in _PARTY_WORDS for w in words)):
            return " ".join(words)  # a party word alone is the party, not a role
    return None


_AFTER_NAME = re.compile(
    r"^\s*,\s+(?:who\s+(?P<verb>(?:%s)\b[^,.;:“”\"()]{2,80}?)|(?P<role>(?:(?:the|a|an|its|his|her|their)\s+)?[^,.;:“”\"()]{2,90}?))"
    r"\s*(?:,|\.|;|\s+(?:said|says|told|added|wrote|who|whose|which)\b)" % "|".join(sorted(ROLE_VERBS))
)


# ", who served as U.S. ambassador to Burma from 2012,", ", who works in retail as a sales manager,".
_SERVED_AS = re.compile(
    r"^\s*,\s+who\s+(?:has\s+|had\s+)?(?:served|serves|works|worked|been)\b[^,.;:“”\"()]{0,40}?\bas\s+(?:(?:a|an|the)\s+)?"
    r"([^,;:“”\"()]{2,80}?)(?=\s*(?:,|\.(?=\s+[A-Z“\"]|\s*$)|;|$|\s+(?:from|until|since|in|under|for|during|when|before|after|and|who)\b))"
)
_ALL_ROLE_WORDS = ROLE_NOUNS | frozenset(w for words in CATEGORY_WORDS.values() for w in words)


def _is_role_word(word: str) -> bool:
    return word in _ALL_ROLE_WORDS or word.rstrip("s") in _ALL_ROLE_WORDS


def _is_person_word(word: str) -> bool:
    """A role word for a person ("columnist", "senator"), not for a body ("times", "office")."""
    return _is_role_word(word) and word not in INSTITUTION_WORDS and word.rstrip("s") not in INSTITUTION_WORDS


# Words that end a role written before a name ("when", "said", "the").
_NOT_IN_A_ROLE = frozenset("the a an and or but when while as if that who said says told added by of to in on at for with from "
                           "than then after before because since between among against over under like including about "
                           "into versus vs both i you he she it we they me him us them our call calls called".split())
_PARTY_WORDS = frozenset("democrat democrats democratic republican republicans gop independent libertarian".split())
_VERB_WORDS = frozenset("said says told had has have is was were are be been would will could did does added wrote".split())
# Heads after an article that are no role: times ("the day after"), amounts, things.
_NOT_A_ROLE_HEAD = frozenset("day week month year time night morning afternoon evening weekend moment hour minute decade "
                             "season term era age percent point number lot bit deal way thing".split())


def _title_after(text: str, end: int) -> str | None:
    """An appositive role after the name, or the role of a "who served as" clause."""
    served = _SERVED_AS.match(text[end : end + 200])
    if served and _is_role_head(served.group(1), after_article=True):
        return served.group(1)
    m = _AFTER_NAME.match(text[end : end + 160])
    if not m:
        return None
    if m.group("verb"):
        return m.group("verb").strip()
    role = re.split(r"\s+(?:who|which|that|whose)\s+", m.group("role").strip())[0]
    words = [w.strip("'’").lower() for w in re.findall(r"[\w'’-]+", role)]
    if not words or words[0] in ("who", "which", "that", "whose"):
        return None
    if any(w in _VERB_WORDS for w in words) or all(w in _PARTY_WORDS or w in ("a", "an", "the") for w in words):
        return None  # a clause, not a noun phrase; ", a Democrat,": the party, not a role
    if not _is_role_head(role, after_article=bool(re.match(r"(?:the|a|an)\s", role))):
        return None
    return re.sub(r"^(?:the|a|an)\s+", "", role)


def _is_role_head(role: str, after_article: bool) -> bool:
    """The role's head is the last word before its complements ("director of the
    clinic" -> "director"). A role word there makes a role; so does any common
    noun after an article (", a retired crossing guard,", ", a volunteer,"),
    but not a time (", the day after,") or a name."""
    head_phrase = re.split(r"\s+(?:of|for|at|with|to|in|on|from|under|since|by|and)\s+", role)[0]
    head_words = re.findall(r"[\w'’-]+", head_phrase)
    head = head_words[-1] if head_words else ""
    minimum = 2 if re.match(r"(?:the|a|an)\s", role) else 1
    return _is_person_word(head.lower()) or (
        after_article and minimum <= len(head_words) <= 6 and re.fullmatch(r"[a-z][a-z-]+", head) is not None
        and head not in _NOT_A_ROLE_HEAD and head.rstrip("s") not in _NOT_A_ROLE_HEAD and head not in INSTITUTION_WORDS
    )


def _role_description(name: str) -> str | None:
    """An anonymous source's role, when its description names one ("two government
    officials who asked ..." -> "government officials"); "critics" has none."""
    core = re.split(r"\s+(?:who|which|that|familiar|close|speaking|with knowledge)\b|,", name, maxsplit=1)[0]
    words = core.split()
    while words and words[0].lower() in QUANTIFIERS:
        words = words[1:]
    if words and any(w.lower().rstrip("s") in ROLE_NOUNS or w.lower() in ROLE_NOUNS for w in words):
        return " ".join(words)
    return None


def affiliation_of(title: str) -> str | None:
    """The organisation a title names: "a spokeswoman for the ministry" -> "the ministry",
    "the union's chief negotiator" -> "the union"."""
    m = _POSSESSIVE.match(title.strip())
    if m and not m.group(1).lower() in ("his", "her", "their", "its"):
        return m.group(1).strip()
    m = _AFFILIATION_OF.search(title) or _AFFILIATION_LOWER.search(title)
    if m and m.group(1).split()[0].rstrip(".").lower() in HONORIFICS:
        return None  # "a pollster with Mr. Hale's firm": a person, not an organisation
    return m.group(1).strip() if m else None


def _own_surname(source: Source) -> str | None:
    """A named person's surname ("Lund" of "Petra Lund"); an unnamed one ("A
    spokesman for Petra Lund") has none of its own."""
    words = source.name.split()
    if source.type != "person" or not words or words[0].lower() in QUANTIFIERS or not words[0][:1].isupper():
        return None
    return words[-1]


def _who_clause(text: str, proper: list[Span]) -> str | None:
    """What a "who" clause after the name says the person does or did ("Ana Ruiz,
    who managed the mayor's 2019 campaign,"): not a title, but it tells whom the
    person works for."""
    for _, end in proper[:3]:
        m = re.match(r"\s*,\s+who\s+([^,.;:“”\"()]{2,100})", text[end : end + 120])
        if m:
            return m.group(1)
    return None


_SENTENCE_THE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))The\s+((?:[\w.’'-]+\s+){1,4})", re.M)


def _opening_role(words: list[str]) -> str | None:
    """The role that opens a sentence: the longest run of the first words ending
    in a word for a person and followed by a lower-case word (its verb): "GOP
    presidential front-runner" in "The GOP presidential front-runner predicted".
    A possessive ("The service's chief") names someone new, not someone named."""
    for k in range(min(len(words) - 1, 3), 0, -1):
        role, following = words[:k], words[k]
        if (_is_person_word(role[-1].lower()) and following[:1].islower() and following.lower() not in ("of", "for", "at", "and", "who")
                and not any(w.lower() in _NOT_IN_A_ROLE or re.search(r"['’]s?$", w) for w in role)):
            return " ".join(role)
    return None


def description_votes(text: str, person_names: dict[str, list[Span]], reach: int = 250) -> dict[str, str]:
    """A sentence opened by a role ("The GOP presidential front-runner predicted
    ..."), given, like a pronoun, to the person named last before it (within
    ``reach`` characters), when that person's name is never titled."""
    mentions = sorted((start, sid) for sid, spans in person_names.items() for start, _ in spans)
    starts = [start for start, _ in mentions]
    roles: dict[str, str] = {}
    for m in _SENTENCE_THE.finditer(text):
        role = _opening_role(m.group(1).split())
        last = bisect_left(starts, m.start()) - 1
        if role and last >= 0 and m.start() - starts[last] <= reach:
            roles.setdefault(mentions[last][1], role)
    return roles


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


def runs_a_campaign(text: str, source: Source) -> bool:
    """The article marks the person as a politician somewhere (:func:`politician_surnames`)."""
    last = source.name.split()[-1] if source.name.split() else ""
    return len(last) > 2 and last[:1].isupper() and last in politician_surnames(text)


_POLITICAL_WORDS = re.compile(r"\b(?:campaign|election|primary|primaries|nominee|nomination|candidate|caucus|delegates|"
                             r"Republicans?|Democrats?|Democratic|GOP|Senate|Congress|voters|polls?)\b")


def category_of(source: Source, title: str | None, affiliation: str | None, party: str | None, article_text: str = "") -> str:
    """The first category whose words the title, affiliation or name holds (in the
    lexicon's order of precedence); a stated party makes a politician; a person
    with no role at all is a citizen; else ``other``."""
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
    if party or (source.type == "person" and runs_a_campaign(article_text, source)):
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
    mentions = sorted((start, sid) for sid, spans in person_names.items() for start, _ in spans)
    # People who are not sources take pronouns too ("Ed Henry posted a photo of
    # Hillary Clinton with her staff": "her" is not his): any other full name
    # between a source's mention and a pronoun keeps the pronoun from it.
    taken = [(a, b) for spans in person_names.values() for a, b in spans]
    mentions += [(m.start(), "") for m in _OTHER_NAME.finditer(unquoted)
                 if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken)
                 and not {w.lower() for w in m.group(0).split()} & _ALL_ROLE_WORDS]
    mentions.sort()
    starts = [start for start, _ in mentions]
    votes: dict[str, list[str]] = {}
    for m in _GENDERED_PRONOUN.finditer(unquoted):
        last = bisect_left(starts, m.start()) - 1  # the mention that starts last before the pronoun
        if last >= 0 and m.start() - starts[last] <= reach and mentions[last][1]:
            votes.setdefault(mentions[last][1], []).append(m.group(1))
    return votes


# Chosen on the four dev sets of docs/profiles.md (session 8): weights 1, 3, 5
# and majorities 2:1, 3:2, 1:1 were tried; 3 and 3:2 raised gender accuracy on
# two PolNeAR sets and changed nothing on the other two.
_SPEAKER_PRONOUN_WEIGHT = 3
_GENDER_MAJORITY = 1.5


def gender_of(text: str, source: Source, where: _Mentions, title: str | None, pronouns: list[str]) -> tuple[str, list[str]]:
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


def anonymity_reason(text: str, article: Article, source: Source, where: _Mentions) -> Span | None:
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


def party_of(text: str, source: Source, where: _Mentions) -> str | None:
    for start, end in where.names[:8]:
        after = text[end : end + 30]
        m = re.match(r"\s*[,(]\s*([RDI])-\s?[A-Z]", after) or _PARTY_WORD_AFTER.match(after)
        if m:
            return _PARTY_NAMES.get(m.group(1), m.group(1))
        m = _PARTY_BEFORE.search(text[max(0, start - 40) : start])
        if m:
            return _PARTY_NAMES.get(m.group(1), m.group(1))
    return None
