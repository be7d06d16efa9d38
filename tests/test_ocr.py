"""Scanned PDFs: pages without a text layer are read by OCR (Tesseract, Dutch), and say so.

The scans are made here: Dutch text drawn with Pillow in DejaVu Sans on an A4 page at
300 dpi, saved as a PDF that holds only the image. Tesseract and its Dutch data come from
Debian (``scripts/setup.sh --test`` installs them), so these tests run, never skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regioassist.readers import ReadError, read_document
from pdf_fixtures import write_pdf

pytestmark = pytest.mark.integration

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
A4_AT_300_DPI = (2480, 3508)

# Page 2 of the scanned letter holds the one fact no other document has.
LETTER_PAGE_1 = [
    "Raadsinformatiebrief",
    "",
    "Onderwerp: huiskamer voor mensen met dementie",
    "",
    "De regio wil mensen met dementie langer thuis",
    "laten wonen. Daarom komt er een huiskamer waar",
    "zij overdag terecht kunnen.",
]
LETTER_PAGE_2 = [
    "Locatie en kosten",
    "",
    "De huiskamer opent in het dorpshuis van Kortenhoef.",
    "De huiskamer kost 48.500 euro per jaar.",
    "",
    "Vrijwilligers van de Zonnebloem helpen mee.",
]
OCR_FACT = "De huiskamer kost 48.500 euro per jaar."
PLACE_FACT = "De huiskamer opent in het dorpshuis van Kortenhoef."

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

JEUGD EN ONDERWIJS

Pleegzorg

Het portefeuillehoudersoverleg stelt het voorstel over pleegzorg vast. De pleegouders krijgen
een hogere vergoeding.
"""


def scan(lines: list[str]):
    """An A4 page at 300 dpi with ``lines`` in black, as a scanner would deliver it (greyscale)."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", A4_AT_300_DPI, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 56)  # 56 px at 300 dpi is 13.4 pt
    for i, line in enumerate(lines):
        draw.text((250, 300 + 90 * i), line, font=font, fill=0)
    return page


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of scanned pages only: images, no text layer."""
    first, *rest = [scan(lines) for lines in pages]
    first.save(path, "PDF", resolution=300, save_all=True, append_images=rest)
    return path


def mixed_pdf(path: Path, text_lines: list[str], scanned_lines: list[str]) -> Path:
    """Page 1 with a text layer, page 2 a scanned image."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for line in text_lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.image(scan(scanned_lines), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_scanned_pdf_is_read_by_ocr_into_its_own_pages(tmp_path):
    raw = read_document(scanned_pdf(tmp_path / "brief.pdf", [LETTER_PAGE_1, LETTER_PAGE_2]))
    text = one_line(raw.text)
    assert "Onderwerp: huiskamer voor mensen met dementie" in text
    assert OCR_FACT in text and PLACE_FACT in text
    assert raw.ocr_pages == (1, 2) and len(raw.page_starts) == 2
    assert raw.page_at(raw.text.index("Onderwerp")) == 1
    assert raw.page_at(raw.text.index("48.500")) == 2


def test_in_a_mixed_pdf_only_the_page_without_a_text_layer_is_read_by_ocr(tmp_path):
    from regioassist.chunking import chunk_document
    from regioassist.structure import parse_document

    text_page = ["Programma Wonen en Zorg", "", "Inleiding", "", "Dit programma gaat over wonen met zorg in de regio."]
    raw = read_document(mixed_pdf(tmp_path / "programma.pdf", text_page, LETTER_PAGE_2))
    assert raw.ocr_pages == (2,)
    assert raw.page_at(raw.text.index("Dit programma gaat over wonen")) == 1
    assert raw.page_at(raw.text.index("48.500")) == 2

    chunks = chunk_document(parse_document(raw), chunk_chars=120, overlap_chars=0)
    by_page = {(c.page, c.ocr) for c in chunks}
    assert (1, False) in by_page and (2, True) in by_page and (1, True) not in by_page
    assert all(c.language == "nl" for c in chunks)


def test_without_dutch_language_data_a_scan_is_refused_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr("pytesseract.get_languages", lambda *args, **kwargs: ["eng", "osd"])
    path = scanned_pdf(tmp_path / "brief.pdf", [LETTER_PAGE_1])
    with pytest.raises(ReadError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: geen tekstlaag; OCR niet beschikbaar"


def test_a_mixed_pdf_without_tesseract_names_the_pages_it_cannot_read(tmp_path, monkeypatch):
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", str(tmp_path / "no-tesseract"))
    path = mixed_pdf(tmp_path / "programma.pdf", ["Programma Wonen en Zorg"], LETTER_PAGE_2)
    with pytest.raises(ReadError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: geen tekstlaag op pagina 2; OCR niet beschikbaar"
    # A text PDF needs no Tesseract at all, not even for its blank page (no ink, nothing to read).
    raw = read_document(write_pdf(tmp_path / "tekst.pdf", [["Programma Wonen en Zorg"], []]))
    assert "Programma" in raw.text and raw.ocr_pages == ()


def test_ocr_is_bounded_in_pages_and_in_time_per_page(tmp_path, monkeypatch):
    from regioassist import ocr

    path = scanned_pdf(tmp_path / "brief.pdf", [LETTER_PAGE_1, LETTER_PAGE_2])
    monkeypatch.setattr(ocr, "MAX_PAGES", 1)
    with pytest.raises(ReadError, match=r": geen tekstlaag; 2 pagina's zonder tekstlaag; OCR leest er hoogstens 1 per bestand$"):
        read_document(path)
    monkeypatch.setattr(ocr, "MAX_PAGES", 200)
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT_S", 0.001)
    with pytest.raises(ReadError, match=r": geen tekstlaag; OCR van pagina 1 duurde langer dan 0.001 s$"):
        read_document(path)


def test_without_tesseract_ingest_reports_the_scan_and_indexes_the_rest(tmp_path, monkeypatch, fake_embedder):
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    scanned_pdf(docs / "brief.pdf", [LETTER_PAGE_1, LETTER_PAGE_2])
    (docs / "resume.txt").write_text(MINUTES, encoding="utf-8")
    write_pdf(docs / "tekst.pdf", [["Programma Wonen en Zorg", "", "Wonen met zorg in de regio."]])
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", str(tmp_path / "no-tesseract"))

    index = LocalIndex.open(tmp_path / "index")
    report = ingest_paths([docs], index, fake_embedder)
    assert report.failed == [f"{_source(docs / 'brief.pdf')}: geen tekstlaag; OCR niet beschikbaar"]
    assert sorted(report.read) == sorted([_source(docs / "resume.txt"), _source(docs / "tekst.pdf")])
    assert {Path(c.source).name for c in index.store.all_chunks()} == {"resume.txt", "tekst.pdf"}
    assert not [cid for cid, _ in index.keyword.search("huiskamer Kortenhoef", k=5)]


@pytest.mark.slow
def test_a_question_only_the_scan_answers_cites_it_quotes_it_and_marks_it_ocr(tmp_path, real_embedder):
    from regioassist.answer import render
    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths
    from regioassist.ui.cards import card_body, card_title

    docs = tmp_path / "docs"
    docs.mkdir()
    scanned_pdf(docs / "brief.pdf", [LETTER_PAGE_1, LETTER_PAGE_2])
    (docs / "resume.txt").write_text(MINUTES, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    report = ingest_paths([docs], index, real_embedder)
    assert (len(report.read), report.failed) == (2, [])

    answer = Assistant(settings, index, real_embedder).ask("Hoeveel kost de huiskamer voor mensen met dementie per jaar?")
    assert answer.answered, answer.text
    assert "48.500 euro" in answer.text
    cited = [c for c in answer.citations if c.source == _source(docs / "brief.pdf")]
    assert cited, answer.citations
    scan_citation = next(c for c in cited if "48.500" in c.quote)
    assert OCR_FACT in one_line(scan_citation.quote)
    assert scan_citation.ocr and scan_citation.page == 2
    assert card_title(scan_citation).endswith(" · p. 2 · tekst via OCR")
    assert "tekst via OCR" in card_body(scan_citation)
    assert f"p. 2 · OCR · {scan_citation.source}" in render(answer)


def _source(path: Path) -> str:
    from regioassist.ingest import source_name

    return source_name(path)
