"""Two writers at once, and a reader that keeps answering while another process writes.

Each writer is a real process running the real ``regioassist ingest`` entry point over a real
Chroma directory in tmp_path, with the deterministic hash embedder slowed down (so that the
writes would overlap if the lock let them) in place of the model.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regioassist.assistant import Assistant
from regioassist.cli import app
from regioassist.config import Settings
from regioassist.index import FRESHNESS_S, LocalIndex, stored_ids
from regioassist.ingest import ingest_paths, source_name
from regioassist.integrity import check_index

pytestmark = pytest.mark.integration

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

JEUGD EN ONDERWIJS

{topic}

Het portefeuillehoudersoverleg stelt het voorstel over {word} vast. {extra}

Rondvraag

Geen.
"""

# A writer process: logs each Chroma write as "<name> <what>" (one append each, so the lines
# of both writers land in the order they happened), waits for the go signal, runs the CLI.
WRITER = """
import os, sys, time
from pathlib import Path

import regioassist.pipeline as pipeline
from regioassist.cli import app
from regioassist.embedding import HashEmbedder
from regioassist.store import ChromaStore

name, log, go, index_dir, pause = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4], float(sys.argv[5])
folders = sys.argv[6:]


class SlowEmbedder(HashEmbedder):
    def embed(self, texts, *, kind):
        time.sleep(pause)
        return super().embed(texts, kind=kind)


def logged(method):
    original = getattr(ChromaStore, method)

    def wrapper(self, *args, **kwargs):
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, f"{name} {method}\\n".encode())
        os.close(fd)
        return original(self, *args, **kwargs)

    setattr(ChromaStore, method, wrapper)


logged("upsert")
logged("delete_path")
pipeline.load_embedder = lambda settings: SlowEmbedder()
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
app(["ingest", *folders, "--index", index_dir])
"""


def write(path: Path, topic: str, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MINUTES.format(topic=topic.capitalize(), word=topic, extra=extra), encoding="utf-8")
    return path


def start_writer(tmp_path: Path, name: str, index_dir: Path, *folders: Path, pause: float = 0.15) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), name, str(tmp_path / "writes.log"), str(tmp_path / "go"), str(index_dir),
         str(pause), *map(str, folders)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


@pytest.mark.slow
def test_two_ingests_at_once_take_turns(tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    shared = write(tmp_path / "shared" / "gedeeld.txt", "pleegzorg")
    mine = {name: tmp_path / name for name in ("A", "B")}
    for name, folder in mine.items():
        for n in range(4):
            write(folder / f"{name}{n}.txt", f"onderwerp{name.lower()}{n}")
    writers = {name: start_writer(tmp_path, name, index_dir, folder, shared.parent) for name, folder in mine.items()}
    (tmp_path / "go").touch()
    outputs = {name: process.communicate(timeout=120) for name, process in writers.items()}

    assert all(process.returncode == 0 for process in writers.values()), outputs
    writes = [line.split()[0] for line in (tmp_path / "writes.log").read_text().splitlines()]
    first, second = writes[0], writes[-1]
    assert writes == sorted(writes, key=lambda name: name != first)  # all of one, then all of the other
    assert writes.count(first) == 2 * 5 and writes.count(second) == 2 * 4  # the shared file once
    assert "skipped as unchanged 1" in outputs[second][0]
    waited = [name for name, (_, err) in outputs.items() if "another process is writing this index; waiting" in err]
    assert waited == [second]  # the second one said it waits, and then did its work

    index = LocalIndex.open(index_dir)
    reference = LocalIndex.open(tmp_path / "reference")
    ingest_paths([*mine.values(), shared.parent], reference, fake_embedder)
    chunks = index.store.all_chunks()
    assert len(chunks) == len({c.id for c in chunks}) == len(index.keyword.ids)
    assert {c.id for c in chunks} == stored_ids(reference.store) == set(index.keyword.ids)
    assert check_index(index_dir).consistent


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from regioassist.index import LOCK_FILE, WriteLock

with WriteLock(Path(sys.argv[1]) / LOCK_FILE).hold():
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def lock_holder(tmp_path):
    index_dir = tmp_path / "index"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(index_dir)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    if holder.poll() is None:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_ingest_with_a_time_limit_refuses_while_another_process_writes(tmp_path, lock_holder):
    index_dir = tmp_path / "index"
    doc = write(tmp_path / "docs" / "a.txt", "pleegzorg")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", str(doc), "--index", str(index_dir), "--wait", "0.3"])
    assert result.exit_code == 2
    assert 0.25 < time.monotonic() - started < 10
    assert result.stderr.splitlines() == [
        f"{index_dir}: another process is writing this index; waiting until it is done (Ctrl-C stops)",
        f"error: {index_dir}: index is being written by another process; try again",
    ]


def test_ingest_waits_for_another_process_and_then_runs(tmp_path, lock_holder, monkeypatch, fake_embedder):
    import regioassist.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_embedder", lambda settings: fake_embedder)
    index_dir = tmp_path / "index"
    doc = write(tmp_path / "docs" / "a.txt", "pleegzorg")
    threading.Timer(0.5, lock_holder.stdin.close).start()  # the other process lets go after half a second
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", str(doc), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 0.4
    assert "another process is writing this index; waiting" in result.stderr
    assert "read 1, skipped as unchanged 0" in result.stdout


@pytest.mark.slow
def test_the_chat_keeps_answering_while_another_process_indexes(tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    old = tmp_path / "docs"
    for topic in ("pleegzorg", "dagbesteding", "leerlingenvervoer"):
        write(old / f"{topic}.txt", topic)
    ingest_paths([old], LocalIndex.open(index_dir), fake_embedder)
    assistant = Assistant(Settings(index_dir=index_dir), LocalIndex.open(index_dir), fake_embedder)
    assert assistant.ask("Wat is besloten over pleegzorg?").hits

    stop, failures, answered, seconds = threading.Event(), [], [], []

    def chat():
        questions = ["Wat is besloten over pleegzorg?", "Wat is besloten over dagbesteding?",
                     "Wat is besloten over leerlingenvervoer?"]
        while not stop.is_set():
            question = questions[len(answered) % len(questions)]
            started = time.perf_counter()
            try:
                answer = assistant.ask(question)
                assert answer.hits, question
                answered.append(question)
                seconds.append(time.perf_counter() - started)
            except Exception as error:  # every failure is the finding
                failures.append(repr(error))

    reader = threading.Thread(target=chat)
    reader.start()
    try:
        # Another process changes one document (its chunks are deleted and stored again) and adds two.
        write(old / "pleegzorg.txt", "pleegzorg", extra="Er komt een evaluatie in het najaar.")
        new = tmp_path / "new"
        write(new / "beschermd-wonen.txt", "beschermd wonen")
        write(new / "schuldhulpverlening.txt", "schuldhulpverlening")
        writer = start_writer(tmp_path, "W", index_dir, old, new, pause=0.3)
        (tmp_path / "go").touch()
        during = len(answered)
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "read 3, skipped as unchanged 2" in out
        during = len(answered) - during
        # It sees the new documents once the writer is done: within a freshness interval.
        done = time.monotonic()
        while time.monotonic() - done < FRESHNESS_S + 5:
            hits = assistant.ask("Wat is besloten over schuldhulpverlening?").hits
            if hits and hits[0].chunk.source == source_name(new / "schuldhulpverlening.txt"):
                break
            time.sleep(0.05)
        seen_after = time.monotonic() - done
    finally:
        stop.set()
        reader.join(timeout=30)
    assert failures == []
    assert during >= 3  # it answered while the other process wrote
    assert seen_after < FRESHNESS_S + 1, seen_after
    # The dense side sees them as well (the Chroma client was reopened, not only BM25 reloaded).
    vector = fake_embedder.embed(["Wat is besloten over beschermd wonen?"], kind="query")[0]
    dense = {c.source for c, _ in assistant.index.store.query(vector, k=3)}
    assert source_name(new / "beschermd-wonen.txt") in dense
    assert any("evaluatie" in c.text for c in assistant.index.store.all_chunks())
    assert assistant.index.keyword_agrees()
    print(f"\n{len(seconds)} answers while indexing, median {sorted(seconds)[len(seconds) // 2] * 1000:.1f} ms")
