"""The word lists of saidwho, in one place.

For a rule-heavy system the word lists are much of the model: the rule
attributor (:mod:`saidwho.pipeline.attribution`), the speaker resolver
(:mod:`saidwho.pipeline.speakers`, :mod:`saidwho.pipeline.people`), the name
rule of the scorer (:mod:`saidwho.names`) and the PolNeAR converter
(:mod:`saidwho.corpora.polnear`) all read them from here, so that a change to
one list is seen by every reader, and lists that differ on purpose stand side
by side (``tests/test_lexicon.py`` checks how they relate).

Where two readers use different lists for the same idea, they do so on
purpose and each list keeps its own name:

- The resolver's ``ORG_HEADS``/``DOCUMENT_HEADS``/``ANONYMOUS_WORDS`` were
  grown on the team gold texts (international news: "the regulator",
  "the watchdog"); the converter's ``CONVERTER_*`` lists on PolNeAR (US
  election news of 2016: outlets and parties by name, "the campaigns").
  The converter's output is gold data, the resolver's output records:
  merging the lists would change both, so it is a measured change of its
  own. Each pair shares a core (``_ORG_CORE``, ...), written once.
- Pronouns come in small sets (by person, gender, number) that the readers
  combine; ``PRONOUNS`` is the scorer's "a pronoun never names a speaker".
- Speech verbs: ``REPORTING_VERBS`` are the lemmas the attributor accepts;
  the inflected-form tuples below are what the regular expressions of the
  attributor and the resolver match in raw text, narrower on purpose (each
  pattern must not fire on verbs that only attribute with a clause).

All words are lower case except ``MALE_TITLE_WORDS``/``FEMALE_TITLE_WORDS``,
which are matched case-sensitively before a name ("Mr.", "Ms.").
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- pronouns

FIRST_SINGULAR = frozenset("i me my mine myself".split())
# "us" stands apart: after normalisation it is also "US"/"U.S.", a real speaker.
FIRST_PLURAL = frozenset("we our ours ourselves".split())
SECOND_PERSON = frozenset("you your yours yourself yourselves".split())
# The forms a speaker mention takes ("he said", "his view"); the reflexives
# are added where the text around a name is read for gender.
MALE_PRONOUNS = frozenset({"he", "him", "his"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers"})
MALE_FORMS = MALE_PRONOUNS | {"himself"}
FEMALE_FORMS = FEMALE_PRONOUNS | {"herself"}
NEUTER_PRONOUNS = frozenset("it its itself".split())
THIRD_PLURAL = frozenset("they them their theirs themselves".split())
RELATIVE_PERSON = frozenset("who whom whose".split())

# Personal, possessive, reflexive and relative pronouns that may stand where a
# speaker's name would: such a name never matches (names.is_pronoun).
PRONOUNS: frozenset[str] = (
    FIRST_SINGULAR | SECOND_PERSON | MALE_FORMS | FEMALE_FORMS | NEUTER_PRONOUNS | FIRST_PLURAL
    | THIRD_PLURAL | {"themself"} | RELATIVE_PERSON
)
# What the parse-based stages take for a pronoun mention when they only see
# its text (parse.mention_kind_of_text): subject and object forms, and
# "one" ("one said") that the scorer's list leaves out.
MENTION_PRONOUNS = frozenset("he she they it we i you him her them his its their one".split())
# Outside a quotation these subjects are the writer (columns, first-person features).
WRITER_PRONOUNS = frozenset({"i", "we"})
# Pronouns that resolve to an organisation or group (the resolver's they/it/we).
GROUP_PRONOUNS = frozenset({"they", "it", "we", "them"})

# The converter's pronoun classes for PolNeAR source mentions.
FIRST_PERSON = FIRST_SINGULAR | FIRST_PLURAL | {"us"}
RELATIVE_PRONOUNS = RELATIVE_PERSON | {"which", "that"}
# Words PolNeAR marks as a source mention that are pronoun-like without being
# in PRONOUNS ("which said", "those who argue").
OTHER_PRONOUN_WORDS = frozenset({"which", "that", "us", "this", "these", "those", "one", "both", "each", "either"})
PERSON_PRONOUNS = FIRST_SINGULAR | MALE_FORMS | FEMALE_FORMS | RELATIVE_PERSON
PLURAL_PRONOUNS = FIRST_PLURAL | {"us"} | THIRD_PLURAL | {"those", "these", "both"}
THING_PRONOUNS = NEUTER_PRONOUNS | {"which", "this"}

# ---------------------------------------------------------------- speech verbs

# Lemmas of the verbs that report someone's words or view ("said", "warned",
# "believes"), as the rule attributor reads them off the parse.
REPORTING_VERBS = frozenset(
    """
    say tell state claim note stress warn add argue believe think explain insist announce report
    write acknowledge admit allege assert suggest predict deny confirm complain contend maintain
    recall reply respond ask urge describe estimate conclude testify tweet post declare promise
    vow indicate reveal observe emphasize emphasise caution concede agree disagree fear hope charge
    accuse criticize criticise recount quip joke lament boast counter retort reason speculate
    worry doubt feel know understand learn hear find show signal point remark mention
    tout decry blast slam praise question dispute clarify pledge threaten demand propose
    forecast suspect guess imply hint recommend advise assure reiterate repeat
    concur whisper shout yell cry scream sing
    liken dismiss hail remind rail cite expect compare blame label dub brand mock ridicule condemn
    defend applaud welcome lambast assail chide scold lash denounce call comment disclose portray
    """.split()
)
# "calls the plan “a disgrace”", "called climate change a hoax": attributes
# only with a quotation in its object or an object predicate, never "called a meeting".
NEEDS_QUOTE = frozenset({"call"})
# Verbs that attribute only with a clause or quotation, never with a bare object.
NEEDS_CLAUSE = frozenset("know understand learn hear find show feel signal point question agree".split())
# Reporting verbs that count with an infinitive ("urged them to leave"), not only a clause.
XCOMP_VERBS = frozenset({"urge", "ask", "promise", "vow", "threaten", "pledge", "tell"})
# "called X a hoax", "described the plan as ...": the object predicate carries the words.
NAMING_VERBS = frozenset({"call", "describe", "label", "dub", "portray"})
STANCE_ADJECTIVES = frozenset("afraid confident convinced sure certain worried concerned optimistic hopeful adamant skeptical sceptical".split())
# "according to her account": the possessor speaks.
ACCOUNT_NOUNS = frozenset("account statement words version telling view testimony recollection memoir memo letter tweet post".split())

# Communication acts without a reporting verb in the main clause (issue 21,
# class 1). Nouns for what someone said or wrote (singular forms): "released a
# statement saying ...", "continued his warnings that ...", "Trump's claim
# that ...", "fired off tweets: “...”".
COMMUNICATION_NOUNS = frozenset(
    """statement tweet post posting release message letter email e-mail memo note video speech remark comment
    interview op-ed editorial column blog warning claim assertion argument allegation accusation charge complaint
    insistence promise pledge vow threat announcement appeal plea call criticism prediction contention suggestion
    testimony declaration response reply retort concern fear belief praise""".split()
)
# Verbs whose subject is the author of the communication noun they govern
# ("issued a statement", "voiced concerns", "renewed its claim"); a letter one
# received or a note the police found is not the receiver's or finder's.
ISSUING_VERBS = frozenset(
    """issue release publish post put send fire write pen deliver give make share tweet upload record circulate
    distribute offer voice express repeat reiterate renew continue echo air add lodge file submit sign broadcast
    sound raise step double dash""".split()
)
# Nouns of a call or appeal, whose "for" phrase is the content ("renewed calls for a ceasefire").
APPEAL_NOUNS = frozenset("call appeal plea demand".split())
# Verbs of judgement whose "as"/"for"/"over" complement carries the speaker's
# view ("praised the volunteers as ...", "chastised the governor for ...";
# eval/ANNOTATION-NOTES.md §7, complements that carry a charge or view).
VERDICT_VERBS = frozenset(
    """praise hail laud commend credit applaud describe portray paint brand label dismiss denounce condemn criticize
    criticise slam blast fault blame accuse chastise chide rebuke scold lambast assail castigate mock ridicule
    attack""".split()
)
# Idioms of criticism, as "verb-lemma object-or-particle preposition": "took aim at", "hit out at".
SPEECH_IDIOMS = frozenset({"take aim at", "hit out at", "lash out at", "fire back at"})
# Nouns of duration: "for hours" is no charge ("attacked the convoy for hours").
DURATION_NOUNS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years decade decades while time long now ever".split())
# First-person hearsay outside a quotation (issue 21, class 2): the writer was
# told ("I'm told", "we were informed"), or has learned or heard, that ...
FIRST_PERSON_TOLD_VERBS = frozenset("tell inform brief advise".split())
FIRST_PERSON_LEARNED_VERBS = frozenset("learn hear".split())

# Inflected forms matched in raw text. Every one is a form of a
# REPORTING_VERBS lemma, except "continued" ("..., he continued"), which
# only ever follows a quotation and is no reporting verb for the parse.
#
# A subject pronoun of these ("..., she said") is the pronoun being resolved,
# not evidence of the gender of the person before it.
PRONOUN_SPEECH_FORMS = ("said", "says", "added", "told", "asked", "explained", "noted", "wrote", "argued", "continued")
# "said she", "says he": the pronoun after these is the speaker too.
PRONOUN_AFTER_SPEECH_FORMS = ("said", "says", "added")
# Hearsay groups and their verbs: "critics argue", "officials said".
HEARSAY_SPEECH_FORMS = ("say", "said", "argue", "argued", "believe", "claim", "claimed", "contend", "suggest", "told", "warn", "warned")
# A hearsay phrase's trailing verb, cut off to name the group ("critics argue" -> "critics").
TRAILING_SPEECH_FORMS = (
    "say", "says", "said", "argue", "argued", "believe", "believed", "claim", "claimed", "contend", "contended",
    "suggest", "suggested", "told", "warn", "warned",
)
HEARSAY_ADVERBS = frozenset("reportedly allegedly purportedly supposedly apparently rumoredly ostensibly".split())
# Training keeps a PolNeAR attribution only where its cue is speech
# (training/data.is_speech_cue): the regular forms of REPORTING_VERBS, these
# irregular ones, and cue words that are no reporting verb for the parse
# ("spoke", "quoted", "according").
SPEECH_CUE_IRREGULAR_FORMS = (
    "said", "says", "told", "wrote", "written", "thought", "found", "felt", "knew", "heard", "spoke", "spoken",
    "quoted", "according",
)

# ---------------------------------------------------------------- heads of descriptions

# Heads that both the resolver and the converter take for an organisation.
_ORG_CORE = frozenset(
    "administration agency alliance army association bank board bureau campaign center centre city club "
    "coalition commission committee company congress council county court department federation firm "
    "foundation fund government group hospital house institute magazine military ministry network newspaper "
    "office organisation organization paper parliament party police school senate state states team union "
    "university".split()
)
# The resolver: "the ministry said", "a regulator warned". ("white_house" and
# "spokesman_office" never match a single word; kept as the resolver has them.)
ORG_HEADS = _ORG_CORE | frozenset(
    "authority authorities cabinet station white_house spokesman_office service regime embassy utility "
    "utilities operator airline carrier insurer regulator watchdog charity municipality broadcaster publisher "
    "laboratory lab tribunal panel inspectorate directorate secretariat".split()
)
# The converter: PolNeAR's outlets, parties and agencies by name, company suffixes.
CONVERTER_ORG_WORDS = _ORG_CORE | frozenset(
    """campaigns news post times journal tribune herald gazette inc corp corporation co llc ltd college navy
    assembly legislature democrats republicans gop republican democratic press media channel radio tv
    television cnn msnbc fox nbc abc cbs npr pbs reuters ap afp bloomberg politico breitbart fbi cia nsa irs
    dnc rnc nra aclu pac super staff church movement caucus league nation country schools watch journalism
    daily camp society""".split()
)

# Heads that both take for a document.
_DOCUMENT_CORE = frozenset(
    "ad advertisement analysis article book complaint data document documents email emails filing indictment "
    "lawsuit letter memo poll polls release report ruling statement study survey surveys transcript tweet "
    "tweets video".split()
)
# The resolver's. "paper" is an organisation head too ("the paper reported"):
# the resolver tries documents first.
DOCUMENT_HEADS = _DOCUMENT_CORE | frozenset(
    "memorandum review audit order paper figures record records slide presentation research findings studies "
    "analyses reports cable dossier".split()
)
CONVERTER_DOCUMENT_WORDS = _DOCUMENT_CORE | frozenset(
    "memos statements filings decision opinion bill ads website page footage editorial platform".split()
)

# Words that make a description an unnamed source, in both readers.
_ANONYMOUS_CORE = frozenset(
    "source sources official officials insider insiders aide aides people critics observers analysts experts "
    "some many others reports residents someone somebody anyone".split()
)
# The resolver's: also the hearsay adverbs it names "unnamed reports"
# ("rumoredly" and "ostensibly" left out, as the resolver has them), and
# "report": a document head that the resolver tries first.
ANONYMOUS_WORDS = _ANONYMOUS_CORE | frozenset("person report diplomats witnesses anybody".split()) | (
    HEARSAY_ADVERBS - {"rumoredly", "ostensibly"}
)
CONVERTER_ANONYMOUS_WORDS = _ANONYMOUS_CORE | frozenset(
    "critic observer analyst expert rumors rumours supporters opponents several few most everyone everybody "
    "nobody voters".split()
)
# Mentions that are an unnamed source as a whole ("some", "people").
CONVERTER_ANONYMOUS_WHOLE = frozenset(
    {"some", "many", "others", "several", "few", "most", "someone", "somebody", "anyone", "everyone",
     "everybody", "nobody", "people", "reports"}
)

# Heads of quantity phrases: "a dozen", "another 19 percent", "the majority".
QUANTITY_HEADS = frozenset(
    "dozen dozens percent per cent majority minority half third quarter fifth number handful score scores hundreds "
    "thousands millions one two three four five six seven eight nine ten".split()
)
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "all this", "all that"})
# Words that cannot name a source on their own ("the", "and": a learned span cut short).
FUNCTION_WORDS = frozenset("the a an and or of to in on at for by with from his her their its this that what who whom which each".split())
# Nouns for people that are ordinary words, not names, when capitalised at a
# sentence start ("Economists warned"); the resolver adds its heads to them.
PERSON_NOUNS = frozenset(
    "economist scientist researcher expert doctor lawyer teacher parent voter resident worker farmer "
    "activist advocate opponent supporter critic official leader lawmaker legislator investor analyst "
    "historian observer prosecutor investigator police democrat republican conservative liberal".split()
)
# The converter's nouns for people: they end a name run ("Rival Hillary
# Clinton") and, as the head of a mention, make it a person ("The GOP nominee").
CONVERTER_PERSON_NOUNS = frozenset(
    """democrat republican rival libertarian independent presidential candidate candidates nominee
    nominees attorney lawyer spokesman spokeswoman spokesperson aide adviser advisor host anchor author
    actor actress singer billionaire businessman businesswoman activist chairman chairwoman founder
    economist pollster strategist reporter columnist editor writer leader leaders manager director
    executive official candidate hopeful frontrunner front-runner challenger incumbent opponent
    lawmaker legislator member members veteran voter donor donors rep sen gov then readers viewers
    listeners americans citizens residents users fans""".split()
)
# Heads of a speaker the rule attributor accepts before a trailing cue
# ("..., the school district announced on Tuesday."), besides a name.
TRAILING_CUE_SPEAKER_HEADS = ORG_HEADS | ANONYMOUS_WORDS | PERSON_NOUNS | frozenset(
    "spokesman spokeswoman spokesperson district organisers organizers owners leaders chief director minister".split()
)
# Nouns that show a described person's gender ("the congresswoman").
FEMALE_NOUNS = frozenset("woman mother wife daughter sister girl lady actress chairwoman congresswoman businesswoman spokeswoman grandmother".split())
MALE_NOUNS = frozenset("man father husband son brother boy actor chairman congressman businessman spokesman grandfather".split())

# ---------------------------------------------------------------- titles

# Titles in normalised form (lower case, no dots), as the scorer strips them
# from names (names.normalise_name). Words that are also common in
# organisation names ("general", "justice") are stripped only before a full
# name there (names._WEAK_TITLES).
TITLE_STRINGS: tuple[str, ...] = (
    # honorifics
    "mr", "mrs", "ms", "miss", "mx", "messrs", "dr", "doctor", "prof", "professor",
    "sir", "dame", "lord", "lady", "madam", "madame", "mme", "mlle", "monsieur",
    "herr", "frau", "senor", "senora", "sr", "sra", "signor", "signora",
    "rev", "reverend", "fr", "father", "pastor", "rabbi", "imam", "sheikh", "cardinal", "bishop",
    "archbishop", "pope", "hon", "honourable", "honorable",
    # heads of state and government
    "president", "vice president", "president elect", "prime minister", "premier",
    "chancellor", "king", "queen", "prince", "princess", "emperor", "sultan", "emir",
    # ministers, legislators, officials
    "minister", "secretary", "secretary of state", "secretary general", "under secretary",
    "undersecretary", "attorney general", "solicitor general", "surgeon general",
    "sen", "senator", "rep", "representative", "congressman", "congresswoman",
    "assemblyman", "assemblywoman", "councillor", "councilman", "councilwoman", "councilor",
    "mp", "mep", "deputy", "speaker", "gov", "governor", "lt gov", "lieutenant governor",
    "mayor", "ambassador", "commissioner", "chairman", "chairwoman", "chairperson", "chair",
    "spokesman", "spokeswoman", "spokesperson", "director", "chief executive",
    "chief executive officer", "ceo", "cfo", "coo", "chief",
    # courts
    "judge", "justice", "chief justice", "associate justice", "magistrate",
    # military and police
    "gen", "general", "lt gen", "maj gen", "brig gen", "lt", "lieutenant", "col", "colonel",
    "lt col", "maj", "major", "capt", "captain", "cmdr", "commander", "adm", "admiral",
    "sgt", "sergeant", "cpl", "corporal", "pvt", "private", "officer", "inspector",
    "detective", "constable", "supt", "superintendent",
)
TITLE_WORDS = frozenset(t for t in TITLE_STRINGS if " " not in t)
# Single words that are titles only when a name follows ("General Motors" is
# a company, "General Milley" a person).
WEAK_TITLE_WORDS = frozenset(
    "general justice private major chief director officer speaker chair king queen prince lady lord father doctor "
    "captain commander inspector detective".split()
)
# Words that qualify a following title ("former President", "acting Governor").
TITLE_QUALIFIERS = frozenset(
    "former ex acting interim deputy vice assistant associate senior junior outgoing incoming then late retired new "
    "chief principal state federal national regional".split()
)
# "Foreign Minister Wang Yi", "Home Secretary Priti Patel": one word of
# portfolio before these heads makes a title.
PORTFOLIO_HEADS = frozenset({"minister", "secretary", "commissioner", "director", "spokesman", "spokeswoman", "spokesperson"})
# Titles of address: after one, what is left is a surname ("Mr. King").
HONORIFICS = frozenset(
    "mr mrs ms miss mx messrs dr prof sir dame madam madame mme mlle monsieur herr frau senor senora sr sra signor signora".split()
)
# Titles that may stand before a person's name inside an entity ("Councillor
# Petra Lindqvist"): the resolver's narrower list, which leaves out titles
# that are also ordinary heads ("director", "speaker", "king"), plus three
# abbreviations the scorer does not strip ("amb", "del", "delegate").
PERSON_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady councillor councilman councilwoman mayor senator sen rep "
    "representative governor gov president minister chancellor judge justice general gen colonel col "
    "captain capt sergeant sgt officer detective inspector father rev reverend rabbi imam sheikh "
    "del delegate amb ambassador secretary commissioner lt adm".split()
)
# The converter: one-word titles end a name run ("former Sen. Jim Webb").
CONVERTER_TITLE_WORDS = TITLE_WORDS | {"former"}
# Gendered titles as written right before a name (case-sensitive).
MALE_TITLE_WORDS = ("Mr", "Sir", "Lord", "King", "Prince", "Father", "Rev")
FEMALE_TITLE_WORDS = ("Mrs", "Ms", "Miss", "Madam", "Lady", "Queen", "Dame", "Sister")

# Suffixes after a name ("Jr.", "III"), as the scorer drops them.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "qc", "kc"})
# The converter's: generational ones only.
CONVERTER_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

# Particles inside personal names ("Jan de Vries", "Omar al Rashid"), as the
# segmenter reads a byline's names (pipeline/kinds.py).
NAME_PARTICLES = frozenset("van von de der den da das do dos du del della di la le al el bin ibn ter ten y".split())
# The converter's, a name run it keeps whole ("Bill de Blasio"): fewer.
CONVERTER_NAME_PARTICLES = frozenset("de van von da del la le bin al di du".split())

# ---------------------------------------------------------------- possessives


def strip_possessive(name: str) -> str:
    """"Brill's" -> "Brill"; "the Democrats'" -> "the Democrats"."""
    return re.sub(r"[’']s?$", "", name.strip()).strip()


def strip_possessive_of_word(text: str) -> str:
    """The PolNeAR converter's form: "Brill's" -> "Brill", but only where the
    apostrophe follows a word character, so that the closing two-apostrophe
    quote of a title in PolNeAR's texts ("a host of ''The Five,''") stays;
    the text is trimmed before, not after. Kept apart from
    :func:`strip_possessive` because the two differ on such mentions (13 of
    11,302 distinct ones in PolNeAR), and each one's output is already data:
    gold sources on one side, records on the other."""
    return re.sub(r"(?<=\w)['’]s?$", "", text.strip())


# ---------------------------------------------------------------- descriptions (issue 21, classes 4-6)

# Organisation heads general enough to stand for any organisation named
# before ("the company said" after "Harlow Motors"): the resolver joins them
# to the latest organisation (issue 21, class 5).
GENERIC_ORG_HEADS = frozenset(
    "company firm union corporation business retailer carrier airline automaker manufacturer bank chain startup "
    "charity organisation organization association club group network publisher broadcaster operator insurer utility".split()
)
# Heads of an unnamed person who speaks on record for a named body ("a
# spokeswoman for the ministry", "analysts at Carver Securities"): a person
# source named by the phrase, not an anonymous one (eval/ANNOTATION-NOTES.md 11).
ON_RECORD_HEADS = frozenset(
    "spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople representative representatives analyst "
    "analysts economist economists researcher researchers strategist strategists professor professors".split()
)
# Determiners of a description that introduces someone not named ("a district
# employee"): unidentifiable, so anonymous (ANNOTATION.md 3), unless on record.
INDEFINITE_DETERMINERS = frozenset({"a", "an", "one", "another"})
# Last words of a learned span cut before its head noun ("A former", "the senior").
# (Only words that cannot be a head: "the state said", "the deputy said" are whole.)
CUT_SPAN_ENDINGS = FUNCTION_WORDS | frozenset(
    "former ex acting interim then late retired outgoing incoming senior junior high-ranking top longtime "
    "assistant associate vice".split()
)


# ---------------------------------------------------------------- source profiles (issue 22)

# Words that put a source in a category (docs/annotation.md section 5), tried
# in this order: the first category with a word in the source's title,
# affiliation or (for organisations and groups) name wins ("a spokesman for
# the campaign" is politician before anything the word "spokesman" says).
CATEGORY_WORDS: dict[str, frozenset[str]] = {
    "media": frozenset(
        "reporter reporters journalist journalists correspondent columnist editor anchor host newspaper magazine outlet "
        "broadcaster television radio tv network times post journal tribune gazette herald news press reuters cnn fox "
        "msnbc nbc abc cbs npr pbs bloomberg politico breitbart podcast blogger weekly daily commentator pundit channel".split()
    ),
    "politician": frozenset(
        "president senator sen governor gov mayor congressman congresswoman representative rep lawmaker lawmakers "
        "legislator legislators councillor councilor councilman councilwoman mp mep minister premier chancellor "
        "candidate candidates nominee campaign party democrat democrats republican republicans gop caucus speaker "
        "parliament congress senate assembly legislature presidential delegate delegates politician politicians "
        "assemblyman assemblywoman council councils committee opposition coalition strategist strategists operative front-runner dnc rnc "
        "operatives".split()
    ),
    "business": frozenset(
        "company companies corporation corp inc ltd llc firm bank executive executives ceo cfo founder businessman "
        "businesswoman entrepreneur investor investors industry retailer manufacturer airline carrier motors "
        "shareholder shareholders owner owners developer developers club fc energy operators employers trade chamber lines "
        "manufacturers retailers".split()
    ),
    "advocacy": frozenset(
        "union unions activist activists advocate advocates campaigner campaigners coalition alliance association "
        "foundation ngo charity movement league federation society rights organizer organiser organizers organisers "
        "group groups organisation organization".split()
    ),
    "official": frozenset(
        "official officials police sheriff officer officers department ministry agency authority authorities court "
        "judge justice prosecutor prosecutors commissioner regulator superintendent administration government bureau "
        "military army navy pentagon inspector embassy ambassador diplomat diplomats district state spokesman "
        "spokeswoman spokesperson secretary trooper firefighters firefighter fbi cia coroner clerk county city "
        "municipal federal provincial office service inquiry utility hospital master harbourmaster gen adm col lt sgt "
        "admiral colonel lieutenant sergeant agent agents marshal".split()
    ),
    "expert": frozenset(
        "professor dean university institute researcher researchers research analyst analysts economist economists scientist "
        "scientists expert experts academic scholar historian pollster poll polls survey study studies think-tank center "
        "centre laboratory lab".split()
    ),
    "citizen": frozenset(
        "resident residents voter voters worker workers witness witnesses parent parents mother father student "
        "students patient patients fan fans shopper shoppers neighbour neighbor neighbours neighbors farmer farmers "
        "citizen citizens commuter commuters teacher teachers nurse nurses driver drivers user users reader readers "
        "viewer viewers passenger passengers villager villagers islanders islander colleagues colleague stall shop operator "
        "bakery".split()
    ),
}
# Category words that name bodies, outlets and things rather than people: a
# role written before a name ends in a word for a person ("at times David
# Axelrod" gives no role), and a coordination is cut only between two people's
# roles ("former senator and presidential candidate" -> "former senator").
INSTITUTION_WORDS = frozenset(
    "newspaper magazine outlet television radio tv network times post journal tribune gazette herald news press reuters "
    "cnn fox msnbc nbc abc cbs npr pbs bloomberg politico breitbart podcast campaign party gop caucus parliament congress "
    "senate assembly legislature presidential council councils committee opposition coalition company companies "
    "corporation corp inc ltd llc firm bank industry airline carrier motors club fc energy trade chamber lines union "
    "unions alliance association foundation ngo charity movement league federation society rights group groups "
    "organisation organization police department ministry agency authority authorities court administration government "
    "bureau military army navy pentagon embassy district state fbi cia county city municipal federal provincial office "
    "service inquiry utility hospital university institute research poll polls survey study studies think-tank center "
    "centre laboratory lab stall shop bakery".split()
)
# Nouns that make a phrase a role ("harbour master Solveig Arnesen", "Tomas
# Hellberg, chief executive of Nordbank"), besides the category words.
ROLE_NOUNS = frozenset(
    "leader master pilot director secretary manager head chair chairman chairwoman chairperson president minister "
    "spokesman spokeswoman spokesperson captain officer chief executive economist analyst professor dean nurse doctor "
    "lawyer attorney founder owner editor reporter correspondent superintendent commissioner inspector coordinator "
    "organizer organiser adviser advisor aide consultant strategist researcher scientist historian teacher principal "
    "mayor governor senator representative deputy treasurer trustee member members ambassador envoy negotiator "
    "campaigner activist official officials judge prosecutor sheriff administrator planner engineer operator worker "
    "driver farmer veteran shopkeeper".split()
)
# Verbs of a "who" clause that gives a person's role ("Grace Atieno, who runs a food stall,").
ROLE_VERBS = frozenset("runs chairs heads leads studies manages owns directs founded headed teaches coaches represents edits".split())
# Words that open a description of people without naming them ("two officials", "one source").
QUANTIFIERS = frozenset(
    "a an the one two three four five six seven eight nine ten several some many few a few both another other "
    "dozens hundreds".split()
)
