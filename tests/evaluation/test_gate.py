"""The quality gate: the real pipeline on the shipped documents must meet eval/thresholds.json."""

import json

import pytest

from regioassist.config import REPO_ROOT, Settings
from regioassist.evaluation.dataset import load_corpus, load_items, validate_against_corpus
from regioassist.evaluation.report import write_report
from regioassist.evaluation.runner import SECOND_CORPUS, build_variants, evaluate, load_thresholds
from regioassist.pipeline import load_assistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTIONS = REPO_ROOT / "eval" / "questions.jsonl"
THRESHOLDS = REPO_ROOT / "eval" / "thresholds.json"


def test_pipeline_meets_thresholds_and_writes_reports(tmp_path, real_embedder):
    items = load_items(QUESTIONS)
    validate_against_corpus(items, load_corpus(REPO_ROOT / "documents"), QUESTIONS)
    thresholds = load_thresholds(THRESHOLDS)
    assert len(thresholds) >= 10, "the gate must check the metrics that matter"

    settings = Settings(index_dir=tmp_path / "index")
    assistant = load_assistant(settings, embedder=real_embedder)  # indexes documents/ into the empty index
    # The second corpus and the PDF and Word renderings of the shipped documents, each in its own index.
    variants = build_variants(REPO_ROOT / "documents", items, [REPO_ROOT / SECOND_CORPUS])
    run = evaluate(settings, items, thresholds, assistant=assistant, variants=variants, workdir=tmp_path / "variants")
    assert set(run["variants"]) == {"pdf", "docx", "corpus2"}
    assert sorted(p.suffix for p in (tmp_path / "variants" / "pdf" / "documents").iterdir()) == [".pdf"] * 5

    paths = write_report(run, tmp_path / "reports")
    assert json.loads(paths.json.read_text())["systems"]["baseline"]["overall"]["n"] == len(items)
    assert "data:image/png;base64," in paths.html.read_text()
    assert "regioassist" in paths.markdown.read_text()
    assert run["threshold_failures"] == [], "\n".join(run["threshold_failures"])
