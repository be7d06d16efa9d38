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

IndexOption = typer.Option(
    None,
    "--index",
    help="Index directory, or a Chroma server's address http://HOST:PORT (default: index/ or REGIOASSIST_INDEX_DIR).",
)


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def settings_for(index: Optional[str]):
    """The settings, with ``--index`` (a directory or a server address) when given."""
    from pydantic import ValidationError

    from regioassist.config import Settings

    try:
        return Settings().with_overrides(index_dir=index)
    except ValidationError as error:
        problem = error.errors()[0]
        fail(f"{'.'.join(map(str, problem['loc'])) or 'index'}: {problem['msg'].removeprefix('Value error, ')}")


def index_name(settings) -> str:
    """How messages name the index: its directory, or its server and local folder."""
    if settings.index_url:
        return f"{settings.index_url} (collection {settings.collection}, local folder {settings.index_dir})"
    return str(settings.index_dir)


def reach_server(settings) -> bool:
    """For a server index: does its collection exist? Fails in one line when the server does not answer."""
    from regioassist.location import server_collection_exists

    try:
        return server_collection_exists(settings.index_url, settings.collection)
    except ValueError as error:  # chromadb: "Could not connect to a Chroma server. Are you sure it is running?"
        fail(f"{settings.index_url}: {error}")
        return False


def require_index(settings) -> None:
    """Fail in one line when there is no index to read: no Chroma folder, or no such collection on the server."""
    if settings.index_url is None:
        if not (settings.index_dir / "chroma").exists():
            fail(f"{settings.index_dir}: no index here yet (run: regioassist ingest documents/)")
        return
    if not reach_server(settings):
        fail(
            f"{settings.index_url}: no collection {settings.collection!r} on this server yet "
            f"(run: regioassist ingest documents/ --index {settings.index_url})"
        )


GeneratorOption = typer.Option(
    None, "--generator", help="Who writes the answers: extractive (default, no LLM), openai, ollama or llamacpp."
)
LlmBaseUrlOption = typer.Option(None, "--llm-base-url", help="The LLM endpoint, e.g. http://127.0.0.1:8080/v1.")
LlmModelOption = typer.Option(None, "--llm-model", help="The model name the endpoint knows.")
LlmTimeoutOption = typer.Option(None, "--llm-timeout", help="Seconds to wait for the model's next token (default 60).")
LlmGgufOption = typer.Option(None, "--llm-gguf", help="The local GGUF file of the llamacpp generator.")


def answering_settings(index: Optional[str], generator=None, base_url=None, model=None, timeout=None, gguf=None):
    """Settings with the generator flags applied; a configuration that cannot work is one error line.

    The API key of an OpenAI-compatible endpoint comes from REGIOASSIST_LLM_API_KEY only (never a
    flag: it would stand in the shell history and the process list).
    """
    from pydantic import ValidationError

    from regioassist.generators import GeneratorError

    try:
        settings = settings_for(index).with_overrides(
            generator=generator, llm_base_url=base_url, llm_model=model, llm_timeout_s=timeout, llm_gguf_path=gguf
        )
        settings.generator_config().check()
    except ValidationError as error:
        problem = error.errors()[0]
        fail(f"--{str(problem['loc'][0]).replace('_', '-')}: {problem['msg']}")
    except GeneratorError as error:
        fail(str(error))
    return settings


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
    index: Optional[str] = IndexOption,
    prune: bool = typer.Option(False, "--prune", help="Also remove indexed files that no longer exist."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    wait: Optional[float] = typer.Option(
        None, "--wait", help="Seconds to wait while another process writes the index (default: as long as it takes)."
    ),
) -> None:
    """Read, chunk, embed and index documents. Unchanged files are skipped.

    A file that cannot be read is reported in one line and the rest is indexed; the exit
    status is 1 when any file failed. One process writes an index at a time: a second
    ingest waits for the first (or gives up after --wait seconds, exit 2).
    """
    from rich.console import Console

    from regioassist.index import IndexBusy, LocalIndex
    from regioassist.pipeline import ingest_into

    console = Console(stderr=True)
    settings = settings_for(index)
    if settings.index_url:
        reach_server(settings)
    target = LocalIndex.open(settings.index_dir, settings.collection, server=settings.index_url)
    try:
        with target.writing(timeout_s=wait, on_wait=lambda: _say_waiting(settings)):
            report = ingest_into(
                settings, paths, prune=prune, index=target, progress=lambda p, s: console.print(f"  {p}: {s}")
            )
    except IndexBusy as error:
        fail(str(error))
        return
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        typer.echo(
            f"read {len(report.read)}, skipped as unchanged {len(report.unchanged)}, "
            f"same as another file {len(report.duplicates)}, failed {len(report.failed)}, "
            f"pruned {len(report.pruned)}; {report.chunks_added} chunks added"
        )
        for line in report.duplicates:
            typer.echo(f"same content: {line}")
        for line in report.failed:
            typer.echo(f"failed: {line}", err=True)
    if report.failed:
        # The rest of the batch is indexed; the exit status still tells a script that something failed.
        raise typer.Exit(1)


def _say_waiting(settings) -> None:
    typer.echo(f"{index_name(settings)}: another process is writing this index; waiting until it is done (Ctrl-C stops)", err=True)


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, help="The question, in Dutch or English."),
    index: Optional[str] = IndexOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per answer."),
    batch: Optional[str] = typer.Option(None, "--batch", help="File with one question per line ('-' = stdin)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only documents dated on or after YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only documents dated on or before YYYY-MM-DD."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Only this domain, e.g. 'Jeugd en Onderwijs'."),
    doc_type: Optional[str] = typer.Option(None, "--type", help="Only this document type, e.g. resumé."),
    stream: bool = typer.Option(False, "--stream", help="Print the answer as it is written (an LLM's preview)."),
    generator: Optional[str] = GeneratorOption,
    llm_base_url: Optional[str] = LlmBaseUrlOption,
    llm_model: Optional[str] = LlmModelOption,
    llm_timeout: Optional[float] = LlmTimeoutOption,
    llm_gguf: Optional[Path] = LlmGgufOption,
) -> None:
    """Answer a question with numbered citations."""
    from regioassist.store import Filters

    try:
        filters = Filters(parse_date(date_from, "--from"), parse_date(date_to, "--to"), domain, doc_type)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise UserError("--from is after --to")
        if stream and (as_json or batch):
            raise UserError("--stream prints text as it comes; it does not go with --json or --batch")
        questions = _questions(question, batch)
    except UserError as error:
        fail(str(error))
        return
    from regioassist.answer import render

    settings = answering_settings(index, generator, llm_base_url, llm_model, llm_timeout, llm_gguf)
    assistant = _load_assistant(settings)
    for q in questions:
        if stream:
            answer, shown = _print_streamed(assistant.ask_stream(q, filters=filters))
        else:
            answer = assistant.ask(q, filters=filters)
        if as_json or batch:
            typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        elif stream:
            # What streamed was the model's raw text; the checked answer (citations verified or
            # replaced by the extractive answer) is what counts, printed again when it differs.
            if answer.text != shown:
                typer.echo("\n\n— nagekeken —\n" + answer.text)
            typer.echo("\n" + render(answer, assistant.answerer.phrases)[len(answer.text):].lstrip("\n"))
        else:
            if answer.understood:  # read in the documents' words ("dokter" -> "huisarts")
                typer.echo(answer.understood_note() + "\n")
            if answer.time_note:  # how "vorig jaar" / "de laatste vergadering" was read
                typer.echo(answer.time_note + "\n")
            typer.echo(render(answer, assistant.answerer.phrases))


def _print_streamed(pieces) -> tuple["Answer", str]:
    """Print text pieces as they come; the final Answer and the text that was printed."""
    from regioassist.models import Answer

    shown = []
    for piece in pieces:
        if isinstance(piece, Answer):
            return piece, "".join(shown)
        shown.append(piece)
        typer.echo(piece, nl=False)
    raise RuntimeError("the answer stream ended without an answer")


def _load_assistant(settings):
    """The assistant, or a one-line error for what the user can fix (a broken prompt file, no server)."""
    from regioassist.pipeline import load_assistant
    from regioassist.prompts import PromptError

    if settings.index_url:
        reach_server(settings)  # an empty collection is filled with the shipped documents, as on disk
    try:
        return load_assistant(settings)
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
def status(index: Optional[str] = IndexOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the indexed documents and the totals."""
    from regioassist.index import LocalIndex

    settings = settings_for(index)
    require_index(settings)
    report = LocalIndex.open(settings.index_dir, settings.collection, server=settings.index_url).status()
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"index: {index_name(settings)}")
    for column in ("source", "title", "type", "date", "chunks", "language", "notes"):
        table.add_column(column)
    for d in report.documents:
        notes = (["OCR"] if d.ocr else []) + [f"also as {name}" for name in d.other_names]
        table.add_row(d.source, d.title, d.doc_type, d.date or "–", str(d.chunks), d.language, "; ".join(notes))
    Console().print(table)
    typer.echo(f"{len(report.documents)} documents, {report.chunks} chunks")


@app.command()
def decisions(
    topic: Optional[str] = typer.Option(None, "--topic", help="Only decisions on this topic, e.g. verblijf."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only meetings on or after YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only meetings on or before YYYY-MM-DD."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Only this domain, e.g. 'Jeugd en Onderwijs'."),
    status: Optional[str] = typer.Option(None, "--status", help="Only this status: vastgesteld, ingestemd, ..."),
    index: Optional[str] = IndexOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON list of decisions."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the decisions as CSV."),
) -> None:
    """The decision register: every decision in the index, oldest meeting first."""
    from regioassist.register import decision_register, to_csv, validate_status
    from regioassist.store import Filters

    try:
        if as_json and as_csv:
            raise UserError("give either --json or --csv, not both")
        filters = Filters(parse_date(date_from, "--from"), parse_date(date_to, "--to"), domain)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise UserError("--from is after --to")
        validate_status(status)
    except (UserError, ValueError) as error:
        fail(str(error))
        return
    settings = settings_for(index)
    require_index(settings)
    from regioassist.store import open_store

    store = open_store(settings.index_dir, settings.collection, server=settings.index_url)
    entries = decision_register(store, filters, topic, status)
    if as_json:
        typer.echo(json.dumps([e.to_json() for e in entries], ensure_ascii=False))
        return
    if as_csv:
        typer.echo(to_csv(entries), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="besluitenregister")
    table.add_column("date", no_wrap=True)
    table.add_column("domain", max_width=18)
    table.add_column("agenda item", max_width=28)
    table.add_column("status", no_wrap=True)
    table.add_column("decision")
    for e in entries:
        table.add_row(e.date.isoformat() if e.date else "–", e.domain or "", e.agenda_item or "", e.status, e.text)
    Console().print(table)
    typer.echo(f"{len(entries)} decisions")


@app.command()
def chat(
    index: Optional[str] = IndexOption,
    generator: Optional[str] = GeneratorOption,
    llm_base_url: Optional[str] = LlmBaseUrlOption,
    llm_model: Optional[str] = LlmModelOption,
    llm_timeout: Optional[float] = LlmTimeoutOption,
    llm_gguf: Optional[Path] = LlmGgufOption,
) -> None:
    """Ask questions at a prompt in the terminal (follow-ups keep their context). Ctrl-D ends."""
    from regioassist.answer import render

    assistant = _load_assistant(answering_settings(index, generator, llm_base_url, llm_model, llm_timeout, llm_gguf))
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
        answer = assistant.ask(question, history=history)
        typer.echo(render(answer, assistant.answerer.phrases))
        history.append(answer.understood or question)  # as understood, so a follow-up's follow-up keeps the topic


@app.command()
def serve(
    index: Optional[str] = IndexOption,
    host: Optional[str] = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1; others need a login)."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (default 7860)."),
    generator: Optional[str] = GeneratorOption,
    llm_base_url: Optional[str] = LlmBaseUrlOption,
    llm_model: Optional[str] = LlmModelOption,
    llm_timeout: Optional[float] = LlmTimeoutOption,
    llm_gguf: Optional[Path] = LlmGgufOption,
) -> None:
    """Serve the chat in the browser: cited answers, source cards, decisions, documents."""
    from regioassist.prompts import PromptError
    from regioassist.ui.server import ServeError, serve as run_server

    settings = answering_settings(index, generator, llm_base_url, llm_model, llm_timeout, llm_gguf).with_overrides(
        host=host, port=port
    )
    if settings.index_url:
        reach_server(settings)
    try:
        run_server(settings, settings.host, settings.port, on_ready=typer.echo)
    except (ServeError, PromptError) as error:
        fail(str(error))
    except OSError as error:  # the port is taken, or the address is not ours
        fail(f"cannot serve on {settings.host}:{settings.port}: {error.strerror or error}")


@app.command()
def passwd(user: str = typer.Argument(..., help="The user name to log in with.")) -> None:
    """Print a 'user:bcrypt-hash' line for REGIOASSIST_AUTH_FILE (asks for the password)."""
    import bcrypt

    if ":" in user or not user.strip():
        fail("the user name may not be empty or contain ':'")
    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        fail("use a password of at least 8 characters")
    typer.echo(f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()}")


@app.command()
def setup(index: Optional[str] = IndexOption) -> None:
    """Convert the embedding model and index the shipped documents (skips what is done)."""
    from regioassist.pipeline import prepare

    settings = settings_for(index)
    if settings.index_url:
        reach_server(settings)
    report = prepare(settings)
    typer.echo(
        f"model ready; documents: read {len(report.read)}, unchanged {len(report.unchanged)}, "
        f"failed {len(report.failed)}"
    )


feedback_app = typer.Typer(help="Feedback from chat users, for the evaluation team.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    out: Optional[Path] = typer.Option(None, "--out", help="Write the JSONL here (default: standard output)."),
    index: Optional[str] = IndexOption,
) -> None:
    """Write the chat's feedback as draft evaluation items (JSONL, flagged for review)."""
    import sqlite3

    from regioassist.feedback import FEEDBACK_FILE, FeedbackStore, export_items, write_jsonl

    settings = settings_for(index)
    database = settings.index_dir / FEEDBACK_FILE
    if not database.is_file():
        fail(f"{database}: no feedback stored here yet (the chat of `regioassist serve` stores it)")
    documents = settings.documents_dir
    shipped = {p.name for p in documents.iterdir() if p.is_file()} if documents.is_dir() else None
    try:
        records = FeedbackStore(database).all()
        items = export_items(records, known_sources=shipped)
        write_jsonl(items, out if out is not None else sys.stdout)
    except (sqlite3.Error, OSError) as error:
        fail(f"{out if isinstance(error, OSError) else database}: {error}")
        return
    typer.echo(f"{len(items)} items from {len(records)} feedback rows", err=True)


index_app = typer.Typer(help="Look after the index: do Chroma and the keyword index agree?", no_args_is_help=True)
app.add_typer(index_app, name="index")


@index_app.command("check")
def index_check(
    index: Optional[str] = IndexOption,
    repair: bool = typer.Option(False, "--repair", help="Mend what is found (rebuild, delete damaged files' chunks)."),
) -> None:
    """Check that Chroma and the keyword index hold the same chunks, each once.

    Exit 0 when consistent, 1 with one line per problem when not. --repair rebuilds the keyword
    index and deletes the chunks of damaged files (index those again), under the write lock.
    """
    from regioassist.integrity import check_index, repair_index

    from regioassist.location import bind_server

    settings = settings_for(index)
    require_index(settings)
    if settings.index_url:  # the checks open the index by its folder, which then names the server
        bind_server(settings.index_dir, settings.index_url)
    run = repair_index if repair else check_index
    report = run(settings.index_dir, settings.collection, on_wait=lambda: _say_waiting(settings))
    for line in report.lines():
        typer.echo(line)
    if not report.consistent:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    index: Optional[str] = IndexOption,
    questions: Path = typer.Option(Path("eval/questions.jsonl"), help="The evaluation set (JSONL)."),
    thresholds: Path = typer.Option(Path("eval/thresholds.json"), help="Minimum (or maximum) values per metric."),
    out: Path = typer.Option(Path("eval/reports"), help="Where the JSON, Markdown and HTML reports go."),
    validate: bool = typer.Option(False, "--validate", help="Only check the evaluation set, run nothing."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also run the naive baseline."),
    generator: Optional[str] = GeneratorOption,
    llm_base_url: Optional[str] = LlmBaseUrlOption,
    llm_model: Optional[str] = LlmModelOption,
    llm_timeout: Optional[float] = LlmTimeoutOption,
    llm_gguf: Optional[Path] = LlmGgufOption,
    corpus: list[Path] = typer.Option(
        [Path("eval/corpus2")], "--corpus", help="Another corpus to run too: a folder with documents/ and questions.jsonl."
    ),
    render: list[str] = typer.Option(
        ["pdf", "docx"], "--render", help="Also run the questions on the shipped documents rendered as pdf or docx."
    ),
    variants: bool = typer.Option(True, "--variants/--no-variants", help="Run the other corpora and renderings."),
) -> None:
    """Run the evaluation set through the assistant and the baseline; write the reports.

    Besides the shipped documents, the second corpus and the PDF and Word renderings of the
    shipped documents are scored (each in a fresh index); ``--no-variants`` skips them.
    """
    from regioassist.evaluation.dataset import DatasetError, load_corpus, load_items, validate_against_corpus

    settings = answering_settings(index, generator, llm_base_url, llm_model, llm_timeout, llm_gguf)
    if settings.index_url and not validate:
        reach_server(settings)
    from regioassist.evaluation.runner import RENDERINGS, build_variants

    unknown = [fmt for fmt in render if fmt not in RENDERINGS]
    if unknown:
        fail(f"--render: {unknown[0]!r} is not one of {', '.join(RENDERINGS)}")
        return
    try:
        items = load_items(questions)
        validate_against_corpus(items, load_corpus(settings.documents_dir), questions)
        others = build_variants(settings.documents_dir, items, corpus, render) if variants else []
    except DatasetError as error:
        for problem in error.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    if validate:
        typer.echo(f"{questions}: {len(items)} questions, all valid")
        for variant in others:
            if not variant.render:
                typer.echo(f"{variant.documents.parent / 'questions.jsonl'}: {len(variant.items)} questions, all valid")
        return
    from rich.progress import Progress

    from regioassist.evaluation.report import write_report
    from regioassist.evaluation.runner import evaluate as run_evaluation, load_thresholds

    with Progress(transient=True) as bar:
        task = bar.add_task("evaluating", total=len(items))
        run = run_evaluation(
            settings, items, load_thresholds(thresholds), with_baseline=baseline, variants=others,
            progress=lambda _: bar.advance(task),
        )
    paths = write_report(run, out)
    overall = run["systems"]["regioassist"]["overall"]
    typer.echo(
        "regioassist: " + ", ".join(f"{k} {overall[k]:.3f}" for k in ("hit@1", "hit@5", "mrr", "fact_recall",
                                                                     "citation_recall", "faithfulness")
                                    if overall.get(k) is not None)
    )
    for name, variant in run["variants"].items():
        numbers = variant["summary"]["overall"]
        typer.echo(f"{name}: " + ", ".join(
            f"{k} {numbers[k]:.3f}" for k in ("hit@5", "fact_recall", "hit@5_gap", "fact_recall_gap",
                                              "decline_rate_unanswerable") if numbers.get(k) is not None
        ))
    declining = run["systems"]["regioassist"]["declining"]
    typer.echo(
        f"declining: threshold fitted on the calibration split {declining['fitted_threshold']:.3f}; on the test split "
        f"{declining['test']['declined_unanswerable'] or 0:.3f} of unanswerable declined, "
        f"{declining['test']['wrongly_declined'] or 0:.3f} of answerable wrongly declined"
    )
    typer.echo(f"reports: {paths.json} {paths.markdown} {paths.html}")
    for failure in run["threshold_failures"]:
        typer.echo(f"below threshold: {failure}", err=True)
    if run["threshold_failures"]:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()
