"""The extractive answerer: a cited Dutch answer built from the retrieved passages, no LLM.

Every statement it writes is a sentence quoted from a passage, followed by the
number of the citation it rests on. Two shapes:

- "Wat is besloten over X?": the decisions on X, meeting by meeting in date
  order, each under its meeting date, domain and agenda item;
- any other question: the sentences that answer it best, under the place they
  stand.

When the best passage is not similar enough to the question (cosine below the
calibrated ``min_dense_score``) it says the documents do not answer, and cites
nothing. An English question gets English framing; quotes stay Dutch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from regioassist.chunking import DUTCH_MONTHS
from regioassist.compounds import CompoundSplitter
from regioassist.embedding import Embedder
from regioassist.models import Answer, Chunk, Citation, Hit
from regioassist.prompts import DEFAULT_PHRASES, load_phrases
from regioassist.textutil import STOPWORDS, fold, split_sentences, stems, words

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
    "vermeld said discussed mentioned"
)
# What a question asks for, and what a sentence must contain to answer it. A "required"
# cue that no retrieved sentence meets means the documents do not give that information:
# "Wat kost de tweede gezinsgerichte groep?" finds the item, but no amount in it.
_MONTH_NAMES = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|june|july|august|october"
)
_PERIODS = "kwartaal|voorjaar|najaar|zomer|winter|begin|eind|uiterlijk|binnen|vanaf|quarter"


@dataclass(frozen=True)
class AnswerCue:
    asks: re.Pattern
    answers: re.Pattern
    required: bool


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
        re.compile(r"\b(wanneer|when|op welke datum|welke datum|what date|deadline|tot wanneer|vanaf wanneer)\b", re.I),
        re.compile(rf"\b(?:{_MONTH_NAMES}|{_PERIODS}|(?:19|20)\d{{2}}|\d{{1,2}}[-/]\d{{1,2}})\b", re.I),
        True,
    ),
    "who": AnswerCue(
        re.compile(r"\b(wie|who|welke (?:wethouder|persoon|organisatie)|which (?:organisation|person))\b", re.I),
        re.compile(r"\b[A-Z][a-zë]+ (?:(?:van|de|der|den) )*[A-Z][a-zë]+"),
        False,
    ),
    # "Waarom ...?" is answered by the sentence that gives a reason.
    "why": AnswerCue(
        re.compile(r"\b(?:waarom|om welke reden|why|for what reason)\b", re.I),
        re.compile(r"\b(?:omdat|doordat|vanwege|wegens|als gevolg|reden|oorzaak|daardoor|zodat|because|due to)\b", re.I),
        False,
    ),
    # A decision question answered from passages without recorded decisions: the sentences that
    # say what the meeting did ("neemt kennis van", "stemt in met", "is akkoord") come first.
    "decision": AnswerCue(
        re.compile(DECISION_QUESTION.pattern + r"|\bwat doet\b|\bgevraagd\b|\bvoorgesteld\b", re.I),
        re.compile(
            r"\b(?:besl\w+|stel(?:t|len) \w+(?: \w+)? vast|vastgesteld|stem(?:t|men) in|ingestemd|akkoord|"
            r"neem(?:t|en) kennis|afgesproken|afspraak|spreken af|kiezen|gaan \w+ met|voorgesteld|wordt gevraagd)\b",
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


# Names a question may use for what it asks about, checked against the passages it would be
# answered from: "Wat heeft Blaricum besloten over X?" is not answered by a passage on X in Huizen.
MUNICIPALITIES = (
    "blaricum", "eemnes", "gooise meren", "hilversum", "huizen", "laren", "weesp", "wijdemeren",
    "bussum", "naarden", "muiden",
)
# Also plain Dutch words ("huizen": houses): these count only when capitalised, as a name.
COMMON_WORD_MUNICIPALITIES = frozenset({"huizen"})
_NAME = re.compile(r"(?<=[\w,)] )[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_NOT_NAMES = frozenset(fold(m) for m in DUTCH_MONTHS) | frozenset(
    "january february march april may june july august september october november december".split()
)
# A topic word shorter than this is too plain to say a question is off the documents.
MIN_UNKNOWN_TOPIC_CHARS = 6


def names_in(question: str) -> list[str]:
    """Proper names in a question: capitalised words past its first word, and municipalities.

    >>> names_in("Welke zienswijze heeft de gemeenteraad van Blaricum gegeven op het Beleidsplan?")
    ['Blaricum', 'Beleidsplan']
    >>> names_in("wat doet blaricum met de WEB voor huizen?")
    ['WEB', 'blaricum']
    """
    found = [m for m in _NAME.findall(question) if fold(m) not in _NOT_NAMES]
    folded = fold(question)
    found += [
        m for m in MUNICIPALITIES
        if m not in COMMON_WORD_MUNICIPALITIES and re.search(rf"\b{m}\b", folded) and not any(fold(f) == m for f in found)
    ]
    return found


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
    return cues


ENGLISH_MONTHS = "January February March April May June July August September October November December".split()



def format_date(value, language: str) -> str:
    if value is None:
        return ""
    months = DUTCH_MONTHS if language == "nl" else ENGLISH_MONTHS
    return f"{value.day} {months[value.month - 1]} {value.year}"


def place_of(chunk: Chunk, language: str, phrases: dict[str, dict[str, str]]) -> str:
    """'23 februari 2023 — Jeugd en Onderwijs, agendapunt "Verblijf"' for a heading line.

    Documents other than minutes also name their title: a programme's date alone says little.
    """
    head = format_date(chunk.date, language) or chunk.title
    where = []
    if chunk.date and chunk.title and chunk.doc_type.value != "resumé":
        where.append(chunk.title)
    if chunk.domain:
        where.append(chunk.domain)
    if chunk.section:
        label = phrases[language]["item"] if chunk.section_kind == "agenda_item" else ""
        where.append(f'{label} "{chunk.section}"'.strip())
    return f"{head} — {', '.join(where)}" if where else head


@dataclass
class Citations:
    """Numbers citations in order of first use; each collects the sentences quoted from it."""

    hits: list[Hit] = field(default_factory=list)
    quotes: list[list[str]] = field(default_factory=list)

    def cite(self, hit: Hit, sentence: str) -> int:
        for i, known in enumerate(self.hits):
            if known.chunk.id == hit.chunk.id:
                if sentence not in self.quotes[i]:
                    self.quotes[i].append(sentence)
                return i + 1
        self.hits.append(hit)
        self.quotes.append([sentence])
        return len(self.hits)

    def build(self) -> tuple[Citation, ...]:
        return tuple(
            Citation(
                n=i + 1,
                source=hit.chunk.source,
                title=hit.chunk.title,
                doc_type=hit.chunk.doc_type.value,
                date=hit.chunk.date.isoformat() if hit.chunk.date else None,
                domain=hit.chunk.domain,
                agenda_item=hit.chunk.section,
                page=hit.chunk.page,
                quote=" ".join(quotes),
                score=hit.dense_score if hit.dense_score is not None else hit.score,
                passage=hit.chunk.text,
                ocr=hit.chunk.ocr,
                language=hit.chunk.language,
            )
            for i, (hit, quotes) in enumerate(zip(self.hits, self.quotes))
        )


FACT_PASSAGES = 5  # passages whose sentences compete to answer a factual question
RANK_WEIGHT = 0.05  # per rank: a sentence of the best passage starts 0.2 ahead of one of the fifth
# A question that asks for several things ("Welke mededelingen werden er gedaan?") is answered
# with up to LIST_SENTENCES sentences instead of max_sentences.
LIST_QUESTION = re.compile(
    r"\b(?:welke\s+(?:\w+\s+)?\w+(?:en|s)\b|wat (?:is|werd|wordt) er\s+(?:\w+\s+)?(?:besproken|gezegd|gemeld)|"
    r"wat zijn|which\s+\w+s\b|what are)",
    re.IGNORECASE,
)
LIST_SENTENCES = 5
LIST_ITEMS = 6  # items quoted from the list after a sentence ending in a colon
# A sentence that opens by pointing back at the one before it continues that sentence.
POINTS_BACK = re.compile(
    r"^(?:deze|dit|die|dat|zij|hij|ze|daarbij|daarnaast|daarmee|daardoor|daarom|hiervoor|hierbij|hiermee|ook|wel|"
    r"maar|echter|bovendien|tevens|this|these|they|it)\b",
    re.IGNORECASE,
)
RESTATES = 0.6  # share of the question's words a sentence repeats to count as restating it
# The proposal a decision adopts, and a note added to the minutes after the meeting.
PROPOSAL = re.compile(r"\b(?:voorgesteld|voorstel (?:is|om)|stelt voor|wordt gevraagd|gevraagd wordt|proposed)\b", re.I)
AFTER_THE_MEETING = re.compile(r"^(?:noot|n\.b\.|naschrift)\b", re.I)
NEIGHBOUR_SHARE = 0.3  # share of the previous sentence's word overlap a sentence inherits
_URL = re.compile(r"https?://|www\.\w", re.I)


def is_debris(sentence: str) -> bool:
    """Not a sentence to quote: a run of URLs, or a URL with hardly a word around it.

    A table row is no debris: it is quoted as the row it is ("13/11/25 | Regieteam | Adviseren").

    >>> is_debris("http://www.baantalentgv.nl/ http://www.regiogv.nl/")
    True
    >>> is_debris("Het PFHO stelt het voorstel vast.")
    False
    """
    letters = sum(ch.isalpha() for ch in sentence)
    return len(_URL.findall(sentence)) >= 2 or bool(_URL.search(sentence) and letters < 40)


# A sentence that says the asked thing is still to come: "Ik informeer u dan over de uitkomst
# van de evaluatie.", "De werving voor een praktijkondersteuner start binnenkort." When such a
# sentence is about the question, the documents were written before the answer existed.
STILL_TO_COME = re.compile(
    r"\b(?:(?:ik|wij|we) informeer\w* u|informeer\w* (?:ik|wij|we) u|(?:wordt|worden|zult|zal) u \w*(?: \w+){0,3} "
    r"ge[iï]nformeerd|(?:ik|wij|we) kom\w* (?:hier|daar)?op terug|kom\w* (?:ik|wij|we) (?:hier|daar)?op terug|"
    r"binnenkort|nog niet (?:bekend|klaar|beschikbaar|gestart|besloten)|we will (?:inform|update) you|not yet)\b",
    re.I,
)
# A question about what is still ahead: "Wat gaat de regio doen?", "Wie wordt er aangenomen?".
ASKS_AHEAD = re.compile(r"\b(?:gaat|gaan|zal|zullen|wordt|worden|komt|komen|plan\w*|verwacht\w*|will|going)\b", re.I)
# "Hoe heet de stichting ...?" asks for the name the thing is called by.
ASKS_NAME = re.compile(
    r"\b(?:hoe heet|hoe heten|wat is de naam van|welke naam heeft|what is the name of) (?:de|het|die|dat|the) (\w+)",
    re.I,
)
# A sentence that gives a name outright: "De naam BaanTalent ...", "BaanTalent is de naam van ...".
CALLS_BY_NAME = re.compile(r"\b(?i:naam)\s+[\"'‘“(]?[A-Z0-9]|\b[A-Z][\w'’-]*\s+(?i:is de naam)\b")
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


def gives_name(noun: str, sentence: str) -> bool:
    """Does ``sentence`` call a ``noun`` by its name?

    >>> gives_name("stichting", "In maart 2021 is samen met Stichting Join Us een start gemaakt.")
    True
    >>> gives_name("stichting", "Er wordt een stichting opgericht voor en door de LHBTI gemeenschap.")
    False
    >>> gives_name("samenwerking", "De naam BaanTalent refereert aan het onbekende talent.")
    True
    """
    named = rf"(?i:\b{re.escape(noun)}\w*)[,:]?\s+(?:(?:heet|heten|genaamd|met de naam|called|named)\s+)?[\"'‘“(]?[A-Z0-9]"
    return re.search(named, sentence) is not None or CALLS_BY_NAME.search(sentence) is not None


def announces(question: str, hit: Hit, sentence: str) -> bool:
    """Does ``sentence`` say that what ``question`` asks is still to come?

    It must be about the question: at least half of the question's topic words that its
    passage's heading does not already give. A question asking *when*, or what is going to
    happen, is answered by such a sentence ("U wordt in het voorjaar geïnformeerd", "De werving
    start binnenkort"), so it never counts there.
    """
    if not STILL_TO_COME.search(sentence) or {"when", "day"} & set(wanted_cues(question)) or ASKS_AHEAD.search(question):
        return False
    own = stems(question) - GENERIC_STEMS - CUE_STEMS - stems(hit.chunk.context)
    return bool(own) and len(own & stems(sentence)) >= len(own) / 2


def names_asked_year(question: str, sentence: str, passage: str = "") -> bool:
    """Does ``sentence`` (or, when it names no year, its ``passage``) give figures for a year asked?

    A figure for another year is not the one asked: "In 2023 zijn 214 banen gerealiseerd" does
    not answer "Hoeveel banen zijn in 2024 gerealiseerd?", nor does the next sentence of that
    passage ("De marktsector deed het beter: 183 banen"). Text that names no year at all is left
    to its document's date, which the retrieval filters already matched.

    >>> names_asked_year("Hoeveel banen in 2024?", "In 2023 zijn 214 banen gerealiseerd.")
    False
    >>> names_asked_year("Hoeveel aanbieders waren er in 2022?", "Van 200 in 2015 naar 6000 in 2022.")
    True
    >>> names_asked_year("Hoeveel kost het programma in 2024?", "Het programma 2022-2026 kost € 1 miljoen.")
    True
    """
    asked, named = years_in(question), years_in(sentence) or years_in(passage)
    return not asked or not named or bool(asked & named)


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


class Unanswered(Exception):
    """The passages hold the question's words but not its answer; ``key`` names the phrase that says why."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    def reason(self, phrases: dict[str, str]) -> str:
        return phrases[self.key]


class ExtractiveAnswerer:
    """Answers from retrieved hits by quoting them; needs no LLM.

    >>> # answerer = ExtractiveAnswerer(embedder, min_dense_score=0.8)
    >>> # answer = answerer.answer("Wat is besloten over verblijf?", "nl", hits)
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        min_dense_score: float = 0.80,
        max_sentences: int = 3,
        phrases: dict[str, dict[str, str]] | None = None,
        splitter: Callable[[], CompoundSplitter | None] | None = None,
    ):
        self.embedder = embedder
        self.phrases = phrases or load_phrases(DEFAULT_PHRASES)
        self.min_dense_score = min_dense_score
        self.max_sentences = max_sentences
        # The index's compound splitter (its vocabulary is every word of the documents), looked up
        # per question: an upload brings new words.
        self._splitter = splitter or (lambda: None)
        self._known_stems: tuple[CompoundSplitter, frozenset[str]] | None = None

    def is_relevant(self, hit: Hit) -> bool:
        return hit.dense_score is not None and hit.dense_score >= self.min_dense_score

    def answer(self, question: str, language: str, hits: Sequence[Hit]) -> Answer:
        language = language if language in self.phrases else "nl"
        phrases = self.phrases[language]
        relevant = [h for h in hits if self.is_relevant(h)]
        if not relevant:
            return Answer(question, language, False, phrases["decline"], (), tuple(hits), confidence=0.0)
        off = self.off_the_documents(question, language, relevant[:FACT_PASSAGES])
        if off:
            return Answer(question, language, False, off, (), tuple(hits), confidence=0.0)
        text, citations = None, Citations()
        if DECISION_QUESTION.search(question):
            text = self._decisions(question, language, relevant, citations)
        if text is None:
            citations = Citations()
            try:
                text = self._facts(question, language, relevant, citations)
            except Unanswered as why:
                return Answer(question, language, False, why.reason(phrases), (), tuple(hits), confidence=0.0)
        if text is None:
            missing = [phrases[f"missing_{c}"] for c in wanted_cues(question) if ANSWER_CUES[c].required]
            if asked_name(question):
                missing.append(phrases["missing_name"])
            reason = phrases["decline_missing"].format(missing=missing[0]) if missing else phrases["decline"]
            return Answer(question, language, False, reason, (), tuple(hits), confidence=0.0)
        # The passages quoted must mention the municipality asked about, not merely some passage
        # retrieved: "Heeft Weesp ingestemd?" is not answered by an item where "most municipalities" agreed.
        quoted = fold(" ".join(h.chunk.indexed_text for h in citations.hits))
        for name in names_in(question):
            if fold(name) in MUNICIPALITIES and not spans_documents(question) and not name_covered(name, quoted):
                return Answer(question, language, False, phrases["decline_name"].format(name=name), (), tuple(hits),
                              confidence=0.0)
        confidence = max(h.dense_score for h in relevant)
        return Answer(question, language, True, text, citations.build(), tuple(hits), confidence=confidence)

    # -- declining what the passages do not cover -------------------------------------------

    def off_the_documents(self, question: str, language: str, hits: Sequence[Hit]) -> str | None:
        """Why the passages cannot answer ``question`` although they resemble it, or None.

        - a name the question asks about that none of the passages mentions: "Wat heeft
          Blaricum besloten over ..." answered from a passage about Huizen;
        - (Dutch questions) a topic word that occurs nowhere in the documents, not even as
          part of a compound: "Wat is besloten over schuldhulpverlening in Eemnes?".
        """
        phrases = self.phrases[language]
        text = fold(" ".join(h.chunk.indexed_text for h in hits))
        splitter = self._splitter()
        for name in names_in(question):
            if stems(name) and stems(name) <= GENERIC_STEMS:
                continue  # the overleg itself ("PFHO") is named by every passage's context, or none
            # In an English question a capitalised word may be plain English ("Youth"): only a
            # name the documents use elsewhere, or a municipality, counts there.
            known = language == "nl" or fold(name) in MUNICIPALITIES or (
                splitter is not None and all(p in splitter.vocabulary for p in re.split(r"[\s'’-]+", fold(name)) if len(p) >= 3)
            )
            if known and not name_covered(name, text):
                return phrases["decline_name"].format(name=name)
        if language == "nl" and splitter is not None:
            for word in self.unknown_topic_words(question, splitter):
                return phrases["decline_unknown"].format(word=word)
        return None

    def unknown_topic_words(self, question: str, splitter: CompoundSplitter) -> list[str]:
        """Topic words of ``question`` that the documents never use, whole, stemmed or as compound parts.

        Only the topic a decision question names ("over X") counts: elsewhere a question may
        well use its own words for what the documents say ("tieners" for "jongeren"); measured
        on eval/, checking every word of a question with a required cue declined 7 of 18
        paraphrases.
        """
        if not DECISION_QUESTION.search(question):
            return []
        topic = topic_words(question)
        known = self.known_stems(splitter)
        unknown = []
        for word in words(topic):
            folded = fold(word)
            if len(folded) < MIN_UNKNOWN_TOPIC_CHARS or folded in STOPWORDS or not folded.isalpha():
                continue
            stem = stems(word)
            if folded in splitter.vocabulary or stem & known or stem & GENERIC_STEMS or stem & CUE_STEMS:
                continue
            if splitter.split(folded):
                continue
            unknown.append(word)
        return unknown

    def _word_stems(self, text: str) -> set[str]:
        """The stems of ``text``'s words and of the parts of its compounds."""
        splitter = self._splitter()
        return stems(splitter.expand(text) if splitter is not None else text)

    def known_stems(self, splitter: CompoundSplitter) -> frozenset[str]:
        """The stems of the documents' words, computed once per vocabulary."""
        cached = self._known_stems
        if cached is None or cached[0] is not splitter:
            cached = (splitter, frozenset(stems(" ".join(splitter.vocabulary))))
            self._known_stems = cached
        return cached[1]

    # -- "wat is besloten over X" -------------------------------------------------------

    def _decisions(self, question: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        # The words after "over" name the topic; the rest may only scope it ("in de laatste
        # vergadering", "vóór 2022"), and the retrieval filters already applied that scope.
        topic = stems(topic_words(question)) - GENERIC_STEMS or stems(question) - GENERIC_STEMS
        splitter = self._splitter()
        known = self.known_stems(splitter) if splitter is not None else frozenset()
        if topic & known:
            # Only words the documents use can find the item: "residential youth care (verblijf)"
            # is about "verblijf".
            topic &= known
        by_item: dict[tuple[str, str | None], list[Hit]] = {}
        for hit in hits:
            if not hit.chunk.decisions:
                continue
            if topic and not on_topic(topic, hit.chunk.indexed_text):
                continue
            by_item.setdefault((hit.chunk.source, hit.chunk.section), []).append(hit)
        if not by_item:
            return None
        groups = sorted(
            by_item.values(), key=lambda g: (g[0].chunk.date.isoformat() if g[0].chunk.date else "9999", g[0].chunk.start)
        )
        phrase = topic_words(question)
        heading = self.phrases[language]["decisions" if phrase else "decisions_any"].format(topic=phrase)
        blocks = [heading]
        for group in groups:
            lines = [f"{place_of(group[0].chunk, language, self.phrases)}:"]
            for hit, sentence in self._group_sentences(group, topic):
                lines.append(f"- {sentence} [{citations.cite(hit, sentence)}]")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def _group_sentences(self, group: list[Hit], topic: set[str]) -> list[tuple[Hit, str]]:
        """One agenda item's sentences to quote, each once, in document order.

        Overlapping chunks of one item carry the same decision: the first chunk
        that holds a sentence is the one cited for it.
        """
        found: dict[str, tuple[int, Hit]] = {}
        for hit in group:
            for sentence in self._decision_sentences(hit, topic):
                at = " ".join(hit.chunk.text.split()).find(sentence[:40])
                position = hit.chunk.start + (at if at >= 0 else 0)
                if sentence not in found:
                    found[sentence] = (position, hit)
        ordered = sorted(found.items(), key=lambda item: item[1][0])
        return [(hit, sentence) for sentence, (_, hit) in ordered]

    def _decision_sentences(self, hit: Hit, topic: set[str]) -> list[str]:
        """What an agenda item decided, with what the decision refers to, in the order of the text.

        A short item (up to four sentences) is quoted whole. From a longer one: its decisions;
        the proposal they adopt ("Voorgesteld wordt om ..."), since "stelt het voorstel vast"
        says nothing without it; the sentence right after a decision, which often carries its
        condition ("Huizen vraagt ... of het voorstel juridisch houdbaar is"); a note added
        after the meeting. Only when the item states no proposal does the sentence that shares
        most with the topic stand in for it.
        """
        chunk = hit.chunk
        decisions = [" ".join(d.split()) for d in chunk.decisions]
        sentences = split_sentences(chunk.text)
        is_decision = [any(s in d or d in s for d in decisions) for s in sentences]
        others = [s for s, dec in zip(sentences, is_decision) if not dec]
        if len(others) + len(decisions) <= 4:
            return others + decisions
        picked: list[str] = []
        for i, sentence in enumerate(sentences):
            if is_decision[i] and sentence.rstrip().endswith(":"):
                # "... geven de volgende aandachtspunten aan:" -- the points are the decision.
                picked += [s for s, dec in zip(sentences[i + 1 : i + 1 + LIST_ITEMS], is_decision[i + 1 :]) if not dec]
            elif is_decision[i]:
                following = sentences[i + 1] if i + 1 < len(sentences) else ""
                if following and not is_decision[i + 1] and len(following) >= 25 and not is_debris(following):
                    picked.append(following)
            elif PROPOSAL.search(sentence) or AFTER_THE_MEETING.match(sentence):
                picked.append(sentence)
        if not any(PROPOSAL.search(s) for s in picked):
            ranked = sorted(
                (s for s in others if len(s) >= 25 and topic & stems(s) and not is_debris(s)),
                key=lambda s: -len(topic & stems(s)),
            )
            picked += ranked[:1]
        flat = " ".join(chunk.text.split())
        units = list(dict.fromkeys(picked + decisions))
        return sorted(units, key=lambda u: (flat.find(u[:40]) if flat.find(u[:40]) >= 0 else len(flat)))

    # -- factual questions ----------------------------------------------------------------

    def _facts(self, question: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        """The best-answering sentences; None when none holds the kind of information asked for."""
        per_hit = [split_sentences(hit.chunk.text) for hit in hits[:FACT_PASSAGES]]
        # A run of URLs is never quoted, however well its year or words match.
        candidates = [(rank, hit, s) for rank, (hit, ss) in enumerate(zip(hits, per_hit)) for s in ss if not is_debris(s)]
        required = [ANSWER_CUES[c] for c in wanted_cues(question) if ANSWER_CUES[c].required]
        if "day" in wanted_cues(question) and language == "nl" and self._dated_by_month_only(question, candidates):
            return None
        if required:
            # An amount or a date only answers when it stands in a passage about the question's
            # topic: "Wat kost de nieuwe sporthal?" is not answered by the cost of dyslexia care.
            # Topic words of a question in another language cannot match the Dutch text, so
            # there the best-ranked passage is trusted.
            topic = stems(question) - GENERIC_STEMS - CUE_STEMS
            candidates = [
                c for c in candidates
                if all(cue.answers.search(c[2]) for cue in required)
                and (not topic or topic & stems(c[1].chunk.indexed_text) or (language != "nl" and c[0] == 0))
            ]
        candidates = [c for c in candidates if self._gives_what_is_asked(question, language, c[1], c[2])]
        if not candidates:
            return None
        many = LIST_QUESTION.search(question) is not None
        named = {id(h) for h in hits[:FACT_PASSAGES] if many and names_section(question, h.chunk.section)}
        if named and not required:
            # "Welke mededelingen werden er gedaan?": the section the question names, read in order,
            # rather than the sentences that happen to share its words ("... kan een aanvraag worden gedaan").
            candidates = [c for c in candidates if id(c[1]) in named and len(c[2]) >= 25]
            candidates.sort(key=lambda c: (c[1].chunk.start, c[0]))
            scores = [1.0] * len(candidates)  # all equal: the first LIST_SENTENCES in document order
        else:
            scores = self._score_sentences(question, candidates)
        if not candidates:
            return None
        best = max(scores)
        limit, share = (LIST_SENTENCES, 0.75) if many else (self.max_sentences, 0.85)
        chosen: list[int] = []
        seen: set[str] = set()
        floor = best - (1 - share) * abs(best)
        eligible = [i for i, score in enumerate(scores) if score >= floor]
        if any(announces(question, candidates[i][1], candidates[i][2]) for i in eligible):
            raise Unanswered("decline_promised")
        if spans_documents(question):
            # "Wat zeggen het programma en het resumé over X?": the best sentences of each document,
            # not the five best of whichever document resembles the question most.
            eligible = _best_per_source(candidates, scores)
            limit = SENTENCES_PER_SOURCE * MAX_SOURCES
        for i in sorted(eligible, key=lambda i: -scores[i]):
            key = " ".join(words(candidates[i][2]))  # overlapping chunks hold the same sentence: quote it once
            if key not in seen and len(chosen) < limit:
                seen.add(key)
                chosen.append(i)
        chosen = sorted(chosen, key=lambda i: (candidates[i][0], candidates[i][1].chunk.start, i))
        blocks: list[list[str]] = []
        current_place = None
        for i in chosen:
            rank, hit, sentence = candidates[i]
            place = place_of(hit.chunk, language, self.phrases)
            if place != current_place:
                blocks.append([f"{place}:"])
                current_place = place
            for quoted in [sentence] + _continuation(sentence, per_hit[rank], question):
                key = " ".join(words(quoted))
                if quoted != sentence and key in seen:
                    continue
                seen.add(key)
                line = f"- {quoted} [{citations.cite(hit, quoted)}]"
                if line not in blocks[-1]:
                    blocks[-1].append(line)
        return "\n\n".join([self.phrases[language]["found"]] + ["\n".join(b) for b in blocks])

    def _dated_by_month_only(self, question: str, candidates: list[tuple[int, Hit, str]]) -> bool:
        """Does the sentence most about the question date it by month or year only, and no sentence as much about it by day?

        "Op welke dag was het lanceringsevent van BaanTalent?" meets "In november 2022 is er een
        groot event geweest voor de lancering van BaanTalent.": the documents give the month,
        and a day elsewhere in the passage ("De website gaat 1 maart live") dates something else.
        """
        topic = self._word_stems(question) - GENERIC_STEMS - CUE_STEMS - DAY_WORDS
        if not topic:
            return False
        overlap = [len(topic & self._word_stems(s)) for _, _, s in candidates]
        day, when = ANSWER_CUES["day"].answers, ANSWER_CUES["when"].answers
        by_month = [n for n, (_, _, s) in zip(overlap, candidates) if when.search(s) and not day.search(s)]
        by_day = [n for n, (_, _, s) in zip(overlap, candidates) if day.search(s)]
        best_month = max(by_month, default=0)
        return best_month >= RESTATES * len(topic) and best_month > max(by_day, default=0)

    def _gives_what_is_asked(self, question: str, language: str, hit: Hit, sentence: str) -> bool:
        """Can ``sentence`` answer the specific thing asked: the decision dated, the name, what is counted?

        - the date of a decision ("Op welke datum heeft het PFHO het voorstel vastgesteld?")
          stands in a sentence that states a decision, not in "27/11/25 Directie-overleg Adviseren";
        - "Hoe heet de stichting?" needs a sentence that calls the stichting by a name;
        - "Hoeveel inwoners ...?" needs a sentence that says its number counts inwoners;
        - "Hoeveel banen zijn in 2024 gerealiseerd?" is not answered by the figure of 2023.
        """
        asked = set(wanted_cues(question))
        if asked & {"when", "day"} and DECISION_QUESTION.search(question):
            if not ANSWER_CUES["decision"].answers.search(sentence):
                return False
        if asked & {"number", "money"} and not names_asked_year(question, sentence, hit.chunk.text):
            return False
        noun = asked_name(question)
        if noun and not gives_name(noun, sentence):
            return False
        return "number" not in asked or language != "nl" or self._counts_asked(question, sentence)

    def _counts_asked(self, question: str, sentence: str) -> bool:
        """Does ``sentence`` give a count of what "hoeveel" asks (its stem, a compound part or its sign)?

        "Hoeveel inwoners staan er op de wachtlijst?" is not answered by "de marge van 10 tot 40
        woningen": a number answers only when its sentence says what it counts, and a year or a
        date counts nothing.
        """
        if not ANSWER_CUES["number"].answers.search(DATES.sub(" ", sentence)):
            return False  # its only numbers are years and dates: "Datum: 8 oktober 2024"
        counted = counted_words(question)
        if not counted:
            return True
        folded = fold(sentence)
        if any(UNIT_SIGNS.get(word, "\0") in sentence or fold(word) in folded for word in counted):
            return True  # "75%" for "procent", "1fte" for "fte"
        return bool(stems(" ".join(counted)) & self._word_stems(sentence))

    def _score_sentences(self, question: str, candidates: list[tuple[int, Hit, str]]) -> list[float]:
        """Lexical overlap with the question, the sentence's similarity to it, and its passage's rank.

        score = overlap share + cosine(question, sentence) + 0.05 for the first passage;
        e.g. 2 of 3 question stems present (0.67) + cosine 0.86 + 0.05 = 1.58.
        """
        wanted = stems(question) - GENERIC_STEMS or stems(question)
        lexical = []
        for _, hit, sentence in candidates:
            # Words the passage's context already answers ("februari 2023" for a passage of that
            # meeting) scope the question; the sentence must answer the rest.
            own = wanted - stems(hit.chunk.context) or wanted
            lexical.append(len(own & stems(sentence)) / len(own) if own else 0.0)
        dense = [0.0] * len(candidates)
        if self.embedder is not None and candidates:
            q = self.embedder.embed([question], kind="query")[0]
            vectors = self.embedder.embed([s for _, _, s in candidates], kind="passage")
            dense = [float(v) for v in np.asarray(vectors) @ q]
        wants = [ANSWER_CUES[name] for name in wanted_cues(question)]
        scores = [
            lex + cos + RANK_WEIGHT * (FACT_PASSAGES - rank) - (0.3 if len(s) < 15 else 0.0)
            + sum(0.3 for cue in wants if cue.answers.search(s))
            for (rank, _, s), lex, cos in zip(candidates, lexical, dense)
        ]
        # The answer often stands in the sentence after the one that repeats the question's words
        # ("Een inwoner maakt gebruik van het spreekrecht. Hij vraagt aandacht voor overlast ...").
        for i in range(1, len(candidates)):
            if candidates[i][1] is candidates[i - 1][1] and lexical[i - 1] >= 0.5:
                scores[i] += NEIGHBOUR_SHARE * lexical[i - 1]
        return scores


# Kinds of document a question can name; naming two ("het programma en het resumé") or two times
# ("in 2021 en 2023", "tussen maart 2021 en februari 2023") asks for more than one document.
_DOCUMENT_KINDS = tuple(
    re.compile(rf"\b(?:{pattern})\b", re.I)
    for pattern in (r"programma\w*", r"resum[eé]s?|overleggen|vergaderingen|verslag\w*", r"\w*brief\w*", r"voorstel\w*")
)
_TWO_TIMES = re.compile(r"\b(?:19|20)\d{2}\b.*\ben\b.*\b(?:19|20)\d{2}\b|\btussen\b.+\ben\b|\bdaarna\b|\blater(?:e)?\b", re.I)
SENTENCES_PER_SOURCE = 3
MAX_SOURCES = 3


# Sections that hold several separate items: mededelingen, rondvraag, toezeggingen, actielijst, ...
CONTAINER_SECTION = re.compile(r"\b(?:mededeling\w*|rondvraag|toezegging\w*|actie(?:lijst|punten)|conformstuk\w*|"
                               r"ingekomen stukken)\b", re.I)


def names_section(question: str, section: str | None) -> bool:
    """Does the question name this meeting section by all of its words ("welke mededelingen" -> "Mededelingen")?

    Only sections that collect several short items count (CONTAINER_SECTION): their items are the
    answer, in order. An agenda item named by the question is left to the sentence scoring.

    >>> names_section("Welke mededelingen werden er gedaan?", "Mededelingen")
    True
    >>> names_section("Welke mededelingen werden er gedaan?", "Agenda en mededelingen")
    False
    """
    if not section or not CONTAINER_SECTION.search(section):
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
    kinds = sum(bool(kind.search(question)) for kind in _DOCUMENT_KINDS)
    return kinds >= 2 or bool(_TWO_TIMES.search(question))


def _best_per_source(candidates: list[tuple[int, Hit, str]], scores: list[float]) -> list[int]:
    """The SENTENCES_PER_SOURCE best sentences of each of the MAX_SOURCES best-ranked documents."""
    by_source: dict[str, list[int]] = {}
    for i in sorted(range(len(candidates)), key=lambda i: candidates[i][0]):  # in passage rank order
        by_source.setdefault(candidates[i][1].chunk.source, []).append(i)
    picked = []
    for indices in list(by_source.values())[:MAX_SOURCES]:
        picked += sorted(indices, key=lambda i: -scores[i])[:SENTENCES_PER_SOURCE]
    return picked


def _continuation(sentence: str, sentences: list[str], question: str) -> list[str]:
    """Sentences that complete the chosen one.

    - the list after a colon (up to LIST_ITEMS items);
    - the name after a "who" question's sentence that names nobody;
    - the sentence after one that only restates the question: "Wie maakte gebruik van het
      spreekrecht en waarover?" is answered by what follows "Een inwoner maakt gebruik van het
      spreekrecht.", not by that sentence alone.
    """
    if sentence not in sentences:
        return []
    after = sentences[sentences.index(sentence) + 1 :]
    if sentence.rstrip().endswith(":"):
        return after[:LIST_ITEMS]
    who = ANSWER_CUES["who"]
    if who.asks.search(question) and not who.answers.search(sentence):
        named = [s for s in after[:1] if who.answers.search(s)]
        if named:
            return named
    if after and POINTS_BACK.match(after[0]) and not is_debris(after[0]):
        # "Deze persoon trekt samen op met ...", "Daarnaast ...": it continues the chosen sentence.
        return after[:1]
    asked = stems(question) - GENERIC_STEMS
    if after and asked and len(asked & stems(sentence)) >= RESTATES * len(asked):
        # Of the next two sentences, the one that carries what is asked (a reason, an amount).
        cues = [ANSWER_CUES[name] for name in wanted_cues(question)]
        carrying = [s for s in after[:2] if cues and any(cue.answers.search(s) for cue in cues)]
        following = (carrying or after[:1])[0]
        return [] if is_debris(following) else [following]
    return []


def on_topic(topic: set[str], text: str) -> bool:
    """More than half of the topic's stems occur in ``text`` (all of them for a two-word topic)."""
    return len(topic & stems(text)) > len(topic) / 2


def topic_words(question: str) -> str:
    """The words after 'over'/'about'/'m.b.t.' in a decision question: 'verblijf'.

    Trailing words that only say *that* something was decided are dropped:
    "over verblijf besloten?" -> "verblijf".
    """
    match = re.search(r"\b(?:over|about|on|omtrent|inzake|m\.b\.t\.|rond(?:om)?)\s+(?:de |het |the )?(.+?)[?.!]*$", question, re.I)
    if not match:
        return ""
    words = match.group(1).split()
    while words and (stems(words[-1]) <= GENERIC_STEMS or words[-1].lower() in STOPWORDS):
        words.pop()
    return " ".join(words)


def render(answer: Answer, phrases: dict[str, dict[str, str]] | None = None) -> str:
    """The answer with its numbered 'Bronnen' below, as the CLI prints it."""
    if not answer.citations:
        return answer.text
    phrases = phrases or load_phrases(DEFAULT_PHRASES)
    phrases = phrases.get(answer.language, phrases["nl"])
    lines = [answer.text, "", f"{phrases['sources']}:"]
    for c in answer.citations:
        where = [c.title]
        if c.date:
            where.append(c.date)
        if c.domain:
            where.append(c.domain)
        if c.agenda_item:
            where.append(f"{phrases['item']}: {c.agenda_item}")
        if c.page:
            where.append(f"{phrases['page']} {c.page}")
        if c.ocr:
            where.append("OCR")  # read from a scan: the quote may hold misread words
        where.append(c.source)
        lines.append(f"[{c.n}] " + " · ".join(where))
        lines.append(f'    "{c.quote}"')
    return "\n".join(lines)
