import pytest

from regioassist.language import detect_language

pytestmark = pytest.mark.unit

DUTCH = [
    "Wat is besloten over verblijf?",
    "dagbesteding budget",
    "besluit over parkeren",
    "Wat kost de nieuwe sporthal?",
    "Wie was afwezig bij het overleg?",
    "Hoeveel kost de poortwachtersfunctie?",
    "En wat is er in 2023 over besloten?",
    # Letters langdetect cannot place outweighed "Wat" and "is": it said English.
    "Wat is LWL?",
    "Wie is POH?",
]
ENGLISH = [
    "What was decided about youth care?",
    "Who is the contact person of the February 2023 meeting?",
    "When is the evaluation report expected?",
    "How much budget was made available?",
    "What is WSP?",
]


@pytest.mark.parametrize("question", DUTCH)
def test_dutch(question):
    assert detect_language(question) == "nl"


@pytest.mark.parametrize("question", ENGLISH)
def test_english(question):
    assert detect_language(question) == "en"


def test_deterministic_and_restricted():
    # 'Hej' is Scandinavian; restricted to nl/en it must be one of them, the same every time.
    results = {detect_language("Hej hej") for _ in range(5)}
    assert len(results) == 1 and results <= {"nl", "en"}
    assert detect_language("12345 ?!") == "nl"  # nothing to detect: the default language


# --- a document's language ------------------------------------------------------------------

ENGLISH_REPORT = """Annual report youth care 2023

Summary

The region spent more on youth care than was budgeted. The municipalities agreed to share the
extra costs according to the number of young people living in each municipality.

Waiting lists

The waiting lists for specialist youth care became shorter in the second half of the year.
"""

GERMAN_LETTER = """Jahresbericht Jugendhilfe 2023

Die Region hat mehr für die Jugendhilfe ausgegeben als geplant. Die Gemeinden haben beschlossen,
die zusätzlichen Kosten nach der Zahl der jungen Menschen in jeder Gemeinde zu teilen.
"""


def test_a_documents_language_is_told_among_all_languages():
    from regioassist.config import REPO_ROOT
    from regioassist.language import document_language

    for path in sorted((REPO_ROOT / "documents").glob("*.txt")):
        assert document_language(path.read_text(encoding="utf-8")) == "nl", path.name
    assert document_language(ENGLISH_REPORT) == "en"
    assert document_language(GERMAN_LETTER) == "de"
    assert document_language("Rapport annuel: la région a dépensé plus que prévu pour l'aide à la jeunesse.") == "fr"
    # Too few letters to tell ("Geen." is Dutch, but so might "Ja." be Danish): undecided.
    assert document_language("12-03-2023 | 45.000 | 12 %") == "und"
    assert document_language("") == "und"
    assert {document_language(ENGLISH_REPORT * 40) for _ in range(3)} == {"en"}  # long, sampled, stable


def test_a_long_document_is_judged_on_its_start_middle_and_end():
    from regioassist.language import SAMPLE_CHARS, _sample

    text = "a" * SAMPLE_CHARS + "b" * SAMPLE_CHARS * 3 + "c" * SAMPLE_CHARS
    assert _sample(text) == "\n".join(("a" * SAMPLE_CHARS, "b" * SAMPLE_CHARS, "c" * SAMPLE_CHARS))
    assert _sample("kort") == "kort"


@pytest.mark.integration
def test_an_english_document_is_indexed_with_its_language_on_chunks_and_card(tmp_path, fake_embedder):
    from regioassist.assistant import Assistant
    from regioassist.config import Settings
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths
    from regioassist.ui.cards import card_body, card_title

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "youth-care-report.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    (docs / "jahresbericht.txt").write_text(GERMAN_LETTER, encoding="utf-8")
    (docs / "resume.txt").write_text(DUTCH_MINUTES, encoding="utf-8")
    # The fake embedder's cosines are far below the e5-calibrated decline threshold.
    settings = Settings(index_dir=tmp_path / "index", min_dense_score=0.0)
    index = LocalIndex.open(settings.index_dir, settings.collection)
    report = ingest_paths([docs], index, fake_embedder)
    assert (len(report.read), report.failed) == (3, [])

    languages = {}
    for chunk in index.store.all_chunks():  # read back from Chroma
        languages.setdefault(chunk.source.rsplit("/", 1)[-1], set()).add(chunk.language)
    assert languages == {"youth-care-report.txt": {"en"}, "jahresbericht.txt": {"de"}, "resume.txt": {"nl"}}

    answer = Assistant(settings, index, fake_embedder).ask("What happened to the waiting lists for specialist youth care?")
    cited = [c for c in answer.citations if c.source.endswith("youth-care-report.txt")]
    assert cited and all(c.language == "en" for c in cited)
    assert card_title(cited[0]).endswith(" · taal: en") and "taal: en" in card_body(cited[0])


DUTCH_MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

JEUGD EN ONDERWIJS

Pleegzorg

Het portefeuillehoudersoverleg stelt het voorstel over pleegzorg vast.
"""
