"""The text corpus as a user would receive it: rendered to PDF or Word.

The shipped documents are plain text extracted from PDFs. Users upload PDFs
and Word files, so the evaluation can also run on renderings of the same
documents: a PDF on A4 with a running header (the document title) and a
footer ("pagina N") on every page, text flowing so that paragraphs break
across pages; or a .docx whose headings (as the structure finder sees them)
carry Word heading styles. Each source line stays a line, so lists, tables
and header fields keep their shape.

``render_corpus(Path("documents"), Path("/tmp/rendered"), "pdf")`` writes
``/tmp/rendered/000_e69afd2dc3060162.pdf`` and one PDF for each other document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from regioassist.readers import read_document
from regioassist.structure import canonical_domain, parse_document

FORMATS = ("pdf", "docx")
SOURCE_SUFFIXES = (".txt", ".md")
# Where a Unicode TTF font is found (€, ë, é must render); the first that exists is used.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_MARKDOWN_HASHES = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class Line:
    """One line to render: its text and, for a heading, its level (1 is the top)."""

    text: str
    level: int = 0


def render_corpus(documents: Path, out: Path, fmt: str) -> list[Path]:
    """Render every .txt/.md file of ``documents`` to ``out/<stem>.<fmt>``; the written paths, sorted.

    ``render_corpus(Path("documents"), Path("/tmp/r"), "docx")[0].name`` is ``'000_e69afd2dc3060162.docx'``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    write = _write_pdf if fmt == "pdf" else _write_docx
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(p for p in Path(documents).iterdir() if p.suffix.lower() in SOURCE_SUFFIXES):
        title, lines = document_lines(path)
        target = out / f"{path.stem}.{fmt}"
        write(title, lines, target)
        written.append(target)
    return written


def document_lines(path: Path) -> tuple[str, list[Line]]:
    """The document's title and its lines, headings marked with a level.

    Blank runs become one blank line, and a heading gets one before it; the
    single leading space that marks a page in the extracted text, form feeds
    and markdown '#' marks are dropped.
    """
    doc = parse_document(read_document(path))
    levels = _heading_levels(doc)
    lines: list[Line] = []
    at = 0
    for raw_line in doc.text.replace("\f", "\n").split("\n"):
        offset, at = at, at + len(raw_line) + 1
        text = " ".join(raw_line.split()) if not re.search(r"\S {3,}\S", raw_line) else raw_line.strip()
        if not text:
            if lines and lines[-1].text:
                lines.append(Line(""))
            continue
        level = levels.get(offset, 0)
        if level and lines and lines[-1].text:
            lines.append(Line(""))  # a heading stands apart (in the extracted text a page break did that)
        lines.append(Line(_MARKDOWN_HASHES.sub("", text), level))
    return doc.title, lines


def _heading_levels(doc) -> dict[int, int]:
    """Offset of each heading line -> level: domain lines 1, agenda items below them, sub-headings deeper."""
    base = 2 if doc.domains else 1
    depth: dict[str | None, int] = {}
    levels: dict[int, int] = {}
    for section in doc.sections:
        if section.kind == "preamble":
            continue
        if section.kind == "agenda_item":
            level = base
        else:
            level = depth.get(section.parent, base - 1) + 1 if section.parent else 1
        depth[section.title] = level
        # The heading is the first text line of the section (the first section may start at 0).
        start = section.start + len(doc.text[section.start : section.end]) - len(
            doc.text[section.start : section.end].lstrip())
        levels[doc.text.rfind("\n", 0, start) + 1] = min(level, 6)
    at = 0
    for line in doc.text.split("\n"):
        text = " ".join(line.split())
        if text and canonical_domain(text) in doc.domains and (text.isupper() or text in doc.domains):
            levels[at] = 1
        at += len(line) + 1
    return levels


# --- PDF --------------------------------------------------------------------------------


def _font_dir() -> Path:
    for folder in FONT_DIRS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    raise RuntimeError(f"no Unicode font found: install DejaVu ({', '.join(FONT_FILES.values())})")


def _write_pdf(title: str, lines: list[Line], target: Path) -> None:
    try:
        from fpdf import FPDF
    except ImportError:
        raise RuntimeError("rendering PDFs needs fpdf2: pip install fpdf2") from None

    class RunningPdf(FPDF):
        def header(self) -> None:
            self.set_font("body", size=8)
            self.cell(0, 5, title, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("body", size=8)
            self.cell(0, 5, f"pagina {self.page_no()}", align="C")

    pdf = RunningPdf(format="A4")
    folder = _font_dir()
    for style, name in FONT_FILES.items():
        pdf.add_font("body", style=style, fname=str(folder / name))
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    height = 4.4  # mm per line at 9 pt: about 100 characters of DejaVu Sans fit in the 174 mm text width
    for line in lines:
        if not line.text:
            pdf.ln(height)
            continue
        if line.level and pdf.get_y() + 4 * height > pdf.page_break_trigger:
            pdf.add_page()  # keep a heading with the text below it
        pdf.set_font("body", style="B" if line.level else "", size=9)
        pdf.multi_cell(0, height, line.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(target))


# --- Word -------------------------------------------------------------------------------


def _write_docx(title: str, lines: list[Line], target: Path) -> None:
    """Headings with Word heading styles; each run of text lines one paragraph, lines kept by breaks."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    block: list[str] = []

    def flush() -> None:
        if block:
            paragraph = document.add_paragraph()
            for k, text in enumerate(block):
                run = paragraph.add_run(text)
                if k < len(block) - 1:
                    run.add_break()
            block.clear()

    for line in lines:
        if line.level:
            flush()
            document.add_heading(line.text, level=line.level)
        elif line.text:
            block.append(line.text)
        else:
            flush()
    flush()
    document.save(str(target))
