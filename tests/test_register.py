"""The decision register: unit tests on hand-made chunks, then the shipped documents end to end."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter

import numpy as np
import pytest
from typer.testing import CliRunner

from regioassist.cli import app
from regioassist.models import Chunk, DocType
from regioassist.register import STATUSES, DecisionEntry, decision_register, to_csv
from regioassist.store import Filters, MemoryStore

runner = CliRunner()

FEB_2023 = dt.date(2023, 2, 23)
MAR_2021 = dt.date(2021, 3, 18)


def chunk(cid: str, decisions: tuple[str, ...], *, source: str = "resume_2023.txt", date: dt.date | None = FEB_2023,
          domain: str | None = "Jeugd en Onderwijs", section: str | None = "Jeugdhulp met verblijf",
          start: int = 0, text: str | None = None, page: int | None = 1, doc_type: DocType = DocType.RESUME) -> Chunk:
    body = text if text is not None else " ".join(decisions)
    return Chunk(
        id=cid, source=source, doc_hash="h-" + source, title=f"Resumé {source}", doc_type=doc_type, text=body,
        context=f"{source} | {section}", date=date, meeting="Overleg portefeuillehouders sociaal domein",
        domain=domain, section=section, page=page, start=start, end=start + len(body), decisions=decisions,
    )


def store_of(*chunks: Chunk) -> MemoryStore:
    store = MemoryStore()
    for c in chunks:
        store.upsert(c.source, [c], np.ones((1, 4), dtype=np.float32))
    return store


@pytest.fixture
def store() -> MemoryStore:
    return store_of(
        chunk("a", ("Het portefeuillehoudersoverleg stelt het voorstel vast.",), start=7615, page=3),
        chunk("b", ("Dit agendapunt wordt doorgeschoven naar het overleg van april.",),
              domain="Werk en Participatie", section="Banenafspraak", start=11368, page=5),
        chunk("c", ("Afgesproken is: 1. De contracten voort te zetten zoals ze zijn.",),
              source="resume_2021.txt", date=MAR_2021, section="Verblijf", start=14883, page=6),
        chunk("d", ("Het overleg stemt in met de gezinshuizen.",),
              source="resume_2021.txt", date=MAR_2021, section="Pleegzorg", start=16000, page=7),
        chunk("e", ("De raad neemt kennis van de brief over dagbesteding.",),
              source="brief.txt", date=None, domain=None, section="Inleiding", start=10, page=None,
              doc_type=DocType.RAADSINFORMATIEBRIEF),
    )


def texts(entries: list[DecisionEntry]) -> list[str]:
    return [e.agenda_item for e in entries]


@pytest.mark.unit
def test_sorted_by_date_with_the_undated_last_and_statuses_recomputed(store):
    entries = decision_register(store)
    assert [(e.date, e.agenda_item, e.status) for e in entries] == [
        (MAR_2021, "Verblijf", "afgesproken"),
        (MAR_2021, "Pleegzorg", "ingestemd"),
        (FEB_2023, "Jeugdhulp met verblijf", "vastgesteld"),
        (FEB_2023, "Banenafspraak", "doorgeschoven"),
        (None, "Inleiding", "kennisgenomen"),
    ]


@pytest.mark.unit
def test_same_date_is_ordered_by_source_then_offset():
    store = store_of(
        chunk("late", ("Het resume wordt vastgesteld.",), source="b.txt", section="Resumé", start=50),
        chunk("z", ("De agenda wordt vastgesteld.",), source="a.txt", section="Agenda", start=900),
        chunk("y", ("Het PFHO stelt het voorstel vast.",), source="a.txt", section="Pleegzorg", start=400),
    )
    assert [(e.source, e.agenda_item) for e in decision_register(store)] == [
        ("a.txt", "Pleegzorg"), ("a.txt", "Agenda"), ("b.txt", "Resumé"),
    ]


@pytest.mark.unit
def test_filters_on_date_domain_and_type(store):
    assert texts(decision_register(store, Filters(date_from=dt.date(2022, 1, 1)))) == [
        "Jeugdhulp met verblijf", "Banenafspraak",
    ]
    assert texts(decision_register(store, Filters(date_to=dt.date(2021, 12, 31)))) == ["Verblijf", "Pleegzorg"]
    # the domain is compared as domain_key does: '&' and case do not matter
    assert texts(decision_register(store, Filters(domain="WERK & PARTICIPATIE"))) == ["Banenafspraak"]
    assert texts(decision_register(store, Filters(doc_type="raadsinformatiebrief"))) == ["Inleiding"]
    assert decision_register(store, Filters()) == decision_register(store)


@pytest.mark.unit
def test_topic_by_stems_of_text_agenda_item_and_domain_or_by_substring(store):
    # 'verblijf' is a stem of the agenda items "Jeugdhulp met verblijf" and "Verblijf"
    assert texts(decision_register(store, topic="verblijf")) == ["Verblijf", "Jeugdhulp met verblijf"]
    # 'gezinshuizen' -> stem 'gezinshuiz', in the decision text of Pleegzorg only
    assert texts(decision_register(store, topic="Gezinshuizen")) == ["Pleegzorg"]
    # 'contracten' -> 'contract': every stem must be there, so adding 'pleegzorg' finds nothing
    assert texts(decision_register(store, topic="contracten")) == ["Verblijf"]
    assert decision_register(store, topic="contracten pleegzorg") == []
    # the domain counts too
    assert texts(decision_register(store, topic="participatie")) == ["Banenafspraak"]
    # 'dagbest' is no stem of 'dagbesteding' ('dagbested'), but it is a substring
    assert texts(decision_register(store, topic="DAGBEST")) == ["Inleiding"]
    assert decision_register(store, topic="zwembad") == []
    assert len(decision_register(store, topic="  ")) == 5


@pytest.mark.unit
def test_status_filter_and_topic_together(store):
    assert texts(decision_register(store, status="doorgeschoven")) == ["Banenafspraak"]
    assert texts(decision_register(store, topic="verblijf", status="vastgesteld")) == ["Jeugdhulp met verblijf"]
    assert decision_register(store, topic="verblijf", status="afgewezen") == []


@pytest.mark.unit
@pytest.mark.parametrize("bad", ["adopted", "Vastgesteld", ""])
def test_bad_status_is_a_one_line_value_error(store, bad):
    with pytest.raises(ValueError) as error:
        decision_register(store, status=bad)
    assert str(error.value) == (
        f"unknown status {bad!r}; choose one of: vastgesteld, afgesproken, ingestemd, kennisgenomen, "
        "doorgeschoven, afgewezen"
    )
    assert STATUSES == ("vastgesteld", "afgesproken", "ingestemd", "kennisgenomen", "doorgeschoven", "afgewezen")


@pytest.mark.unit
def test_overlapping_chunks_of_one_item_give_one_entry_from_the_chunk_it_begins_in():
    decision = "Het PFHO stelt voorstel 1 en 2 vast."
    first = chunk("1", (decision,), section="Dagbesteding", start=4000, page=2,
                  text="Voorstel 1. Opdracht geven.\nHet PFHO stelt voorstel 1\nen 2 vast.")
    # the next chunk starts inside the decision: it carries it too, cut off at its start
    second = chunk("2", ("Het PFHO  stelt voorstel 1 en\n2 vast.",), section="Dagbesteding", start=4040, page=3,
                   text="voorstel 1\nen 2 vast. Voor voorstel 3 is € 30.000,- nodig.")
    [entry] = decision_register(store_of(second, first))
    assert entry.text == decision
    assert (entry.page, entry.start) == (2, 4000 + len("Voorstel 1. Opdracht geven.\n"))


@pytest.mark.unit
def test_the_same_sentence_under_two_agenda_items_is_two_decisions():
    store = store_of(
        chunk("go", ("De agenda wordt vastgesteld.",), domain="Gezondheid en Ondersteuning", section="Mededelingen",
              start=959),
        chunk("jo", ("De agenda wordt vastgesteld.",), domain="Jeugd en Onderwijs", section="Agenda", start=6254),
    )
    assert [(e.domain, e.agenda_item) for e in decision_register(store)] == [
        ("Gezondheid en Ondersteuning", "Mededelingen"), ("Jeugd en Onderwijs", "Agenda"),
    ]


@pytest.mark.unit
def test_a_sentence_the_rules_do_not_recognise_counts_as_noted():
    [entry] = decision_register(store_of(chunk("x", ("Hierover is uitgebreid gesproken.",))))
    assert entry.status == "kennisgenomen"


@pytest.mark.unit
def test_json_shape(store):
    entry = decision_register(store)[0]
    assert entry.to_json() == {
        "date": "2021-03-18",
        "meeting": "Overleg portefeuillehouders sociaal domein",
        "domain": "Jeugd en Onderwijs",
        "agenda_item": "Verblijf",
        "text": "Afgesproken is: 1. De contracten voort te zetten zoals ze zijn.",
        "status": "afgesproken",
        "source": "resume_2021.txt",
        "page": 6,
        "title": "Resumé resume_2021.txt",
    }
    assert decision_register(store)[-1].to_json()["date"] is None


@pytest.mark.unit
def test_csv_header_and_rows(store):
    rows = list(csv.reader(io.StringIO(to_csv(decision_register(store)))))
    assert rows[0] == ["date", "meeting", "domain", "agenda_item", "status", "text", "title", "source", "page"]
    assert len(rows) == 6
    assert rows[1] == [
        "2021-03-18", "Overleg portefeuillehouders sociaal domein", "Jeugd en Onderwijs", "Verblijf", "afgesproken",
        "Afgesproken is: 1. De contracten voort te zetten zoals ze zijn.", "Resumé resume_2021.txt",
        "resume_2021.txt", "6",
    ]
    # no date, domain or page: empty cells, never "None"
    assert rows[5][:3] == ["", "Overleg portefeuillehouders sociaal domein", ""] and rows[5][8] == ""
    assert to_csv([]) == "date,meeting,domain,agenda_item,status,text,title,source,page\n"


@pytest.mark.unit
@pytest.mark.parametrize(
    "args, message",
    [
        (["--status", "adopted"], "unknown status 'adopted'; choose one of: vastgesteld, afgesproken, ingestemd, "
                                  "kennisgenomen, doorgeschoven, afgewezen"),
        (["--json", "--csv"], "give either --json or --csv, not both"),
        (["--from", "2023-02-30"], "--from expects a date as YYYY-MM-DD, got '2023-02-30'"),
        (["--from", "2023-01-01", "--to", "2021-01-01"], "--from is after --to"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    result = runner.invoke(app, ["decisions", *args, "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {message}"


@pytest.mark.unit
def test_cli_without_index(tmp_path):
    result = runner.invoke(app, ["decisions", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'none'}: no index here yet (run: regioassist ingest documents/)"


# -- the shipped documents ---------------------------------------------------------------------------

RESUME_2023 = "documents/000_e69afd2dc3060162.txt"
RESUME_2021 = "documents/001_462b1aa507025d3f.txt"


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory, seed_dir):
    """The shipped documents in a real Chroma index, embedded by the deterministic HashEmbedder."""
    from regioassist.config import Settings
    from regioassist.embedding import HashEmbedder
    from regioassist.pipeline import ingest_into

    index_dir = tmp_path_factory.mktemp("register") / "index"
    report = ingest_into(Settings().with_overrides(index_dir=index_dir), [seed_dir], embedder=HashEmbedder())
    assert len(report.read) == 5 and not report.failed
    return index_dir


@pytest.fixture(scope="module")
def seed_store(seed_index):
    from regioassist.store import open_store

    return open_store(seed_index)


@pytest.mark.integration
def test_register_of_the_shipped_minutes(seed_store):
    entries = decision_register(seed_store)
    # only the two resumés hold decisions; the programme, proposal and letter hold none
    assert {e.source for e in entries} == {RESUME_2021, RESUME_2023}
    assert Counter(e.date for e in entries) == {MAR_2021: 17, FEB_2023: 18}
    assert Counter(e.status for e in entries) == {
        "vastgesteld": 16, "afgesproken": 13, "ingestemd": 3, "kennisgenomen": 2, "doorgeschoven": 1,
    }
    # "De agenda wordt vastgesteld." stands under two domains of the 2023 resumé: two decisions
    agenda = [(e.domain, e.agenda_item) for e in entries if e.text == "De agenda wordt vastgesteld."]
    assert agenda == [("Gezondheid en Ondersteuning", "Mededelingen"), ("Jeugd en Onderwijs", "Agenda en mededelingen")]


@pytest.mark.integration
def test_register_on_verblijf(seed_store):
    entries = decision_register(seed_store, topic="verblijf")
    assert [(e.date, e.agenda_item, e.status, e.page) for e in entries] == [
        (MAR_2021, "Verblijf", "afgesproken", 6),
        (MAR_2021, "Verblijf", "afgesproken", 6),
        (FEB_2023, "Jeugdhulp met verblijf", "vastgesteld", 3),
    ]
    assert entries[0].text.startswith("Afgesproken is: 1. De contracten voort te zetten zoals ze zijn.")
    assert entries[1].text.startswith("De portefeuillehouders nemen kennis van de presentatie en: 1. Onderschrijven")
    assert "5. Spreken af om vóór 1 april bij aanbieders aan te kondigen" in entries[1].text
    assert entries[2].text == "Het portefeuillehoudersoverleg stelt het voorstel vast."
    assert {e.domain for e in entries} == {"Jeugd en Onderwijs"}


@pytest.mark.integration
def test_register_filters_on_the_shipped_minutes(seed_store):
    [postponed] = decision_register(seed_store, Filters(domain="werk & participatie"), status="doorgeschoven")
    assert (postponed.date, postponed.agenda_item, postponed.source) == (FEB_2023, "Banenafspraak", RESUME_2023)
    assert postponed.text == "Dit agendapunt wordt doorgeschoven naar het overleg van april vanwege tijdgebrek."
    since_2023 = decision_register(seed_store, Filters(date_from=dt.date(2023, 1, 1)), topic="dagbesteding")
    assert [(e.agenda_item, e.text) for e in since_2023] == [
        ("Aanpak borging continuïteit dagbesteding", "Het PFHO stelt voorstel 1 en 2 vast."),
    ]


@pytest.mark.integration
def test_cli_json(seed_index):
    result = runner.invoke(app, ["decisions", "--topic", "verblijf", "--json", "--index", str(seed_index)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(set(r) == {"date", "meeting", "domain", "agenda_item", "text", "status", "source", "page", "title"}
               for r in rows)
    assert [(r["date"], r["agenda_item"], r["status"]) for r in rows] == [
        ("2021-03-18", "Verblijf", "afgesproken"),
        ("2021-03-18", "Verblijf", "afgesproken"),
        ("2023-02-23", "Jeugdhulp met verblijf", "vastgesteld"),
    ]
    assert rows[2]["title"] == "Resumé Overleg portefeuillehouders sociaal domein 23 februari 2023"
    assert rows[2]["meeting"] == "Overleg portefeuillehouders sociaal domein"
    assert "vóór 1 april" in result.stdout  # ensure_ascii=False


@pytest.mark.integration
def test_cli_csv_and_table(seed_index):
    args = ["decisions", "--from", "2023-01-01", "--status", "kennisgenomen", "--index", str(seed_index)]
    result = runner.invoke(app, [*args, "--csv"])
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["date"] == "2023-02-23" and row["domain"] == "Werk en Participatie"
    assert row["agenda_item"] == "Update business case werkgeversdienstverlening" and row["page"] == "6"
    assert row["text"].startswith("Het portefeuillehoudersoverleg neemt kennis van de update")
    assert row["source"] == RESUME_2023

    table = runner.invoke(app, ["decisions", "--domain", "Jeugd en Onderwijs", "--status", "afgesproken",
                                "--index", str(seed_index)])
    assert table.exit_code == 0, table.output
    assert "besluitenregister" in table.stdout and "2021-03-18" in table.stdout and "Rondvraag" in table.stdout
    assert table.stdout.strip().splitlines()[-1] == "3 decisions"
