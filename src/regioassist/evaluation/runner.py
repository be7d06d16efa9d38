"""``regioassist eval``: every question through the assistant and the baseline, scored and reported.

Questions go through :meth:`Assistant.ask`, the same call the chat and
``regioassist ask`` make, with the same settings; follow-ups carry their
earlier turns. How the answer is scored:

- retrieval: the agenda items of the ranked hits (up to ``top_k``) against the gold;
- citations: the agenda items of the numbered sources against the gold;
- facts: each key fact (or one of its alternatives) literally in the answer text;
- language: the answer's framing (its first line: the heading or the decline) is
  detected among the supported languages; quotes stay Dutch and are not counted;
- faithfulness: every statement (an answer line that carries a citation marker
  [n]) must be supported by the quote of source n, by the rule in
  ``metrics.sentence_support`` (60% of its content words, every number exact).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from regioassist.config import Settings
from regioassist.evaluation.dataset import EvalItem
from regioassist.evaluation.metrics import ItemOutcome, Ref, sentence_support, summarize
from regioassist.language import detect_language
from regioassist.models import Answer
from regioassist.store import Filters

RENDERINGS = ("pdf", "docx")
SECOND_CORPUS = Path("eval/corpus2")  # documents/ and questions.jsonl, written by the team in other shapes
VARIANT_SCOPES = frozenset({*RENDERINGS, SECOND_CORPUS.name})


def load_thresholds(path: Path) -> dict[str, float]:
    """``{"hit@5": 0.8, "decision/fact_recall": 0.5, ...}``; 'category/metric' scopes one category."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def check_thresholds(summary: dict, thresholds: dict[str, float], variants: dict | None = None) -> list[str]:
    """One line per metric that fell below its minimum (or rose above its maximum).

    A key is a metric ("hit@5"), a category's metric ("paraphrase/hit@5") or a variant's
    ("pdf/fact_recall_gap", "corpus2/fact_recall").
    """
    from regioassist.evaluation.metrics import LOWER_IS_BETTER

    failures = []
    for key, limit in thresholds.items():
        scope, _, metric = key.rpartition("/")
        if not scope:
            group = summary["overall"]
        elif not variants and scope in VARIANT_SCOPES:
            continue  # the run left the renderings and the second corpus out (--no-variants)
        elif scope in (variants or {}):
            group = variants[scope]["overall"]  # "pdf/hit@5_gap": a run on another corpus or rendering
        else:
            group = summary["by_category"].get(scope, {})
        value = group.get(metric)
        if value is None:
            failures.append(f"{key}: no value (threshold {limit})")
        elif metric in LOWER_IS_BETTER and value > limit:
            failures.append(f"{key}: {value:.3f} is above the maximum {limit}")
        elif metric not in LOWER_IS_BETTER and value < limit:
            failures.append(f"{key}: {value:.3f} is below the minimum {limit}")
    return failures


# A cited statement: text up to one or more markers, and the full stop a writer may put after them.
# "- Het PFHO stelt het voorstel vast. [1]" (the extractive answer's lines) is one; an LLM's
# "Het PFHO stelt het voorstel vast [1]. De kosten zijn gedeeld [2]." is two.
CITED_STATEMENT = re.compile(r"(?P<text>[^\[\]]+?)(?P<marks>(?:\s*\[\d+\])+)\s*[.!?]?")


def faithfulness_counts(answer: Answer) -> tuple[int, int]:
    """(supported, total) statements: each text before citation markers, checked against those quotes."""
    quotes = {c.n: c.quote for c in answer.citations}
    supported = total = 0
    for line in answer.text.splitlines():
        for match in CITED_STATEMENT.finditer(line):
            statement = match["text"].strip().lstrip("- ").strip()
            if not statement:
                continue
            total += 1
            cited = " ".join(quotes.get(int(n), "") for n in re.findall(r"\d+", match["marks"]))
            if sentence_support(statement, cited):
                supported += 1
    return supported, total


def _filters(item: EvalItem) -> Filters | None:
    if item.filters is None:
        return None
    f = item.filters
    return Filters(f.date_from, f.date_to, f.domain, f.doc_type)


def _outcome(item: EvalItem, system: str, **fields) -> ItemOutcome:
    return ItemOutcome(
        id=item.id,
        category=item.category,
        system=system,
        answerable=item.answerable,
        gold=item.gold,
        facts=tuple(tuple(f) for f in item.facts),
        question_language=item.language,
        answer_type=item.answer_type,
        **fields,
    )


def run_assistant(assistant, items: Sequence[EvalItem], progress: Callable[[str], None]) -> list[ItemOutcome]:
    outcomes = []
    for item in items:
        started = time.perf_counter()
        answer = assistant.ask(item.question, filters=_filters(item), history=item.conversation)
        latency = time.perf_counter() - started
        supported, total = faithfulness_counts(answer)
        first_line = answer.text.splitlines()[0] if answer.text else ""
        # The heading each cited section stands under, so a citation inside a gold section counts.
        parents = {(h.chunk.source, h.chunk.section): h.chunk.parent for h in answer.hits}
        outcomes.append(
            _outcome(
                item,
                "regioassist",
                answered=answer.answered,
                ranked=tuple(Ref(h.chunk.source, h.chunk.section, h.chunk.parent) for h in answer.hits),
                cited=tuple(Ref(c.source, c.agenda_item, parents.get((c.source, c.agenda_item))) for c in answer.citations),
                answer=answer.text,
                answer_language=detect_language(first_line, assistant.settings.languages),
                supported_sentences=supported,
                total_sentences=total,
                latency_s=latency,
                confidence=answer.confidence if answer.answered else 0.0,
                generator=answer.generator,
                fallback=answer.fallback,
            )
        )
        progress(item.id)
    return outcomes


def run_baseline(baseline, items: Sequence[EvalItem], languages: Sequence[str]) -> list[ItemOutcome]:
    outcomes = []
    for item in items:
        started = time.perf_counter()
        result = baseline.ask(item.question)
        latency = time.perf_counter() - started
        statements = len(result.cited)  # each pasted passage is its own quote: supported by construction
        outcomes.append(
            _outcome(
                item,
                "baseline",
                answered=True,
                ranked=result.ranked,
                cited=result.cited,
                answer=result.answer,
                answer_language=detect_language(result.answer.splitlines()[0] if result.answer else "", languages),
                supported_sentences=statements,
                total_sentences=statements,
                latency_s=latency,
            )
        )
    return outcomes


@dataclass(frozen=True)
class Variant:
    """The same evaluation on other documents: a second corpus, or the shipped ones rendered as PDF or Word.

    ``render`` names the format the documents are rendered to first ("pdf", "docx"); the
    questions then keep their gold sources, matched by file stem.
    """

    name: str
    documents: Path
    items: tuple[EvalItem, ...]
    render: str | None = None




def build_variants(
    documents: Path, items: Sequence[EvalItem], corpora: Sequence[Path] = (), renderings: Sequence[str] = RENDERINGS
) -> list[Variant]:
    """The shipped documents in each rendering with the main questions, then each extra corpus.

    An extra corpus is a folder with ``documents/`` and ``questions.jsonl``; its questions are
    validated against its documents (without the main set's minimum counts).
    """
    from regioassist.evaluation.dataset import load_corpus, load_items, validate_against_corpus

    variants = [Variant(fmt, documents, tuple(items), render=fmt) for fmt in renderings]
    for folder in corpora:
        questions = folder / "questions.jsonl"
        corpus_items = load_items(questions)
        validate_against_corpus(corpus_items, load_corpus(folder / "documents"), questions, minimums=False)
        variants.append(Variant(folder.name, folder / "documents", tuple(corpus_items)))
    return variants


def run_variant(settings: Settings, embedder, variant: Variant, workdir: Path, main: dict | None = None) -> dict:
    """Index the variant's documents into a fresh index under ``workdir`` and score its questions there.

    For a rendering, ``main`` (the text run's summary) gives the gaps: how much hit@5 and fact
    recall the rendering loses against the text version.
    """
    from regioassist.pipeline import load_assistant

    documents = variant.documents
    if variant.render:
        from regioassist.evaluation.renderings import render_corpus

        documents = workdir / variant.name / "documents"
        render_corpus(variant.documents, documents, variant.render)
    # A fresh index on disk, also when the main run reads a Chroma server: a variant's documents
    # must never land in the server's collection.
    variant_settings = settings.model_copy(
        update={"documents_dir": documents, "index_dir": workdir / variant.name / "index", "index_url": None}
    )
    assistant = load_assistant(variant_settings, embedder=embedder)
    summary = summarize(run_assistant(assistant, variant.items, lambda _: None))
    if main is not None:
        for metric in ("hit@5", "fact_recall"):
            ours, text = summary["overall"].get(metric), main["overall"].get(metric)
            summary["overall"][f"{metric}_gap"] = None if ours is None or text is None else round(text - ours, 4)
    return {"documents": str(variant.documents), "render": variant.render, "summary": summary}


def evaluate(
    settings: Settings,
    items: Sequence[EvalItem],
    thresholds: dict[str, float],
    *,
    assistant=None,
    with_baseline: bool = True,
    variants: Sequence[Variant] = (),
    workdir: Path | None = None,
    progress: Callable[[str], None] = lambda item_id: None,
) -> dict:
    """Run both systems and return the report's ``run`` dict (see ``report.write_report``).

    Each of ``variants`` is run too, on its own index under ``workdir`` (a temporary folder
    when None); renderings are compared with the text run.
    """
    from regioassist.pipeline import load_assistant

    assistant = assistant or load_assistant(settings)
    ours = run_assistant(assistant, items, progress)
    systems = {"regioassist": summarize(ours)}
    if settings.generator != "extractive":
        # An LLM configuration is measured against the extractive default, on the same questions and index.
        default = load_assistant(settings.with_overrides(generator="extractive"), embedder=assistant.embedder)
        systems["extractive"] = summarize(run_assistant(default, items, lambda _: None))
    variant_runs: dict[str, dict] = {}
    if variants:
        with tempfile.TemporaryDirectory(prefix="regioassist-eval-") as scratch:
            root = workdir or Path(scratch)
            for variant in variants:
                main = systems["regioassist"] if variant.render else None
                variant_runs[variant.name] = run_variant(settings, assistant.embedder, variant, root, main)
    if with_baseline:
        from regioassist.evaluation.baseline import NaiveBaseline

        baseline = NaiveBaseline(assistant.embedder, settings.documents_dir, top_k=settings.top_k)
        systems["baseline"] = summarize(run_baseline(baseline, items, settings.languages))
    return {
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "settings": json.loads(settings.model_dump_json()),
        "systems": systems,
        "items": [
            {
                "id": o.id,
                "category": o.category,
                "answered": o.answered,
                "cited": [[r.source, r.section] for r in o.cited],
                "ranked": [[r.source, r.section, r.parent] for r in o.ranked],
                "latency_s": round(o.latency_s, 4),
                "confidence": round(o.confidence, 4),
                "answer": o.answer,
                "generator": o.generator,
                "fallback": o.fallback,
            }
            for o in ours
        ],
        # Who wrote the answers, and how often an LLM's answer was replaced by the extractive one.
        "generator": {"configured": settings.generator, "fallbacks": sum(1 for o in ours if o.fallback)},
        "variants": variant_runs,
        "thresholds": thresholds,
        "threshold_failures": check_thresholds(
            systems["regioassist"], thresholds, {name: v["summary"] for name, v in variant_runs.items()}
        ),
    }
