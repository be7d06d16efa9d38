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
]
ENGLISH = [
    "What was decided about youth care?",
    "Who is the contact person of the February 2023 meeting?",
    "When is the evaluation report expected?",
    "How much budget was made available?",
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
