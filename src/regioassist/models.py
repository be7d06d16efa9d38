"""Typed records passed between the pipeline stages.

files -> ``RawDocument`` (reader) -> ``ParsedDocument`` with ``Section``s and
``Decision``s (structure) -> ``Chunk`` (chunking) -> ``Hit`` (retrieval) ->
``Answer`` with ``Citation``s (answering). A document's header and agenda travel
as an ``Outline`` (with ``Person``s and ``AgendaEntry``s) on its first chunk.

All records are frozen: a stage never edits what an earlier stage produced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class DocType(str, Enum):
    """The kind of document, as a user would name it."""

    RESUME = "resumé"
    BESLUITENLIJST = "besluitenlijst"
    PROGRAMMA = "programma"
    VOORSTEL = "voorstel"
    RAADSINFORMATIEBRIEF = "raadsinformatiebrief"
    OTHER = "other"


class DecisionStatus(str, Enum):
    """What a decision sentence records."""

    VASTGESTELD = "vastgesteld"  # adopted: "stelt het voorstel vast", "besluit"
    AFGESPROKEN = "afgesproken"  # agreed: "Afgesproken wordt ..."
    INGESTEMD = "ingestemd"  # consented: "stemt in met", "akkoord"
    KENNISGENOMEN = "kennisgenomen"  # noted: "neemt kennis van"
    DOORGESCHOVEN = "doorgeschoven"  # postponed: "wordt doorgeschoven"
    AFGEWEZEN = "afgewezen"  # rejected / not carried out


def page_at(page_starts: tuple[int, ...], offset: int) -> int | None:
    """The 1-based page holding character ``offset``: pages start at (0, 120, 300) -> offset 150 is page 2."""
    if not page_starts:
        return None
    return max(1, sum(1 for start in page_starts if start <= offset))


@dataclass(frozen=True)
class RawDocument:
    """A file's text as read from disk, before any structure is found.

    ``page_starts[i]`` is the character offset in ``text`` where page ``i + 1``
    begins; it is empty when the format has no pages we can see. ``ocr_pages``
    are the 1-based pages whose text was read by OCR (a scan has no text layer).
    """

    source: str
    text: str
    page_starts: tuple[int, ...] = ()
    content_hash: str = ""
    ocr_pages: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds character ``offset``, or None without pages."""
        return page_at(self.page_starts, offset)


@dataclass(frozen=True)
class Decision:
    """A sentence inside an agenda item that records a decision or agreement."""

    text: str
    status: DecisionStatus
    start: int  # character offset in the document text
    end: int


@dataclass(frozen=True)
class Section:
    """A contiguous part of a document: an agenda item or a headed section.

    ``start``/``end`` are character offsets into ``ParsedDocument.text``;
    ``text`` is the body below the heading (the heading itself is ``title``).
    """

    title: str
    text: str
    start: int
    end: int
    kind: str = "section"  # "agenda_item" | "section" | "preamble"
    domain: str | None = None
    number: str | None = None  # "3" for "3. Pleegzorg"
    parent: str | None = None  # enclosing heading for nested sub-items
    page: int | None = None  # page where the section starts
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class Person:
    """One entry of an 'Aanwezig' or 'Afwezig' list; municipality and portfolio may be unknown.

    >>> Person("Gerben van Voorden", "Hilversum", "Gezondheid en Ondersteuning, Jeugd").label
    'Gerben van Voorden (Hilversum, Gezondheid en Ondersteuning, Jeugd)'
    """

    name: str
    municipality: str | None = None
    portfolio: str | None = None

    @property
    def label(self) -> str:
        """The entry as minutes write it: the name, then municipality and portfolio in brackets."""
        roles = ", ".join(r for r in (self.municipality, self.portfolio) if r)
        return f"{self.name} ({roles})" if roles else self.name


@dataclass(frozen=True)
class AgendaEntry:
    """An agenda item of a document, as its outline lists them in order."""

    title: str
    domain: str | None = None


@dataclass(frozen=True)
class Mention:
    """A body sentence about attendance ("Joke Lanphen en Maarten Hoelscher zijn afwezig.")."""

    text: str  # whitespace collapsed, as it stands in the document
    domain: str | None = None
    agenda_item: str | None = None


@dataclass(frozen=True)
class Outline:
    """What a document says about itself: header fields, who came, its agenda in order.

    ``lines`` holds the header lines the fields were read from, whitespace collapsed
    but otherwise as they stand in the text, so an answer can quote them.

    >>> outline = Outline(kenmerk="23.0001000", absent=(Person("Roland Boom", "Huizen", "Onderwijs"),),
    ...                   lines=(("afwezig", "Afwezig Roland Boom (Huizen, Onderwijs)"),))
    >>> Outline.from_json(outline.to_json()) == outline, outline.line("afwezig")
    (True, 'Afwezig Roland Boom (Huizen, Onderwijs)')
    """

    meeting: str | None = None
    date: dt.date | None = None
    contact: str | None = None
    email: str | None = None
    kenmerk: str | None = None
    present: tuple[Person, ...] = ()
    absent: tuple[Person, ...] = ()
    agenda: tuple[AgendaEntry, ...] = ()
    lines: tuple[tuple[str, str], ...] = ()  # (field, line): "meeting", "aanwezig", "afwezig", "contactpersoon", ...
    absences: tuple[Mention, ...] = ()

    def line(self, name: str) -> str | None:
        return next((text for key, text in self.lines if key == name), None)

    def to_json(self) -> dict:
        return {
            "meeting": self.meeting, "date": self.date.isoformat() if self.date else None,
            "contact": self.contact, "email": self.email, "kenmerk": self.kenmerk,
            "present": [p.__dict__ for p in self.present], "absent": [p.__dict__ for p in self.absent],
            "agenda": [a.__dict__ for a in self.agenda], "lines": dict(self.lines),
            "absences": [m.__dict__ for m in self.absences],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Outline":
        return cls(
            meeting=data.get("meeting"), date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
            contact=data.get("contact"), email=data.get("email"), kenmerk=data.get("kenmerk"),
            present=tuple(Person(**p) for p in data.get("present", ())),
            absent=tuple(Person(**p) for p in data.get("absent", ())),
            agenda=tuple(AgendaEntry(**a) for a in data.get("agenda", ())),
            lines=tuple(data.get("lines", {}).items()),
            absences=tuple(Mention(**m) for m in data.get("absences", ())),
        )


@dataclass(frozen=True)
class ParsedDocument:
    """A document with the structure we found in it.

    ``language`` is the ISO 639-1 code of the text's language ("nl", "en", "de"), "und" when
    undecidable; ``ocr_pages`` are the pages read by OCR, as on the ``RawDocument``.
    """

    source: str
    text: str
    title: str
    doc_type: DocType
    content_hash: str
    date: dt.date | None = None
    meeting: str | None = None
    kenmerk: str | None = None
    contact: str | None = None
    email: str | None = None
    present: tuple[Person, ...] = ()
    absent: tuple[Person, ...] = ()
    header_lines: tuple[tuple[str, str], ...] = ()  # (field, line as in the text, whitespace collapsed)
    absences: tuple[Mention, ...] = ()  # body sentences that say who was absent
    domains: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    page_starts: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    language: str = "nl"

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds character ``offset``, or None without pages."""
        return page_at(self.page_starts, offset)

    @property
    def agenda_items(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "agenda_item")

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(d for s in self.sections for d in s.decisions)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage that carries its document context.

    ``text`` is the passage as it stands in the document (what is quoted);
    ``context`` is the header (title, date, domain, agenda item) that is
    embedded and keyword-indexed together with the passage. ``ocr`` says the
    passage (some of its pages) was read by OCR from a scan; ``language`` is
    its document's language (ISO 639-1, "und" when undecidable).
    """

    id: str
    source: str
    doc_hash: str
    title: str
    doc_type: DocType
    text: str
    context: str
    date: dt.date | None = None
    meeting: str | None = None
    domain: str | None = None
    section: str | None = None
    section_kind: str = "section"
    parent: str | None = None  # the heading the section stands under: its agenda item, or "Mededelingen"
    page: int | None = None
    start: int = 0
    end: int = 0
    decisions: tuple[str, ...] = ()
    outline: Outline | None = None  # the document's outline, on its first chunk only
    ocr: bool = False
    language: str = "nl"

    @property
    def indexed_text(self) -> str:
        """What the embedder and the keyword index see."""
        return f"{self.context}\n{self.text}"


@dataclass(frozen=True)
class Hit:
    """A chunk found for a query, with the evidence of how it was found."""

    chunk: Chunk
    score: float  # fused score, higher is better
    dense_score: float | None = None  # cosine similarity, when the dense retriever found it
    keyword_score: float | None = None  # BM25 score, when the keyword retriever found it


@dataclass(frozen=True)
class Citation:
    """One numbered source below an answer."""

    n: int
    source: str
    title: str
    doc_type: str
    date: str | None
    domain: str | None
    agenda_item: str | None
    page: int | None
    quote: str
    score: float
    # The passage the quote stands in, for a source card that shows it in its context.
    passage: str = field(default="", compare=False, repr=False)
    ocr: bool = False  # the passage was read by OCR from a scan: its words may be misread
    language: str = "nl"  # the document's language (ISO 639-1), "und" when undecidable
    group: str | None = None  # the collecting heading the item stands under ("Mededelingen"), if any


@dataclass(frozen=True)
class Answer:
    """The assistant's answer to one question."""

    question: str
    language: str
    answered: bool
    text: str
    citations: tuple[Citation, ...] = ()
    hits: tuple[Hit, ...] = field(default=(), compare=False, repr=False)
    # The question as answered when a follow-up was rewritten to stand alone or its everyday words
    # were read as the documents' (synonyms.py); None when as typed.
    understood: str | None = None
    # How the question's time phrase was read, said to the user: "'vorig jaar' gelezen als 2022
    # (het nieuwste document is van 23 februari 2023)". None when the question names no time.
    time_note: str | None = None
    # How sure the answerer is that its quotes answer the question, 0..1; answers below the
    # calibrated ``min_confidence`` are declined. 0 for a decline, 1 for answers from structure.
    confidence: float = 1.0
    # What wrote the text: "extractive" or an LLM generator ("openai", "ollama", "llamacpp").
    generator: str = "extractive"
    # Why an LLM's answer was replaced by the extractive one ("timeout: ...", "error: ...",
    # "empty: ...", "ungrounded: ..."); None when nothing was replaced (generators/llm.py).
    fallback: str | None = None
    # Citation numbers the LLM wrote that named no source it was given, as it wrote them.
    removed_citations: tuple[int, ...] = ()

    def understood_note(self) -> str | None:
        """How the question was read, said to the user ("Opgevat als: ..."); None when as typed."""
        if not self.understood:
            return None
        return f"{'Understood as' if self.language == 'en' else 'Opgevat als'}: {self.understood}"

    def to_json(self) -> dict:
        """The stable ``--json`` shape read by the evaluation team's tools."""
        return {
            "question": self.question,
            "language": self.language,
            "answered": self.answered,
            "answer": self.text,
            "understood": self.understood,  # the question as read (a follow-up, everyday words), or None
            "time_note": self.time_note,
            "confidence": round(self.confidence, 4),
            "generator": self.generator,  # what wrote the text
            "fallback": self.fallback,  # why the extractive answer stands in for the LLM's, or None
            "removed_citations": list(self.removed_citations),  # numbers the guard dropped
            "citations": [
                {
                    "n": c.n,
                    "source": c.source,
                    "title": c.title,
                    "doc_type": c.doc_type,
                    "date": c.date,
                    "domain": c.domain,
                    "agenda_item": c.agenda_item,
                    "page": c.page,
                    "quote": c.quote,
                    "score": round(c.score, 4),
                }
                for c in self.citations
            ],
        }
