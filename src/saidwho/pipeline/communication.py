"""Communication acts without a reporting verb in the main clause, and first-person hearsay.

The rule attributor (:mod:`saidwho.pipeline.attribution`) finds a speaker
where a reporting verb governs a clause or a quotation. News also passes on
words through a noun or an idiom (issue 21, part 2, classes 1 and 2):

- a communication noun with its content: "released a statement saying ...",
  "continued his warnings that ...", "Trump's claim that ...", "claims by
  farmers that ...", "renewed calls for a ceasefire", "fired off tweets:
  “...”" -- the author is the noun's possessor or "by"/"from" phrase, else
  the subject of the verb that issues it ("issued", "voiced", "renewed");
- a verb of judgement with a complement that carries the charge or the view:
  "praised the volunteers as ...", "chastised the governor for refusing ...",
  "took aim at the minister for ..." (eval/ANNOTATION-NOTES.md §7);
- a trailing cue the parser reads as a reduced relative clause
  ("..., the school district announced on Tuesday.");
- the writer told or informed by someone unnamed ("I'm told ...", "I have
  learned that ..."): hearsay, an anonymous source (ANNOTATION.md 3).

These functions read a spaCy parse and return tokens; the attributor builds
the attribution. ``subject_of`` is the attributor's subject finder.
"""

from __future__ import annotations

from collections.abc import Callable

from saidwho.lexicon import (
    APPEAL_NOUNS,
    COMMUNICATION_NOUNS,
    DOCUMENT_HEADS,
    DURATION_NOUNS,
    FIRST_PERSON_LEARNED_VERBS,
    FIRST_PERSON_TOLD_VERBS,
    ISSUING_VERBS,
    REPORTING_VERBS,
    SPEECH_IDIOMS,
    TRAILING_CUE_SPEAKER_HEADS,
    VERDICT_VERBS,
)

from saidwho.records import Attribution, Mention

SubjectOf = Callable[..., object]
LemmaOf = Callable[[object], str]

# Prepositions that frame a communication noun as the channel of the verb's
# subject: "responded in a statement saying ...", "hit back on Twitter in a post that ...".
_CHANNEL_PREPOSITIONS = frozenset({"in", "on", "via", "through", "with"})
# Nouns whose "that" clause is mostly figurative ("the verdict sends a message that ...").
_FIGURATIVE_WITH_CLAUSE = frozenset({"message"})


def communication_noun(tok) -> str | None:
    """The singular of a noun for something said or written ("tweets" -> "tweet"), else None."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    word = tok.lower_
    for singular in (word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else ""):
        if singular in COMMUNICATION_NOUNS:
            return singular
    return None


def author_of(noun, subject_of: SubjectOf, lemma_of: LemmaOf, document_speaks: bool = False):
    """The token naming who said or wrote what a communication noun stands for:
    its possessor ("Trump's claim"), its "by"/"from" phrase ("claims by
    farmers", "a statement from the ministry"), else the subject of the verb
    that issues it ("X issued a statement", "X responded in a statement").
    With ``document_speaks``, a noun that is a document and has no author
    in the sentence speaks itself ("a letter saying ...": the letter)."""
    owner = None
    for child in noun.children:
        if child.dep_ == "poss":
            owner = child
        elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
            owner = next((c for c in child.children if c.dep_ == "pobj"), owner)
    if owner is not None and owner.pos_ != "PRON":
        return owner
    # "The regulator renewed its claim": a possessive pronoun means the
    # issuing verb's subject, named in the same clause.
    issuer = _issuer(noun, subject_of, lemma_of)
    if issuer is not None or owner is not None:
        return issuer or owner
    if document_speaks and noun.lower_ in DOCUMENT_HEADS:
        return noun
    return None


def _issuer(noun, subject_of: SubjectOf, lemma_of: LemmaOf):
    """The subject of the verb that issues a communication noun ("X issued a
    statement", "X responded in a statement"), else None."""
    head = noun
    while head.dep_ in ("conj", "appos"):
        head = head.head
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
        head = head.head.head  # "a string of posts", "a series of tweets"
    verb = None
    if head.dep_ in ("dobj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX") and lemma_of(head.head) in ISSUING_VERBS:
        verb = head.head
    elif head.dep_ == "pobj" and head.head.lower_ in _CHANNEL_PREPOSITIONS and head.head.head.pos_ in ("VERB", "AUX"):
        verb = head.head.head
    if verb is not None:
        subject = subject_of(verb)
        if subject is None and verb.dep_ in ("conj", "advcl", "xcomp"):
            subject = subject_of(verb.head)
        if subject is not None and subject.lower_ not in ("who", "which", "that"):
            return subject
    return None


def noun_content_act(doc, quoted: list[bool], subject_of: SubjectOf, lemma_of: LemmaOf):
    """(cue noun, speaker token) for a communication noun whose content is a
    "that" clause ("his warnings that the clinic could close"), a call's "for"
    phrase ("renewed calls for a ceasefire") or a quotation after a colon
    ("fired off a string of posts: “...”"); None where there is none."""
    for tok in doc:
        if quoted[tok.i] or not communication_noun(tok):
            continue
        if _content_clause(tok) or _appeal_content(tok) or _colon_quotation_follows(tok, doc, quoted):
            speaker = author_of(tok, subject_of, lemma_of)
            if speaker is not None and not quoted[speaker.i]:
                return tok, speaker
    return None


def _content_clause(noun) -> bool:
    """"warnings that stadiums rarely pay": a clause whose "that" comes before
    its own subject (a relative "that" is its subject: "the claims that he made").
    The parser hangs it on the noun or, right after the noun as an object, on the verb.
    "It sends a message that ..." is figurative: a message with a clause is no one's words."""
    if communication_noun(noun) in _FIGURATIVE_WITH_CLAUSE:
        return False
    candidates = list(noun.children)
    if noun.dep_ == "dobj":
        candidates += [c for c in noun.head.children if c.dep_ == "ccomp" and c.left_edge.i == noun.right_edge.i + 1]
    for child in candidates:
        if child.dep_ not in ("acl", "relcl", "ccomp") or child.pos_ not in ("VERB", "AUX"):
            continue
        that = [c for c in child.children if c.lower_ == "that" and c.dep_ in ("mark", "dobj")]
        subject = [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass", "expl") and c.lower_ not in ("that", "which", "who")]
        if that and subject and that[0].i < subject[0].i:
            return True
    return False


def _appeal_content(noun) -> bool:
    """"calls for a ceasefire", "an appeal for calm": the call's content (calls and
    recommendations are the speaker's view, eval/ANNOTATION-NOTES.md §7)."""
    if communication_noun(noun) not in APPEAL_NOUNS:
        return False
    return any(c.dep_ == "prep" and c.lower_ == "for" and any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in noun.children)


def _colon_quotation_follows(noun, doc, quoted: list[bool]) -> bool:
    """A colon right after the noun's phrase, then a quotation to the sentence's end."""
    end = noun.right_edge.i + 1
    if end >= len(doc) or doc[end].text != ":" or quoted[end]:
        return False
    rest = [t for t in doc[end + 1 :] if not t.is_punct]
    return bool(rest) and sum(quoted[t.i] for t in rest) >= 0.6 * len(rest)


def verdict_complement(verb, lemma: str) -> bool:
    """"praised the volunteers as the backbone", "chastised Snyder for refusing",
    "criticised the council over the delays", "accused the utility of ignoring
    ...": an "as", "for" or "over" phrase on the verb or its object (an "of"
    phrase on "accuse") that says what the judgement is ("for hours" is none)."""
    holders = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
    for holder in holders:
        for prep in holder.children:
            charge = prep.lower_ == "of" and lemma == "accuse"
            if prep.dep_ != "prep" or (prep.lower_ not in ("as", "for", "over") and not charge):
                continue
            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp", "amod", "acomp")]
            if prep.lower_ == "as":
                # "criticized deals such as NAFTA": an example, not a judgement
                if objects and not (prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such"):
                    return True
                continue
            for obj in objects:
                if obj.dep_ == "pcomp" or (obj.lower_ not in DURATION_NOUNS and not any(c.dep_ == "nummod" for c in obj.children)):
                    return True
    return False


def speech_idiom(verb, lemma: str) -> bool:
    """"took aim at", "hit out at", "lashed out at": idioms of criticism."""
    for word in verb.children:
        if word.dep_ in ("dobj", "prt", "advmod") and any(
            f"{lemma} {word.lower_} {prep.lower_}" in SPEECH_IDIOMS for prep in verb.children if prep.dep_ == "prep"
        ):
            return True
    return False


def judgement_verb(verb, lemma: str) -> bool:
    """A verb of judgement (or an idiom of criticism) with a complement that carries the view."""
    return (lemma in VERDICT_VERBS or speech_idiom(verb, lemma)) and verdict_complement(verb, lemma)


def trailing_cue_speaker(verb, lemma: str):
    """"..., the school district announced on Tuesday.": a past-tense reporting
    verb the parser hung as a reduced relative clause on a noun after a comma,
    with nothing after it but time phrases. The noun is the speaker, if it can
    speak (a name, an organisation, officials); else None."""
    if verb.dep_ != "acl" or lemma not in REPORTING_VERBS or verb.tag_ not in ("VBD", "VBN"):
        return None
    noun = verb.head
    if noun.pos_ not in ("NOUN", "PROPN") or any(c.dep_ in ("dobj", "agent", "ccomp", "xcomp", "oprd") for c in verb.children):
        return None
    doc = verb.doc
    start = noun.left_edge.i
    if start == 0 or doc[start - 1].text != "," or any(not t.is_punct for t in doc[verb.right_edge.i + 1 :]):
        return None
    if any(t.tag_ in ("JJS", "RBS") or t.lower_ in ("first", "last", "only") for t in doc[start : noun.i]):
        return None  # "the largest cut announced this year" is no speaker
    if noun.pos_ == "PROPN" or noun.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or noun.lower_ in TRAILING_CUE_SPEAKER_HEADS:
        return noun
    return None


def first_person_hearsay(verb, lemma: str, subject, clause: list, base: int) -> Attribution | None:
    """"I'm told the deal is off", "We have learned that ...", "I hear that ...":
    the writer passes on what someone unnamed said (with a content clause), an
    anonymous source named by the phrase ("I'm told"); None for any other
    first-person subject (the writer, who is never a source)."""
    if not any(c.dep_ == "ccomp" for c in clause):
        return None
    if lemma in FIRST_PERSON_TOLD_VERBS:
        told = subject.dep_ == "nsubjpass"
    elif lemma in FIRST_PERSON_LEARNED_VERBS:
        perfect = any(c.dep_ == "aux" and c.lower_ in ("have", "'ve", "’ve", "had", "'d", "’d") for c in verb.children)
        told = lemma == "hear" or perfect
    else:
        told = False
    if not told:
        return None
    doc = verb.doc
    phrase = doc[subject.i : verb.i + 1].text
    cue = (base + subject.idx, base + verb.idx + len(verb.text))
    return Attribution("hearsay", cue, Mention(None, phrase, "anonymous"), 0.85, anonymous_phrase=phrase)


# ---------------------------------------------------------------- withheld speech

_WITHHOLDING_VERBS = frozenset({"decline", "refuse"})


def withheld_speech(doc, quoted: list[bool], lemma_of) -> bool:
    """Issue 21, class 8: a reporting verb negated ("did not say when", "has never said whether") or
    declined ("declined to say whether"), outside any quotation."""
    return any(not quoted[tok.i] and withholds_speech(tok, lemma_of(tok), lemma_of) for tok in doc)


def withholds_speech(tok, lemma: str, lemma_of) -> bool:
    """A reporting verb that passes nothing on: negated, or the object of "decline"/"refuse"."""
    if tok.pos_ not in ("VERB", "AUX") or lemma not in REPORTING_VERBS:
        return False
    # The negation stands just before the verb ("did not say", "has never said");
    # a "not" the parser hangs on the verb from further on belongs elsewhere.
    negated = any(c.dep_ == "neg" and 0 < tok.i - c.i <= 3 for c in tok.children)
    return negated or (tok.dep_ == "xcomp" and lemma_of(tok.head) in _WITHHOLDING_VERBS)
