"""Source cards: one collapsible card per citation, under the answer it supports.

A card names the document, the meeting date, the domain, the agenda item and
the page, shows the passage with the quoted sentences highlighted, and links to
the original file (a PDF opens at its page). A passage read by OCR from a scan
says so ("tekst via OCR"), and a document not in Dutch names its language
("taal: en"). Pure functions: the chat turns their output into Gradio messages.

>>> from regioassist.models import Citation
>>> c = Citation(1, "documents/001.txt", "Resumé PFHO", "resumé", "2021-03-18", "Jeugd en Onderwijs",
...              "Verblijf", None, "Het PFHO stelt het voorstel vast.", 0.9,
...              passage="Toelichting. Het PFHO stelt het voorstel vast. Verder niets.")
>>> card_title(c)
'[1] 18 maart 2021 · Jeugd en Onderwijs · agendapunt Verblijf'
>>> "<mark>Het PFHO stelt het voorstel vast.</mark>" in highlight(c.passage, c.quote)
True
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import quote as url_quote

from regioassist.chunking import DUTCH_MONTHS
from regioassist.config import REPO_ROOT
from regioassist.models import Citation
from regioassist.textutil import split_sentences

DOC_TYPE_LABELS = {
    "resumé": "Resumé",
    "besluitenlijst": "Besluitenlijst",
    "programma": "Programma",
    "voorstel": "Voorstel",
    "raadsinformatiebrief": "Raadsinformatiebrief",
    "other": "Document",
}


def dutch_date(iso: str | None) -> str:
    """'2021-03-18' -> '18 maart 2021'; '' for no date."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def source_path(source: str) -> Path:
    """The file behind a citation: sources inside the repository are stored relative to it."""
    path = Path(source)
    return path if path.is_absolute() else REPO_ROOT / path


def file_url(source: str, page: int | None) -> str:
    """The link Gradio serves the file under (from its allowed paths); a PDF opens at ``page``."""
    url = "/gradio_api/file=" + url_quote(str(source_path(source)))
    if page and source.lower().endswith(".pdf"):
        url += f"#page={page}"
    return url


def document_label(title: str, doc_type: str, date: dt.date | str | None) -> str:
    """A short name for a document: 'Resumé 18 maart 2021' for minutes, else its title."""
    if date and doc_type in ("resumé", "besluitenlijst"):
        iso = date if isinstance(date, str) else date.isoformat()
        return f"{DOC_TYPE_LABELS[doc_type]} {dutch_date(iso)}"
    return title


OCR_NOTE = "tekst via OCR"


def card_title(citation: Citation) -> str:
    """The card's one-line title, readable while the card is closed."""
    parts = [dutch_date(citation.date)] if citation.date else [citation.title]
    if citation.domain:
        parts.append(citation.domain)
    if citation.agenda_item:
        label = citation.group or ("agendapunt" if citation.doc_type in ("resumé", "besluitenlijst") else "onderdeel")
        parts.append(f"{label} {citation.agenda_item}")
    if citation.page:
        parts.append(f"p. {citation.page}")
    return f"[{citation.n}] " + " · ".join(parts + reading_notes(citation))



def reading_notes(citation: Citation) -> list[str]:
    """What a reader should know about the text itself: read from a scan, or not in Dutch.

    Dutch and an undecidable language ("und") say nothing.
    """
    notes = [OCR_NOTE] if citation.ocr else []
    if citation.language not in ("nl", "und", ""):
        notes.append(f"taal: {citation.language}")
    return notes


def highlight(passage: str, quote: str) -> str:
    """The passage as HTML with each quoted sentence in ``<mark>``; paragraphs kept apart.

    Quotes are whitespace-normalised, so the passage is matched the same way.
    """
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", passage) if p.strip()]
    pieces = [s for s in split_sentences(quote)] or [quote]
    out = []
    for paragraph in paragraphs:
        spans = []
        for piece in [quote, *pieces]:
            at = paragraph.find(piece)
            if at >= 0 and not any(s <= at < e or s < at + len(piece) <= e for s, e in spans):
                spans.append((at, at + len(piece)))
        spans.sort()
        text, last = [], 0
        for start, end in spans:
            text.append(html.escape(paragraph[last:start]))
            text.append(f"<mark>{html.escape(paragraph[start:end])}</mark>")
            last = end
        text.append(html.escape(paragraph[last:]))
        out.append("".join(text))
    return "<br><br>".join(out)


def card_body(citation: Citation) -> str:
    """The card's content: where it stands, the passage with the quote marked, a link to the file."""
    kind = DOC_TYPE_LABELS.get(citation.doc_type, "Document")
    named = citation.title.casefold().startswith(kind.casefold())
    facts = [f"<b>{html.escape(citation.title)}</b>" + ("" if named else f" ({kind})")]
    if citation.date:
        facts.append(f"Vergadering/datum: {dutch_date(citation.date)}")
    if citation.domain:
        facts.append(f"Domein: {html.escape(citation.domain)}")
    if citation.agenda_item:
        facts.append(f"{html.escape(citation.group or 'Agendapunt')}: <b>{html.escape(citation.agenda_item)}</b>")
    if citation.page:
        facts.append(f"Pagina {citation.page}")
    for note in reading_notes(citation):
        scan = " (uit een scan gelezen: woorden kunnen verkeerd herkend zijn)" if note == OCR_NOTE else ""
        facts.append(html.escape(note) + scan)
    passage = citation.passage or citation.quote
    page = f" op pagina {citation.page}" if citation.page and citation.source.lower().endswith(".pdf") else ""
    link = (
        f'<a href="{html.escape(file_url(citation.source, citation.page))}" target="_blank">'
        f"Open het document{page}</a> · <code>{html.escape(Path(citation.source).name)}</code>"
    )
    return (
        " · ".join(facts)
        + f"\n\n<blockquote>{highlight(passage, citation.quote)}</blockquote>\n\n"
        + link
    )
