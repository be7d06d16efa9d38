"""Numbered citations, the place a quote stands, and the answer as text."""

from __future__ import annotations

from dataclasses import dataclass, field

from regioassist.chunking import DUTCH_MONTHS
from regioassist.models import Answer, Chunk, Citation, Hit
from regioassist.prompts import DEFAULT_PHRASES, load_phrases
from regioassist.structure import CONTAINER_HEADING


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
        label = phrases[language]["item"] if chunk.section_kind == "agenda_item" else collecting_group(chunk) or ""
        where.append(f'{label} "{chunk.section}"'.strip())
    return f"{head} — {', '.join(where)}" if where else head


def collecting_group(chunk: Chunk) -> str | None:
    """The collecting heading a section stands under ("Mededelingen" for "Carin Ogier"), or None.

    Only a heading that collects items names the group; an agenda item such as "Agenda en
    mededelingen" does not.
    """
    parent = (chunk.parent or "").strip()
    return parent if chunk.section_kind != "agenda_item" and CONTAINER_HEADING.fullmatch(parent) else None


def citation_of(n: int, hit: Hit, quote: str) -> Citation:
    """Citation number ``n``: where ``hit``'s passage stands, and the ``quote`` taken from it."""
    chunk = hit.chunk
    return Citation(
        n=n,
        source=chunk.source,
        title=chunk.title,
        doc_type=chunk.doc_type.value,
        date=chunk.date.isoformat() if chunk.date else None,
        domain=chunk.domain,
        agenda_item=chunk.section,
        page=chunk.page,
        quote=quote,
        score=hit.dense_score if hit.dense_score is not None else hit.score,
        passage=chunk.text,
        ocr=chunk.ocr,
        language=chunk.language,
        group=collecting_group(chunk),
    )


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
            citation_of(i + 1, hit, " ".join(quotes)) for i, (hit, quotes) in enumerate(zip(self.hits, self.quotes))
        )


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
            where.append(f"{c.group or phrases['item']}: {c.agenda_item}")
        if c.page:
            where.append(f"{phrases['page']} {c.page}")
        if c.ocr:
            where.append("OCR")  # read from a scan: the quote may hold misread words
        where.append(c.source)
        lines.append(f"[{c.n}] " + " · ".join(where))
        lines.append(f'    "{c.quote}"')
    return "\n".join(lines)
