"""Source cards: title, highlighted passage, file link."""

import pytest

from regioassist.config import REPO_ROOT
from regioassist.models import Citation
from regioassist.ui.cards import card_body, card_title, file_url, highlight

pytestmark = pytest.mark.unit


def citation(**overrides) -> Citation:
    values = dict(
        n=2, source="documents/001_462b1aa507025d3f.txt", title="Resumé PFHO sociaal domein", doc_type="resumé",
        date="2021-03-18", domain="Jeugd en Onderwijs", agenda_item="Verblijf", page=None,
        quote="Het PFHO stelt het voorstel vast.", score=0.9,
        passage="Er is gesproken over verblijf.\n\nHet PFHO  stelt het\nvoorstel vast. Daarna <script>x</script>.",
    )
    values.update(overrides)
    return Citation(**values)


def test_title_names_date_domain_and_agenda_item():
    assert card_title(citation()) == "[2] 18 maart 2021 · Jeugd en Onderwijs · agendapunt Verblijf"
    # A programme without a date is named by its title; its heading is a part, not an agenda item.
    programme = citation(date=None, domain=None, doc_type="programma", title="Programma 2022", page=4)
    assert card_title(programme) == "[2] Programma 2022 · onderdeel Verblijf · p. 4"
    # A mededeling with a heading of its own is named as one, in the title and in the body.
    mededeling = citation(agenda_item="KPMG-onderzoek", domain="Sociaal Domein", group="Mededelingen")
    assert card_title(mededeling) == "[2] 18 maart 2021 · Sociaal Domein · Mededelingen KPMG-onderzoek"
    assert "Mededelingen: <b>KPMG-onderzoek</b>" in card_body(mededeling)


def test_highlight_marks_the_quote_inside_its_passage_and_escapes_html():
    c = citation()
    marked = highlight(c.passage, c.quote)
    # Line breaks inside the sentence do not stop it from being found.
    assert "<mark>Het PFHO stelt het voorstel vast.</mark>" in marked
    assert marked.startswith("Er is gesproken over verblijf.<br><br>")
    assert "&lt;script&gt;" in marked and "<script>" not in marked


def test_highlight_marks_each_sentence_of_a_quote_from_two_places():
    passage = "Eerste zin hier. Tussenzin zonder belang. Laatste zin daar."
    marked = highlight(passage, "Eerste zin hier. Laatste zin daar.")
    assert marked == "<mark>Eerste zin hier.</mark> Tussenzin zonder belang. <mark>Laatste zin daar.</mark>"


def test_file_url_serves_the_indexed_file_and_opens_a_pdf_at_its_page():
    assert file_url("documents/001.txt", 3) == f"/gradio_api/file={REPO_ROOT}/documents/001.txt"
    assert file_url("/data/Resumé 2023.pdf", 3) == "/gradio_api/file=/data/Resum%C3%A9%202023.pdf#page=3"


def test_body_has_the_place_the_marked_passage_and_the_link():
    body = card_body(citation(source="/data/r.pdf", page=5))
    assert "Agendapunt: <b>Verblijf</b>" in body and "18 maart 2021" in body and "Pagina 5" in body
    assert "<mark>Het PFHO stelt het voorstel vast.</mark>" in body
    assert 'href="/gradio_api/file=/data/r.pdf#page=5"' in body and "Open het document op pagina 5" in body


def test_a_passage_read_by_ocr_and_a_document_not_in_dutch_say_so():
    scanned = citation(source="/data/scan.pdf", page=2, ocr=True)
    assert card_title(scanned) == "[2] 18 maart 2021 · Jeugd en Onderwijs · agendapunt Verblijf · p. 2 · tekst via OCR"
    assert "tekst via OCR (uit een scan gelezen" in card_body(scanned)
    english = citation(language="en")
    assert card_title(english).endswith(" · taal: en") and " · taal: en" in card_body(english)
    # Dutch, and a language that could not be told, go unmentioned; so does a text layer.
    for plain in (citation(), citation(language="und")):
        assert "taal" not in card_title(plain) + card_body(plain) and "OCR" not in card_body(plain)
