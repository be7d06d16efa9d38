import datetime as dt

import pytest

from regioassist.assistant import scope_from_question, standalone_question, topic_of

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
