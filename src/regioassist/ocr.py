"""OCR: the text of PDF pages without a text layer (scans), read by Tesseract.

A page is rendered by pypdfium2 at ``DPI`` in greyscale and read by Tesseract with its
Dutch data (``nld``, Debian's ``tesseract-ocr-nld``) through pytesseract. A page with no
ink at all (a blank separator page) is not sent to Tesseract. OCR is slow, so it is
bounded: at most ``MAX_PAGES`` pages a file and ``PAGE_TIMEOUT_S`` seconds a page.

``readers.py`` calls :func:`read_pages` for the pages pypdf found no text on, and turns
:class:`OcrUnavailable` and :class:`OcrFailed` into a one-line ``ReadError``.

>>> # texts = read_pages(Path("scan.pdf").read_bytes(), [0, 1])  # page indexes from 0
"""

from __future__ import annotations

import math
import re
from typing import Sequence

DPI = 300  # Tesseract reads body text best at 300 dpi; an A4 page is then 2480 x 3508 pixels
LANGUAGE = "nld"
# An A4 page takes ~1-2 s on one core here: 200 pages are 3-7 minutes for one file.
MAX_PAGES = 200
PAGE_TIMEOUT_S = 60
# A larger page (an A0 map) is rendered at less than DPI: 40 M pixels is an A3 page at
# 300 dpi (17 M) twice over, and 40 MB of greyscale.
MAX_PIXELS = 40_000_000
INK = 250  # a page whose darkest pixel is lighter than this (of 255) is blank


class OcrUnavailable(Exception):
    """Tesseract is not installed, or lacks its Dutch language data."""


class OcrFailed(Exception):
    """A page could not be read by OCR; ``str()`` says why, in Dutch, on one line."""


def unavailable_reason() -> str | None:
    """Why OCR cannot run here, or None when Tesseract and its Dutch data are installed.

    Asked each time (one ``tesseract --list-langs``, ~10 ms): a file read before the
    language data was installed must not keep OCR off for the rest of the process.
    """
    import pytesseract

    try:
        languages = pytesseract.get_languages()
    except OSError:  # pytesseract.TesseractNotFoundError is one
        return "tesseract not installed"
    return None if LANGUAGE in languages else f"no '{LANGUAGE}' language data for tesseract"


def read_pages(data: bytes, pages: Sequence[int]) -> dict[int, str]:
    """The OCR text of the PDF ``data``'s pages (indexes from 0); "" for a blank page.

    Raises ``OcrUnavailable`` when a page with ink must be read and Tesseract cannot,
    ``OcrFailed`` when there are too many pages or a page takes too long.
    """
    import pypdfium2

    if len(pages) > MAX_PAGES:
        raise OcrFailed(f"{len(pages)} pagina's zonder tekstlaag; OCR leest er hoogstens {MAX_PAGES} per bestand")
    texts: dict[int, str] = {}
    checked = False
    document = pypdfium2.PdfDocument(data)
    try:
        for index in pages:
            image = _render(document[index])
            if image.getextrema()[0] >= INK:
                texts[index] = ""
                continue
            if not checked:
                if unavailable_reason():
                    raise OcrUnavailable()
                checked = True
            texts[index] = _tesseract(image, index + 1)
    finally:
        document.close()
    return texts


def _render(page):
    """The page as a greyscale PIL image at DPI, or less when that would exceed MAX_PIXELS."""
    width, height = page.get_size()  # in points, 72 to the inch
    scale = min(DPI / 72, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
    return page.render(scale=scale, grayscale=True).to_pil()


def _tesseract(image, page_number: int) -> str:
    import pytesseract

    try:
        text = pytesseract.image_to_string(image, lang=LANGUAGE, timeout=PAGE_TIMEOUT_S)
    except OSError:  # pytesseract.TesseractNotFoundError: gone since it was checked
        raise OcrUnavailable() from None
    except RuntimeError as error:  # pytesseract.TesseractError, and its timeout: a bare RuntimeError
        if not isinstance(error, pytesseract.TesseractError) and "timeout" in str(error).lower():
            raise OcrFailed(f"OCR van pagina {page_number} duurde langer dan {PAGE_TIMEOUT_S} s") from None
        raise OcrFailed(f"OCR van pagina {page_number} mislukte ({' '.join(str(error).split())})") from None
    return tidy(text)


def tidy(text: str) -> str:
    """Tesseract's text with its form feed and trailing spaces gone, at most one blank line in a row.

    >>> tidy("Huiskamer Weesp  \\n\\n\\n\\nHet budget is 45.000 euro.\\n\\f")
    'Huiskamer Weesp\\n\\nHet budget is 45.000 euro.'
    """
    lines = [line.rstrip() for line in text.replace("\f", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
