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
        label = phrases[language]["item"] if chunk.section_kind == "agenda_item" else ""
        if not label and chunk.parent and CONTAINER_HEADING.fullmatch(chunk.parent.strip()):
            label = chunk.parent  # 'Mededelingen "Carin Ogier"': one of the mededelingen
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
