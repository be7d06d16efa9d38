import datetime as dt

import pytest

from regioassist.assistant import scope_from_question, standalone_question, topic_of
from regioassist.store import Filters

pytestmark = pytest.mark.unit


def test_topic_of_decision_question():
    assert topic_of("Wat is besloten over verblijf?") == "verblijf"
    assert topic_of("Wat is er besloten over de dagbesteding?") == "dagbesteding"


def test_follow_up_carries_the_earlier_topic():
    history = ["Wat is besloten over verblijf?"]
    assert standalone_question("En wat is er in 2023 over besloten?", history) == "Wat is er in 2023 besloten over verblijf?"
    assert standalone_question("En wat werd er in 2021 over afgesproken?", history) == (
        "Wat werd er in 2021 afgesproken over verblijf?"
    )
    assert standalone_question("En wat werd er in maart 2021 over gezegd?", ["Wat is er besproken over de WEB?"]) == (
        "Wat werd er in maart 2021 gezegd over WEB?"
    )
    # A question with its own topic stands alone.
    assert standalone_question("Wie is contactpersoon van het overleg?", history) == "Wie is contactpersoon van het overleg?"
    # A follow-up that names its own topic keeps it.
    own = "En wat is er in 2023 over dagbehandeling besloten?"
    assert standalone_question(own, history) == own
    assert topic_of(own) == "dagbehandeling"
    # Without history nothing changes.
    assert standalone_question("En wat is er in 2023 over besloten?", []) == "En wat is er in 2023 over besloten?"


def test_year_scopes_only_decision_questions():
    scope = scope_from_question("Wat is er in 2023 besloten over verblijf?")
    assert (scope.date_from, scope.date_to) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert not scope_from_question("Hoeveel jongeren kregen jeugdhulp in 2021?")


def test_month_and_year_scope_any_question():
    scope = scope_from_question("Wie is contactpersoon van het overleg van februari 2023?")
    assert (scope.date_from, scope.date_to) == (dt.date(2023, 2, 1), dt.date(2023, 2, 28))
    scope = scope_from_question("Who chaired the meeting of 18 December 2022?")
    assert (scope.date_from, scope.date_to) == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))


def test_relative_phrases_scope_against_the_given_anchors():
    from regioassist.timephrases import Anchors

    anchors = Anchors(newest_document=dt.date(2023, 2, 23), meetings=(dt.date(2023, 2, 23),))
    scope = scope_from_question("Wat is er vorig jaar besloten over verblijf?", anchors)
    assert (scope.date_from, scope.date_to) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    scope = scope_from_question("Wie was afwezig bij de laatste vergadering?", anchors)
    assert (scope.date_from, scope.date_to) == (dt.date(2023, 2, 23), dt.date(2023, 2, 23))
    assert not scope_from_question("Wat is er vorig jaar besloten?")  # nothing to read it against


MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein {date}

Aanwezig {present} (Huizen, Jeugd)
Afwezig {absent} (Laren, Zorg)

JEUGD EN ONDERWIJS

Pleegzorg

Het portefeuillehoudersoverleg stelt het voorstel over pleegzorg {year} vast.
"""


@pytest.mark.integration
def test_ask_reads_time_phrases_against_the_newest_meeting(tmp_path, fake_embedder):
    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    paths = []
    for name, date, present, absent in [("2021.txt", "18 maart 2021", "Anna Jansen", "Bert Smit"),
                                        ("2022.txt", "15 december 2022", "Carla de Vries", "Dirk Bos")]:
        path = tmp_path / "documents" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(MINUTES.format(date=date, present=present, absent=absent, year=date[-4:]), encoding="utf-8")
        paths.append(path)
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths(paths, index, fake_embedder)
    assistant = Assistant(settings, index, fake_embedder)
    assert assistant.anchors().newest_document == dt.date(2022, 12, 15)

    answer = assistant.ask("Wie was afwezig bij de laatste vergadering?")
    assert "Dirk Bos" in answer.text and "Bert Smit" not in answer.text
    assert answer.time_note == (
        "'de laatste vergadering' gelezen als de vergadering van 15 december 2022, de nieuwste in de index."
    )
    answer = assistant.ask("Wat is er vorig jaar besloten over pleegzorg?")
    assert answer.time_note == "'vorig jaar' gelezen als 2021 (het nieuwste document in de index is van 15 december 2022)."
    # Retrieval was scoped to 2021 (whether the fake embedder's passages convince the answerer is not the point).
    assert answer.hits and all(h.chunk.date.year == 2021 for h in answer.hits)
    # A follow-up keeps its conversation's time, and says how it was read.
    follow_up = assistant.ask("En wat is er over afgesproken?", history=["Wat is er vorig jaar besloten over pleegzorg?"])
    assert follow_up.understood and follow_up.time_note.startswith("'vorig jaar' gelezen als 2021")
    # "dat overleg" is the meeting the conversation was about.
    that_meeting = assistant.ask("Wie was er afwezig bij dat overleg?", history=["Wie was afwezig in maart 2021?"])
    assert "Bert Smit" in that_meeting.text and "Dirk Bos" not in that_meeting.text
    # No time phrase, no note; filters set by the user win over the question's words.
    assert assistant.ask("Wat is besloten over pleegzorg?").time_note is None
    assert assistant.ask("Wat is er vorig jaar besloten over pleegzorg?", filters=Filters(domain="Jeugd")).time_note is None


@pytest.mark.parametrize(
    ("question", "phrase", "expected"),
    [
        ("Wat is er sinds 2022 over de WEB besproken?", "sinds 2022", "Wat is er over de WEB besproken?"),
        ("Wat is er in de laatste vergadering besloten over X?", "de laatste vergadering", "Wat is er besloten over X?"),
        # The meeting stays when only its date is the phrase's point.
        ("Wie vertegenwoordigde Laren in het overleg van februari 2023?", "overleg van februari 2023",
         "Wie vertegenwoordigde Laren in het overleg?"),
        # Nothing but the phrase: the question is kept as it is.
        ("Vorig jaar?", "vorig jaar", "Vorig jaar?"),
    ],
)
def test_a_time_phrase_the_filters_apply_leaves_the_retrieval_query(question, phrase, expected):
    from regioassist.assistant import without_phrase

    assert without_phrase(question, phrase) == expected


def test_a_follow_up_can_be_read_with_its_conversations_topic():
    from regioassist.assistant import with_earlier_topic

    history = ["Hoe wordt de inkoop sociaal domein geëvalueerd?"]
    # The participle that closes the earlier question is its verb, not part of its topic.
    assert with_earlier_topic("Wanneer komt het rapport?", history) == "Wanneer komt het rapport over inkoop sociaal domein?"
    assert with_earlier_topic("Wanneer komt het rapport?", []) is None
    # A question that already holds the earlier topic gains nothing.
    assert with_earlier_topic("Wanneer wordt de inkoop sociaal domein geëvalueerd?", history) is None


def test_each_part_of_a_compound_question_brings_its_own_passages():
    from types import SimpleNamespace

    from regioassist.answer import question_parts
    from regioassist.assistant import PART_HITS, Assistant
    from regioassist.models import Chunk, DocType, Hit

    def hit(cid):
        chunk = Chunk(id=cid, source=f"{cid}.txt", doc_hash="h", title=cid, doc_type=DocType.RESUME, text=cid, context="")
        return Hit(chunk=chunk, score=0.5, dense_score=0.9)

    found = {"Welke rol speelt Zorgstart?": ["rol1", "rol2", "rol3"], "Hoeveel geld is er vrijgegeven?": ["geld1", "w1"]}
    asked = []

    def retrieve(query, top_k, filters=None):
        asked.append((query, top_k, filters))
        return [hit(cid) for cid in found[query]][:top_k]

    fake = SimpleNamespace(
        retriever=SimpleNamespace(retrieve=retrieve), anchors=lambda: None, settings=SimpleNamespace(top_k=6)
    )
    whole = [hit(c) for c in ("w1", "w2", "rol1", "w3", "w4", "w5", "w6")]
    merged = Assistant.with_parts(fake, whole, [(q, Filters()) for q in found])
    # The best hit of the whole question stays first; each part's best follow; the rest fill up to top_k.
    assert [h.chunk.id for h in merged] == ["w1", "rol1", "rol2", "geld1", "w2", "w3"]
    assert [a[1] for a in asked] == [PART_HITS, PART_HITS]
    # Each part keeps its own time phrase as its scope; filters the user set win for every part.
    compound = "Welke rol speelt Zorgstart in het programma, en hoeveel geld is er in februari 2023 voor vrijgegeven?"
    parts = Assistant.scoped_parts(fake, question_parts(compound), None)
    assert [scope.date_from for _, scope in parts] == [None, dt.date(2023, 2, 1)]
    assert not any("februari" in text for text, _ in parts)
    user = Filters(domain="Jeugd")
    assert {scope for _, scope in Assistant.scoped_parts(fake, question_parts(compound), user)} == {user}


def test_a_document_the_question_names_but_the_first_passages_lack_is_looked_up_on_its_own():
    from types import SimpleNamespace

    from regioassist.assistant import Assistant, named_documents
    from regioassist.models import Chunk, DocType, Hit

    def hit(cid, year):
        chunk = Chunk(id=cid, source=f"{cid}.txt", doc_hash="h", title=cid, doc_type=DocType.RESUME, text=cid,
                      context="", date=dt.date(year, 3, 1))
        return Hit(chunk=chunk, score=0.5, dense_score=0.9)

    asked = []

    def retrieve(query, top_k, filters=None):
        asked.append(filters)
        return [hit("old", 2021)] if filters.date_from.year == 2021 else [hit("new9", 2023)]

    fake = SimpleNamespace(retriever=SimpleNamespace(retrieve=retrieve), settings=SimpleNamespace(top_k=6))
    fake.with_parts = lambda hits, parts: Assistant.with_parts(fake, hits, parts)
    question = "Welke alternatieven komen in 2021 en 2023 naar voren?"
    parts = [(question, scope) for scope in named_documents(question)]
    all_2023 = [hit(f"new{i}", 2023) for i in range(6)]
    covered = Assistant.covering(fake, all_2023, parts)
    # Only 2021 was missing from the first passages: only 2021 is retrieved, and its passage comes second.
    assert [f.date_from.year for f in asked] == [2021]
    assert [h.chunk.id for h in covered][:3] == ["new0", "old", "new1"]
    asked.clear()
    both = [hit("new0", 2023), hit("old", 2021)]
    assert Assistant.covering(fake, both, parts) == both and asked == []


@pytest.mark.integration
def test_a_question_naming_two_months_is_not_scoped_to_the_first(tmp_path, fake_embedder):
    from regioassist.assistant import Assistant, reads_every_time
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths
    from regioassist.timephrases import Anchors, read_time

    question = "Wat is er in maart 2021 en in december 2022 besloten over pleegzorg?"
    reading = read_time(question, Anchors())
    assert reading is not None and not reads_every_time(reading, question)  # it reads March 2021 alone
    whole = read_time("Wat is er tussen maart 2021 en december 2022 besloten over pleegzorg?", Anchors())
    assert reads_every_time(whole, "Wat is er tussen maart 2021 en december 2022 besloten over pleegzorg?")

    paths = []
    for name, date in [("2021.txt", "18 maart 2021"), ("2022.txt", "15 december 2022")]:
        path = tmp_path / "documents" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(MINUTES.format(date=date, present="Anna Jansen", absent="Bert Smit", year=date[-4:]), encoding="utf-8")
        paths.append(path)
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths(paths, index, fake_embedder)
    answer = Assistant(settings, index, fake_embedder).ask(question)
    assert {h.chunk.date.year for h in answer.hits} == {2021, 2022}


@pytest.mark.integration
def test_a_new_question_in_a_conversation_is_not_read_with_the_earlier_topic(tmp_path, real_embedder):
    """Carrying the earlier topic into "Wat is er afgesproken over de inzet van boa's?" made it resemble
    the documents more, so it was read as a question about dyslexia care ("Opgevat als: ...")."""
    from pathlib import Path

    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    minutes = next((Path(__file__).parent.parent / "documents").glob("000_*.txt"))
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths([minutes], index, real_embedder)
    assistant = Assistant(settings, index, real_embedder)
    earlier = "Hoeveel duurder wordt de toegangscontrole voor kinderen met hardnekkige leesproblemen jaarlijks?"
    answer = assistant.ask("Wat is er afgesproken over de inzet van boa's?", history=[earlier])
    assert answer.understood is None
    assert not answer.answered and '"boa\'s" komt in de documenten niet voor' in answer.text
    # A question without a topic of its own still takes the conversation's.
    follow_up = assistant.ask("Wanneer is dat besloten?", history=[earlier])
    assert follow_up.understood


@pytest.mark.integration
def test_a_question_that_names_its_thing_is_not_read_with_the_earlier_topic(tmp_path, real_embedder):
    """After "Wat is er gezegd over de seniorenwoningen?", "Wie is de directeur van de GGD?" was read as
    "... van de GGD over seniorenwoningen?" and answered with the director of Join Us."""
    from pathlib import Path

    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    documents = Path(__file__).parent.parent / "documents"
    paths = [next(documents.glob(f"{prefix}_*.txt")) for prefix in ("001", "004")]
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths(paths, index, real_embedder)
    assistant = Assistant(settings, index, real_embedder)
    answer = assistant.ask("Wie is de directeur van de GGD?", history=["Wat is er gezegd over de seniorenwoningen?"])
    assert answer.understood is None and "Join Us" not in answer.text


@pytest.mark.integration
def test_asking_of_the_documents_does_not_make_a_passage_resemble_the_question(tmp_path, real_embedder):
    """"in de documenten" made a planning row of the programme resemble "... over de musea?" enough to quote."""
    from pathlib import Path

    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    programme = next((Path(__file__).parent.parent / "documents").glob("002_*.txt"))
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths([programme], index, real_embedder)
    assistant = Assistant(settings, index, real_embedder)
    for question in ("Wat staat er in de documenten over de musea?", "Welke documenten zijn er over de musea?"):
        assert not assistant.ask(question).answered, question
    assert assistant.ask("Wat staat er in de documenten over de wachttijden?").answered


@pytest.mark.integration
def test_a_time_no_document_is_dated_is_looked_up_in_the_text(tmp_path, real_embedder):
    """The minutes of February 2023 say "Begin 2022 zijn met het Leger des Heils aanvullende afspraken
    gemaakt"; "begin 2022" only filtered on the documents' dates, found none and said nothing was found."""
    from pathlib import Path

    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    minutes = next((Path(__file__).parent.parent / "documents").glob("000_*.txt"))
    settings = Settings(index_dir=tmp_path / "index")
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths([minutes], index, real_embedder)
    assistant = Assistant(settings, index, real_embedder)
    answer = assistant.ask("Wat is er begin 2022 met het Leger des Heils afgesproken?")
    assert answer.answered and "gezinsgerichte groep" in answer.text
    assert answer.time_note.startswith("Geen document uit januari 2022 tot en met april 2022 gaat hierover")
    # A year no passage names stays unanswered, and so does a meeting of a time that had none.
    assert not assistant.ask("Wat is er in 2019 met het Leger des Heils afgesproken?").answered
    assert not assistant.ask("Wat is er in het overleg van april 2022 besloten over de gezinsgerichte groep?").answered
