"""Reading files: text, pages and hash survive; bad input gives a one-line ReadError."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from regioassist.readers import ReadError, read_document
from pdf_fixtures import write_pdf

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent / "fixtures"


# --- plain text -----------------------------------------------------------------


def test_seed_resume_keeps_its_pages(seed_dir: Path) -> None:
    path = seed_dir / "000_e69afd2dc3060162.txt"
    raw = read_document(path, source="documents/000.txt")
    assert raw.source == "documents/000.txt"
    assert raw.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    # Six pages, each starting with a line that begins with one space.
    assert len(raw.page_starts) == 6
    assert raw.text[raw.page_starts[1] :].startswith(" Rondvraag")
    assert raw.page_at(raw.text.index("Toekomstbestendige")) == 1
    assert raw.page_at(raw.text.index("Conformstukken")) == 2
    assert raw.page_at(raw.text.index("Update business case")) == 6


@pytest.mark.parametrize(
    ("name", "pages"),
    [("000_e69afd2dc3060162.txt", 6), ("001_462b1aa507025d3f.txt", 7), ("002_6920f39aae3c4dc5.txt", 12),
     ("003_f3e1265c8a46a942.txt", 2), ("004_30a58b803870b6ab.txt", 3)],
)
def test_every_seed_document_has_pages(seed_dir: Path, name: str, pages: int) -> None:
    raw = read_document(seed_dir / name)
    assert len(raw.page_starts) == pages
    assert raw.page_starts[0] == 0


def test_source_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hallo wereld\n", encoding="utf-8")
    assert read_document(path).source == str(path)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfContinu\xc3\xafteit\r\nregel twee\r\n")
    raw = read_document(path)
    assert raw.text == "Continuïteit\nregel twee\n"
    assert raw.page_starts == ()  # no one-space page lines, no form feeds


def test_windows_1252_is_the_fallback(tmp_path: Path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes("Continuïteit kost € 30.000".encode("cp1252"))
    assert read_document(path).text == "Continuïteit kost € 30.000"


def test_form_feed_marks_a_page(tmp_path: Path) -> None:
    path = tmp_path / "ff.txt"
    path.write_text("Pagina een\n\fPagina twee\n\fPagina drie\n", encoding="utf-8")
    raw = read_document(path)
    assert len(raw.page_starts) == 3
    assert raw.page_at(raw.text.index("twee")) == 2
    assert raw.page_at(raw.text.index("drie")) == 3


def test_an_indented_file_is_not_read_as_pages(tmp_path: Path) -> None:
    path = tmp_path / "indented.txt"
    path.write_text("".join(f" regel {i}\n" for i in range(20)), encoding="utf-8")
    assert read_document(path).page_starts == ()


def test_markdown_is_read_as_text() -> None:
    raw = read_document(FIXTURES / "notitie_mantelzorg.md")
    assert raw.text.startswith("# Notitie mantelzorgondersteuning")
    assert raw.page_starts == ()


# --- PDF and Word ---------------------------------------------------------------


def test_pdf_pages_become_page_starts(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "twee.pdf", [["Eerste pagina", "", "Continuïteit dagbesteding"], ["Tweede pagina"]])
    raw = read_document(path)
    assert len(raw.page_starts) == 2
    assert raw.page_at(raw.text.index("Continuïteit")) == 1
    assert raw.page_at(raw.text.index("Tweede pagina")) == 2
    assert raw.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_docx_marks_headings_and_keeps_tables_and_page_breaks(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Evaluatie inkoop", level=1)
    document.add_paragraph("De evaluatie start in het najaar.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Fase", "Planning"), ("Voorbereiding", "Q3 2021")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_page_break()
    document.add_heading("Opzet evaluatie", level=1)
    document.add_paragraph("Een trekker van de Regio voert de evaluatie uit.")
    path = tmp_path / "brief.docx"
    document.save(str(path))

    raw = read_document(path)
    lines = raw.text.split("\n")
    # Word heading styles become markdown marks, on a line of their own: the structure finder trusts them.
    assert "# Evaluatie inkoop" in lines and "# Opzet evaluatie" in lines
    assert "Voorbereiding | Q3 2021" in lines
    assert len(raw.page_starts) == 2
    assert raw.page_at(raw.text.index("Planning")) == 1
    assert raw.page_at(raw.text.index("Opzet evaluatie")) == 2


# --- bad input: one line that names the file and the reason ------------------------


def _one_line_error(path: Path) -> str:
    with pytest.raises(ReadError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "cijfers.xlsx"
    path.write_bytes(b"PK\x03\x04")
    assert _one_line_error(path).endswith("unsupported file type .xlsx")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.txt"
    path.write_text(" \n\n \t\n", encoding="utf-8")
    assert _one_line_error(path).endswith("empty document (no text)")


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "kapot.txt"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d")  # invalid in UTF-8 and undefined in Windows-1252
    assert "not valid UTF-8 or Windows-1252" in _one_line_error(path)


def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "binair.txt"
    path.write_bytes(b"abc\x00\x01\x02def")
    assert "binary content" in _one_line_error(path)


@pytest.mark.parametrize("content", [b"hello world", b"%PDF-1.4 garbage", b""])
def test_corruptwrite_pdf(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(content)
    assert "not a valid PDF (" in _one_line_error(path)


def test_truncatedwrite_pdf(tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "heel.pdf", [["Tekst"], ["Meer tekst"]])
    path = tmp_path / "half.pdf"
    path.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    assert "not a valid PDF (" in _one_line_error(path)


def test_an_image_only_pdf_without_words_is_refused_after_ocr(tmp_path: Path, monkeypatch) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text: no text layer, and nothing for OCR to read
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert _one_line_error(path).endswith(": geen tekstlaag; OCR vond geen tekst")
    # Without Tesseract the page cannot be read at all (tests/test_ocr.py has the scans with words).
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", str(tmp_path / "no-tesseract"))
    assert _one_line_error(path).endswith(": geen tekstlaag; OCR niet beschikbaar")


def _encrypted_pdf(path: Path, text: str, user_password: str) -> Path:
    """A one-page PDF with ``text``, encrypted with an owner password and ``user_password``."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 6, text)
    pdf.set_encryption(owner_password="eigenaar", user_password=user_password)
    pdf.output(str(path))
    return path


def test_encryptedwrite_pdf(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "geheim.pdf", "Vertrouwelijk", user_password="geheim")
    assert _one_line_error(path).endswith("encrypted PDF (password required)")


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"not a zip file")
    assert "not a valid .docx file" in _one_line_error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert _one_line_error(tmp_path / "weg.txt").endswith("file not found")


def test_source_names_the_file_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"nonsense")
    with pytest.raises(ReadError, match=r"^documents/x\.pdf: not a valid PDF \("):
        read_document(path, source="documents/x.pdf")


def test_pdf_running_lines_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    pages = [["Regio Gooi en Vechtstreek", "", "Eerste alinea loopt door over de", "", "Pagina 1 van 2"],
             ["Regio Gooi en Vechtstreek", "", "pagina heen en eindigt hier.", "", "Pagina 2 van 2"]]
    raw = read_document(write_pdf(tmp_path / "brief.pdf", pages))
    assert raw.text == "Eerste alinea loopt door over de\npagina heen en eindigt hier."
    assert raw.page_at(raw.text.index("pagina heen")) == 2


def test_utf16_text_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Resumé van het overleg: € 30.000 voor dagbesteding.".encode("utf-16"))  # BOM + UTF-16
    assert read_document(path).text == "Resumé van het overleg: € 30.000 voor dagbesteding."


def test_a_zip_that_is_not_a_word_file(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "export.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "geen Word-document")
    line = _one_line_error(path)
    assert "export.docx" in line and "not a valid .docx file" in line and "\n" not in line


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path, monkeypatch) -> None:
    import regioassist.readers as readers

    path = tmp_path / "export.txt"
    with path.open("wb") as handle:  # a sparse 3 MB file: nothing to read but its size
        handle.truncate(3 * 1024 * 1024)
    monkeypatch.setattr(readers, "MAX_FILE_MB", 2)
    monkeypatch.setattr(readers, "_read_all", lambda path: pytest.fail("the file was read"))
    assert _one_line_error(path).endswith("too large (3 MB; the limit is 2 MB)")


def test_an_encrypted_pdf_with_an_empty_user_password_opens(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "beveiligd.pdf", "Het PFHO stelt het voorstel vast.", user_password="")
    assert "Het PFHO stelt het voorstel vast." in read_document(path).text
