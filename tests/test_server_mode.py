"""Server mode (issue 10): the index on a real Chroma server answers as the index on disk does.

A real ``chroma run --path DIR --port N`` on 127.0.0.1 is started once for the module; the
shipped documents are ingested into it and into an embedded index through the real code
path and the real model, and the same eval questions are asked of both.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regioassist.cli import app
from regioassist.config import REPO_ROOT, Settings

CHROMA = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
needs_chroma = pytest.mark.skipif(CHROMA is None, reason="the `chroma` command (chromadb's server) is not installed")
QUESTIONS = REPO_ROOT / "eval" / "questions.jsonl"
runner = CliRunner()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A Chroma server on a free loopback port, its data in a temp folder; stopped afterwards."""
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [CHROMA, "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start: {(root / 'server.log').read_text(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def both_indexes(chroma_server: str, tmp_path_factory: pytest.TempPathFactory, real_embedder, seed_dir: Path):
    """(settings on disk, settings on the server): the shipped documents ingested into each.

    One embedder remembers its vectors for both ingests: the second embeds nothing again
    (the stores are compared here, not the model), which halves the ~60 s this takes.
    """
    from regioassist.embedding import CachedEmbedder
    from regioassist.pipeline import ingest_into

    root = tmp_path_factory.mktemp("server-mode")
    on_disk = Settings(index_dir=root / "embedded", documents_dir=seed_dir)
    served = Settings(index_dir=chroma_server, server_cache_dir=root / "cache", documents_dir=seed_dir)
    embedder = CachedEmbedder(real_embedder)
    for settings in (on_disk, served):
        report = ingest_into(settings, [seed_dir], embedder=embedder)
        assert report.read and not report.failed
    return on_disk, served


def sample_questions(count: int = 10) -> list[str]:
    """Every 18th eval question: 184 / 18 -> 10 spread over the categories (answerable or not)."""
    lines = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item["question"] for item in lines[::18]][:count]


def answers_of(settings: Settings, embedder, questions: list[str]) -> list[dict]:
    from regioassist.pipeline import load_assistant

    assistant = load_assistant(settings, embedder=embedder)
    return [_comparable(assistant.ask(q).to_json()) for q in questions]


def _comparable(answer: dict) -> dict:
    """The answer text and the citations as (source, page, quote); scores only to 3 decimals."""
    return {
        "answered": answer["answered"],
        "answer": answer["answer"],
        "citations": [(c["source"], c["page"], c["quote"]) for c in answer["citations"]],
        "scores": [round(c["score"], 3) for c in answer["citations"]],
    }


@needs_chroma
@pytest.mark.integration
@pytest.mark.slow
def test_the_server_answers_and_cites_as_the_index_on_disk(both_indexes, real_embedder, tmp_path: Path) -> None:
    on_disk, served = both_indexes
    questions = sample_questions()
    expected = answers_of(on_disk, real_embedder, questions)
    assert sum(a["answered"] for a in expected) >= 5 and all(a["citations"] for a in expected if a["answered"])
    assert answers_of(served, real_embedder, questions) == expected
    # Another machine: a fresh local folder rebuilds its keyword index from the server and answers the same.
    elsewhere = served.with_overrides(server_cache_dir=tmp_path / "elsewhere")
    assert elsewhere.index_dir != served.index_dir
    assert answers_of(elsewhere, real_embedder, questions) == expected
    assert (elsewhere.index_dir / "bm25").is_dir() and not (elsewhere.index_dir / "chroma").exists()


@needs_chroma
@pytest.mark.integration
def test_the_commands_take_the_address(both_indexes, monkeypatch: pytest.MonkeyPatch) -> None:
    on_disk, served = both_indexes
    monkeypatch.setenv("REGIOASSIST_SERVER_CACHE_DIR", str(served.server_cache_dir))

    def run(*args: str, index: str) -> str:
        result = runner.invoke(app, [*args, "--index", index])
        assert result.exit_code == 0, result.output
        return result.stdout

    status = json.loads(run("status", "--json", index=served.index_url))
    assert status["index"] == str(served.index_dir)
    documents = json.loads(run("status", "--json", index=str(on_disk.index_dir)))["documents"]
    assert status["documents"] == [{**d, "indexed_at": s["indexed_at"]} for d, s in zip(documents, status["documents"])]
    assert run("decisions", "--json", index=served.index_url) == run("decisions", "--json", index=str(on_disk.index_dir))
    assert run("index", "check", index=served.index_url).splitlines()[-1] == "consistent"
    # REGIOASSIST_INDEX_DIR takes the address too
    monkeypatch.setenv("REGIOASSIST_INDEX_DIR", served.index_url)
    assert json.loads(runner.invoke(app, ["status", "--json"]).stdout)["totals"] == status["totals"]
    # unchanged files stay unchanged on the server
    result = runner.invoke(app, ["ingest", str(on_disk.documents_dir), "--json", "--index", served.index_url])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert not report["read"] and len(report["unchanged"]) == len(documents)


@needs_chroma
@pytest.mark.integration
@pytest.mark.slow
def test_ask_on_the_command_line_through_the_address(both_indexes) -> None:
    on_disk, served = both_indexes
    question = "Wat is besloten over verblijf?"
    answers = []
    for index in (str(on_disk.index_dir), served.index_url):
        result = runner.invoke(
            app, ["ask", question, "--json", "--index", index],
            env={"REGIOASSIST_SERVER_CACHE_DIR": str(served.server_cache_dir)},
        )
        assert result.exit_code == 0, result.output
        answers.append(_comparable(json.loads(result.stdout)))
    assert answers[0]["citations"] and answers[0] == answers[1]


@pytest.mark.unit
def test_a_server_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for command in (["status"], ["decisions"], ["index", "check"], ["ask", "vraag"]):
        result = runner.invoke(app, [*command, "--index", url], env={"REGIOASSIST_SERVER_CACHE_DIR": str(tmp_path)})
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.strip().startswith(f"error: {url}: Could not connect to a Chroma server"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.unit
def test_an_address_with_a_path_is_refused_in_one_line() -> None:
    result = runner.invoke(app, ["status", "--index", "http://127.0.0.1:8000/regioassist"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: index: http://127.0.0.1:8000/regioassist: give only http(s)://HOST:PORT "
        "(the collection is REGIOASSIST_COLLECTION)"
    )
