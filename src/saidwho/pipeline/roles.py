"""What the article calls each source: the role written beside its name, the
organisation it speaks for, and the descriptions that stand for it (issue 22).

The reading half of the source profiles (:mod:`saidwho.pipeline.profiles`
decides categories, gender, anonymity reasons and parties from it):

- :func:`mentions_of`: where a source is written (its names, aliases, surname and
  speaker spans);
- :func:`source_title`: the role nearest the first sourced sentence, as written
  ("Superintendent", ", the union's chief negotiator,", ", who served as U.S.
  ambassador to Burma,"), cut by :func:`trim_title` to its shortest form;
- :func:`affiliation_of` and :func:`source_named`: the organisation in a role and
  its own source entry;
- :func:`description_votes` and :class:`NamedBefore`: roles that open a later
  sentence, and the small coreference (who was named last before here) they
  share with pronouns.

Everything is read from the text: no world knowledge, no name lists.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from saidwho.lexicon import CATEGORY_WORDS, HONORIFICS, INSTITUTION_WORDS, QUANTIFIERS, ROLE_NOUNS, ROLE_VERBS
from saidwho.names import name_tokens, normalise_name, role_before_name, split_title
from saidwho.pipeline.people import common_words
from saidwho.records import Article, Source, Span

# "the union's chief negotiator", "a spokeswoman for the ministry", "an analyst at Carver Securities".
_AFFILIATION_OF = re.compile(r"\b(?:of|for|at|with|from|by)\s+((?:the\s+)?(?:[A-Z][\w&.'’-]*)(?:\s+(?:of|for|and|&|the|[A-Z][\w&.'’-]*))*)")
_AFFILIATION_LOWER = re.compile(r"\b(?:of|for|at|with|from)\s+(the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})\s*$")
_POSSESSIVE = re.compile(r"^((?:the\s+)?[\w&.'’ -]+?)['’]s\s+(.+)$", re.I)


@dataclass
class Mentions:
    """Where a source is written: (start, end) of each occurrence of its name, its
    aliases and (persons) its surname; of those, the forms of the name itself
    ("Ms. Vance", "Vance", not "the minister"); and its speaker spans."""

    names: list[Span]
    speaker_spans: list[Span]
    proper: list[Span]


# ---------------------------------------------------------------- mentions


def mentions_of(article: Article, source: Source) -> Mentions:
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
    return Mentions(sorted(names), spans, sorted(proper))


def source_named(sources: list[Source], name: str, other_than: str) -> str | None:
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


def source_title(text: str, source: Source, where: Mentions) -> str | None:
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
             if (role := title_before(text, start, end) or _title_after(text, end))]
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


def trim_title(title: str) -> str:
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


def without_named_prefix(title: str, sources: list[Source], source: Source) -> tuple[str, str | None]:
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


def title_before(text: str, start: int, end: int) -> str | None:
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
                and not _honorific_only(" ".join(words)) and not all(w.lower() in PARTY_WORDS for w in words)):
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
ALL_ROLE_WORDS = ROLE_NOUNS | frozenset(w for words in CATEGORY_WORDS.values() for w in words)


def _is_role_word(word: str) -> bool:
    return word in ALL_ROLE_WORDS or word.rstrip("s") in ALL_ROLE_WORDS


def _is_person_word(word: str) -> bool:
    """A role word for a person ("columnist", "senator"), not for a body ("times", "office")."""
    return _is_role_word(word) and word not in INSTITUTION_WORDS and word.rstrip("s") not in INSTITUTION_WORDS


# Words that end a role written before a name ("when", "said", "the").
_NOT_IN_A_ROLE = frozenset("the a an and or but when while as if that who said says told added by of to in on at for with from "
                           "than then after before because since between among against over under like including about "
                           "into versus vs both i you he she it we they me him us them our call calls called".split())
PARTY_WORDS = frozenset("democrat democrats democratic republican republicans gop independent libertarian".split())
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
    if any(w in _VERB_WORDS for w in words) or all(w in PARTY_WORDS or w in ("a", "an", "the") for w in words):
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


def own_surname(source: Source) -> str | None:
    """A named person's surname ("Lund" of "Petra Lund"); an unnamed one ("A
    spokesman for Petra Lund") has none of its own."""
    words = source.name.split()
    if source.type != "person" or not words or words[0].lower() in QUANTIFIERS or not words[0][:1].isupper():
        return None
    return words[-1]


def who_clause(text: str, proper: list[Span]) -> str | None:
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


class NamedBefore:
    """Whose mention starts last before a position, within ``reach`` characters:
    the small coreference that pronouns and role descriptions share. A mention
    with the id "" is someone who is no source: it takes the position from the
    sources before it, and the lookup answers None."""

    def __init__(self, mentions: list[tuple[int, str]], reach: int):
        self.mentions = sorted(mentions)
        self.starts = [start for start, _ in self.mentions]
        self.reach = reach

    def __call__(self, position: int) -> str | None:
        last = bisect_left(self.starts, position) - 1
        if last < 0 or position - self.starts[last] > self.reach:
            return None
        return self.mentions[last][1] or None


def mention_starts(person_names: dict[str, list[Span]]) -> list[tuple[int, str]]:
    return [(start, sid) for sid, spans in person_names.items() for start, _ in spans]


def description_votes(text: str, person_names: dict[str, list[Span]], reach: int = 250) -> dict[str, str]:
    """A sentence opened by a role ("The GOP presidential front-runner predicted
    ..."), given, like a pronoun, to the person named last before it (within
    ``reach`` characters), when that person's name is never titled."""
    named_before = NamedBefore(mention_starts(person_names), reach)
    roles: dict[str, str] = {}
    for m in _SENTENCE_THE.finditer(text):
        role = _opening_role(m.group(1).split())
        who = named_before(m.start()) if role else None
        if who:
            roles.setdefault(who, role)
    return roles
