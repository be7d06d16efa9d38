"""Chat feedback: the SQLite store, and its export as draft evaluation items the real validator accepts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import threading
from contextlib import closing

import pytest
from typer.testing import CliRunner

from regioassist.cli import app
from regioassist.config import REPO_ROOT
from regioassist.evaluation.metrics import fact_present, normalise_text
from regioassist.feedback import FeedbackStore, export_items, facts_from, write_jsonl

pytestmark = pytest.mark.unit

runner = CliRunner()

DOC_001 = "documents/001_462b1aa507025d3f.txt"  # resumé of 18 March 2021
DOC_000 = "documents/000_e69afd2dc3060162.txt"  # resumé of 23 February 2023
# Quotes as `regioassist ask --json "Wat is besloten over verblijf?"` gives them, copied from the documents.
VERBLIJF = (
    "De portefeuillehouders nemen kennis van de presentatie en: 1. Onderschrijven de richting van de aanbevelingen "
    "2. Geven urgentie aan de implementatie van de aanbevelingen en het ombouwen van verblijf. 4. Onderschrijven "
    "de lijn om de invulling van verblijf nog 1 jaar te houden zoals het is en in het extra jaar de ombouw van "
    "verblijf voor te bereiden waarbij de inhoud en de bekostiging van de voorziening worden heroverwegen. "
    "5. Spreken af om vóór 1 april bij aanbieders aan te kondigen dat we voornemens zijn de huidige overeenkomst "
    "te continueren en in de tussentijd wezenlijk andere invulling van verblijf voor te bereiden (met de daarbij "
    "behorende inkoopafspraken)."
)
GEZINSGERICHT = (
    "Een gezinsgerichte groep is een vorm van verblijf tussen de reguliere leef- en behandelgroep en een regulier "
    "gezinshuis in. Het PFHO ondersteunt de voorgestelde richting en stelt het voorstel vast."
)
JEUGDHULP = (
    "De regiogemeenten uit Gooi en Vechtstreek zijn aan de slag met de ambitie dat kinderen zo thuis mogelijk "
    "opgroeien. Het portefeuillehoudersoverleg stelt het voorstel vast."
)


def citation(n: int, source: str, agenda_item: str | None, quote: str) -> dict:
    """One citation shaped like ``Answer.to_json()["citations"]``."""
    return {"n": n, "source": source, "title": "Resumé", "doc_type": "resumé", "date": None, "domain": None,
            "agenda_item": agenda_item, "page": 1, "quote": quote, "score": 0.85}


CITATIONS = [
    citation(1, DOC_001, "Verblijf", VERBLIJF),
    citation(2, DOC_000, "Verlengen en uitbreiden gezinsgerichte groep", GEZINSGERICHT),
    citation(3, DOC_000, "Jeugdhulp met verblijf", JEUGDHULP),
]


def answer_row(**overrides) -> dict:
    """The keyword arguments the chat passes to ``FeedbackStore.record`` for a thumbs up on one answer."""
    row = dict(kind="answer", rating="up", question="Wat is besloten over verblijf?", language="nl",
               answered=True, answer="Besluiten en afspraken over verblijf ... [1] [2] [3]", citations=CITATIONS,
               settings={"index_dir": "index"})
    row.update(overrides)
    return row


def test_fixture_quotes_stand_in_the_shipped_documents():
    for c in CITATIONS:
        text = (REPO_ROOT / c["source"]).read_text(encoding="utf-8")
        for sentence in c["quote"].split(". "):
            assert normalise_text(sentence) in normalise_text(text), sentence


def test_record_survives_a_new_store_object(tmp_path):
    index_dir = tmp_path / "nieuw" / "index"
    store = FeedbackStore.beside(index_dir)
    assert store.path == index_dir / "feedback.sqlite" and store.path.is_file()
    first = store.record(**answer_row(comment="  Klopt precies  ", filters={"domain": "Jeugd en Onderwijs"}))
    second = store.record(**answer_row(kind="source", rating="down", citation_n=2, understood="Wat nu?",
                                       conversation=["Eerdere vraag?"]))
    assert (first, second) == (1, 2)
    with closing(sqlite3.connect(store.path)) as conn:  # write-ahead log: readers never block the writer
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    reopened = FeedbackStore.beside(index_dir)
    assert reopened.count() == 2
    a, b = reopened.all()
    assert a.id == 1 and a.kind == "answer" and a.rating == "up" and a.comment == "Klopt precies"
    assert a.understood == a.question == "Wat is besloten over verblijf?"  # not rewritten: the question itself
    assert a.citations == tuple(CITATIONS) and a.filters == {"domain": "Jeugd en Onderwijs"}
    assert a.settings == {"index_dir": "index"} and a.answered is True and a.conversation == ()
    assert dt.datetime.fromisoformat(a.created_at).utcoffset() == dt.timedelta(0)
    assert b.kind == "source" and b.citation_n == 2 and b.conversation == ("Eerdere vraag?",)
    assert b.understood == "Wat nu?" and b.comment is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.rating = "down"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"kind": "antwoord"}, "kind must be 'answer' or 'source', got 'antwoord'"),
        ({"rating": "like"}, "rating must be 'up', 'down' or None, got 'like'"),
        ({"rating": None, "comment": "   "}, "feedback needs a rating or a comment"),
        ({"question": " "}, "feedback needs the question it is about"),
        ({"kind": "source"}, "source feedback needs citation_n"),
        ({"kind": "source", "citation_n": 9}, "the n of one of the citations (got 9)"),
        ({"citation_n": 1}, "answer feedback has no citation_n"),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_message(tmp_path, overrides, message):
    store = FeedbackStore.beside(tmp_path)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        store.record(**answer_row(**overrides))
    assert store.count() == 0


def test_eight_threads_record_at_once_and_nothing_is_lost(tmp_path):
    store = FeedbackStore.beside(tmp_path)
    ids: list[int] = []
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            for i in range(25):
                ids.append(store.record(**answer_row(question=f"vraag {thread}-{i}")))
        except BaseException as error:  # noted, so the main thread fails loudly
            errors.append(error)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # 8 threads x 25 rows = 200 rows, each with its own id.
    assert sorted(ids) == list(range(1, 201))
    assert FeedbackStore.beside(tmp_path).count() == 200
    assert {r.question for r in store.all()} == {f"vraag {t}-{i}" for t in range(8) for i in range(25)}


def test_rows_about_one_answer_make_one_item(tmp_path):
    store = FeedbackStore.beside(tmp_path)
    store.record(**answer_row())
    store.record(**answer_row(rating=None, comment="Precies de besluiten"))
    store.record(**answer_row(question="Wie stelt het voorstel vast?", answer="Het PFHO [1]",
                              citations=[CITATIONS[1]], rating="down"))
    items = export_items(store.all())
    assert [i["id"] for i in items] == ["dec-fb-1", "fact-fb-3"]
    decision, fact = items
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert decision["notes"] == f"concept uit feedback #1, #2 (up, {today}): Precies de besluiten; nakijken voor opname"
    assert fact["notes"] == f"concept uit feedback #3 (down, {today}); nakijken voor opname"
    assert all(i["review"] is True and i["answerable"] is True for i in items)
    assert decision["citations"] == [
        {"source": "001_462b1aa507025d3f.txt", "section": "Verblijf"},
        {"source": "000_e69afd2dc3060162.txt", "section": "Verlengen en uitbreiden gezinsgerichte groep"},
        {"source": "000_e69afd2dc3060162.txt", "section": "Jeugdhulp met verblijf"},
    ]
    # Field order as eval/README.md lists it.
    assert list(decision) == ["id", "category", "question", "language", "answerable", "facts", "citations",
                              "notes", "review"]


def test_a_source_marked_wrong_leaves_the_gold_and_its_quote_gives_no_facts(tmp_path):
    store = FeedbackStore.beside(tmp_path)
    store.record(**answer_row(rating=None, comment="Alleen bron 1 klopt"))
    store.record(**answer_row(kind="source", rating="down", citation_n=2))
    store.record(**answer_row(kind="source", rating="down", citation_n=3))
    store.record(**answer_row(kind="source", rating="up", citation_n=1))  # confirmed: stays
    (item,) = export_items(store.all())
    assert item["citations"] == [{"source": "001_462b1aa507025d3f.txt", "section": "Verblijf"}]
    assert item["facts"] == [["1 april"], ["1 jaar"]]  # a date, then a number with its unit
    assert "PFHO" not in json.dumps(item["facts"])  # only in the quote of the source marked wrong
    assert "bron [2] klopt niet" in item["notes"] and "bron [3] klopt niet" in item["notes"]
    assert "(geen oordeel," in item["notes"]


def test_an_answer_whose_every_source_is_wrong_is_skipped(tmp_path):
    store = FeedbackStore.beside(tmp_path)
    store.record(**answer_row(citations=[CITATIONS[0]]))
    store.record(**answer_row(kind="source", rating="down", citations=[CITATIONS[0]], citation_n=1))
    assert export_items(store.all()) == []


def test_a_decline_rated_up_is_unanswerable_and_one_rated_down_is_skipped(tmp_path):
    store = FeedbackStore.beside(tmp_path)
    declined = dict(answered=False, answer="De documenten geven geen antwoord op deze vraag.", citations=[])
    store.record(**answer_row(question="Hoeveel kost een parkeervergunning?", **declined))
    store.record(**answer_row(question="En in Huizen?", understood="Hoeveel kost een parkeervergunning in Huizen?",
                              conversation=["Hoeveel kost een parkeervergunning?"], **declined))
    store.record(**answer_row(question="Wat kost de tweede groep?", rating="down", **declined))
    store.record(**answer_row(question="Wat kost de derde groep?", rating=None, comment="Jammer", **declined))
    items = export_items(store.all())
    assert [(i["id"], i["question"]) for i in items] == [
        ("un-fb-1", "Hoeveel kost een parkeervergunning?"),
        ("un-fb-2", "Hoeveel kost een parkeervergunning in Huizen?"),  # stands alone: no conversation
    ]
    for item in items:
        assert item["category"] == "unanswerable" and item["answerable"] is False
        assert item["facts"] == [] and item["citations"] == [] and "conversation" not in item


@pytest.mark.parametrize(
    "overrides, category, extra",
    [
        ({"question": "En in 2023?", "understood": "Wat is besloten over verblijf in 2023?",
          "conversation": ["Wat is besloten over verblijf?"]},
         "follow_up", {"conversation": ["Wat is besloten over verblijf?"]}),
        ({"filters": {"date_from": "2021-01-01", "domain": "Jeugd en Onderwijs"}},
         "scoped", {"filters": {"date_from": "2021-01-01", "domain": "Jeugd en Onderwijs"}}),
        ({"question": "What was decided about residential care?", "language": "en"}, "english", {}),
        ({"question": "Wat is besloten over verblijf?"}, "decision", {}),
        ({"question": "Hoe lang blijft de invulling van verblijf zoals het is?"}, "fact", {}),
    ],
)
def test_category_and_its_fields(tmp_path, overrides, category, extra):
    store = FeedbackStore.beside(tmp_path)
    store.record(**answer_row(**overrides))
    (item,) = export_items(store.all())
    prefix = {"follow_up": "fu", "scoped": "scoped", "english": "en", "decision": "dec", "fact": "fact"}[category]
    assert item["category"] == category and item["id"] == f"{prefix}-fb-1"
    assert item["question"] == overrides.get("question", "Wat is besloten over verblijf?")
    for key in ("conversation", "filters"):
        assert item.get(key) == extra.get(key)


def test_a_follow_up_with_filters_keeps_its_conversation_and_notes_the_filters(tmp_path):
    store = FeedbackStore.beside(tmp_path)
    store.record(**answer_row(question="En in 2023?", conversation=["Wat is besloten over verblijf?"],
                              filters={"date_from": "2023-01-01"}))
    (item,) = export_items(store.all())
    assert item["category"] == "follow_up" and "filters" not in item
    assert 'gesteld met filters {"date_from": "2023-01-01"}' in item["notes"]


@pytest.mark.parametrize(
    "quote, question, expected",
    [
        ("Het PFHO stelt €30.000 beschikbaar tot 1 januari 2024 voor 12 plaatsen.", "Wat?",
         [["€30.000"], ["1 januari 2024"], ["12 plaatsen"]]),
        ("Het budget is € 1,2 miljoen voor 15% meer inwoners.", "Wat?", [["€ 1,2 miljoen"], ["15%"]]),
        ("Contactpersoon Marielle Stitzinger.", "Wie?", [["Marielle Stitzinger"]]),
        ("Aanwezig: Flip de Groot (Laren), Fleur van der Kleij en de AT", "Wie?",
         [["Flip de Groot"], ["Laren"], ["Fleur van der Kleij"]]),
        ("De Regio Gooi en Vechtstreek van de gemeenten", "Wie?", [["Regio Gooi en Vechtstreek"]]),
        ("Het PFHO stelt het voorstel vast.", "Wat besloot het PFHO?", [["Het PFHO stelt het"]]),  # asked: fallback
        ("vastgesteld: geen bezwaar. Verder niets.", "Wat?", [["vastgesteld"]]),
    ],
)
def test_facts_are_short_and_stand_literally_in_the_quote(quote, question, expected):
    facts = facts_from([quote], question)
    assert facts == expected
    for (fact,) in facts:
        assert 1 <= len(fact.split()) <= 4 and fact_present([fact], quote)


def test_write_jsonl_keeps_characters_as_themselves(tmp_path):
    out = tmp_path / "items.jsonl"
    assert write_jsonl([{"q": "Wat kost het? €"}, {"q": "vóór"}], out) == 2
    assert out.read_text(encoding="utf-8") == '{"q": "Wat kost het? €"}\n{"q": "vóór"}\n'


def record_a_day_of_chat(store: FeedbackStore) -> None:
    """Feedback of every kind the chat stores, on answers over the shipped documents."""
    store.record(**answer_row())  # 1: decision, thumbs up
    store.record(**answer_row(rating=None, comment="Goed, maar bron 2 hoort er niet bij"))  # 2: same answer
    store.record(**answer_row(kind="source", rating="down", citation_n=2))  # 3: same answer, source wrong
    store.record(**answer_row(question="En wat is er in 2023 over besloten?",  # 4: follow-up
                              understood="Wat is besloten over verblijf in 2023?",
                              conversation=["Wat is besloten over verblijf?"], citations=CITATIONS[1:]))
    store.record(**answer_row(question="Welke groep wordt verlengd?", citations=[CITATIONS[1]],  # 5: scoped
                              filters={"date_from": "2023-01-01", "doc_type": "resumé"}))
    store.record(**answer_row(question="What about youth care with residential stay?", language="en",  # 6
                              citations=[CITATIONS[2]]))
    store.record(**answer_row(question="Hoeveel kost een parkeervergunning?", answered=False,  # 7: decline
                              answer="De documenten geven geen antwoord op deze vraag.", citations=[]))
    uploaded = citation(1, "index/files/resume_pfho_2023-04-13.txt", "Gezinshuizen", "Het kost €40.000.")
    store.record(**answer_row(question="Wat kost de campagne?", citations=[uploaded]))  # 8: not a shipped file


def test_exported_items_pass_the_real_validator(tmp_path, isolated_index):
    record_a_day_of_chat(FeedbackStore.beside(isolated_index))
    out = tmp_path / "concept.jsonl"

    result = runner.invoke(app, ["feedback", "export", "--index", str(isolated_index), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "5 items from 8 feedback rows"  # 1-3 are one answer; 8 cites an upload
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in items] == ["dec-fb-1", "fu-fb-4", "scoped-fb-5", "en-fb-6", "un-fb-7"]
    assert "\\u" not in out.read_text(encoding="utf-8")  # "vóór", "€" and "é" as themselves
    assert items[0]["citations"] == [
        {"source": "001_462b1aa507025d3f.txt", "section": "Verblijf"},
        {"source": "000_e69afd2dc3060162.txt", "section": "Jeugdhulp met verblijf"},
    ]
    assert all(i["facts"] for i in items if i["answerable"])

    result = runner.invoke(app, ["eval", "--validate", "--questions", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 questions, all valid" in result.stdout

    # The validator really reads these items: a fact that is not in the cited document fails it ...
    broken = tmp_path / "broken.jsonl"
    items[1]["facts"] = [["€99.999"]]
    write_jsonl(items, broken)
    result = runner.invoke(app, ["eval", "--validate", "--questions", str(broken)])
    assert result.exit_code == 2
    assert "fu-fb-4: fact ['€99.999'] appears in no cited document" in result.stderr
    # ... and without the review flag the drafts are judged as the whole set, too small.
    items[1]["facts"] = [["PFHO"]]
    write_jsonl([{k: v for k, v in i.items() if k != "review"} for i in items], broken)
    result = runner.invoke(app, ["eval", "--validate", "--questions", str(broken)])
    assert result.exit_code == 2 and "has 1 questions, at least 15 needed" in result.stderr


def test_export_to_standard_output(isolated_index):
    FeedbackStore.beside(isolated_index).record(**answer_row())
    result = runner.invoke(app, ["feedback", "export"])  # the index from REGIOASSIST_INDEX_DIR
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["id"] == "dec-fb-1"
    assert result.stderr.strip() == "1 items from 1 feedback rows"


def test_export_without_a_feedback_database_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["feedback", "export", "--index", str(tmp_path / "leeg")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'leeg' / 'feedback.sqlite'}: no feedback stored here yet "
        "(the chat of `regioassist serve` stores it)"
    ]
    assert not (tmp_path / "leeg").exists()  # looking does not create the database
