"""The report writer: files, embedded plots, ratios, regressions, previous report."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from regioassist.evaluation.metrics import ItemOutcome, Ref, summarize
from regioassist.evaluation.report import Regression, compare, find_previous, write_report

pytestmark = pytest.mark.unit

GOLD = Ref("besluitenlijst.pdf", "3. Jeugdzorg")
MISS = Ref("other.pdf", "Iets")


def _outcome(system: str, i: int, category: str, hit: bool, latency: float) -> ItemOutcome:
    return ItemOutcome(
        id=f"q{i}",
        category=category,
        system=system,
        answerable=True,
        answered=True,
        ranked=(GOLD,) if hit else (MISS,),
        gold=(GOLD,),
        cited=(GOLD,) if hit else (MISS,),
        facts=(("30.000",),),
        answer="Het budget is €30.000." if hit else "Geen idee.",
        question_language="nl",
        answer_language="nl",
        supported_sentences=1,
        total_sentences=1,
        latency_s=latency,
    )


def _run(created: str = "2025-01-31T12:00:00") -> dict:
    # regioassist hits 4 of 4 items, baseline 2 of 4: hit@5 = 1.0 vs 0.5 -> ratio 2.00×
    ours = [_outcome("regioassist", i, c, True, 1.0 + i) for i, c in enumerate("jjww")]
    theirs = [_outcome("baseline", i, c, i % 2 == 0, 0.5) for i, c in enumerate("jjww")]
    return {
        "created": created,
        "settings": {"top_k": 10, "model": "e5 <small>"},
        "systems": {"regioassist": summarize(ours), "baseline": summarize(theirs)},
        "items": [{"id": o.id, "category": o.category, "latency_s": o.latency_s} for o in ours],
        "thresholds": {"hit@5": 0.8, "w/latency_p95_s": 9.0},
        "threshold_failures": [{"metric": "fact_recall", "value": 0.5, "threshold": 0.7}],
    }


def test_write_report_writes_json_markdown_html_and_latest(tmp_path: Path):
    paths = write_report(_run(), tmp_path)
    assert paths.json == tmp_path / "2025-01-31T12-00-00.json"
    for path in (paths.json, paths.markdown, paths.html):
        assert path.is_file()
        assert (tmp_path / f"latest{path.suffix}").read_bytes() == path.read_bytes()

    stored = json.loads(paths.json.read_text(encoding="utf-8"))
    assert stored["systems"]["regioassist"]["overall"]["hit@5"] == 1.0
    assert stored["previous_report"] is None
    assert stored["regressions"] == []

    markdown = paths.markdown.read_text(encoding="utf-8")
    # hit@5 overall: 1.000 vs 0.500 -> 1.0 / 0.5 = 2.00×
    assert "| overall | 4 | 1.000 | 0.500 | 2.00× |" in markdown
    assert "fact_recall" in markdown and "threshold: 0.700" in markdown

    page = paths.html.read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') == 5  # 3 bar charts + latency + decline curve
    assert "## Declining" in markdown and "fitted on the calibration split" in markdown
    assert "e5 &lt;small&gt;" in page and "e5 <small>" not in page  # escaped
    assert "http://" not in page and "https://" not in page  # self-contained
    assert "2.00×" in page


def test_ratio_is_a_dash_when_baseline_is_zero(tmp_path: Path):
    run = _run()
    run["systems"]["baseline"]["overall"]["mrr"] = 0.0
    markdown = write_report(run, tmp_path).markdown.read_text(encoding="utf-8")
    mrr_table = markdown.split("### mrr")[1].split("###")[0]
    assert "| overall | 4 | 1.000 | 0.000 | – |" in mrr_table


def test_compare_flags_regressions_but_not_improvements():
    previous = _run()
    current = copy.deepcopy(previous)
    ours = current["systems"]["regioassist"]
    ours["overall"]["hit@5"] = 0.97  # 1.00 -> 0.97: worse by 0.03 > 0.02 -> flagged
    ours["overall"]["mrr"] = 0.99  # 1.00 -> 0.99: worse by 0.01 -> noise
    ours["by_category"]["j"]["false_decline_rate"] = 0.05  # 0.00 -> 0.05: lower is better
    ours["by_category"]["w"]["fact_recall"] = 1.0  # unchanged
    # p95 latency overall of [1, 2, 3, 4] = 3.85 s; 3.85 * 1.25 = 4.81 -> 5.0 s is flagged
    ours["overall"]["latency_p95_s"] = 5.0
    ours["overall"]["latency_p50_s"] = 9.0  # p50 is not guarded
    found = {(r.scope, r.metric) for r in compare(current, previous)}
    assert found == {
        ("overall", "hit@5"),
        ("j", "false_decline_rate"),
        ("overall", "latency_p95_s"),
    }

    # the mirror image is all improvement: nothing flagged
    assert compare(previous, current) == []


def test_compare_skips_undefined_metrics():
    previous = _run()
    current = copy.deepcopy(previous)
    current["systems"]["regioassist"]["overall"]["hit@5"] = None
    assert compare(current, previous) == []


def test_find_previous_ignores_latest(tmp_path: Path):
    assert find_previous(tmp_path) is None
    write_report(_run("2025-01-30T09:00:00"), tmp_path)
    write_report(_run("2025-01-31T09:00:00"), tmp_path)
    (tmp_path / "latest.json").touch()  # newest mtime, and sorts after the timestamps
    assert find_previous(tmp_path) == tmp_path / "2025-01-31T09-00-00.json"
    assert find_previous(tmp_path, before="2025-01-31T09-00-00") == tmp_path / "2025-01-30T09-00-00.json"


def test_write_report_compares_with_the_previous_report(tmp_path: Path):
    write_report(_run("2025-01-30T09:00:00"), tmp_path)
    worse = _run("2025-01-31T09:00:00")
    worse["systems"]["regioassist"]["overall"]["hit@5"] = 0.5  # 1.0 -> 0.5
    paths = write_report(worse, tmp_path)
    stored = json.loads(paths.json.read_text(encoding="utf-8"))
    assert stored["previous_report"] == "2025-01-30T09-00-00.json"
    assert stored["regressions"] == [
        {"scope": "overall", "metric": "hit@5", "previous": 1.0, "current": 0.5}
    ]
    assert "overall hit@5: 1.000 -> 0.500" in paths.markdown.read_text(encoding="utf-8")
    assert str(Regression("overall", "hit@5", 1.0, 0.5)) == "overall hit@5: 1.000 -> 0.500"


def test_threshold_table_reads_category_scoped_keys(tmp_path: Path):
    # category w holds items 2 and 3 with latencies 3.0 and 4.0: p95 = 3.0 + 0.95 * 1.0 = 3.95
    markdown = write_report(_run(), tmp_path).markdown.read_text(encoding="utf-8")
    assert "| w/latency_p95_s | 9.000 | 3.950 |" in markdown


def test_an_llm_run_is_set_beside_the_extractive_default(tmp_path: Path):
    run = _run()
    default = [_outcome("regioassist", i, c, i != 0, 0.05) for i, c in enumerate("jjww")]
    run["systems"]["extractive"] = summarize(default)
    run["generator"] = {"configured": "openai", "fallbacks": 1}
    paths = write_report(run, tmp_path)
    markdown = paths.markdown.read_text(encoding="utf-8")
    assert "Answers written by: openai (1 replaced by the extractive answer" in markdown
    assert "## Against the extractive default" in markdown
    assert "| metric | openai | extractive |" in markdown and "| hit@5 | 1.000 | 0.750 |" in markdown
    assert "Against the extractive default" in paths.html.read_text(encoding="utf-8")
    assert "## Against the extractive default" not in write_report(_run("2025-02-01T12:00:00"), tmp_path).markdown.read_text(
        encoding="utf-8")  # only when an LLM ran
