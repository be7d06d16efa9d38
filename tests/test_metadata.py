"""The header of minutes: names in 'Aanwezig' and 'Afwezig' as Person records, and the lines to quote.

The lists are cut from the real files, line breaks and all: the .txt header wraps names
("Gooise \\n\\nMeren", "Gerben van\\nVoorden") and lists portfolios with '&'.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regioassist.metadata import document_date, header_lines, people, person, persons, unlabelled_people
from regioassist.models import Person

pytestmark = pytest.mark.unit

DOCUMENTS = Path(__file__).parent.parent / "documents"
FIXTURES = Path(__file__).parent / "fixtures"


def _between(path: Path, start: str, end: str) -> str:
    """The raw text of a header field: after ``start``, up to the next ``end`` label."""
    text = path.read_text(encoding="utf-8")
    return re.search(rf"{start}(.*?)\n\s*{end}\b", text, re.S).group(1)


def test_present_in_the_february_2023_header() -> None:
    raw = _between(next(DOCUMENTS.glob("000_*.txt")), "Omschrijving Aanwezig", "Afwezig")
    assert "\n" in raw  # the list really runs over several lines
    assert persons(raw) == (
        Person("Joke Lanphen", "Blaricum"),
        Person("Flip de Groot", "Laren"),
        Person("Barbara Boudewijnse", "Gooise Meren", "Gezondheid en Ondersteuning, Werk & Participatie"),
        Person("Mirjam Havinga", "Eemnes"),
        Person("Gerben van Voorden", "Hilversum", "Gezondheid en Ondersteuning, Jeugd"),
        Person("Karin van Werven", "Huizen", "Gezondheid & Ondersteuning en Werk & Participatie"),
        Person("Fleur van der Kleij", "Huizen", "Jeugd"),
        Person("Maarten Hoelscher", "Wijdemeren"),
        Person("Karin van Hunnik", "Hilversum", "Onderwijs"),
        Person("Jelmer Kruijt", None, "Jeugd & Onderwijs"),
        Person("Bart Heller", None, "Werk & Participatie"),
    )


def test_absent_in_the_february_2023_header() -> None:
    raw = _between(next(DOCUMENTS.glob("000_*.txt")), "Afwezig", "Contactpersoon")
    assert persons(raw) == (Person("Roland Boom", "Huizen", "Onderwijs"),)


def test_march_2021_header_lists_present_without_label_and_municipality_last() -> None:
    path = next(DOCUMENTS.glob("001_*.txt"))
    lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()[:12]]
    # The start of the list is missing from the file; the broken-off "Onderwijs)" is dropped.
    assert [person(p) for p in unlabelled_people(lines)] == [
        Person("Rosalie van Rijn", None, "Jeugd & Gezondheid en Ondersteuning & Participatie en Werk"),
        Person("Carin Ogier", "Weesp", "Werk en Inkomen"),  # "(Werk en Inkomen, Weesp)"
    ]
    assert persons(_between(path, "Afwezig", "Contactpersoon")) == (Person("Maarten Hoelscher", "Huizen", "Jeugd"),)


def test_april_2023_fixture_breaks_a_name_over_two_lines() -> None:
    path = FIXTURES / "resume_pfho_2023-04-13.txt"
    present = _between(path, "Omschrijving Aanwezig", "Afwezig")
    assert "Gerben van \nVoorden" in present
    assert persons(present) == (
        Person("Joke Lanphen", "Blaricum"),
        Person("Mirjam Havinga", "Eemnes"),
        Person("Gerben van Voorden", "Hilversum", "Jeugd"),
        Person("Fleur van der Kleij", "Huizen", "Jeugd & Onderwijs"),
    )
    assert persons(_between(path, "Afwezig", "Contactpersoon")) == (
        Person("Flip de Groot", "Laren"), Person("Bart Heller", None, "Werk & Participatie"),
    )


@pytest.mark.parametrize(
    "entry, expected",
    [
        ("Bart Heller", Person("Bart Heller")),
        ("  Gerben van\n Voorden (Hilversum,\n\nJeugd) ", Person("Gerben van Voorden", "Hilversum", "Jeugd")),
        ("burgemeester C. Larson (voorzitter)", Person("burgemeester C. Larson", None, "voorzitter")),
        ("Anna de Vries (Wijk bij Duurstede, Financiën)", Person("Anna de Vries", "Wijk bij Duurstede", "Financiën")),
        ("Piet Smit (Sociaal Domein)", Person("Piet Smit", None, "Sociaal Domein")),  # a portfolio, not a place
    ],
)
def test_person(entry: str, expected: Person) -> None:
    assert person(entry) == expected


def test_lists_split_on_commas_en_and_ampersand_outside_brackets() -> None:
    value = "Jan Jansen (Laren, Werk & Inkomen) & Piet Pietersen, Anna de Vries (Huizen) en Lotte Bakker"
    assert [p.name for p in persons(value)] == ["Jan Jansen", "Piet Pietersen", "Anna de Vries", "Lotte Bakker"]
    assert persons(value)[0].portfolio == "Werk & Inkomen"
    assert people("geen") == () and persons(None) == ()


def test_label_shows_the_entry_as_minutes_write_it() -> None:
    assert Person("Fleur van der Kleij", "Huizen", "Jeugd").label == "Fleur van der Kleij (Huizen, Jeugd)"
    assert Person("Bart Heller").label == "Bart Heller"


def test_header_lines_keep_the_label_and_collapse_line_breaks() -> None:
    header = "Omschrijving Aanwezig Joke Lanphen (Blaricum), Barbara Boudewijnse (Gooise \n\nMeren)\n\n" \
             "Afwezig Roland Boom (Huizen, Onderwijs)\n\nE-mail m.stitzinger@regiogv.nl"
    assert header_lines(header) == {
        "aanwezig": "Aanwezig Joke Lanphen (Blaricum), Barbara Boudewijnse (Gooise Meren)",
        "afwezig": "Afwezig Roland Boom (Huizen, Onderwijs)",
        "email": "E-mail m.stitzinger@regiogv.nl",
    }


def test_a_note_is_not_dated_by_the_law_its_first_lines_refer_to() -> None:
    note = Path(__file__).parent.parent / "eval" / "corpus2" / "documents" / "notitie_schuldhulpverlening.md"
    lines = [line.strip() for line in note.read_text(encoding="utf-8").splitlines()]
    assert "Sinds 1 januari 2021" in " ".join(lines[:8])  # the date a guess would take
    assert document_date("\n".join(lines), {}, lines) is None
    # A dateline in the first lines still dates the document.
    assert str(document_date("", {}, ["Hilversum, 12 maart 2024", "Geachte raad,"])) == "2024-03-12"
