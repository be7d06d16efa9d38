"""The ``regioassist`` command line: a thin layer over the library.

Each command parses its input, calls one library function and turns known
errors into a one-line message with exit code 2. Heavy libraries (torch,
sentence-transformers, chromadb) are imported inside the commands, so
``regioassist --help`` answers at once.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from regioassist.config import apply_offline_env

apply_offline_env()

app = typer.Typer(help="Cited Dutch answers over the region's social-domain documents.", no_args_is_help=True)

IndexOption = typer.Option(None, "--index", help="Index directory (default: index/ or REGIOASSIST_INDEX_DIR).")


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def settings_for(index: Optional[Path]):
    from regioassist.config import Settings

    return Settings().with_overrides(index_dir=index)


def parse_date(value: Optional[str], flag: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{flag} expects a date as YYYY-MM-DD, got {value!r}") from None


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders (.txt, .md, .pdf, .docx)."),
    index: Optional[Path] = IndexOption,
    prune: bool = typer.Option(False, "--prune", help="Also remove indexed files that no longer exist."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Read, chunk, embed and index documents. Unchanged files are skipped."""
    from rich.console import Console

    from regioassist.pipeline import ingest_into

    console = Console(stderr=True)
    settings = settings_for(index)
    report = ingest_into(settings, paths, prune=prune, progress=lambda p, s: console.print(f"  {p}: {s}"))
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        typer.echo(
            f"read {len(report.read)}, skipped as unchanged {len(report.unchanged)}, "
            f"failed {len(report.failed)}, pruned {len(report.pruned)}; {report.chunks_added} chunks added"
        )
        for line in report.failed:
            typer.echo(f"failed: {line}", err=True)
    if report.failed and not report.read and not report.unchanged:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, help="The question, in Dutch or English."),
    index: Optional[Path] = IndexOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per answer."),
    batch: Optional[str] = typer.Option(None, "--batch", help="File with one question per line ('-' = stdin)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only documents dated on or after YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only documents dated on or before YYYY-MM-DD."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Only this domain, e.g. 'Jeugd en Onderwijs'."),
    doc_type: Optional[str] = typer.Option(None, "--type", help="Only this document type, e.g. resumé."),
) -> None:
    """Answer a question with numbered citations."""
    from regioassist.store import Filters

    try:
        filters = Filters(parse_date(date_from, "--from"), parse_date(date_to, "--to"), domain, doc_type)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise UserError("--from is after --to")
        questions = _questions(question, batch)
    except UserError as error:
        fail(str(error))
        return
    from regioassist.answer import render

    assistant = _load_assistant(index)
    for q in questions:
        answer = assistant.ask(q, filters=filters)
        if as_json or batch:
            typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        else:
            typer.echo(render(answer, assistant.answerer.phrases))


def _load_assistant(index: Optional[Path]):
    """The assistant, or a one-line error for what the user can fix (a broken prompt file)."""
    from regioassist.pipeline import load_assistant
    from regioassist.prompts import PromptError

    try:
        return load_assistant(settings_for(index))
    except PromptError as error:
        fail(str(error))


def _questions(question: Optional[str], batch: Optional[str]) -> list[str]:
    if batch is None:
        if question is None or not question.strip():
            raise UserError("give a question, or --batch FILE")
        return [question]
    if question is not None:
        raise UserError("give either a question or --batch, not both")
    if batch == "-":
        lines = sys.stdin.read().splitlines()
    else:
        path = Path(batch)
        if not path.is_file():
            raise UserError(f"{batch}: no such file")
        lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


@app.command()
def status(index: Optional[Path] = IndexOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the indexed documents and the totals."""
    from regioassist.index import LocalIndex

    settings = settings_for(index)
    if not (settings.index_dir / "chroma").exists():
        fail(f"{settings.index_dir}: no index here yet (run: regioassist ingest documents/)")
    report = LocalIndex.open(settings.index_dir, settings.collection).status()
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"index: {report.index_dir}")
    for column in ("source", "title", "type", "date", "chunks"):
        table.add_column(column)
    for d in report.documents:
        table.add_row(d.source, d.title, d.doc_type, d.date or "–", str(d.chunks))
    Console().print(table)
    typer.echo(f"{len(report.documents)} documents, {report.chunks} chunks")


@app.command()
def chat(index: Optional[Path] = IndexOption) -> None:
    """Ask questions at a prompt in the terminal (follow-ups keep their context). Ctrl-D ends."""
    from regioassist.answer import render

    assistant = _load_assistant(index)
    history: list[str] = []
    typer.echo("regioassist — stel een vraag over de documenten (Ctrl-D om te stoppen).")
    while True:
        try:
            question = input("\nvraag> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if not question:
            continue
        typer.echo(render(assistant.ask(question, history=history), assistant.answerer.phrases))
        history.append(question)


@app.command()
def setup(index: Optional[Path] = IndexOption) -> None:
    """Convert the embedding model and index the shipped documents (skips what is done)."""
    from regioassist.pipeline import prepare

    report = prepare(settings_for(index))
    typer.echo(
        f"model ready; documents: read {len(report.read)}, unchanged {len(report.unchanged)}, "
        f"failed {len(report.failed)}"
    )


@app.command("eval")
def evaluate(
    index: Optional[Path] = IndexOption,
    questions: Path = typer.Option(Path("eval/questions.jsonl"), help="The evaluation set (JSONL)."),
    thresholds: Path = typer.Option(Path("eval/thresholds.json"), help="Minimum (or maximum) values per metric."),
    out: Path = typer.Option(Path("eval/reports"), help="Where the JSON, Markdown and HTML reports go."),
    validate: bool = typer.Option(False, "--validate", help="Only check the evaluation set, run nothing."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also run the naive baseline."),
    generator: Optional[str] = typer.Option(None, "--generator", help="Who writes the answers (default: extractive)."),
) -> None:
    """Run the evaluation set through the assistant and the baseline; write the reports."""
    from pydantic import ValidationError

    from regioassist.evaluation.dataset import DatasetError, load_corpus, load_items, validate_against_corpus

    try:
        settings = settings_for(index).with_overrides(generator=generator)
    except ValidationError as error:
        fail(f"--generator: {error.errors()[0]['msg']}")
        return
    try:
        items = load_items(questions)
        validate_against_corpus(items, load_corpus(settings.documents_dir), questions)
    except DatasetError as error:
        for problem in error.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    if validate:
        typer.echo(f"{questions}: {len(items)} questions, all valid")
        return
    from rich.progress import Progress

    from regioassist.evaluation.report import write_report
    from regioassist.evaluation.runner import evaluate as run_evaluation, load_thresholds

    with Progress(transient=True) as bar:
        task = bar.add_task("evaluating", total=len(items))
        run = run_evaluation(
            settings, items, load_thresholds(thresholds), with_baseline=baseline,
            progress=lambda _: bar.advance(task),
        )
    paths = write_report(run, out)
    overall = run["systems"]["regioassist"]["overall"]
    typer.echo(
        "regioassist: " + ", ".join(f"{k} {overall[k]:.3f}" for k in ("hit@1", "hit@5", "mrr", "fact_recall",
                                                                     "citation_recall", "faithfulness")
                                    if overall.get(k) is not None)
    )
    typer.echo(f"reports: {paths.json} {paths.markdown} {paths.html}")
    for failure in run["threshold_failures"]:
        typer.echo(f"below threshold: {failure}", err=True)
    if run["threshold_failures"]:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()
