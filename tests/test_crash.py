"""An ingest killed with SIGKILL half-way loses nothing the next ingest does not restore.

The real ingest runs in a child process over a real Chroma directory in tmp_path. To kill it
at a chosen point, the child (a script written here) wraps one function so that it sends
itself SIGKILL there, and then calls the real ``ingest_paths`` with the same deterministic
hash embedder as the tests. After each kill: the index opens, answers, a new ingest completes,
and the index equals one built from scratch, with Chroma and the keyword index agreeing.
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from regioassist.assistant import Assistant
from regioassist.config import Settings
from regioassist.index import LocalIndex, stored_ids
from regioassist.ingest import ingest_paths, source_name
from regioassist.integrity import check_index, repair_index
from regioassist.keyword import CURRENT_FILE

pytestmark = pytest.mark.integration

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein {day} april 2023

JEUGD EN ONDERWIJS

{topic}

Het portefeuillehoudersoverleg stelt het voorstel over {word} vast. {extra}

Rondvraag

Geen.
"""

TOPICS = {"a.txt": "pleegzorg", "b.txt": "dagbesteding", "c.txt": "leerlingenvervoer",
          "d.txt": "schuldhulpverlening", "e.txt": "beschermd wonen"}

CHILD = """
import os, signal, sys
from pathlib import Path

import bm25s

import regioassist.index as index_module
import regioassist.keyword as keyword_module
from regioassist.embedding import HashEmbedder
from regioassist.index import LocalIndex
from regioassist.ingest import ingest_paths
from regioassist.keyword import KeywordIndex
from regioassist.catalog import ChromaCatalog
from regioassist.store import ChromaStore

point, index_dir, docs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def kill_before(owner, name, nth=1):
    original, calls = getattr(owner, name), []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == nth:
            die()
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def kill_after(owner, name, nth=1):
    original, calls = getattr(owner, name), []

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(1)
        if len(calls) == nth:
            die()
        return result

    setattr(owner, name, wrapper)


if point == "after_the_first_file":  # one file stored, the keyword index not rebuilt
    kill_after(ChromaStore, "upsert")
elif point == "between_delete_and_upsert":  # the second file's old chunks deleted, its new ones not stored
    kill_before(ChromaStore, "upsert", nth=2)
elif point == "between_the_chunks_and_their_record":  # a's new chunks stored, its file record not
    kill_before(ChromaCatalog, "put")
elif point == "between_the_record_and_the_chunks_deleted":  # a's record deleted, its old chunks not
    kill_after(ChromaCatalog, "delete")
elif point == "before_the_keyword_save":  # everything in Chroma, the rebuilt keyword index not saved
    kill_before(KeywordIndex, "save")
elif point == "inside_the_keyword_save":  # the BM25 files of the new version written, not its ids
    kill_after(bm25s.BM25, "save")
elif point == "before_the_pointer_moves":  # the new version complete, CURRENT still names the old
    kill_before(keyword_module, "point_at")
elif point == "before_the_generation_moves":  # both indexes written, readers not told
    kill_before(index_module, "bump_generation")
else:
    raise SystemExit(f"unknown point {point}")
ingest_paths([docs], LocalIndex.open(index_dir), HashEmbedder())
print("the ingest finished without being killed")
sys.exit(3)
"""

POINTS = [
    "after_the_first_file",
    "between_delete_and_upsert",
    "between_the_chunks_and_their_record",
    "between_the_record_and_the_chunks_deleted",
    "before_the_keyword_save",
    "inside_the_keyword_save",
    "before_the_pointer_moves",
    "before_the_generation_moves",
]


def write_docs(folder: Path, names, extra: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for day, name in enumerate(names, start=10):
        topic = TOPICS[name]
        (folder / name).write_text(
            MINUTES.format(day=day, topic=topic.capitalize(), word=topic, extra=extra), encoding="utf-8"
        )


def run_child(script: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True, timeout=120)


def reference_ids(tmp_path: Path, docs: Path, embedder) -> set[str]:
    """The chunk ids of a fresh index over ``docs``: what a recovered index must hold."""
    reference = LocalIndex.open(tmp_path / "reference")
    ingest_paths([docs], reference, embedder)
    return stored_ids(reference.store)


def assert_whole(index: LocalIndex, expected: set[str]) -> None:
    """No chunk twice, nothing missing, Chroma and the keyword index agreeing."""
    chunks = index.store.all_chunks()
    assert len({c.id for c in chunks}) == len(chunks)
    assert {c.id for c in chunks} == expected
    assert set(index.keyword.ids) == expected and len(index.keyword.ids) == len(expected)
    assert check_index(index.directory).consistent


@pytest.fixture
def child(tmp_path) -> Path:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    return script


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_an_ingest_killed_half_way_is_mended(point, tmp_path, child, fake_embedder):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_docs(docs, ["a.txt", "b.txt", "c.txt"])
    ingest_paths([docs], LocalIndex.open(index_dir), fake_embedder)
    # The next batch: a and b changed, c unchanged, d and e new.
    write_docs(docs, ["a.txt", "b.txt"], extra="Er komt een evaluatie in het najaar.")
    write_docs(docs, ["d.txt", "e.txt"])

    killed = run_child(child, point, index_dir, docs)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr

    # The keyword index disagrees with Chroma unless the kill came after it was saved; check says so.
    report = check_index(index_dir)
    assert report.consistent == (point == "before_the_generation_moves"), report.lines()
    if "record" in point:  # a file's chunks without their record, whatever the keyword index says
        assert any("chunks without a file record (a write was cut short)" in line for line in report.lines()), \
            report.lines()
    elif not report.consistent:
        assert any("in Chroma but not in the keyword index" in line for line in report.lines())

    index = LocalIndex.open(index_dir)  # mends the keyword index
    assert index.keyword_agrees() and (check_index(index_dir).consistent or "record" in point)
    versions = [p for p in (index_dir / "bm25").iterdir() if p.name != CURRENT_FILE]
    assert len(versions) <= 2  # a half-written version was cleared away

    assistant = Assistant(Settings(index_dir=index_dir), index, fake_embedder)
    answer = assistant.ask("Wat is besloten over leerlingenvervoer?")
    assert answer.hits[0].chunk.source == source_name(docs / "c.txt")

    again = ingest_paths([docs], index, fake_embedder)
    assert again.failed == []
    redone = {Path(s).name for s in again.read}
    if point == "after_the_first_file":
        assert redone == {"b.txt", "d.txt", "e.txt"}  # a was stored before the kill
    elif point == "between_delete_and_upsert":
        assert redone == {"b.txt", "d.txt", "e.txt"}  # b's old chunks were gone, so it is read again
    elif "record" in point:
        assert redone == {"a.txt", "b.txt", "d.txt", "e.txt"}  # a has no record, so it is read again
    else:
        assert redone == set()
    assert_whole(index, reference_ids(tmp_path, docs, fake_embedder))
    answer = assistant.ask("Wat is besloten over beschermd wonen?")
    assert answer.hits[0].chunk.source == source_name(docs / "e.txt")


@pytest.mark.slow
def test_a_real_ingest_killed_at_arbitrary_moments(tmp_path, fake_embedder):
    """Kill a running ingest (no hooks) a few times at moments drawn from a seeded generator."""
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    for n in range(30):
        topic = f"onderwerp{n} " + " ".join(f"woord{n}x{i}" for i in range(40))
        (docs / f"{n:02d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (docs / f"{n:02d}.txt").write_text(
            MINUTES.format(day=10, topic=f"Punt {n}", word=topic, extra=""), encoding="utf-8"
        )
    script = tmp_path / "ingest.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\nfrom regioassist.embedding import HashEmbedder\n"
        "from regioassist.index import LocalIndex\nfrom regioassist.ingest import ingest_paths\n"
        "index = LocalIndex.open(Path(sys.argv[1]))\nprint('open', flush=True)\n"
        "ingest_paths([Path(sys.argv[2])], index, HashEmbedder())\n",
        encoding="utf-8",
    )
    draw = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen([sys.executable, str(script), str(index_dir), str(docs)],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "open"
        time.sleep(draw.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        index = LocalIndex.open(index_dir)
        assert index.keyword_agrees()
        chunks = index.store.all_chunks()
        assert len({c.id for c in chunks}) == len(chunks)
    index = LocalIndex.open(index_dir)
    assert ingest_paths([docs], index, fake_embedder).failed == []
    assert_whole(index, reference_ids(tmp_path, docs, fake_embedder))


def test_check_finds_what_was_broken_and_repair_mends_it(tmp_path, fake_embedder):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_docs(docs, ["a.txt", "b.txt", "c.txt"])
    index = LocalIndex.open(index_dir)
    ingest_paths([docs], index, fake_embedder)
    expected = stored_ids(index.store)
    assert check_index(index_dir).lines()[-1] == "consistent"

    a_key, b_key = str((docs / "a.txt").resolve()), str((docs / "b.txt").resolve())
    a_chunk = next(c for c in index.store.all_chunks() if c.source == source_name(docs / "a.txt"))
    b_chunk = next(c for c in index.store.all_chunks() if c.source == source_name(docs / "b.txt"))
    vector = np.asarray(fake_embedder.embed([a_chunk.indexed_text], kind="passage"))
    # a: one passage stored twice; b: a chunk of an older version left beside the new ones
    index.store.upsert(a_key, [dataclasses.replace(a_chunk, id="copy-of-a")], vector)
    index.store.upsert(b_key, [dataclasses.replace(b_chunk, id="old-b", doc_hash="older")], vector)
    report = check_index(index_dir)
    assert not report.consistent
    problems = [line for line in report.lines() if line.startswith("problem: ")]
    a, b = source_name(docs / "a.txt"), source_name(docs / "b.txt")
    assert problems == [
        f"problem: {a}: 1 passage stored more than once",
        f"problem: {b}: chunks of 2 versions of the file (half replaced)",
        f"problem: {a}: 1 chunk in Chroma but not in the keyword index",
        f"problem: {b}: 1 chunk in Chroma but not in the keyword index",
    ]
    assert report.lines()[-1] == "inconsistent: 4 problems (regioassist index check --repair mends them)"

    repaired = repair_index(index_dir)
    assert repaired.consistent and repaired.lines()[-1] == "consistent"
    assert [line for line in repaired.lines() if "deleted" in line] == [
        f"repaired: deleted the 4 chunks of {a}; index it again: regioassist ingest {a_key}",
        f"repaired: deleted the 4 chunks of {b}; index it again: regioassist ingest {b_key}",
    ]
    index = LocalIndex.open(index_dir)
    assert {Path(s).name for s in ingest_paths([docs], index, fake_embedder).read} == {"a.txt", "b.txt"}
    assert_whole(index, expected)


def test_an_unreadable_keyword_index_is_reported_and_rebuilt(tmp_path, fake_embedder):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_docs(docs, ["a.txt", "b.txt"])
    index = LocalIndex.open(index_dir)
    ingest_paths([docs], index, fake_embedder)
    expected = stored_ids(index.store)
    version = (index_dir / "bm25" / CURRENT_FILE).read_text(encoding="utf-8").strip()
    (index_dir / "bm25" / version / "chunk_ids.json").write_text("[1, 2", encoding="utf-8")

    report = check_index(index_dir)
    assert report.keyword_chunks is None
    assert report.lines()[1].startswith(f"problem: keyword index unreadable: {index_dir / 'bm25' / version}: ")
    assert repair_index(index_dir).consistent
    assert_whole(LocalIndex.open(index_dir), expected)


def test_a_duplicate_left_by_a_crash_is_mended_by_the_next_ingest(tmp_path, fake_embedder):
    """Ingestion itself re-reads a file whose stored chunks are damaged (no check needed)."""
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_docs(docs, ["a.txt", "b.txt"])
    index = LocalIndex.open(index_dir)
    ingest_paths([docs], index, fake_embedder)
    expected = stored_ids(index.store)
    a_chunk = next(c for c in index.store.all_chunks() if c.source == source_name(docs / "a.txt"))
    index.store.upsert(str((docs / "a.txt").resolve()), [dataclasses.replace(a_chunk, id="copy-of-a")],
                       fake_embedder.embed([a_chunk.indexed_text], kind="passage"))
    report = ingest_paths([docs], index, fake_embedder)
    assert [Path(s).name for s in report.read] == ["a.txt"]
    assert_whole(index, expected)
    assert os.listdir(index_dir / "bm25")  # saved, not only in memory
