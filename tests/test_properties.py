"""Property tests (hypothesis): whatever text a file holds, reading, structure finding and chunking
never raise anything but a one-line ``ReadError``, the chunks cover the text, and their ids are stable.

The text strategy mixes the shapes real minutes have (headings, dates, decisions, lists, page
breaks) with arbitrary characters, so both the structure finder's paths and its corners are hit.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regioassist.chunking import chunk_document
from regioassist.models import RawDocument
from regioassist.readers import ReadError, read_document
from regioassist.structure import parse_document

pytestmark = pytest.mark.unit

REAL_LINES = [
    "RESUMÉ", "# RESUMÉ", "Overleg portefeuillehouders sociaal domein 13 april 2023", "Datum: 8 juni 2023",
    "Aanwezig: Anna Jansen (Hilversum), Bert Smit (Huizen)", "Afwezig: Carla de Vries", "Agenda",
    "JEUGD EN ONDERWIJS", "GEZONDHEID EN ONDERSTEUNING", "Werk en Participatie", "1. Opening", "2. Verblijf",
    "Rondvraag", "## Besluit", "Besluit:", "Het PFHO stelt het voorstel vast.",
    "Het portefeuillehoudersoverleg besluit het aantal plekken te verhogen naar 120.",
    "- eerste punt", "• tweede punt", "Voorgesteld wordt de regeling te verlengen tot 2025.",
    "Kenmerk: 123/456", "Contactpersoon: Jan de Wit", "pagina 2 van 3", "Raadsinformatiebrief",
    "Bedrag | 2023 | 2024", "€ 30.000 | 1.250 | 7%", "Akkoord.", "Geen.", " Rondvraag", "\f",
]
ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
LINE = st.one_of(st.sampled_from(REAL_LINES), st.text(ALPHABET, max_size=120))
TEXT = st.lists(LINE, max_size=40).flatmap(
    lambda lines: st.sampled_from(["\n", "\n\n", "\r\n"]).map(lambda sep: sep.join(lines))
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _chunks(text: str, source: str = "documents/x.txt"):
    raw = RawDocument(source=source, text=text, content_hash="h")
    doc = parse_document(raw)
    return doc, chunk_document(doc, chunk_chars=300, overlap_chars=50)


@FAST
@given(TEXT)
@example("GEZONDHEID EN ONDERSTEUNING\n" * 4 + "# RESUMÉ")  # a body that repeats its heading
@example("RESUMÉ\n" * 5 + "Het PFHO stelt het voorstel vast.\nRESUMÉ\n" * 12)  # a body that repeats itself
def test_any_text_parses_and_chunks(text: str) -> None:
    doc, chunks = _chunks(text)
    assert doc.text == text
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(text)
        # A chunk's text is its span of the document, only whitespace tidied: offsets (pages) stay exact.
        assert chunk.text.split() == text[chunk.start : chunk.end].split()


@FAST
@given(TEXT)
@example("RESUMÉ\nOverleg portefeuillehouders sociaal domein 13 april 2023\nJEUGD EN ONDERWIJS\n"
         "Voorgesteld wordt de regeling te verlengen tot 2025.")  # prose under a domain line, no agenda item
def test_chunks_cover_every_word_of_the_text(text: str) -> None:
    """Each word of a prose line is in a passage, or in the context a passage carries (title, meeting, heading)."""
    doc, chunks = _chunks(text)
    if not chunks:
        return  # nothing to index: ingest refuses the file in one line ("no text to index")
    carried = set(doc.title.casefold().split())
    for section in doc.sections:  # a heading with nothing under it is structure, not a passage
        carried.update(f"{section.title or ''} {section.domain or ''} {section.parent or ''}".casefold().split())
    for chunk in chunks:
        carried.update(chunk.text.casefold().split())
        carried.update(chunk.context.casefold().split())
    if chunks[0].outline:
        carried.update(" ".join(line for _, line in chunks[0].outline.lines).casefold().split())
    lost = [
        word
        for line in text.splitlines()
        if _prose(line)
        for word in line.casefold().split()
        if word not in carried and _meaningful(word)
    ]
    assert not lost, lost[:10]


def _prose(line: str) -> bool:
    """A line with content: five words or more, or a closing full stop. Shorter lines may be
    headings ('JEUGD EN ONDERWIJS', 'Agenda'), which are structure: with nothing under them,
    they leave no passage, and nothing is lost."""
    return sum(map(_meaningful, line.split())) >= 5 or line.rstrip().endswith((".", "!", "?"))


def _meaningful(word: str) -> bool:
    """A word a question could ask for: letters or digits, not a lone bullet or marker."""
    return bool(re.search(r"\w", word)) and not re.fullmatch(r"#+|[-•*]|\d+\.", word)


@FAST
@given(TEXT)
def test_chunk_ids_are_stable_and_unique(text: str) -> None:
    _, first = _chunks(text)
    _, again = _chunks(text)
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)  # no two passages of one file share an id
    _, elsewhere = _chunks(text, source="documents/y.txt")
    assert not {c.id for c in first} & {c.id for c in elsewhere}  # two files never share an id


@settings(max_examples=120, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from([".txt", ".md", ".pdf", ".docx"]))
def test_any_bytes_read_or_fail_in_one_line(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bestand{suffix}"
        path.write_bytes(data)
        try:
            raw = read_document(path)
        except ReadError as error:
            message = str(error)
            assert message.startswith(f"{path}: ") and "\n" not in message
            return
        assert raw.text.strip()
        doc = parse_document(raw)
        chunk_document(doc)


@FAST
@given(st.text(ALPHABET, max_size=2000))
def test_any_unicode_text_file_reads_back(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tekst.txt"
        path.write_bytes(text.encode("utf-8"))
        expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if not expected.strip() or "\x00" in expected:
            with pytest.raises(ReadError):
                read_document(path)
            return
        assert read_document(path).text == expected
