"""Finding structure: types, titles, dates, meetings, sections and decisions.

The five shipped documents are checked by name; the fixtures are documents of
other shapes (numbered minutes, a college besluitenlijst, a new resumé of the
same overleg, markdown), so the parser is held to the general shape.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regioassist.chunking import chunk_document
from regioassist.decisions import decision_status, find_decisions
from regioassist.metadata import parse_date
from regioassist.models import DecisionStatus, DocType, Mention, ParsedDocument, Person, RawDocument, Section
from regioassist.readers import read_document
from regioassist.structure import canonical_domain, parse_document
from pdf_fixtures import write_pdf

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = {
    "000": "000_e69afd2dc3060162.txt",
    "001": "001_462b1aa507025d3f.txt",
    "002": "002_6920f39aae3c4dc5.txt",
    "003": "003_f3e1265c8a46a942.txt",
    "004": "004_30a58b803870b6ab.txt",
}


@pytest.fixture(scope="module")
def seeds(seed_dir: Path) -> dict[str, ParsedDocument]:
    return {key: parse_document(read_document(seed_dir / name)) for key, name in SEEDS.items()}


def _parse(name: str) -> ParsedDocument:
    return parse_document(read_document(FIXTURES / name))


def _items(doc: ParsedDocument, domain: str | None = None) -> list[str]:
    return [s.title for s in doc.agenda_items if domain is None or s.domain == domain]


def _section(doc: ParsedDocument, title: str, domain: str | None = None) -> Section:
    return next(s for s in doc.sections if s.title == title and (domain is None or s.domain == domain))


def _decisions(section: Section) -> list[tuple[DecisionStatus, str]]:
    return [(d.status, d.text) for d in section.decisions]


# --- invariants, on every document ------------------------------------------------------

ALL_FIXTURES = sorted(p.name for p in FIXTURES.iterdir())


def _check_invariants(doc: ParsedDocument) -> None:
    sections = doc.sections
    assert sections, doc.source
    assert sections[0].start == 0 and sections[-1].end == len(doc.text)
    for before, after in zip(sections, sections[1:], strict=False):
        assert before.end == after.start, (before.title, after.title)  # no overlap, no gap
    for s in sections:
        assert s.start < s.end
        if s.text:
            assert s.text in doc.text[s.start : s.end]  # the body is quoted from the document
        if doc.page_starts:
            assert s.page is not None
        for d in s.decisions:
            assert s.start <= d.start < d.end <= s.end
            assert d.text == " ".join(doc.text[d.start : d.end].split())


def test_invariants_hold_for_every_seed_document(seeds: dict[str, ParsedDocument]) -> None:
    for doc in seeds.values():
        _check_invariants(doc)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_invariants_hold_for_every_fixture(name: str) -> None:
    _check_invariants(_parse(name))


# --- 000: resumé 23 februari 2023 ---------------------------------------------------------


def test_000_metadata(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["000"]
    assert doc.doc_type is DocType.RESUME
    assert doc.date == dt.date(2023, 2, 23)  # the meeting line, not the "24 februari 2023" below it
    assert doc.title == "Resumé Overleg portefeuillehouders sociaal domein 23 februari 2023"
    assert doc.meeting == "Overleg portefeuillehouders sociaal domein"
    assert doc.kenmerk == "23.0001000"
    assert doc.contact == "Marielle Stitzinger"
    assert doc.domains == ("Gezondheid en Ondersteuning", "Jeugd en Onderwijs", "Werk en Participatie")
    assert doc.email == "m.stitzinger@regiogv.nl"
    assert len(doc.present) == 11
    assert doc.present[0] == Person("Joke Lanphen", "Blaricum")
    assert Person("Barbara Boudewijnse", "Gooise Meren", "Gezondheid en Ondersteuning, Werk & Participatie") in doc.present
    assert doc.absent == (Person("Roland Boom", "Huizen", "Onderwijs"),)
    lines = dict(doc.header_lines)
    assert lines["meeting"] == "Overleg portefeuillehouders sociaal domein 23 februari 2023"
    assert lines["afwezig"] == "Afwezig Roland Boom (Huizen, Onderwijs)"
    assert lines["aanwezig"].startswith("Aanwezig Joke Lanphen (Blaricum), Flip de Groot (Laren), Barbara Boudewijnse "
                                        "(Gooise Meren, Gezondheid")  # "(Gooise \n\nMeren" in the file
    flat = " ".join(doc.text.split())
    assert all(line in flat for line in lines.values())  # quotable: each stands in the text
    # The body records two more absences, in one domain's part of the meeting.
    assert doc.absences == (Mention("Joke Lanphen en Maarten Hoelscher zijn afwezig.", "Werk en Participatie",
                                    "Agenda en mededelingen"),)


def test_000_agenda_items(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["000"]
    assert _items(doc, "Gezondheid en Ondersteuning") == [
        "Agenda en mededelingen", "Resumé van 15 december 2022", "Terugkoppeling uit de bestuurlijke overleggen",
        "Toekomstbestendige huishoudelijke hulp", "Rondvraag", "Conformstukken",
        "Aanpak borging continuïteit dagbesteding", "Relatie met aanbieders",
        "Inzet gemeentelijke capaciteit ten behoeve van het Integraal Zorgakkoord",
    ]
    assert _items(doc, "Jeugd en Onderwijs") == [
        "Agenda en mededelingen", "Resumé van 15 december 2022", "Verlengen en uitbreiden gezinsgerichte groep",
        "Jeugdhulp met verblijf", "Ontwikkelingen in de jeugdbescherming", "Governance BORN",
        "Inkoop poortwachtersfunctie ernstige dyslexie", "Rondvraag", "Conformstuk",
    ]
    assert _items(doc, "Werk en Participatie") == [
        "Agenda en mededelingen", "Resumé van 16 december 2022", "Banenafspraak", "BaanTalent",
        "Voortgang WEB (Wet Educatie Beroepsonderwijs)", "Update business case werkgeversdienstverlening",
        "Rondvraag",
    ]


def test_000_sub_headings_and_sub_domain(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["000"]
    mededelingen = [s for s in doc.sections if s.title == "Mededelingen"]
    assert [(s.kind, s.parent, s.domain) for s in mededelingen] == [
        ("section", "Agenda en mededelingen", "Gezondheid en Ondersteuning"),
        ("section", "Agenda en mededelingen", "Werk en Participatie"),
    ]
    # "Sociaal domein algemeen" groups three items; it is not a domain of its own.
    assert _section(doc, "Aanpak borging continuïteit dagbesteding").parent == "Sociaal domein algemeen"
    assert "Sociaal Domein" not in doc.domains


def test_000_page_artefacts_are_not_headings(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["000"]
    titles = {s.title for s in doc.sections}
    for artefact in ("Geen", "de", "inrichting van de poortwachtersfunctie", "http://www.baantalentgv.nl/",
                     "De conformstukken worden vastgesteld", "Het conformstuk wordt vastgesteld"):
        assert artefact not in titles
    assert not any(t.startswith(("Voorstel 1", "o Het vinden", "wel reden")) for t in titles)
    dyslexie = _section(doc, "Inkoop poortwachtersfunctie ernstige dyslexie")
    assert "wel reden om zicht te houden" in dyslexie.text  # the page break inside stays in the item
    assert dyslexie.page == 3
    assert _section(doc, "Rondvraag", "Gezondheid en Ondersteuning").page == 2
    assert _section(doc, "Update business case werkgeversdienstverlening").page == 6


def test_000_decisions(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["000"]
    V = DecisionStatus.VASTGESTELD
    assert _decisions(_section(doc, "Aanpak borging continuïteit dagbesteding")) == [
        (V, "Het PFHO stelt voorstel 1 en 2 vast.")
    ]
    assert _decisions(_section(doc, "Jeugdhulp met verblijf")) == [
        (V, "Het portefeuillehoudersoverleg stelt het voorstel vast.")
    ]
    assert _decisions(_section(doc, "Verlengen en uitbreiden gezinsgerichte groep")) == [
        (V, "Het PFHO ondersteunt de voorgestelde richting en stelt het voorstel vast.")
    ]
    # The stuurgroep's earlier decision and the November meeting are not this meeting's decisions.
    assert _decisions(_section(doc, "Governance BORN")) == [(V, "Het portefeuillehoudersoverleg stelt het voorstel vast.")]
    assert _decisions(_section(doc, "Inkoop poortwachtersfunctie ernstige dyslexie")) == [
        (V, "Het portefeuillehoudersoverleg stelt het voorstel vast met deze aanpassing van de financiële paragraaf.")
    ]
    assert _decisions(_section(doc, "Banenafspraak")) == [
        (DecisionStatus.DOORGESCHOVEN, "Dit agendapunt wordt doorgeschoven naar het overleg van april vanwege tijdgebrek.")
    ]
    [update] = _section(doc, "Update business case werkgeversdienstverlening").decisions
    assert update.status is DecisionStatus.KENNISGENOMEN
    assert update.text.startswith("Het portefeuillehoudersoverleg neemt kennis van de update")
    assert _decisions(_section(doc, "BaanTalent")) == [
        (DecisionStatus.AFGESPROKEN, "Afgesproken wordt om ook een raadsinformatiebrief te sturen.")
    ]
    assert _decisions(_section(doc, "Rondvraag", "Jeugd en Onderwijs"))[0][0] is DecisionStatus.AFGESPROKEN
    assert _decisions(_section(doc, "Conformstukken")) == [(V, "De conformstukken worden vastgesteld")]
    assert _section(doc, "Relatie met aanbieders").decisions == ()
    # Offsets point at the sentence in the document.
    decision = _section(doc, "Aanpak borging continuïteit dagbesteding").decisions[0]
    assert doc.text[decision.start : decision.end] == "Het PFHO stelt voorstel 1 en 2 vast."


# --- 001: resumé 18 maart 2021 ----------------------------------------------------------------


def test_001_metadata(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["001"]
    assert doc.doc_type is DocType.RESUME
    assert doc.date == dt.date(2021, 3, 18)
    assert doc.meeting == "Overleg portefeuillehouders sociaal domein"
    assert doc.kenmerk == "20.0004389"
    assert doc.contact == "Saloua Chaara"
    assert doc.absent == (Person("Maarten Hoelscher", "Huizen", "Jeugd"),)
    # The page with the start of the list is missing; what is left is read, the fragment dropped.
    assert doc.present == (
        Person("Rosalie van Rijn", None, "Jeugd & Gezondheid en Ondersteuning & Participatie en Werk"),
        Person("Carin Ogier", "Weesp", "Werk en Inkomen"),
    )
    # The unlabelled list is quoted as it stands, broken-off start and all.
    assert dict(doc.header_lines)["aanwezig"].startswith("Onderwijs), Rosalie van Rijn (Jeugd")
    assert doc.absences == ()
    assert doc.domains == ("Sociaal Domein", "Werk en Inkomen", "Gezondheid en Ondersteuning", "Jeugd en Onderwijs")


def test_001_agenda_items_and_sub_headings(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["001"]
    items = _items(doc)
    for title in ("Stand zaken inkoop", "Stand zaken WEB", "Stand zaken Tomingroep", "Beleidsplan B&O",
                  "Verblijf", "Dagbehandeling", "Rondvraag", "Agenda, mededelingen, conformstukken"):
        assert title in items
    assert _items(doc, "Jeugd en Onderwijs") == [
        "Mededelingen en vaststellen agenda, resumé en conformstukken", "Verblijf", "Dagbehandeling", "Rondvraag",
    ]
    # The mixed-case domain line "Gezondheid en Ondersteuning" opens a domain too.
    assert _section(doc, "Beleidsplan B&O").domain == "Gezondheid en Ondersteuning"
    expected_parents = {
        # The mededelingen each have a heading of their own, under the "Mededelingen" sub-heading.
        "Carin Ogier": "Mededelingen",
        "KPMG-onderzoek": "Mededelingen",
        "Onderzoek Follow the Money": "Mededelingen",
        "Nationaal Programma Onderwijs": "Mededelingen",
        "Betrekken Raden Uitvoeringsplan Jeugd": "Mededelingen",
        "Voortgang inkoop": "Stand zaken inkoop",
        "Evaluatie inkoop": "Stand zaken inkoop",
        "Inhoud beleidsplan": "Beleidsplan B&O",
        "Raadvoorstel": "Beleidsplan B&O",
        "Proces": "Beleidsplan B&O",
    }
    for title, parent in expected_parents.items():
        section = _section(doc, title)
        assert (section.kind, section.parent) == ("section", parent), title
    # "Resumé" after "Mededelingen: Er zijn geen mededelingen." is the meeting's own business, no mededeling.
    assert {s.parent for s in doc.sections if s.title == "Resumé" and s.kind == "section"} == {
        "Agenda, mededelingen, conformstukken"
    }
    titles = {s.title for s in doc.sections}
    assert not any(t[0].isdigit() for t in titles)  # "1. Onderschrijven ..." is a list item


def test_001_decisions(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["001"]
    verblijf = _section(doc, "Verblijf")
    statuses = [d.status for d in verblijf.decisions]
    assert statuses == [DecisionStatus.AFGESPROKEN, DecisionStatus.KENNISGENOMEN]
    agreed, noted = verblijf.decisions
    assert agreed.text.startswith("Afgesproken is: 1. De contracten voort te zetten zoals ze zijn.")
    assert "3. Op basis van punt 2" in agreed.text and "Nu is het extra" not in agreed.text
    # "Vorig jaar hebben colleges afgesproken ..." reports an earlier decision.
    assert not any(d.text.startswith("Vorig jaar") for d in verblijf.decisions)
    assert noted.text.startswith("De portefeuillehouders nemen kennis van de presentatie en:")
    assert "1. Onderschrijven de richting van de aanbevelingen" in noted.text
    assert "6. Willen dat in het volgens portefeuillehoudersoverleg voorstellen volgen" in noted.text
    assert noted.text.endswith("om deze richting vast te stellen.")
    assert _decisions(_section(doc, "Dagbehandeling"))[0] == (
        DecisionStatus.VASTGESTELD, "De portefeuillehouders stellen het voorstel vast.")
    assert _decisions(_section(doc, "KPMG-onderzoek")) == [
        (DecisionStatus.INGESTEMD, "Het portefeuillehoudersoverleg stemt hier unaniem mee in.")]
    stand_web = [d.status for d in _section(doc, "Stand zaken WEB").decisions]
    assert stand_web == [DecisionStatus.KENNISGENOMEN, DecisionStatus.AFGESPROKEN]
    # "het afgesproken aantal woningen" and "tot het beleidsplan is vastgesteld" are no decisions.
    inhoud = " ".join(d.text for d in _section(doc, "Inhoud beleidsplan").decisions)
    assert "afgesproken aantal" not in inhoud and "niet te willen wachten" not in inhoud
    # "... met voorstellen te komen over" breaks off: the lettered list a) to d) completes it.
    [komen_over] = [d for d in _section(doc, "Inhoud beleidsplan").decisions if d.text.startswith("Afgesproken is om")]
    assert komen_over.text.endswith("c) de definitie van kleinschaligheid en d) de uitwerking van de monitor.")
    # The remarks after "geven de volgende aandachtspunten aan:" keep their own agreement.
    assert _section(doc, "Stand zaken WEB").decisions[1].text.startswith("Afgesproken is dat hier vanaf het einde")
    # "Dit jaar zal het Uitvoeringsplan Jeugd worden vastgesteld": a plan, not a decision.
    assert _section(doc, "Betrekken Raden Uitvoeringsplan Jeugd").decisions == ()


# --- 002, 003, 004: programma, voorstel, raadsinformatiebrief ----------------------------------


def test_002_programma(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["002"]
    assert doc.doc_type is DocType.PROGRAMMA
    assert doc.title == "Programma Jeugd & Onderwijs 2022-2026"
    assert doc.date is None  # a programme names a period, not a date
    assert doc.decisions == ()  # a plan records no decisions
    titles = [s.title for s in doc.sections]
    for title in ("INLEIDING", "Dynamisch karakter van het programma: herijking in 2024", "Normaliseren",
                  "Werken in lokale teams, passende effectieve zorg en ondersteuning", "Monitoring",
                  "PROGRAMMAORGANISATIE", "Samenstelling programmateam"):
        assert title in titles
    assert all(s.kind == "section" for s in doc.sections)
    # Table cells and stray short lines are not headings.
    for cell in ("Doorlopend", "Afgerond in Q1 2023", "Actieleren onderzoek", "Bestuurlijk", "Tactisch/operationeel"):
        assert cell not in titles
    assert _section(doc, "Normaliseren").parent == "JEUGD & ONDERWIJS"
    assert _section(doc, "Normaliseren").domain == "Jeugd en Onderwijs"
    assert _section(doc, "Monitoring").page == 7
    # A long heading read as a sentence stands under the heading before it.
    assert _section(doc, "In dit kader lichten we er een subthema uit: Aansluiting zorg op onderwijs").parent == "Normaliseren"
    assert (_section(doc, "Wat levert het werken in lokale teams voor de gemeenten op?").parent
            == "Werken in lokale teams, passende effectieve zorg en ondersteuning")


def test_a_sentence_sub_heading_carries_its_chapter_but_not_the_heading_it_hangs_under() -> None:
    text = (
        "Programma Wonen 2024\n\nTHEMA'S\n\nNormaliseren\n\nNormaliseren is de tegenhanger van medicaliseren.\n\n"
        "In dit kader lichten we er een subthema uit: Aansluiting zorg op onderwijs\n\n"
        "De samenwerking met de scholen versterken we.\n\nHoe nu verder?\n\nWe evalueren in 2025.\n"
    )
    doc = parse_document(RawDocument("programma.txt", text))
    sub = _section(doc, "In dit kader lichten we er een subthema uit: Aansluiting zorg op onderwijs")
    assert sub.parent == "Normaliseren"
    assert _section(doc, "Hoe nu verder?").parent == "THEMA'S"  # short: a heading of its own
    context = next(c.context for c in chunk_document(doc) if c.section == sub.title)
    assert "THEMA'S" in context and "Normaliseren" not in context


def test_003_voorstel(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["003"]
    assert doc.doc_type is DocType.VOORSTEL
    assert doc.title == "Voorstel regio breed overzicht stevige lokale teams"
    assert doc.date == dt.date(2025, 11, 27)  # the latest date in the Behandeling table
    titles = [s.title for s in doc.sections]
    for title in ("Voorstel", "Behandeling", "Toelichting", "De bevindingen", "Hoe nu verder?"):
        assert title in titles
    assert "Voorstel 3. Instemmen met het opstellen" in _section(doc, "Voorstel").text
    assert _section(doc, "Hoe nu verder?").page == 2
    assert _section(doc, "De bevindingen").parent == "Toelichting"


def test_004_raadsinformatiebrief(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["004"]
    assert doc.doc_type is DocType.RAADSINFORMATIEBRIEF
    assert doc.title == "Raadsinformatiebrief commissie sociaal domein (Huizen)"
    assert doc.date is None  # the letter has no date; "18 maart 2021" in it is a meeting it refers to
    preamble = doc.sections[0]
    assert preamble.kind == "preamble" and preamble.text.startswith("Geachte leden van de commissie sociaal domein")
    assert [s.title for s in doc.sections[1:]] == [
        "Join us", "Nieuwbouw Draaikom", "Start Praktijkondersteuner huisartsen (POH-er)", "Jeugdwet", "Pilot",
        "Evaluatie inkoop sociaal domein", "Opzet evaluatie",
    ]
    assert [s.page for s in doc.sections[1:]] == [1, 1, 1, 2, 2, 2, 3]


# --- fixtures: other shapes ---------------------------------------------------------------------


def test_numbered_minutes_of_another_overleg() -> None:
    doc = _parse("verslag_wonen_zorg_2022-06-14.txt")
    assert doc.doc_type is DocType.RESUME
    assert doc.date == dt.date(2022, 6, 14)  # "14-06-2022"
    assert doc.meeting == "Regionaal overleg Wonen en Zorg"
    assert doc.title == "Verslag Regionaal overleg Wonen en Zorg 14 juni 2022"
    assert (doc.kenmerk, doc.contact) == ("22.0004567", "Sanne Visser")
    assert doc.present == (Person("Anna de Vries", "Hilversum", "Wonen"), Person("Peter Smit", "Huizen", "Zorg"),
                           Person("Lotte Bakker", "Laren"))
    assert [(s.number, s.title) for s in doc.agenda_items] == [
        ("1", "Opening en vaststellen agenda"), ("2", "Verslag van 12 april 2022"), ("3", "Pleegzorg"),
        ("4", "Wonen met zorg voor ouderen"), ("5", "Beschermd wonen"), ("6", "Rondvraag"),
    ]
    financien = _section(doc, "Financiën")
    assert (financien.kind, financien.parent) == ("section", "Pleegzorg")
    statuses = {s.title: [d.status for d in s.decisions] for s in doc.sections}
    assert statuses["Opening en vaststellen agenda"] == [DecisionStatus.VASTGESTELD]
    assert statuses["Pleegzorg"] == [DecisionStatus.AFGESPROKEN]
    assert statuses["Financiën"] == [DecisionStatus.INGESTEMD]
    assert statuses["Wonen met zorg voor ouderen"] == [DecisionStatus.KENNISGENOMEN]
    assert statuses["Beschermd wonen"] == [DecisionStatus.DOORGESCHOVEN]


def test_college_besluitenlijst() -> None:
    doc = _parse("besluitenlijst_college_2022-04-12.txt")
    assert doc.doc_type is DocType.BESLUITENLIJST
    assert doc.date == dt.date(2022, 4, 12)  # from "Datum: 12 april 2022"
    assert doc.meeting == "vergadering van het college van burgemeester en wethouders"
    assert doc.title.startswith("Besluitenlijst") and doc.title.endswith("12 april 2022")
    assert doc.present == (Person("burgemeester C. Larson", None, "voorzitter"), Person("wethouder J. de Wit"),
                           Person("wethouder R. Bakker"))
    assert doc.absent == ()
    assert [s.number for s in doc.agenda_items] == ["1", "2", "3", "4", "5"]
    by_item = {s.title: s.decisions for s in doc.agenda_items}
    [subsidie] = by_item["Subsidie mantelzorgondersteuning 2023"]
    assert subsidie.status is DecisionStatus.VASTGESTELD
    assert subsidie.text.startswith("Het college besluit: 1. in te stemmen met een subsidie van € 45.000,-")
    assert subsidie.text.endswith("2. de raad hierover met een raadsinformatiebrief te informeren.")
    assert by_item["Jeugdhulp op school"][0].status is DecisionStatus.AFGEWEZEN
    assert by_item["Jeugdhulp op school"][0].text.endswith("t.a.v. de kosten.")  # one sentence
    assert by_item["Raadsinformatiebrief Wmo-cijfers 2021"][0].status is DecisionStatus.VASTGESTELD
    assert by_item["Pleegzorg"][0].status is DecisionStatus.DOORGESCHOVEN


def test_new_resume_of_the_same_overleg() -> None:
    doc = _parse("resume_pfho_2023-04-13.txt")
    assert doc.doc_type is DocType.RESUME
    assert doc.date == dt.date(2023, 4, 13)
    assert doc.kenmerk == "23.0002417"
    assert Person("Gerben van Voorden", "Hilversum", "Jeugd") in doc.present  # a name broken over two lines
    assert doc.absent == (Person("Flip de Groot", "Laren"), Person("Bart Heller", None, "Werk & Participatie"))
    assert doc.domains == ("Jeugd en Onderwijs", "Werk en Inkomen")
    assert _items(doc, "Jeugd en Onderwijs") == [
        "Agenda en mededelingen", "Pleegzorg en gezinshuizen", "Wachttijden jeugd-GGZ", "Leerlingenvervoer",
    ]
    assert _items(doc, "Werk en Inkomen") == ["Agenda en mededelingen", "Armoedebeleid en schulddienstverlening",
                                              "Rondvraag"]
    wachttijden = _section(doc, "Wachttijden jeugd-GGZ")
    # The heading repeated on the next page and the sentence broken over the page stay in the item.
    assert "inrichting van een regionale aanpak" in wachttijden.text
    assert "De doorlooptijd van de toegang" in wachttijden.text
    assert wachttijden.page == 1
    [agreed] = wachttijden.decisions
    assert agreed.status is DecisionStatus.AFGESPROKEN
    assert "2. Gemeenten leveren hun lokale cijfers aan voor 1 mei." in agreed.text
    assert agreed.text.endswith("3. Het directieoverleg bereidt een voorstel voor.")
    assert _section(doc, "Leerlingenvervoer").page == 3
    # " RESUMÉ" repeated at the top of page 4 is a running header, not a domain or an item.
    assert "RESUMÉ" not in {s.title for s in doc.sections}
    assert _section(doc, "Armoedebeleid en schulddienstverlening").page == 4
    assert _section(doc, "Vroegsignalering").parent == "Armoedebeleid en schulddienstverlening"
    assert _section(doc, "Armoedebeleid en schulddienstverlening").parent == "Werk en inkomen algemeen"
    [pleegzorg] = _section(doc, "Pleegzorg en gezinshuizen").decisions
    assert pleegzorg.status is DecisionStatus.INGESTEMD  # "nog geen besluit genomen" is not a decision


def test_markdown_headings_nest() -> None:
    doc = _parse("notitie_mantelzorg.md")
    assert doc.doc_type is DocType.OTHER
    assert doc.title == "Notitie mantelzorgondersteuning in de regio"
    assert [(s.title, s.parent) for s in doc.sections] == [
        ("Notitie mantelzorgondersteuning in de regio", None),
        ("Aanleiding", "Notitie mantelzorgondersteuning in de regio"),
        ("Huidige ondersteuning", "Notitie mantelzorgondersteuning in de regio"),
        ("Respijtzorg", "Huidige ondersteuning"),
        ("Voorstel", "Notitie mantelzorgondersteuning in de regio"),
    ]


def test_document_without_headings_is_one_preamble() -> None:
    raw = RawDocument("kort.txt", "Een korte notitie zonder kopjes. Er staat verder niets in.\n")
    doc = parse_document(raw)
    assert doc.doc_type is DocType.OTHER
    assert [(s.kind, s.start, s.end) for s in doc.sections] == [("preamble", 0, len(raw.text))]


# --- PDF and Word, end to end: page numbers survive -------------------------------------------------

RESUME_PAGES = [
    ["RESUMÉ", "", "Overleg portefeuillehouders sociaal domein 8 juni 2023", "", "Kenmerk 23.0003001", "",
     "JEUGD EN ONDERWIJS", "", "Pleegzorg", "", "Het portefeuillehoudersoverleg stelt het voorstel vast."],
    ["Leerlingenvervoer", "", "Dit agendapunt wordt doorgeschoven naar september.", "", "WERK EN INKOMEN", "",
     "Schuldhulpverlening", "", "Het portefeuillehoudersoverleg neemt kennis van de cijfers."],
]


def test_pdf_resume_keeps_pages(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "resume.pdf", RESUME_PAGES)

    doc = parse_document(read_document(path))
    assert doc.doc_type is DocType.RESUME and doc.date == dt.date(2023, 6, 8)
    assert [(s.title, s.domain, s.page) for s in doc.agenda_items] == [
        ("Pleegzorg", "Jeugd en Onderwijs", 1),
        ("Leerlingenvervoer", "Jeugd en Onderwijs", 2),
        ("Schuldhulpverlening", "Werk en Inkomen", 2),
    ]
    assert [d.status for d in doc.decisions] == [
        DecisionStatus.VASTGESTELD, DecisionStatus.DOORGESCHOVEN, DecisionStatus.KENNISGENOMEN]


def test_docx_resume_keeps_pages(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for k, lines in enumerate(RESUME_PAGES):
        if k:
            document.add_page_break()
        for line in (ln for ln in lines if ln):
            if line.isupper() or len(line.split()) == 1 and line != "RESUMÉ":
                document.add_heading(line, level=1 if line.isupper() else 2)
            else:
                document.add_paragraph(line)
    path = tmp_path / "resume.docx"
    document.save(str(path))

    doc = parse_document(read_document(path))
    assert doc.doc_type is DocType.RESUME and doc.kenmerk == "23.0003001"
    assert [(s.title, s.domain, s.page) for s in doc.agenda_items] == [
        ("Pleegzorg", "Jeugd en Onderwijs", 1),
        ("Leerlingenvervoer", "Jeugd en Onderwijs", 2),
        ("Schuldhulpverlening", "Werk en Inkomen", 2),
    ]


# --- small pure functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("23 februari 2023", dt.date(2023, 2, 23)), ("23-02-2023", dt.date(2023, 2, 23)),
     ("23/02/2023", dt.date(2023, 2, 23)), ("27/11/25", dt.date(2025, 11, 27)), ("3 mrt. 2021", dt.date(2021, 3, 3)),
     ("31 februari 2023", None), ("1 april", None), ("2022-2026", None)],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("heading", "canonical"),
    [("JEUGD & ONDERWIJS", "Jeugd en Onderwijs"), ("Gezondheid en Ondersteuning", "Gezondheid en Ondersteuning"),
     ("GEZONDHEID & ONDERSTEUNING", "Gezondheid en Ondersteuning"), ("SOCIAAL DOMEIN", "Sociaal Domein"),
     ("WERK EN INKOMEN", "Werk en Inkomen"), ("WONEN EN ZORG", "Wonen en Zorg")],
)
def test_canonical_domain(heading: str, canonical: str) -> None:
    assert canonical_domain(heading) == canonical


@pytest.mark.parametrize(
    ("sentence", "status"),
    [("Het PFHO stelt voorstel 1 en 2 vast.", DecisionStatus.VASTGESTELD),
     ("De portefeuillehouders stellen het voorstel vast.", DecisionStatus.VASTGESTELD),
     ("Het college besluit de subsidie te verlenen.", DecisionStatus.VASTGESTELD),
     # the body as the second part of a compound
     ("Het portefeuillehoudersoverleg besluit het aantal plekken te verhogen.", DecisionStatus.VASTGESTELD),
     ("Het resume wordt vastgesteld.", DecisionStatus.VASTGESTELD),
     ("Er wordt afgesproken dat de regio een voorstel doet.", DecisionStatus.AFGESPROKEN),
     ("Afgesproken is dat gemeenten elkaar informeren.", DecisionStatus.AFGESPROKEN),
     ("Het overleg neemt kennis van de rapportage.", DecisionStatus.KENNISGENOMEN),
     ("De wethouders nemen kennis van de presentatie.", DecisionStatus.KENNISGENOMEN),
     ("Dit agendapunt wordt doorgeschoven naar april.", DecisionStatus.DOORGESCHOVEN),
     ("Het overleg stemt unaniem in met het voorstel.", DecisionStatus.INGESTEMD),
     ("De aanwezige wethouders zijn hiermee akkoord.", DecisionStatus.INGESTEMD),
     ("Het college besluit niet in te stemmen met het voorstel.", DecisionStatus.AFGEWEZEN),
     ("Voorgesteld wordt om de afspraken te verlengen.", None),
     ("Vorig jaar hebben colleges afgesproken om te onderzoeken.", None),
     ("Vorig jaar is afgesproken om het vervoer gezamenlijk in te kopen.", None),
     ("In maart 2024 is besloten de pilot te verlengen.", None),
     ("Zoals afgesproken levert de regio de cijfers.", None),
     ("Besluiten:", DecisionStatus.VASTGESTELD),
     ("Besluit: het overleg stemt in met de aanbesteding.", DecisionStatus.INGESTEMD),
     ("Het afgesproken aantal woningen is niet gehaald.", None),
     ("Dit jaar zal het plan worden vastgesteld door de raden.", None)],
)
def test_decision_status(sentence: str, status: DecisionStatus | None) -> None:
    assert decision_status(sentence) == status


def test_sentences_do_not_split_on_abbreviations_amounts_or_list_numbers() -> None:
    text = ("Het gaat om circa € 12.000 i.p.v. circa € 21.000. Gemeenten kiezen o.a. De Regio, m.b.t. de kosten. "
            "Zij heeft de eerste € 100.000,- vrijgegeven. Voorstel 1. Opdracht geven. Het PFHO stelt voorstel 1 vast.")
    [decision] = find_decisions(text, 0, len(text))
    assert decision.text == "Het PFHO stelt voorstel 1 vast."
    assert text[decision.start : decision.end] == decision.text


# --- the second evaluation corpus: numbered items, Besluit(en): lists, tables, Word and PDF --------------

CORPUS2 = Path(__file__).parent.parent / "eval" / "corpus2" / "documents"


def test_numbered_items_with_besluit_lists_actions_and_toezeggingen() -> None:
    doc = parse_document(read_document(CORPUS2 / "resume_pfho_2024-05-16.txt"))
    _check_invariants(doc)
    assert [(s.number, s.title, s.domain) for s in doc.agenda_items][2:7] == [
        ("3", "Wmo-vervoer", "Gezondheid en Ondersteuning"),
        ("4", "Beschermd wonen en maatschappelijke opvang", "Gezondheid en Ondersteuning"),
        ("5", "Mantelzorg", "Gezondheid en Ondersteuning"),
        ("6", "Wachttijden jeugdhulp", "Jeugd en Onderwijs"),  # a domain line right after a list
        ("7", "Rondvraag", "Jeugd en Onderwijs"),
    ]
    [wmo] = _section(doc, "Wmo-vervoer").decisions  # "Vorig jaar is afgesproken ..." is a recap
    assert wmo.text.startswith("Besluiten: 1. Het overleg stemt in")
    assert wmo.text.endswith("3. De regio legt het bestek vóór 1 oktober 2024 voor aan het overleg.")
    [opvang] = _section(doc, "Beschermd wonen en maatschappelijke opvang").decisions
    assert opvang.status is DecisionStatus.AFGESPROKEN and opvang.text.endswith("najaar van 2024 geëvalueerd.")
    [mantelzorg] = _section(doc, "Mantelzorg").decisions
    assert "b. De uitvoering ligt bij" in mantelzorg.text and mantelzorg.text.endswith("in juni 2025.")
    assert _decisions(_section(doc, "Wachttijden jeugdhulp"))[0][0] is DecisionStatus.DOORGESCHOVEN
    # Action list and Toezeggingen: top-level sections of rows, not agenda items, no decisions.
    for title in ("Actielijst", "Toezeggingen"):
        table = _section(doc, title)
        assert (table.kind, table.parent, table.domain, table.decisions) == ("section", None, None, ())
    assert "Rondvraag" not in _section(doc, "Toezeggingen").text
    rows = _section(doc, "Toezeggingen").text.split("\n")
    assert rows[2] == "16 mei 2024 | Informatiebijeenkomst raden over Wmo-vervoer | Noor van Dijk | open"


def test_table_rows_are_units_of_their_own() -> None:
    from regioassist.decisions import sentences

    text = "De regio levert de cijfers\nNr. | Actie | Wie\nA-1 | Cijfers leveren | Regio\nDaarna volgt een besluit."
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == [
        "De regio levert de cijfers", "Nr. | Actie | Wie", "A-1 | Cijfers leveren | Regio", "Daarna volgt een besluit."]


def test_word_heading_styles_and_numbered_list_styles() -> None:
    doc = parse_document(read_document(CORPUS2 / "besluitenlijst_stuurgroep_jeugd_2024-09-12.docx"))
    _check_invariants(doc)
    assert doc.doc_type is DocType.BESLUITENLIJST and doc.date == dt.date(2024, 9, 12)
    assert [(s.number, s.title) for s in doc.agenda_items] == [
        ("1", "Vaststellen agenda en besluitenlijst 20 juni 2024"), ("2", "Inkoop jeugdhulp 2026"),
        ("3", "Jeugdbescherming"), ("4", "Onderwijszorgarrangementen")]
    assert _section(doc, "Financiën").parent == "Inkoop jeugdhulp 2026"  # Heading 3 under Heading 2
    [inkoop] = _section(doc, "Inkoop jeugdhulp 2026").decisions
    assert inkoop.text.startswith("Besluiten: 1. De stuurgroep kiest voor scenario B")
    assert inkoop.text.endswith("3. Het inkoopdocument wordt in december 2024 ter vaststelling voorgelegd.")
    assert _section(doc, "Toezeggingen").text.split("\n")[-1] == (
        "T-08 | Wachtlijstcijfers per maand | Gecertificeerde Instelling | maandelijks")


def test_markdown_bijlage_is_its_own_section() -> None:
    doc = parse_document(read_document(CORPUS2 / "notitie_schuldhulpverlening.md"))
    titles = [s.title for s in doc.sections]
    assert titles[-2:] == ["Voorstel", "Bijlage 1: Signalen per gemeente in 2023"]
    assert "Hilversum | 1.410" not in _section(doc, "Voorstel").text


def test_pdf_running_header_and_footer_dropped_and_paragraph_joined() -> None:
    raw = read_document(CORPUS2 / "raadsinformatiebrief_regionaal_werkbedrijf_2024.pdf")
    assert "Kenmerk 24.0009102" not in raw.text and "Pagina" not in raw.text
    doc = parse_document(raw)
    assert [(s.title, s.page) for s in doc.sections] == [
        ("Raadsinformatiebrief", 1), ("Banenafspraak", 1), ("Werkgeversservicepunt", 1), ("Financiën", 2),
        ("Vervolg", 2)]
    body = " ".join(_section(doc, "Werkgeversservicepunt").text.split())
    assert "eerste jaar. Het WSP houdt daarnaast spreekuren" in body  # one paragraph over the page break


def test_each_chunk_of_a_mededeling_carries_every_heading_above_it(seeds: dict[str, ParsedDocument]) -> None:
    from regioassist.chunking import chunk_document

    chunks = [c for c in chunk_document(seeds["001"]) if c.section == "KPMG-onderzoek"]
    assert chunks and {c.parent for c in chunks} == {"Mededelingen"}
    assert chunks[0].context.splitlines()[-3:] == ["Agenda, mededelingen, conformstukken", "Mededelingen", "KPMG-onderzoek"]


def test_a_rondvraag_sub_heading_collects_the_headings_after_it_in_its_item() -> None:
    raw = RawDocument(
        "r.txt",
        "RESUMÉ\n\nOverleg zorg 3 mei 2023\n\nJEUGD\n\nAgenda en rondvraag\n\nRondvraag\n\nSportpark\nHuizen vraagt naar het sportpark.\n\n"
        "Jeugdraad\nLaren vraagt naar de jeugdraad.\n\nPleegzorg\n\nHet overleg stelt het voorstel vast.\n",
    )
    doc = parse_document(raw)
    assert {s.title: s.parent for s in doc.sections if s.kind == "section"} == {
        "Rondvraag": "Agenda en rondvraag", "Sportpark": "Rondvraag", "Jeugdraad": "Rondvraag",
    }
    assert "Pleegzorg" in [s.title for s in doc.agenda_items]
