"""What a question asks for, read from its words alone.

The cues an answer must meet or is helped by (an amount, a number, a day, a date, a person, a
reason, a condition, a judgement, municipalities, a decision), the names and municipalities it
asks about, the topic after "over", the thing whose name or count it wants, the years it names,
whether it spans documents or names an agenda item, and the questions a compound question asks.
Nothing here looks at a passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regioassist.chunking import DUTCH_MONTHS
from regioassist.models import DocType
from regioassist.structure import CONTAINER_HEADING
from regioassist.textutil import STOPWORDS, content_words, fold, stems


DECISION_QUESTION = re.compile(
    r"\b(besloten|besluit\w*|beslist|afgesproken|afspraken?|vastgesteld|ingestemd|"
    r"decided|decisions?|agreed|agreements?|resolved)\b",
    re.IGNORECASE,
)
# Stems that say *that* something was decided, not *what* about: they do not pick the topic.
GENERIC_STEMS = stems(
    "besloten besluit besluiten beslist afgesproken afspraak afspraken vastgesteld ingestemd "
    "decided decision decisions agreed agreement resolved overleg vergadering meeting portefeuillehouders "
    "portefeuillehoudersoverleg pfho wethouders besproken voorgesteld gevraagd gezegd gesproken genoemd "
    "vermeld said discussed mentioned zitten zit zat genomen gemaakt vinden vindt vond vonden "
    "gedaan doen doet gebeurt gebeurd gaat gaan ging gingen"
)
# What a question asks for, and what a sentence must contain to answer it. A "required"
# cue that no retrieved sentence meets means the documents do not give that information:
# "Wat kost de tweede gezinsgerichte groep?" finds the item, but no amount in it.
_MONTH_NAMES = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|june|july|august|october"
)
_PERIODS = (
    "kwartaal|voorjaar|najaar|zomer|winter|begin|eind|uiterlijk|binnen|vanaf|quarter|"
    # "De werving start binnenkort." answers "Wanneer start ...?" as far as the documents can.
    "binnenkort|onlangs|(?:dit|vorig|volgend) jaar|zo snel mogelijk|soon|recently"
)


# A name of two or more capitalised words, Dutch particles between them: "Wendy van Neer", "Leger des Heils".
FULL_NAME = re.compile(r"\b[A-Z][a-zë]+ (?:(?:van|de|der|den|des|ter|ten) )*[A-Z][a-zë]+")
# "Wie ...?" is answered by a person's name, or by the people a group is named for ("ervaringsdeskundigen").
PEOPLE = re.compile(
    rf"{FULL_NAME.pattern}"
    r"|\b\w*(?:deskundigen|specialisten|professionals|medewerkers|vertegenwoordigers|adviseurs|(?<!h)ouders|bewoners)\b"
)


CUE_WEIGHT = 0.3


@dataclass(frozen=True)
class AnswerCue:
    asks: re.Pattern
    answers: re.Pattern
    required: bool
    weight: float = CUE_WEIGHT  # added to the score of a sentence that gives what is asked


ANSWER_CUES = {
    "money": AnswerCue(
        re.compile(
            r"\b(\w*kost(?:en|te)?|bedrag\w*|budget\w*|salaris\w*|tarief|tarieven|"
            r"hoe ?hoog|hoeveel (?:duurder|goedkoper)|how much|costs?|amount|salary|fee)\b|"
            # "subsidie"/"financiering" ask for money only with "hoeveel": "welke subsidieaanvraag" asks which one.
            r"\b(?:hoeveel|how much)\b.*\b(?:subsid\w*|financiering|geld|money)\b", re.I,
        ),
        re.compile(r"€\s?\d|\b\d[\d.,]*\s?(?:euro|K)\b|\beuro\b", re.I),
        True,
    ),
    "number": AnswerCue(
        re.compile(r"\b(hoeveel|how many|aantal)\b", re.I),
        re.compile(r"\d|\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|honderd)\b", re.I),
        True,
    ),
    "day": AnswerCue(
        re.compile(r"\b(op welke (?:dag|datum)|welke datum|what date|which day|on what day)\b", re.I),
        re.compile(rf"\b\d{{1,2}}(?:e|ste)?\s+(?:{_MONTH_NAMES})\b|\b\d{{1,2}}[-/]\d{{1,2}}\b", re.I),
        True,
    ),
    "when": AnswerCue(
        # "de uiterste datum", "de einddatum" ask for a date as much as "wanneer" does.
        re.compile(r"\b(wanneer|when|\w*datum|what date|deadline|tot wanneer|vanaf wanneer)\b", re.I),
        re.compile(rf"\b(?:{_MONTH_NAMES}|{_PERIODS}|(?:19|20)\d{{2}}|\d{{1,2}}[-/]\d{{1,2}})\b", re.I),
        True,
    ),
    # "Hoe vaak vergadert het overleg?" is answered by a frequency ("vier keer per jaar", "maandelijks").
    "frequency": AnswerCue(
        re.compile(r"\b(?:hoe vaak|hoe dikwijls|hoeveel keer|how often|how many times)\b", re.I),
        re.compile(
            r"\b(?:\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf|enkele|meerdere)\s*(?:keer|maal)\b|\b(?:\w*(?:dagelijks|"
            r"wekelijks|maandelijks|jaarlijks)|(?:eens )?per (?:\w+ )?(?:dag|dagen|week|weken|maand|maanden|kwartaal|jaar)|"
            r"om de (?:\w+ )?(?:week|weken|maand|maanden)|(?:elke|iedere|every) (?:\w+ )?(?:dag|week|weken|maand|jaar|"
            r"kwartaal|day|week|month|year)|daily|weekly|monthly|yearly|annually|times? a)\b",
            re.I),
        True,
    ),
    # "Hoe lang duurt de pilot?" is answered by a duration ("een pilot voor 2 jaar"), not by a start date.
    "duration": AnswerCue(
        re.compile(r"\b(?:hoe lang|hoelang|how long|looptijd|duur)\b", re.I),
        re.compile(
            r"\b(?:\d+|een|twee|drie|vier|vijf|zes|half|halve|anderhalf|enkele|paar|one|two|three|four|five|six|a few)"
            r"\s+(?:jaar|jaren|maand|maanden|week|weken|dag|dagen|uur|kwartaal|kwartalen|years?|months?|weeks?|days?|hours?)\b"
            r"|\b(?:tot|t/m|tot en met|until|through)\s+(?:\d|eind|begin|medio|(?:" + _MONTH_NAMES + r"))", re.I),
        True,
    ),
    "who": AnswerCue(
        re.compile(r"\b(wie|who|welke (?:wethouder|persoon|organisatie)|which (?:organisation|person))\b", re.I),
        PEOPLE,
        False,
    ),
    # "Hoe wil men de financiering verdelen?" is answered by the shares: "1/3 Regio, 1/3 partners".
    "share": AnswerCue(
        re.compile(r"\b(?:verdel\w*|verdeeld|verdeling|welk (?:deel|aandeel)|percentage|what share|how \w+ (?:split|divided))\b", re.I),
        re.compile(r"\d\s?/\s?\d|\d\s?%|\b(?:procent|helft|derde|kwart|aandeel|delen|gedeeld|verdeeld|per cent|half)\b", re.I),
        False,
    ),
    # "Waarom ...?" is answered by the sentence that gives a reason.
    "why": AnswerCue(
        re.compile(r"\b(?:waarom|om welke reden|why|for what reason)\b", re.I),
        re.compile(r"\b(?:omdat|doordat|vanwege|wegens|als gevolg|reden|oorzaak|daardoor|hierdoor|daarom|zodat|because|due to)\b", re.I),
        False,
    ),
    # "Onder welke voorwaarde ...?" is answered by the sentence that states a condition.
    "condition": AnswerCue(
        re.compile(r"\b(?:voorwaarden?|randvoorwaarde\w*|onder welke omstandigheden|what conditions?|on what condition)\b", re.I),
        re.compile(r"\b(?:alleen (?:als|wanneer|indien)|mits|op voorwaarde|voorwaarden?|randvoorwaarde\w*|vereist|"
                   r"only if|provided that|on condition)\b", re.I),
        False,
    ),
    # "Wat vond het overleg van X?" is answered by the sentence that gives a judgement.
    "opinion": AnswerCue(
        re.compile(r"\b(?:wat (?:vond|vonden|vindt|vinden)|hoe (?:kijkt|kijken|keek|keken|staat|staan|stond|stonden)\b.*\btegen"
                   r"|standpunt\w*|mening|(?:wat|hoe) (?:denkt|denken|dacht|dachten)"
                   r"|what did \w+(?: \w+)? think|how did \w+(?: \w+)? view)\b", re.I),
        re.compile(r"\b(?:positief|negatief|tevreden|ontevreden|blij|enthousiast|kritisch|bezorgd|zorgen|waardeert|"
                   r"waardering|complimenteert|compliment\w*|steunt|ondersteunt|onderschrijft|staat achter|"
                   # what the aldermen want or give along: "Wethouders willen ...", "De wethouders geven het volgende mee:"
                   r"(?:wethouders?|portefeuillehouders?|gemeenten|overleg|pfho)\s+(?:\w+\s+)?(?:willen|wil|wensen|vinden|vindt)|"
                   r"geven \w+ (?:\w+ )?mee)\b", re.I),
        False,
        # A judgement is the answer: "Het portefeuillehoudersoverleg is positief over deze samenwerking."
        # comes before the item's sentences that merely name BaanTalent, which share more words.
        weight=1.0,
    ),
    # A decision question answered from passages without recorded decisions: the sentences that
    # say what the meeting did ("neemt kennis van", "stemt in met", "is akkoord") come first.
    "decision": AnswerCue(
        # "Wat is er besproken over X?": what the meeting concluded belongs to what it discussed.
        re.compile(DECISION_QUESTION.pattern + r"|\bwat doet\b|\bgevraagd\b|\bvoorgesteld\b|\bbesproken\b", re.I),
        re.compile(
            r"\b(?:besl\w+|stel(?:t|len) \w+(?: \w+)? vast|vastgesteld|stem(?:t|men) in|ingestemd|akkoord|"
            r"neem(?:t|en) kennis|afgesproken|afspraak|spreken af|kiezen|gaan \w+ met|voorgesteld|wordt gevraagd|"
            r"\w*(?:overleg|pfho) (?:stelt|concludeert) dat|geconcludeerd)\b",
            re.I,
        ),
        False,
    ),
}


DAY_WORDS = stems("dag datum day date")
CUE_STEMS = stems(
    "kost kosten bedrag budget salaris subsidie tarief financiering hoog hoeveel aantal wanneer datum "
    "deadline cost costs amount salary date when much many"
)
# The words every question is framed in, a decision's or a cue's: never what it is about.
FRAME_STEMS = GENERIC_STEMS | CUE_STEMS


# Names a question may use for what it asks about, checked against the passages it would be
# answered from: "Wat heeft Blaricum besloten over X?" is not answered by a passage on X in Huizen.
MUNICIPALITIES = (
    "blaricum", "eemnes", "gooise meren", "hilversum", "huizen", "laren", "weesp", "wijdemeren",
    "bussum", "naarden", "muiden",
)
_MUNICIPALITY_NAME = "|".join(m.title() for m in MUNICIPALITIES)
# "Welke gemeenten doen mee aan ...?" is answered by the sentence that names municipalities.
ANSWER_CUES["municipalities"] = AnswerCue(
    re.compile(r"\bwelke gemeenten\b|\bwhich municipalities\b", re.I),
    re.compile(rf"\b(?:{_MUNICIPALITY_NAME})\b.*\b(?:{_MUNICIPALITY_NAME})\b"),
    False,
    # The names are the answer: they come before sentences that repeat "Regio Gooi en Vechtstreek".
    weight=1.0,
)
# "Welke gemeente trekt het Regioplan?" is answered by the sentence that names one.
ANSWER_CUES["municipality"] = AnswerCue(
    re.compile(r"\bwelke gemeente\b|\bwhich municipality\b", re.I),
    re.compile(rf"\b(?:{_MUNICIPALITY_NAME})\b"),
    False,
    weight=1.0,
)
# Also plain Dutch words ("huizen": houses): these count only when capitalised, as a name.
COMMON_WORD_MUNICIPALITIES = frozenset({"huizen"})
_NAME = re.compile(r"(?<=[\w,)] )[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
# Months, and the country every document is set in: "kinderen die net in Nederland zijn" names no
# topic (the documents say "landelijk" where they mean all of it).
_NOT_NAMES = frozenset(fold(m) for m in DUTCH_MONTHS) | frozenset(
    "january february march april may june july august september october november december nederland netherlands".split()
)
# A topic word shorter than this is too plain to say a question is off the documents.
MIN_UNKNOWN_TOPIC_CHARS = 6


def names_in(question: str) -> list[str]:
    """Proper names in a question: capitalised words past its first word, and municipalities.

    >>> names_in("Welke zienswijze heeft de gemeenteraad van Blaricum gegeven op het Beleidsplan?")
    ['Blaricum', 'Beleidsplan']
    >>> names_in("wat doet blaricum met de WEB voor huizen?")
    ['WEB', 'blaricum']
    >>> names_in("Hoeveel aanbieders waren er in heel Nederland?")
    []
    """
    found = [m for m in _NAME.findall(question) if fold(m) not in _NOT_NAMES]
    folded = fold(question)
    found += [
        m for m in MUNICIPALITIES
        if m not in COMMON_WORD_MUNICIPALITIES and re.search(rf"\b{m}\b", folded) and not any(fold(f) == m for f in found)
    ]
    return found


def names_municipality(question: str) -> bool:
    """Does the question name one of the region's municipalities?

    >>> names_municipality("Wie vertegenwoordigde Laren?"), names_municipality("Wie opende het overleg?")
    (True, False)
    """
    return any(fold(name) in MUNICIPALITIES for name in names_in(question))


def name_covered(name: str, text: str) -> bool:
    """Every part of ``name`` (3+ letters) occurs in the folded ``text``: 'Beschermd Wonen-initiatieven'."""
    parts = [p for p in re.split(r"[\s'’-]+", fold(name)) if len(p) >= 3]
    return all(p in text for p in parts)


def wanted_cues(question: str) -> list[str]:
    """The cues a question asks for; "hoeveel kost" asks for money, not for a bare number."""
    cues = [name for name, cue in ANSWER_CUES.items() if cue.asks.search(question)]
    if "money" in cues and "number" in cues:
        cues.remove("number")
    if "day" in cues and "when" in cues:
        cues.remove("when")
    if "frequency" in cues and "number" in cues:
        cues.remove("number")  # "hoeveel keer" asks how often
    if "share" in cues and "money" in cues:
        cues.remove("money")  # "Hoe worden de kosten verdeeld?" asks for the shares, not an amount
    return cues
# A question that asks for several things ("Welke mededelingen werden er gedaan?") is answered
# with up to LIST_SENTENCES sentences instead of max_sentences.
LIST_QUESTION = re.compile(
    r"\b(?:welke\s+(?:\w+\s+)?\w+(?:en|s)\b|wat (?:is|werd|wordt) er\s+(?:\w+\s+)?(?:besproken|gezegd|gemeld)|"
    r"wat zijn|which\s+\w+s\b|what are)",
    re.IGNORECASE,
)
# A question about what is still ahead: "Wat gaat de regio doen?", "Wie wordt er aangenomen?".
ASKS_AHEAD = re.compile(r"\b(?:gaat|gaan|zal|zullen|wordt|worden|komt|komen|plan\w*|verwacht\w*|will|going)\b", re.I)
# "Hoe heet de stichting ...?" asks for the name the thing is called by.
ASKS_NAME = re.compile(
    r"\b(?:hoe heet|hoe heten|wat is de naam van|welke naam heeft|what is the name of) (?:de|het|die|dat|the) (\w+)",
    re.I,
)
# The words "hoeveel" counts: "Hoeveel extra banen zijn ...?" -> "extra banen".
COUNTED = re.compile(r"\b(?:hoeveel|how many)\s+((?:\w+\s+){0,2}\w+)", re.I)
COMPARATIVE = re.compile(r"meer|minder|vaker|(?:duurd|goedkop|hog|lag|grot|klein|lang|kort|ouder|jong)er")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
DATES = re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTH_NAMES})(?:\s+(?:19|20)\d{{2}})?\b|\b(?:19|20)\d{{2}}\b|\b\d{{1,2}}[-/]\d{{1,2}}(?:[-/]\d{{2,4}})?\b", re.I)
YEAR_SPAN = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|t/m|tot(?: en met)?)\s*((?:19|20)\d{2})\b")
# Units a number may carry as a sign instead of a word: "75%" answers "hoeveel procent".
UNIT_SIGNS = {"procent": "%", "percent": "%", "percentage": "%"}


def asked_name(question: str) -> str | None:
    """The thing whose name a question asks: 'stichting' for 'Hoe heet de stichting die ...?'.

    >>> asked_name("Hoe heet de stichting die wordt opgericht?")
    'stichting'
    >>> asked_name("Wie is de contactpersoon?") is None
    True
    """
    match = ASKS_NAME.search(question)
    return match.group(1).lower() if match else None


def years_in(text: str) -> set[int]:
    """The years ``text`` names, those a span covers included: '2022-2026' -> 2022 ... 2026."""
    years = {int(y) for y in YEAR.findall(text)}
    for first, last in YEAR_SPAN.findall(text):
        years.update(range(int(first), int(last) + 1))
    return years


def counted_words(question: str) -> list[str]:
    """The content words right after "hoeveel": what the asked number must count.

    >>> counted_words("Hoeveel inwoners staan er op de wachtlijst?")
    ['inwoners', 'staan']
    >>> counted_words("Met hoeveel wordt het aantal groepen teruggebracht?")
    []
    """
    match = COUNTED.search(question)
    if not match:
        return []
    counted = []
    for word in match.group(1).split():
        if word.lower() in STOPWORDS or COMPARATIVE.fullmatch(word.lower()):
            break  # "hoeveel duurder wordt ...": a difference, not a count of things
        counted.append(word.lower())
    return counted


# Kinds of document a question can name; naming two ("het programma en het resumé") or two times
# ("in 2021 en 2023", "tussen maart 2021 en februari 2023") asks for more than one document.
DOCUMENT_KINDS = tuple(
    (re.compile(rf"\b(?:{pattern})\b", re.I), kind)
    for pattern, kind in (
        (r"programma\w*", DocType.PROGRAMMA),
        (r"resum[eé]s?|overleggen|vergaderingen|verslag\w*", DocType.RESUME),
        (r"\w*brief\w*", DocType.RAADSINFORMATIEBRIEF),
        (r"voorstel\w*", DocType.VOORSTEL),
    )
)
_TWO_TIMES = re.compile(r"\b(?:19|20)\d{2}\b.*\ben\b.*\b(?:19|20)\d{2}\b|\btussen\b.+\ben\b|\bdaarna\b|\blater(?:e)?\b", re.I)




def names_section(question: str, section: str | None) -> bool:
    """Does the question name this meeting section by all of its words ("welke mededelingen" -> "Mededelingen")?

    Only sections that collect several short items count (CONTAINER_SECTION): their items are the
    answer, in order. An agenda item named by the question is left to the sentence scoring.

    >>> names_section("Welke mededelingen werden er gedaan?", "Mededelingen")
    True
    >>> names_section("Welke mededelingen werden er gedaan?", "Agenda en mededelingen")
    False
    """
    if not section or not CONTAINER_HEADING.search(section):
        return False
    words_ = stems(section)
    return bool(words_) and words_ <= stems(question)


def spans_documents(question: str) -> bool:
    """Does the question ask what several documents say?

    >>> spans_documents("Wat zeggen het programma en het resumé van februari 2023 over X?")
    True
    >>> spans_documents("Welke alternatieven komen in 2021 en 2023 naar voren?")
    True
    >>> spans_documents("Wat kost de dyslexiezorg?")
    False
    """
    kinds = sum(bool(pattern.search(question)) for pattern, _ in DOCUMENT_KINDS)
    return kinds >= 2 or bool(_TWO_TIMES.search(question))


def qualifies_document(question: str, name: str) -> bool:
    """Does ``name`` stand in the question only to say which document it means?

    >>> qualifies_document("Wat zeggen de raadsinformatiebrief van Huizen en het voorstel?", "Huizen")
    True
    >>> qualifies_document("Wat zeggen het programma Jeugd & Onderwijs en het resumé?", "Jeugd")
    True
    >>> qualifies_document("Wat zeggen het programma en het resumé over Huizen?", "Huizen")
    False
    """
    kinds = "|".join(pattern.pattern for pattern, _ in DOCUMENT_KINDS)
    return re.search(rf"(?:{kinds})\s+(?:van\s+(?:de\s+gemeente\s+)?)?{re.escape(name)}\b", question, re.I) is not None


def proposals_named(question: str) -> bool:
    """Does the question name a proposal among the documents it asks about?

    >>> proposals_named("Hoe verhoudt het programma zich tot het latere voorstel over lokale teams?")
    True
    >>> proposals_named("Wat is er voorgesteld over verblijf?")
    False
    """
    return any(kind is DocType.VOORSTEL and pattern.search(question) for pattern, kind in DOCUMENT_KINDS)


# "Welke rol speelt X in het programma, en hoeveel geld is er voor vrijgegeven?": a second
# question joined by "en"/"and" and opening with its own question word.
_SECOND_QUESTION = re.compile(
    r",?\s+(?:en|and)\s+(?=(?:wat|welke|welk|hoe|hoeveel|wanneer|waarom|wie|waar|per wanneer|vanaf wanneer|"
    r"tot wanneer|what|which|how|when|why|who|where)\b)",
    re.IGNORECASE,
)
MIN_PART_WORDS = 2  # content words each part needs to be asked on its own ("... en wat nog?" is no part)
# "daarover", "hierin": a later part that points back at what the first part is about.
_POINTS_BACK = re.compile(r"\b(?:daar|hier)(?:over|in|bij|voor|mee|aan|op|naar|van|uit)\b", re.I)


def question_parts(question: str) -> list[str]:
    """The questions a compound question asks, each on its own; ``[question]`` when it asks one.

    A later part that names nobody carries the names of the first: "hoeveel geld is er voor
    vrijgegeven" is about the Zorgstart the first part named. One that points back at it
    ("daarover") carries the first part's topic.

    >>> question_parts("Welke rol speelt Zorgstart in het programma, en hoeveel geld is er voor vrijgegeven?")
    ['Welke rol speelt Zorgstart in het programma?', 'Hoeveel geld is er voor vrijgegeven (Zorgstart)?']
    >>> question_parts("Wat zei het programma over lokale teams, en wat stelt het voorstel daarover voor?")
    ['Wat zei het programma over lokale teams?', 'Wat stelt het voorstel daarover voor (lokale teams)?']
    >>> question_parts("Wie maakte gebruik van het spreekrecht en waarover?")
    ['Wie maakte gebruik van het spreekrecht en waarover?']
    """
    pieces = [p.strip(" ,?.!") for p in _SECOND_QUESTION.split(question)]
    if len(pieces) < 2 or any(len(content_words(p)) < MIN_PART_WORDS for p in pieces):
        return [question]
    first_names = names_in(pieces[0])[:1]
    first_topic = topic_words(pieces[0]) or slot_words(pieces[0])
    parts = []
    for i, piece in enumerate(pieces):
        text = piece[:1].upper() + piece[1:]
        if i and first_names and not names_in(piece):
            text += f" ({first_names[0]})"
        elif i and first_topic and _POINTS_BACK.search(piece):
            text += f" ({first_topic})"
        parts.append(text + "?")
    return parts


def _trails(word: str) -> bool:
    """Is ``word``, at the end of a question, no part of its topic ("besloten", "is")? A capitalised
    word is part of a name ("over Join Us?") unless it only says that something was decided."""
    said = stems(word)
    if word[:1].isupper():
        return bool(said) and said <= GENERIC_STEMS
    return said <= GENERIC_STEMS or word.lower() in STOPWORDS


# The thing a question asks about stands after its last preposition: "Wie is de voorzitter van de
# voetbalclub?", "Welke maatregelen zijn er tegen overstromingen?".
_SLOT = re.compile(r"\b(?:over|van|voor|tegen|naar|met|bij|onder|rond(?:om)?|omtrent|inzake)\s+(?:de |het |een )?", re.I)
_ARTICLE = re.compile(r"\b(?:de|het|een)\s+", re.I)  # without a preposition: "Welke subsidie krijgt het theater?"
# A longer tail is a description or a clause ("... van de grote landelijke patiëntenvereniging",
# "... kinderen op school"); measured on eval/, 3 also declined three answerable questions.
SLOT_WORDS = 2
# A past participle closing a Dutch question is its verb: "... over het Wmo-vervoer toegezegd?", "... verkend?".
# A participle is short: "gehandicaptenparkeerkaart" starts with "ge" and ends in "t" but is a compound noun.
_CLOSING_VERB = re.compile(r"^(?=[a-z]{5,16}$)(?:(?:[a-z]{2,5})?ge[a-z]{3,}[dt]|(?:be|ver|ont|her)[a-z]{3,}[dt])$")
# The particle of a separable verb closes its clause: "Wanneer gaat het zwemcentrum open?", "... stelt het plan vast?".
_VERB_PARTICLES = frozenset("af mee toe terug open vast dicht weg samen voort".split())
_EACH_OTHER = re.compile(r"\s+(?:bij|met|aan|tegen|van|naar|over|voor|op)\s+(?:elkaar|mekaar)\b", re.I)
# "waarover", "waarvoor": question words, never a topic.
_QUESTION_WORD = re.compile(r"^waar(?:over|voor|mee|in|aan|op|uit|door|bij|naar|tegen|om)$", re.I)


# "... in Laren?", "... in het programma?": a closing place or document scopes the question; the
# thing asked about stands before it ("Welke rol speelt de voedselbank in het programma?").
_SCOPE_TAIL = re.compile(
    rf"\s+(?:(?:in|bij|binnen)\s+(?:(?:de|het|dit|deze) )?(?:gemeente )?"
    rf"(?:{_MUNICIPALITY_NAME}|programma|resum[eé]|(?:raadsinformatie)?brief|voorstel|overleg|vergadering|regio)"
    # "... een scootmobiel van de gemeente?": who provides it, not what is asked about
    rf"|(?:van|via)\s+de\s+(?:gemeente|regio)(?:\s+{_MUNICIPALITY_NAME})?)"
    rf"(?P<verb>\s+[a-z]+)?\s*[?.!]*$",  # a closing verb stays: "... in Laren gefinancierd?"
    re.I,
)


def slot_words(question: str) -> str:
    """The few words after a Dutch question's last preposition, the thing it asks about; "" when there are more.

    >>> slot_words("Wie is de voorzitter van de voetbalclub?"), slot_words("Wie is de burgemeester van Huizen?")
    ('voetbalclub', 'burgemeester')
    >>> slot_words("Wie heeft de bijeenkomst over het Wmo-vervoer toegezegd?")
    'Wmo-vervoer'
    >>> slot_words("Tot wanneer geldt de afspraak over het opvangen van pas aangekomen kinderen op school?")
    ''
    >>> slot_words("Welke rol speelt de voedselbank in het programma?"), slot_words("Hoe wordt het theater in Laren betaald?")
    ('voedselbank', 'theater')
    >>> slot_words("Hoe vaak komt het programmateamoverleg bij elkaar?")
    'programmateamoverleg'
    >>> slot_words("Hoe lang wacht je op een scootmobiel van de gemeente?")
    'scootmobiel'
    """
    question = _SCOPE_TAIL.sub(lambda m: f"{m['verb'] or ''}?", question)
    question = _EACH_OTHER.sub("", question)  # "... bij elkaar?" closes the verb ("bij elkaar komen"), names nothing
    found = list(_SLOT.finditer(question)) or list(_ARTICLE.finditer(question))
    if not found:
        return ""
    words = _slot_at(question, found[-1].end(), len(question))
    if words and all(fold(w) in MUNICIPALITIES for w in words):
        # "Wie is de burgemeester van Huizen?": the place scopes the question; the thing stands before it.
        before = list(_ARTICLE.finditer(question, 0, found[-1].start()))
        words = _slot_at(question, before[-1].end(), found[-1].start()) if before else []
    return " ".join(words) if len(words) <= SLOT_WORDS else ""


def _slot_at(question: str, start: int, end: int) -> list[str]:
    """The words of ``question[start:end]``, without question words and a closing verb or stop word."""
    words = [w for w in question[start:end].rstrip(" ?.!").split() if not _QUESTION_WORD.match(w)]
    while words and (_trails(words[-1]) or _CLOSING_VERB.match(words[-1]) or words[-1].lower() in _VERB_PARTICLES):
        words.pop()
    return words


def topic_words(question: str) -> str:
    """The words after 'over'/'about'/'m.b.t.' in a decision question: 'verblijf'.

    Trailing words that only say *that* something was decided are dropped:
    "over verblijf besloten?" -> "verblijf".

    >>> topic_words("Wat is er over verblijf besloten?"), topic_words("Wat staat er in de brief over Join Us?")
    ('verblijf', 'Join Us')
    """
    match = re.search(r"\b(?:over|about|on|omtrent|inzake|m\.b\.t\.|rond(?:om)?)\s+(?:de |het |the )?(.+?)[?.!]*$", question, re.I)
    if not match:
        return ""
    words = match.group(1).split()
    while words and _trails(words[-1]):
        words.pop()
    return " ".join(words)


# "Wat is de WEB?", "Waar staat GGD voor?": what an abbreviation means. An abbreviation has two
# capitals or more ("WEB", "PFHO", "POH"), so "Wat is de Tomingroep?" asks about a thing, not its letters.
_ABBREVIATION = r"([A-Z][A-Za-z&]{1,7})"  # "B&O" too
_SPELLED_OUT_ASKED = re.compile(
    rf"^\s*(?:waar\s+staat\s+(?:de\s+|het\s+)?{_ABBREVIATION}\s+voor|wat\s+betekent\s+(?:de\s+|het\s+)?{_ABBREVIATION}|"
    rf"what\s+does\s+(?:the\s+)?{_ABBREVIATION}\s+(?:stand\s+for|mean))\s*\??\s*$",
    re.I,
)
_WHAT_IS = re.compile(rf"^\s*(?:wat\s+is|what\s+is)\s+(?:de\s+|het\s+|een\s+|the\s+|an?\s+)?{_ABBREVIATION}\s*\??\s*$", re.I)


def abbreviation_asked(question: str) -> tuple[str, bool] | None:
    """The abbreviation a question asks the meaning of, and whether it asks only what the letters stand for.

    >>> abbreviation_asked("Waar staat GGD voor?"), abbreviation_asked("Wat is de WEB?"), abbreviation_asked("Wat betekent B&O?")
    (('GGD', True), ('WEB', False), ('B&O', True))
    >>> abbreviation_asked("Wat is de Tomingroep?") is None, abbreviation_asked("Wat is besloten over de WEB?") is None
    (True, True)
    """
    for pattern, letters_only in ((_SPELLED_OUT_ASKED, True), (_WHAT_IS, False)):
        match = pattern.match(question)
        if match:
            abbr = next(group for group in match.groups() if group)
            if sum(ch.isupper() for ch in abbr) >= 2:  # the patterns ignore case: "Wat is de web?" matches them
                return abbr, letters_only
    return None
