"""Chunking: a parsed document becomes passages that carry their context.

A chunk never spans two sections (agenda items or headed sections); a long
section is split with overlap by llama-index's ``SentenceSplitter``. Every
chunk carries a context header (document title, meeting date, domain, agenda
item) that is embedded and keyword-indexed with the passage, so a question
about "het overleg van februari 2023" finds a passage whose own text never
names the date.

The document's ``Outline`` (header fields, who came, the agenda in order) rides on
its first chunk, so the index alone can answer questions about the meeting itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from functools import lru_cache

from regioassist.metadata import MEETING_TYPES
from regioassist.models import AgendaEntry, Chunk, Outline, ParsedDocument, Section
from regioassist.structure import is_chapter, reads_as_sentence

DUTCH_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()

# Words, not characters, are what the splitter counts; Dutch prose here runs at
# about 6.3 characters per word (14,044 chars / 2,230 words in the February resumé).
CHARS_PER_WORD = 6.3


def dutch_date(value) -> str:
    """``date(2023, 2, 23)`` -> ``"23 februari 2023"``."""
    return f"{value.day} {DUTCH_MONTHS[value.month - 1]} {value.year}"


def context_header(doc: ParsedDocument, section: Section | None) -> str:
    """The lines that tell where a passage stands, in the words a user asks with."""
    lines = [doc.title]
    if doc.meeting and doc.meeting not in doc.title:
        lines.append(doc.meeting)
    if doc.date and dutch_date(doc.date) not in doc.title:
        lines.append(dutch_date(doc.date))
    if section is not None:
        if section.domain:
            lines.append(section.domain)
        lines += headings_above(doc, section)
        if section.title and section.kind != "preamble":
            lines.append(section.title)
    return "\n".join(lines)


def headings_above(doc: ParsedDocument, section: Section) -> list[str]:
    """The headings ``section`` stands under, outermost first: its agenda item, then "Mededelingen".

    A sub-heading that reads as a sentence ("In dit kader ...: Aansluiting zorg op onderwijs")
    says what it is about itself; its passages carry its chapter, not the ordinary heading it
    hangs under. Measured on eval/: carrying that heading too changed no retrieval hit and moved
    two answers to other table rows.
    """
    before = [s for s in doc.sections if s.start < section.start]

    def owner(title: str) -> Section | None:
        return next((s for s in reversed(before) if s.title == title), None)

    above: list[str] = []
    parent = section.parent
    if doc.doc_type not in MEETING_TYPES and parent and reads_as_sentence(section.title):
        hung_under = owner(parent)
        if hung_under is not None and not is_chapter(hung_under.title):
            parent = hung_under.parent
    while parent and parent not in above:
        above.insert(0, parent)
        found = owner(parent)
        parent = found.parent if found else None
    return above


@lru_cache(maxsize=8)
def _splitter(chunk_chars: int, overlap_chars: int):
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(
        chunk_size=max(20, int(chunk_chars / CHARS_PER_WORD)),
        chunk_overlap=int(overlap_chars / CHARS_PER_WORD),
        tokenizer=str.split,
        paragraph_separator="\n\n",
    )


_BROKEN_SENTENCE = re.compile(r"(?<=[^\s.:;!?])([ \t]*)\n(?=[ \t]*\n[ \t]*\S)")


def repair_breaks(text: str) -> str:
    """Undo blank lines that PDF extraction put inside a sentence, keeping every offset.

    "1 dag per week in de\n\nGroepspraktijk Huizen" has a paragraph break after a
    line with no closing punctuation: the first newline becomes a space, so the
    text keeps its length (offsets, and so page numbers, stay exact).
    """
    return _BROKEN_SENTENCE.sub(lambda m: m.group(1) + " ", text)


def _pieces(section: Section, chunk_chars: int, overlap_chars: int) -> list[tuple[int, str]]:
    """(offset in section text, piece) pairs; short sections stay whole."""
    body = repair_breaks(section.text)
    if len(body) <= chunk_chars:
        stripped = body.strip()
        return [(body.find(stripped), stripped)] if stripped else []
    pieces, cursor = [], 0
    for piece in _splitter(chunk_chars, overlap_chars).split_text(body):
        # The splitter returns substrings with whitespace trimmed; find each one after
        # where the previous began (pieces overlap, but each starts further on), whole
        # first, so that a document repeating itself does not send it back to an earlier copy.
        at = body.find(piece, cursor)
        if at < 0:
            at = body.find(piece[:60], cursor)
        if at < 0:
            at = body.find(piece[:20])
        at = max(at, 0)
        pieces.append((at, piece))
        cursor = at + 1
    return pieces


def chunk_id(source: str, context: str, text: str, ordinal: int) -> str:
    """Stable id: the same file ingested twice gives the same ids."""
    digest = hashlib.sha256(f"{source}\x00{context}\x00{ordinal}\x00{text}".encode()).hexdigest()
    return digest[:32]


_SPACE = re.compile(r"[ \t]+")


def _tidy(text: str) -> str:
    """Collapse the runs of spaces PDF extraction leaves; keep line breaks."""
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def chunk_document(doc: ParsedDocument, chunk_chars: int = 900, overlap_chars: int = 150) -> list[Chunk]:
    """Split ``doc`` into context-carrying chunks, in document order.

    >>> # chunks = chunk_document(parse_document(read_document(Path("documents/x.txt"))))
    """
    chunks: list[Chunk] = []
    for section in doc.sections:
        context = context_header(doc, section)
        body_start = _body_start(doc, section)
        for offset, piece in _pieces(section, chunk_chars, overlap_chars):
            text = _tidy(piece)
            if len(text) < 2:
                continue
            start = body_start + offset
            end = start + len(piece)
            decisions = tuple(d.text for d in section.decisions if d.start < end and d.end > start)
            chunks.append(
                Chunk(
                    id=chunk_id(doc.source, context, text, len(chunks)),
                    source=doc.source,
                    doc_hash=doc.content_hash,
                    title=doc.title,
                    doc_type=doc.doc_type,
                    text=text,
                    context=context,
                    date=doc.date,
                    meeting=doc.meeting,
                    domain=section.domain,
                    section=None if section.kind == "preamble" else section.title,
                    section_kind=section.kind,
                    parent=section.parent,
                    page=doc.page_at(start),
                    start=start,
                    end=end,
                    decisions=decisions,
                    ocr=_read_by_ocr(doc, start, end),
                    language=doc.language,
                )
            )
    if chunks:
        chunks[0] = dataclasses.replace(chunks[0], outline=outline_of(doc))
    return chunks


def outline_of(doc: ParsedDocument) -> Outline:
    """What ``doc`` says about itself, to be stored with its first chunk."""
    return Outline(
        meeting=doc.meeting, date=doc.date, contact=doc.contact, email=doc.email, kenmerk=doc.kenmerk,
        present=doc.present, absent=doc.absent,
        agenda=tuple(AgendaEntry(s.title, s.domain) for s in doc.agenda_items),
        lines=doc.header_lines, absences=doc.absences,
    )


def _read_by_ocr(doc: ParsedDocument, start: int, end: int) -> bool:
    """Does the passage at ``start:end`` lie (partly) on a page read by OCR?"""
    if not doc.ocr_pages:
        return False
    first, last = doc.page_at(start) or 1, doc.page_at(max(start, end - 1)) or 1
    return any(first <= page <= last for page in doc.ocr_pages)


def _body_start(doc: ParsedDocument, section: Section) -> int:
    """Offset in the document where the section's body text begins (below its heading).

    The body is looked for after the heading line: a body that repeats its heading
    ("JEUGD\nJEUGD\n...") must not be placed on the heading itself.
    """
    if not section.text:
        return section.start
    after_heading = section.start
    if section.kind != "preamble":
        line_end = doc.text.find("\n", doc.text.find(section.title[:40], section.start))
        after_heading = line_end + 1 if line_end >= 0 else section.start
    at = doc.text.find(section.text[:80], after_heading, section.end + 1)
    if at < 0:
        at = doc.text.find(section.text[:80], section.start, section.end + 1)
    return at if at >= 0 else section.start
