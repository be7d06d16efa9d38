"""The assistant: one question (with its conversation) in, one cited answer out.

The chat, ``regioassist ask`` and the evaluation runner all go through
:meth:`Assistant.ask`, so they share settings, retrieval and answerer. Questions about
the meetings themselves (who was absent, the contact person, the agenda) are answered
from the documents' outlines (``meetings/``) before retrieval is tried.

>>> # assistant = regioassist.pipeline.load_assistant(Settings())
>>> # print(assistant.ask("Wat is besloten over verblijf?").text)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Callable, Iterator, Sequence

from regioassist.answer import FRAME_STEMS, GENERIC_STEMS, ExtractiveAnswerer, question_parts, topic_words
from regioassist.answer.question import (
    DECISION_QUESTION, DOCUMENT_KINDS, LIST_QUESTION, MUNICIPALITIES, names_in, spans_documents, wanted_cues, years_in,
)
from regioassist.chunking import DUTCH_MONTHS
from regioassist.config import Settings
from regioassist.embedding import CachedEmbedder, Embedder
from regioassist.generators import collect, make_generator
from regioassist.index import LocalIndex
from regioassist.language import detect_language
from regioassist.meetings import (
    MeetingRecord,
    answer_from_structure,
    meetings_of,
    may_ask_about_meetings,
    question_kind,
    unknown_meeting,
)
from regioassist.models import Answer, Hit
from regioassist.prompts import load_phrases
from regioassist.retrieval import HybridRetriever
from regioassist.store import Filters
from regioassist.synonyms import Glossary
from regioassist.textutil import content_words, fold, stems
from regioassist.timephrases import MONTHS, Anchors, TimeReading, month_end, read_time, time_texts
from regioassist.vectorcache import VectorCache, model_identity

# Words that point back at an earlier turn: "die persoon", "daaruit", "haar e-mailadres".
ANAPHORA = re.compile(
    r"\b(?:die|deze|daar\w+|hier(?:van|over|uit|mee|bij|voor)|erover|hij|zij|haar|hem|it|they|them|those|its)\b",
    re.IGNORECASE,
)
LEADING_CONJUNCTION = re.compile(r"^\s*(?:en|and|maar|but)\s+(?=\w)", re.IGNORECASE)
DANGLING_OVER = re.compile(r"\bover\s+(\w+)\s*[?.!]*$", re.IGNORECASE)
MEETING_DAY_HINT = re.compile(r"\b(?:van|op|of|on)\s+\d{1,2}\s+[a-z]", re.IGNORECASE)  # cheap test before the records
PART_HITS = 2  # passages each part of a compound question brings of its own (Assistant.with_parts)
PART_WINDOW = 5  # the first passages, which the answerer reads, must hold each document a question names
# "Wie was de contactpersoon van dat overleg?": a meeting the conversation already named.
THAT_MEETING = re.compile(
    r"\b(?:dat|die|deze|dit|hetzelfde|dezelfde|that|this|the same)\s+(?:overleg|vergadering|bijeenkomst|meeting)\b",
    re.IGNORECASE,
)
# "het overleg van april 2023" asks about a meeting of that time, not about what a text says of it.
MEETING_NAMED = re.compile(r"(?:overleg|vergadering|bijeenkomst|pfho|meeting)", re.IGNORECASE)
FOLLOW_UP_START = re.compile(r"^\s*(?:en|and|ook|also|maar|but|wat nog|en verder)\b", re.IGNORECASE)


# A past participle closing a Dutch question is its verb, not its topic: "Hoe wordt X geëvalueerd?".
CLOSING_PARTICIPLE = re.compile(r"^ge\w{3,}(?:d|t|en)$", re.IGNORECASE)


def topic_of(question: str) -> str:
    """What a question is about, in its own words: 'verblijf' for 'Wat is besloten over verblijf?'.

    >>> topic_of("Hoe wordt de inkoop sociaal domein geëvalueerd?")
    'inkoop sociaal domein'
    """
    words = topic_words(question)
    if words and stems(words) - GENERIC_STEMS:
        return words
    found = [w for w in content_words(question) if not stems(w) <= GENERIC_STEMS and not w.isdigit()]
    if len(found) > 1 and CLOSING_PARTICIPLE.match(found[-1]) and question.rstrip(" ?.!").endswith(found[-1]):
        found.pop()
    return " ".join(found)


def without_phrase(question: str, phrase: str) -> str:
    """``question`` with ``phrase`` (and a preposition left dangling before it) taken out.

    >>> without_phrase("Wat is er sinds 2022 over de WEB besproken?", "sinds 2022")
    'Wat is er over de WEB besproken?'
    >>> without_phrase("Wat is er in de laatste vergadering besloten over X?", "de laatste vergadering")
    'Wat is er besloten over X?'
    >>> without_phrase("Wie vertegenwoordigde Laren in het overleg van februari 2023?", "overleg van februari 2023")
    'Wie vertegenwoordigde Laren in het overleg?'
    """
    if not phrase:
        return question
    # "het overleg van februari 2023": the meeting stays, only its date goes.
    phrase = re.sub(r"^\w*(?:overleg|vergadering|bijeenkomst|meeting|pfho)\w*\s+(?:van|op|of|on)\s+", "", phrase, flags=re.I)
    pattern = re.compile(rf"(?:\b(?:in|op|van|tijdens|during|in the|at)\s+)?{re.escape(phrase)}", re.IGNORECASE)
    stripped = " ".join(pattern.sub(" ", question, count=1).split())
    stripped = re.sub(r"\s+([?.!,])", r"\1", stripped)
    return stripped if len(content_words(stripped)) >= 1 else question


# "in de documenten" scopes every question (the documents are all there is to ask about), and
# "Welke documenten gaan over X?" asks what they say about X: left in, these words make any
# passage resemble the question ("Wat staat er in de documenten over de musea?" met a table row).
_IN_THE_DOCUMENTS = re.compile(
    r"\s+(?:in|volgens|uit)\s+(?:de|alle|die|deze|jouw|uw|je)\s+(?:documenten|stukken|bestanden)\b", re.I
)
_WHICH_DOCUMENTS = re.compile(
    r"^\s*(?:welke|wat voor)\s+(?:documenten|stukken|bestanden)\s+(?:zijn\s+er|gaan|staan\s+er|heb\s+je|hebben\s+\w+)"
    r"(?:\s+\w+)?\s+(?=over\b)", re.I,
)


def without_document_frame(question: str) -> str:
    """``question`` without the words that only say it is asked of the documents.

    >>> without_document_frame("Wat staat er in de documenten over de musea?")
    'Wat staat er over de musea?'
    >>> without_document_frame("Welke documenten zijn er over jeugdhulp?")
    'Wat staat er over jeugdhulp?'
    """
    stripped = _WHICH_DOCUMENTS.sub("Wat staat er ", _IN_THE_DOCUMENTS.sub("", question))
    return stripped if len(content_words(stripped)) >= 1 else question


def standalone_question(question: str, history: Sequence[str]) -> str:
    """Make a follow-up answerable on its own by carrying the topic of the earlier turns.

    'En wat is er in 2023 over besloten?' after 'Wat is besloten over verblijf?'
    becomes 'Wat is er in 2023 besloten over verblijf?'.
    """
    if not history:
        return question
    if stems(topic_words(question)) - FRAME_STEMS:
        return question  # "En wat is er over verblijf besloten?" names its own topic
    own_topic = stems(topic_of(question)) - FRAME_STEMS
    if own_topic and not FOLLOW_UP_START.match(question) and not ANAPHORA.search(question):
        return question
    for earlier in reversed(history):
        topic = topic_of(earlier)
        if topic:
            return _with_topic(question, topic)
    return question


def _with_topic(question: str, topic: str) -> str:
    """'En wat is er in 2023 over besloten?' + 'verblijf' -> 'Wat is er in 2023 besloten over verblijf?'.

    The leading conjunction goes, and a dangling "over <besloten>" takes the topic.
    """
    text = LEADING_CONJUNCTION.sub("", question).strip()
    text = text[:1].upper() + text[1:]
    dangling = DANGLING_OVER.search(text)
    if dangling and stems(dangling.group(1)) <= GENERIC_STEMS:
        return f"{text[: dangling.start()]}{dangling.group(1)} over {topic}?"
    return f"{text.rstrip(' ?.!')} over {topic}?"


def with_earlier_topic(question: str, history: Sequence[str]) -> str | None:
    """``question`` with the topic of the latest earlier turn that has one; None without history.

    >>> with_earlier_topic("Wanneer komt het rapport?", ["Hoe wordt de inkoop sociaal domein geëvalueerd?"])
    'Wanneer komt het rapport over inkoop sociaal domein?'
    """
    for earlier in reversed(history):
        topic = topic_of(earlier)
        if topic and not stems(topic) <= stems(question):
            return _with_topic(question, topic)
    return None


def best_dense(hits) -> float:
    """The highest dense similarity among ``hits`` (0 when none has one)."""
    return max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)


def scope_from_question(question: str, anchors: Anchors | Callable[[], Anchors] = Anchors()) -> Filters:
    """The dates a question's time phrase scopes it to (``timephrases.read_time``); none when it names none.

    "het overleg van februari 2023" -> documents dated in February 2023 (any question);
    "wat is er in 2023 besloten" -> documents dated in 2023 (decision questions only:
    a fact from 2021 may well be told in a programme dated 2022). Relative phrases
    ("vorig jaar") need ``anchors``; without them they scope nothing.

    >>> scope_from_question("Wat is er vorig jaar besloten?", Anchors(newest_document=dt.date(2023, 2, 23))).date_from
    datetime.date(2022, 1, 1)
    """
    reading = read_time(question, anchors)
    return reading.filters if reading else Filters()


# "2021", "maart 2021": a time a question names (not the end of a span such as "2022-2026").
TIME_MENTION = re.compile(rf"\b(?:({'|'.join(DUTCH_MONTHS)})\s+)?((?:19|20)\d{{2}})\b(?!\s*[-–]\s*\d)", re.I)


def named_documents(question: str) -> list[Filters]:
    """One scope per document a question about several documents names; [] for any other question.

    >>> [f.date_from.isoformat() for f in named_documents("Welke alternatieven komen in 2021 en 2023 naar voren?")]
    ['2021-01-01', '2023-01-01']
    >>> [f.doc_type for f in named_documents("Wat zeggen het programma en de raadsinformatiebrief over X?")]
    ['programma', 'raadsinformatiebrief']
    >>> named_documents("Wat kost de dyslexiezorg in 2023?")
    []
    """
    if not spans_documents(question):
        return []
    scopes = []
    for match in TIME_MENTION.finditer(question):
        if re.search(r"[-–]\s*$", question[: match.start()]):
            continue  # the end of a span ("2022-2026") names the programme's period, not a document
        month, year = MONTHS.get((match.group(1) or "").lower()), int(match.group(2))
        first = dt.date(year, month or 1, 1)
        scopes.append(Filters(date_from=first, date_to=month_end(year, month) if month else dt.date(year, 12, 31)))
    kinds = [kind for pattern, kind in DOCUMENT_KINDS if pattern.search(question)]
    if len(kinds) >= 2:
        scopes += [Filters(doc_type=kind.value) for kind in kinds]
    scopes = list(dict.fromkeys(scopes))
    return scopes if len(scopes) >= 2 else []


def reads_every_time(reading: TimeReading, question: str) -> bool:
    """Does ``reading`` span every time a question about several documents names?

    "Wat is besproken in december 2022 en in februari 2023?" read as December 2022 does not: its
    scope would leave February out. "tussen maart 2021 en februari 2023", read as that range, does.
    """
    named = [scope for scope in named_documents(question) if scope.date_from and scope.date_to]
    if not named or reading.start is None or reading.end is None:
        return True
    return all(reading.start <= scope.date_from and scope.date_to <= reading.end for scope in named)


class Assistant:
    """Retrieval plus the answerer over one local index."""

    def __init__(self, settings: Settings, index: LocalIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder  # for ingesting: new passages are embedded once, not cached
        # Questions are embedded by the retriever and again by the answerer, and the answerer
        # reads candidate sentences whose vectors ingest stored (vectorcache.py): one cache serves both.
        identity = model_identity(embedder)
        disk = VectorCache.beside(index.directory, identity) if identity else None
        cached = CachedEmbedder(embedder, disk=disk)
        self.retriever = HybridRetriever(  # reads index.keyword per query: uploads show up at once
            index.store,
            lambda: index.keyword,
            cached,
            candidates=settings.candidates,
            rrf_k=settings.rrf_k,
            dense_weight=settings.dense_weight,
        )
        self.answerer = ExtractiveAnswerer(
            cached,
            min_dense_score=settings.min_dense_score,
            phrases=load_phrases(settings.phrases_file),
            splitter=lambda: index.keyword.splitter,  # the documents' vocabulary, current after every upload
            glossary=Glossary.read(settings.synonyms_file) if settings.synonyms_file else None,
        )
        for language in self.answerer.phrases:  # a broken time_* text fails here, not in an answer
            time_texts(self.answerer.phrases, language)
        # Who writes the answer text: the answerer itself by default, or an LLM whose citations
        # are checked and which falls back to the answerer (generators/).
        self.generator = make_generator(settings.generator_config(), self.answerer)
        # (keyword index, meetings built while it was current): every write replaces the keyword
        # index, so a new identity means the stored outlines may have changed.
        self._meetings: tuple[object, tuple[MeetingRecord, ...]] | None = None

    def meetings(self) -> tuple[MeetingRecord, ...]:
        """The meeting records of the index, rebuilt only after the index changed."""
        keyword, cached = self.index.keyword, self._meetings
        if cached is None or cached[0] is not keyword:
            cached = (keyword, meetings_of(self.index.store))
            self._meetings = cached  # one assignment: a concurrent reader sees the old pair or the new
        return cached[1]

    def anchors(self) -> Anchors:
        """What relative time phrases are read against: the newest dated document, the meetings' dates.

        Taken from :meth:`meetings` (newest first), so it is rebuilt only after the index changed.
        """
        records = self.meetings()
        newest = max((r.date for r in records if r.date), default=None)
        return Anchors(newest, tuple(r.date for r in records if r.is_meeting))

    def time_of(self, query: str, history: Sequence[str], follow_up: bool) -> TimeReading | None:
        """The time a question is about; a follow-up without its own keeps its conversation's."""
        reading = read_time(query, self.anchors)  # anchors are looked up only for a relative phrase
        if reading is None and follow_up:
            reading = next(filter(None, (read_time(earlier, self.anchors) for earlier in reversed(history))), None)
        return reading

    def in_text(self, query: str, reading: TimeReading) -> list[Hit]:
        """The passages of any date for ``query``, its time phrase kept as words, that name a year of
        the time ``reading`` read; [] when none does."""
        if reading.start is None and reading.end is None:
            return []
        first = (reading.start or reading.end).year
        years = set(range(first, (reading.end or reading.start).year + 1))
        hits = self.retriever.retrieve(query, top_k=self.settings.top_k)
        return [hit for hit in hits if years & years_in(hit.chunk.text)]

    def scoped_parts(self, parts: Sequence[str], filters: Filters | None) -> list[tuple[str, Filters]]:
        """Each question of a compound one with the scope of its own time phrase ("..., en hoeveel geld
        is er in februari 2023 voor vrijgegeven?"); filters the user set win for every part."""
        scoped = []
        for part in parts:
            reading = None if filters else read_time(part, self.anchors)
            scope = filters or (reading.filters if reading else Filters())
            scoped.append((without_phrase(part, reading.phrase) if reading and reading.applied and scope else part, scope))
        return scoped

    def covering(self, hits: Sequence[Hit], parts: Sequence[tuple[str, Filters]]) -> list[Hit]:
        """``hits`` with a passage of each document the question names among the first PART_WINDOW.

        Only a document the whole question's retrieval left out is looked up on its own: "in 2021
        en 2023" when the first passages are all of 2023.
        """
        window = hits[:PART_WINDOW]
        missing = [(text, scope) for text, scope in parts if not any(scope.matches(h.chunk) for h in window)]
        return self.with_parts(hits, missing) if missing else list(hits)

    def with_parts(self, hits: Sequence[Hit], parts: Sequence[tuple[str, Filters]]) -> list[Hit]:
        """``hits`` with the best PART_HITS passages of each part's own retrieval right after the first.

        Retrieved as a whole, "Welke rol speelt Zorgstart in het programma, en hoeveel geld is er
        voor vrijgegeven?" finds mostly what answers one part, and "Wat zeggen het programma en het
        resumé over X?" mostly one document.
        """
        merged = list(hits[:1])
        seen = {h.chunk.id for h in merged}
        for text, scope in parts:
            for hit in self.retriever.retrieve(text, top_k=PART_HITS, filters=scope or None):
                if hit.chunk.id not in seen:
                    seen.add(hit.chunk.id)
                    merged.append(hit)
        merged += [h for h in hits[1:] if h.chunk.id not in seen]
        return merged[: self.settings.top_k]

    def ask(self, question: str, filters: Filters | None = None, history: Sequence[str] = ()) -> Answer:
        """The answer to ``question`` (a follow-up when ``history`` holds the earlier questions)."""
        return collect(self.ask_stream(question, filters, history))

    def in_document_words(self, question: str, language: str) -> str:
        """A Dutch ``question`` with the words the documents never use replaced by synonyms they do
        use (``synonyms.py``): "Wat doen de inspraakorganen?" -> "Wat doen de adviesraden?"."""
        glossary = self.answerer.glossary
        documents = self.answerer.document_words() if glossary is not None and language == "nl" else None
        if documents is None:
            return question
        # The words every question is framed in ("vergadering", "besloten") stay: the meetings and
        # the time phrases are read from them.
        _, swaps = glossary.reword(question, documents, keep=lambda word: bool(stems(word) & FRAME_STEMS))
        if not swaps:
            return question  # most questions: no need to find the words they are read by
        # So do the words this question is read by ("ontbraken").
        read_by = words_read_by(question)
        return glossary.reword(question, documents, keep=lambda word: bool(stems(word) & FRAME_STEMS) or word in read_by)[0]

    def ask_stream(
        self, question: str, filters: Filters | None = None, history: Sequence[str] = ()
    ) -> Iterator[str | Answer]:
        """The answer as it is written: text pieces (an LLM's raw preview), then the final :class:`Answer`.

        The final Answer's text is the one to show: an LLM's citations are checked there, and a
        failed model is replaced by the extractive answer (see ``generators``).
        """
        question = " ".join(question.split())
        if not question:
            raise ValueError("the question is empty")
        language = detect_language(question, self.settings.languages)
        # With an LLM, a follow-up is rewritten by the model; else (or when it fails) by rule.
        condense = getattr(self.generator, "condense", None)
        condensed = condense(question, history) if history and condense else None
        standalone = condensed or standalone_question(question, history)
        query = self.in_document_words(standalone, language)
        # Filters set by the user win; otherwise the question's time phrase, or for a follow-up
        # the time its conversation was about ("... van februari 2023").
        follow_up = standalone != question or THAT_MEETING.search(query) is not None
        reading = None if filters else self.time_of(query, history, follow_up=follow_up)
        if reading and not reads_every_time(reading, query):
            reading = None  # "in december 2022 en in februari 2023": not December alone; covering below
        scope = filters or (reading.filters if reading else Filters())
        answer = None
        missing = unknown_meeting(query, self.meetings()) if MEETING_DAY_HINT.search(query) else None
        if missing:  # "het overleg van 6 oktober" when no meeting was held that day
            text = self.answerer.phrases[language]["meeting_unknown"].format(date=missing[0], known=missing[1])
            answer = Answer(query, language, False, text, confidence=0.0)
        # A regex check first: the records are built only when it passes. "Wie is de contactpersoon
        # voor de klimaatadaptatie?" asks about something the documents never mention, not about a
        # meeting ("bij de laatste vergadering" is a time phrase, no topic).
        untimed = without_phrase(query, reading.phrase) if reading else query
        foreign = self.answerer.foreign_words(untimed, language)
        if answer is None and may_ask_about_meetings(query) and not foreign:
            answer = answer_from_structure(query, language, self.meetings(), scope or None, self.answerer.phrases)
        if answer is None:
            # A time phrase the filters already apply is no topic: "sinds 2022" must not pull in
            # passages that happen to mention 2022.
            topical = without_phrase(query, reading.phrase) if reading and reading.applied and scope else query
            topical = without_document_frame(topical)
            hits = self.retriever.retrieve(topical, top_k=self.settings.top_k, filters=scope or None)
            if not hits and reading and reading.applied and not filters and not MEETING_NAMED.search(query):
                # "Met wie zijn begin 2022 afspraken gemaakt over ...?": no document of early 2022 is
                # about it, but one of 2023 says what was agreed then. Its text must name the time's year.
                in_text = self.in_text(query, reading)
                if in_text:
                    hits, topical, scope = in_text, query, Filters()
                    reading = dataclasses.replace(reading, kind="in_text", applied=False)
            # A question that names its own topic ("over de inzet van boa's"), something by its
            # name ("de directeur van de GGD"; a municipality only scopes: "En in Huizen?"), or a
            # thing the documents never name, is a new question: the conversation's topic would only
            # make it resemble the documents more and answer about the earlier thing instead.
            own_topic = bool(stems(topic_words(question)) - FRAME_STEMS) or any(
                fold(name) not in MUNICIPALITIES for name in names_in(question)
            )
            carried = with_earlier_topic(topical, history) if standalone == question and not (own_topic or foreign) else None
            if carried:
                # "Wanneer komt het rapport?" after a question on the evaluation of the inkoop: read
                # with the conversation's topic too, and keep the reading the documents match better.
                carried_hits = self.retriever.retrieve(carried, top_k=self.settings.top_k, filters=scope or None)
                if best_dense(carried_hits) > best_dense(hits):
                    topical, hits, query = carried, carried_hits, carried
            # A compound question retrieves each of its parts too; a question about several
            # documents makes sure each one it names is among the passages read. Filters the
            # user set win over the documents the question names.
            parts = question_parts(topical)
            if len(parts) > 1:
                hits = self.with_parts(hits, self.scoped_parts(parts, filters))
            elif not filters and (named := named_documents(topical)):
                hits = self.covering(hits, [(topical, scope) for scope in named])
            for piece in self.generator.stream(topical, language, hits):
                if isinstance(piece, Answer):
                    answer = piece
                else:
                    yield piece
        else:
            yield answer.text
        yield dataclasses.replace(
            answer,
            question=question,
            understood=query if query != question else None,
            time_note=reading.note(language, self.answerer.phrases) if reading else None,
        )


def words_read_by(question: str) -> frozenset[str]:
    """The (folded) words that make ``question`` ask what it asks: without "ontbraken" it no longer
    asks who was absent, without "geld" "hoeveel geld" no longer asks for an amount. The glossary
    leaves them as asked, whatever its synonyms.

    >>> sorted(words_read_by("Wie ontbraken er bij het overleg?"))
    ['ontbraken', 'wie']
    """
    reading = _reading(question)
    tokens = set(re.findall(r"[^\W\d_]+", question))
    return frozenset(
        fold(token) for token in tokens if _reading(re.sub(rf"\b{re.escape(token)}\b", " ", question)) != reading
    )


def _reading(question: str) -> tuple:
    """What ``question`` is read to ask: its answer cues, a question about the meetings, a decision, a list."""
    return (
        tuple(wanted_cues(question)), question_kind(question), may_ask_about_meetings(question),
        DECISION_QUESTION.search(question) is not None, LIST_QUESTION.search(question) is not None,
    )
