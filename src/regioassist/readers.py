"""Reading documents: a file on disk becomes a ``RawDocument`` (text, pages, hash).

Supported: ``.txt`` and ``.md`` (UTF-8, else Windows-1252), ``.pdf`` (pypdf) and
``.docx`` (python-docx). A PDF page without a text layer (a scan) is read by OCR
(``ocr.py``, Tesseract) and listed in ``RawDocument.ocr_pages``. Anything that
cannot be read raises ``ReadError`` whose message is one line naming the file and
the reason.

Page breaks are kept as ``page_starts`` (character offsets). Plain text that was
extracted from a PDF shows its page breaks as a form feed, or, in the shipped
documents, as a first line that starts with exactly one space:

>>> _space_page_starts(" RESUMÉ\\nOverleg\\n Rondvraag\\nGeen\\n")
(0, 16)

``read_document(Path("documents/000_e69afd2dc3060162.txt"))`` gives the text with its page
starts: ``raw.page_at(raw.text.index("Rondvraag"))`` is 2.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from regioassist.models import RawDocument


class ReadError(Exception):
    """A file that cannot be read; ``str()`` is one line: ``"<file>: <why>"``."""


def _error(name: str, reason: object) -> ReadError:
    """A ``ReadError`` on one line, whatever the library's message looked like."""
    return ReadError(f"{name}: {' '.join(str(reason).split())}")


# A line that begins with exactly one space and then text: a new page in our
# PDF-to-text extractions (" Rondvraag", " wel reden om ...").
_SPACE_PAGE_LINE = re.compile(r"^ (?=\S)", re.MULTILINE)
# Text lines that begin a page are few; above this share, the file is simply
# indented and the single space means nothing.
_MAX_PAGE_LINE_SHARE = 0.2


def read_document(path: Path, source: str | None = None) -> RawDocument:
    """Read ``path`` into a ``RawDocument``; ``source`` names it (default: the path).

    A file of another type raises ``ReadError("report.xlsx: unsupported file type .xlsx")``.
    """
    path = Path(path)
    name = source or str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise _error(name, f"unsupported file type {path.suffix.lower() or '(no extension)'}")
    data = _read_bytes(path, name)
    text, page_starts, ocr_pages = reader(data, name)
    if not text.strip():
        raise _error(name, "empty document (no text)")
    return RawDocument(
        source=name,
        text=text,
        page_starts=page_starts,
        content_hash=hashlib.sha256(data).hexdigest(),
        ocr_pages=ocr_pages,
    )


class _Extracted(NamedTuple):
    """What a format's reader returns: the text, where its pages start, the pages read by OCR."""

    text: str
    page_starts: tuple[int, ...]
    ocr_pages: tuple[int, ...] = ()


# The largest file read, checked from the file system before a byte is read: a 2 GB export must
# not be pulled into memory to find out it is too big. The shipped documents are 20-60 kB.
MAX_FILE_MB = 100


def _read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes, read once; refused when too large, gone, or changed while it was read.

    A file another program is still writing (a copy in progress, a sync client) would be
    indexed half; its size and modification time before and after the read must agree.
    """
    try:
        before = path.stat()
    except FileNotFoundError:
        raise _error(name, "file not found") from None
    except OSError as error:
        raise _error(name, f"cannot read file ({error.strerror or error})") from None
    if before.st_size > MAX_FILE_MB * 1024 * 1024:
        raise _error(name, f"too large ({before.st_size / 1024 / 1024:.0f} MB; the limit is {MAX_FILE_MB} MB)")
    try:
        data = _read_all(path)
        after = path.stat()
    except FileNotFoundError:
        raise _error(name, "disappeared while being read; not indexed") from None
    except IsADirectoryError:
        raise _error(name, "is a directory, not a file") from None
    except OSError as error:
        raise _error(name, f"cannot read file ({error.strerror or error})") from None
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != after.st_size:
        raise _error(name, "changed while being read; not indexed, try again when it is complete")
    return data


def _read_all(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read()


# --- plain text ---------------------------------------------------------------


def _read_text(data: bytes, name: str) -> _Extracted:
    text = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _Extracted(text, _text_page_starts(text))


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM stripped), UTF-16 when it says so, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _error(name, "not valid UTF-16 text") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _error(name, "not valid UTF-8 or Windows-1252 text") from None
    if "\x00" in text:
        raise _error(name, "binary content, not text")
    return text


def _text_page_starts(text: str) -> tuple[int, ...]:
    """Page starts from form feeds, or else from the one-space-line pattern."""
    feeds = _form_feed_page_starts(text)
    if feeds:
        return feeds
    return _space_page_starts(text)


def _form_feed_page_starts(text: str) -> tuple[int, ...]:
    """A form feed ends a page; the next page starts after it (and its newline)."""
    if "\f" not in text:
        return ()
    starts = [0]
    for match in re.finditer(r"\f\n?", text):
        if match.end() < len(text):
            starts.append(match.end())
    return tuple(starts)


def _space_page_starts(text: str) -> tuple[int, ...]:
    """Offsets of lines that start with exactly one space, if the file shows that pattern.

    The pattern counts only when the first line has it and such lines are a
    small share of all text lines (a page has many lines, one first line).
    """
    if not _SPACE_PAGE_LINE.match(text):
        return ()
    starts = tuple(m.start() for m in _SPACE_PAGE_LINE.finditer(text))
    text_lines = sum(1 for line in text.split("\n") if line.strip())
    if len(starts) > max(2, _MAX_PAGE_LINE_SHARE * text_lines):
        return ()
    return starts


# --- PDF ----------------------------------------------------------------------


def _read_pdf(data: bytes, name: str) -> _Extracted:
    """The text layer of each page; a page without one is read by OCR (all of a scan, one page of a mixed file)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [_page_text(page) for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AssertionError) as error:
        # pypdf reports damage as its own errors and, deeper down, as plain Python ones.
        raise _error(name, f"not a valid PDF ({_first_line(error)})") from None
    if locked:
        raise _error(name, "encrypted PDF (password required)")
    if not pages:
        raise _error(name, "PDF has no pages")
    scanned = [i for i, page in enumerate(pages) if not page.strip()]
    if scanned:
        for i, text in _ocr(data, name, scanned, len(pages)).items():
            pages[i] = text
    if not any(page.strip() for page in pages):
        raise _error(name, "geen tekstlaag; OCR vond geen tekst")
    ocr_pages = tuple(i + 1 for i in scanned if pages[i].strip())
    return _Extracted(*_join_pages(drop_running_lines(pages)), ocr_pages=ocr_pages)


def _ocr(data: bytes, name: str, scanned: list[int], page_count: int) -> dict[int, str]:
    """OCR text of the ``scanned`` pages (indexes from 0), or the one-line reason it cannot be had."""
    from pypdfium2 import PdfiumError

    from regioassist import ocr

    try:
        return ocr.read_pages(data, scanned)
    except ocr.OcrUnavailable:
        where = "" if len(scanned) == page_count else " op pagina " + _page_list(scanned)
        raise _error(name, f"geen tekstlaag{where}; OCR niet beschikbaar") from None
    except ocr.OcrFailed as error:
        raise _error(name, f"geen tekstlaag; {error}") from None
    except PdfiumError as error:  # pypdf could open the file, the renderer cannot
        raise _error(name, f"not a valid PDF ({_first_line(error)})") from None


def _page_list(indexes: list[int], shown: int = 5) -> str:
    """Page numbers to name in a message: [1, 4] -> '2, 5'; more than ``shown`` end in 'en N meer'.

    >>> _page_list([0, 1, 2, 3, 4, 5, 6])
    '1, 2, 3, 4, 5 en 2 meer'
    """
    named = ", ".join(str(i + 1) for i in indexes[:shown])
    return named + (f" en {len(indexes) - shown} meer" if len(indexes) > shown else "")


def _page_text(page) -> str:
    """A page's text in layout mode, else plain mode.

    Layout mode keeps the blank lines between paragraphs that headings are
    recognised by; plain mode drops them.
    """
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is the newer code path in pypdf; plain is the fallback
        text = page.extract_text() or ""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


# A line that is only a page number: "3", "- 3 -", "pagina 3", "Pagina 3 van 7", "blz. 3".
_PAGE_NUMBER = re.compile(r"^(?:(?:pagina|page|blz\.?)\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:van|of|/)\s*\d{1,4})?$", re.I)
_EDGE_LINES = 3  # a running header or footer sits in the first or last three text lines of a page
# Words a sentence does not end on: a line ending in one runs on ("... in de" / "regio").
_RUN_ON_WORDS = {"de", "het", "een", "en", "of", "van", "in", "op", "te", "met", "voor", "om", "aan", "bij", "door"}


def drop_running_lines(pages: list[str]) -> list[str]:
    """Remove page headers and footers: a line at the top or bottom of most pages, or a page number.

    Lines are compared with digits ignored, so "pagina 2" and "pagina 3" are one footer.

    >>> drop_running_lines(["Regio GV\\nEerste tekst.\\npagina 1", "Regio GV\\nTweede tekst.\\npagina 2"])
    ['Eerste tekst.', 'Tweede tekst.']
    """
    split = [page.split("\n") for page in pages]
    edges = [_edge_lines(lines) for lines in split]
    counts: dict[str, int] = {}
    for page_edges in edges:
        for key in {_running_key(lines_text) for _, lines_text in page_edges}:
            counts[key] = counts.get(key, 0) + 1
    # On at least two pages and on half of them: 3 of 6 pages is a running line, 2 of 6 is not.
    running = {key for key, n in counts.items() if n >= 2 and 2 * n >= len(pages)}
    out = []
    for lines, page_edges in zip(split, edges, strict=True):
        drop = {i for i, text in page_edges if _running_key(text) in running or _PAGE_NUMBER.match(text)}
        kept = [line for i, line in enumerate(lines) if i not in drop]
        out.append(re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n"))
    return out


def _edge_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(index, text) of the first and last few text lines of a page."""
    texts = [(i, " ".join(line.split())) for i, line in enumerate(lines) if line.strip()]
    return texts[:_EDGE_LINES] + texts[_EDGE_LINES:][-_EDGE_LINES:]


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join page texts; ``starts[i]`` is where page i + 1 begins.

    Pages are joined with a blank line, unless a paragraph runs over the page
    break: then a single line break, so the paragraph stays one.
    """
    starts, text = [], ""
    for page in pages:
        page = page.replace("\r\n", "\n").strip("\n")
        if text:
            text += "\n" if _runs_on(text, page) else "\n\n"
        starts.append(len(text))
        text += page
    return text, tuple(starts)


def _runs_on(before: str, after: str) -> bool:
    """Does the paragraph at the end of ``before`` go on at the start of ``after``?"""
    last = before.rsplit("\n", 1)[-1].strip()
    first = after.lstrip()
    if not last or not first or last[-1] in ".!?:;":
        return False
    return first[0].islower() or last[-1] in ",-–" or last.split()[-1].lower() in _RUN_ON_WORDS


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


# --- Word (.docx) -------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> _Extracted:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise _error(name, f"not a valid .docx file ({_first_line(error)})") from None
    return _Extracted(*_join_blocks(_docx_blocks(document)))


def _docx_blocks(document) -> list[tuple[str, bool]]:
    """(text, page break before) for each paragraph and table, in document order.

    A paragraph in a Word heading style is written as a markdown heading
    ("Heading 2" -> "## Wmo-vervoer"), so the structure finder trusts it. A
    paragraph in a list style gets its marker ("- ", or "1. " counted on). A
    table is one block, a line per row, cells separated by ' | '.
    """
    from docx.table import Table

    blocks: list[tuple[str, bool]] = []
    pending_break = False
    numbered = 0  # items of the current numbered list so far
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = (" | ".join(_dedupe([" ".join(c.text.split()) for c in row.cells])) for row in item.rows)
            blocks.append(("\n".join(r for r in rows if r), pending_break))
            pending_break = False
            continue
        breaks_before = _has(item, "./w:pPr/w:pageBreakBefore|.//w:lastRenderedPageBreak")
        style = item.style.name if item.style is not None else ""
        numbered = numbered + 1 if style.startswith("List Number") else 0
        blocks.append((_marked(item.text.strip(), style, numbered), pending_break or breaks_before))
        # A hard page break inside a paragraph starts the page after it.
        pending_break = _has(item, './/w:br[@w:type="page"]')
    return blocks


_HEADING_STYLE = re.compile(r"^Heading ([1-6])$")


def _marked(text: str, style: str, number: int) -> str:
    """``text`` with the mark its Word style stands for: '## ' for Heading 2, '- ' or '3. ' in a list."""
    if not text:
        return text
    heading = _HEADING_STYLE.match(style)
    if heading:
        return "#" * int(heading[1]) + " " + " ".join(text.split())
    if style.startswith("List Bullet"):
        return "- " + text
    if style.startswith("List Number"):
        return f"{number}. {text}"
    return text


def _has(paragraph, query: str) -> bool:
    return bool(paragraph._p.xpath(query))


def _dedupe(cells: list[str]) -> list[str]:
    """Merged cells repeat their text in python-docx; keep each once."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _join_blocks(blocks: list[tuple[str, bool]]) -> tuple[str, tuple[int, ...]]:
    """Blocks separated by a blank line (as paragraphs are); page starts where breaks were."""
    parts: list[str] = []
    starts, offset, page_break = [0], 0, False
    for block, breaks_before in blocks:
        page_break = page_break or breaks_before
        if not block:
            continue  # an empty paragraph (often the one holding the page break)
        if page_break and parts:
            starts.append(offset)
        page_break = False
        parts.append(block)
        offset += len(block) + 2  # the "\n\n" joiner
    return "\n\n".join(parts), tuple(starts) if len(starts) > 1 else ()


_READERS: dict[str, Callable[[bytes, str], _Extracted]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
