"""The shipped documents rendered to PDF and Word read back with the same structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regioassist.evaluation.renderings import render_corpus
from regioassist.models import ParsedDocument
from regioassist.readers import read_document
from regioassist.structure import parse_document

pytestmark = pytest.mark.unit
pytest.importorskip("fpdf")

_FOOTER = re.compile(r"^pagina \d+$")


def _outline(doc: ParsedDocument) -> list[tuple[str, str, str | None, str | None]]:
    return [(s.kind, s.title, s.parent, s.domain) for s in doc.sections]


@pytest.fixture(scope="module")
def originals(seed_dir: Path) -> dict[str, ParsedDocument]:
    return {p.stem: parse_document(read_document(p)) for p in sorted(seed_dir.glob("*.txt"))}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_renderings_keep_structure_and_dates(fmt: str, seed_dir: Path, originals, tmp_path: Path) -> None:
    written = render_corpus(seed_dir, tmp_path, fmt)
    assert [p.name for p in written] == [f"{stem}.{fmt}" for stem in originals]
    for path in written:
        original, rendered = originals[path.stem], parse_document(read_document(path))
        assert _outline(rendered) == _outline(original), path.name
        assert (rendered.date, rendered.doc_type, rendered.title) == (original.date, original.doc_type, original.title)
        assert [d.status for d in rendered.decisions] == [d.status for d in original.decisions], path.name
        if fmt == "pdf":
            assert len(rendered.page_starts) >= 2  # the text flows over several pages
            for section in rendered.sections:
                for line in section.text.split("\n"):
                    line = " ".join(line.split())
                    assert not _FOOTER.match(line), (path.name, section.title)
                    # the running header (the title) only where the document itself has that line
                    assert line != rendered.title or line in original.text, (path.name, section.title)


def test_a_paragraph_runs_on_over_the_page_break(seed_dir: Path, tmp_path: Path) -> None:
    [path] = [p for p in render_corpus(seed_dir, tmp_path, "pdf") if p.stem.startswith("000")]
    raw = read_document(path)
    joined = [start for start in raw.page_starts[1:] if raw.text[start - 2 : start] != "\n\n"]
    assert joined  # at least one page starts inside a paragraph: one line break, no blank line
    assert all(raw.text[start - 1] == "\n" for start in joined)


def test_unknown_format_is_refused(seed_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        render_corpus(seed_dir, tmp_path, "odt")
