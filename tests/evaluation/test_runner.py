import pytest

from regioassist.evaluation.runner import check_thresholds, faithfulness_counts
from regioassist.models import Answer, Citation

pytestmark = pytest.mark.unit


def citation(n, quote):
    return Citation(n=n, source="s", title="t", doc_type="resumé", date=None, domain=None,
                    agenda_item=None, page=None, quote=quote, score=0.9)


def test_faithfulness_counts_only_cited_lines():
    answer = Answer(
        question="q", language="nl", answered=True,
        text=(
            "Besluiten over verblijf, per vergadering:\n\n"  # framing: not a statement
            "18 maart 2021 — Verblijf:\n"  # place line: not a statement
            "- Het PFHO stelt het voorstel vast. [1]\n"  # supported by quote 1
            "- Het budget is 40.000 euro. [2]\n"  # number absent from quote 2 -> unsupported
        ),
        citations=(citation(1, "Het PFHO stelt het voorstel vast."), citation(2, "Het budget is 30.000 euro.")),
    )
    # 2 statements, 1 supported
    assert faithfulness_counts(answer) == (1, 2)


def test_faithfulness_counts_each_cited_statement_of_written_prose():
    """An LLM writes "... vast [1]. ... [2]." in one line: each statement is checked against its own source."""
    answer = Answer(
        question="q", language="nl", answered=True,
        text="Het PFHO stelt het voorstel vast [1]. Het budget is 40.000 euro [2]. Beide gelden vanaf 2024 [1][2].",
        citations=(citation(1, "Het PFHO stelt het voorstel vast."), citation(2, "Het budget is 30.000 euro.")),
    )
    assert faithfulness_counts(answer) == (1, 3)


def test_check_thresholds_directions_and_categories():
    summary = {
        "overall": {"hit@5": 0.90, "false_decline_rate": 0.05, "latency_p95_s": 2.0},
        "by_category": {"decision": {"fact_recall": 0.40}},
    }
    thresholds = {
        "hit@5": 0.85,  # 0.90 >= 0.85: passes
        "false_decline_rate": 0.02,  # lower is better: 0.05 > 0.02 fails
        "latency_p95_s": 3.0,  # 2.0 <= 3.0: passes
        "decision/fact_recall": 0.50,  # 0.40 < 0.50 fails
        "paraphrase/hit@1": 0.3,  # no such category: fails as missing
    }
    failures = check_thresholds(summary, thresholds)
    assert failures == [
        "false_decline_rate: 0.050 is above the maximum 0.02",
        "decision/fact_recall: 0.400 is below the minimum 0.5",
        "paraphrase/hit@1: no value (threshold 0.3)",
    ]
