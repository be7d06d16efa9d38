"""How the index scales: synthetic corpora of 1,000, 10,000 and 100,000 chunks (issue 10).

Not a test. Builds each corpus from the vocabulary and structure of documents/ (passages cut
from the shipped texts and shuffled, under varied dates, domains, document types and agenda
items), stores it through the project's own store with *precomputed fake vectors* (384
dimensions, like multilingual-e5-small, so Chroma's vector index costs what it would), and
measures per size:

- index time: storing in Chroma and building the keyword index (no embedding in it);
- add one file (40 chunks) and remove it again; re-ingest of an unchanged corpus: every
  synthetic file is also written to disk (its chunks' text) and its chunks carry the hash
  ingestion computes for it, so this is a real ``LocalIndex.open`` + ``ingest_paths`` over the
  folder (hashing every file, reading what is indexed, checking the keyword index) that finds
  nothing to do;
- hybrid query latency p50/p95 without and with filters (the query vector is fake too,
  so this is index time only), index size on disk;
- a serving process: a fresh process that opens the index, answers queries through the
  retriever, then whole questions through the ``Assistant`` (the first one from the meetings'
  structure, which reads the file catalog and one chunk per document); its peak RSS.

Embedding is measured apart, once, with the real model (``--model-sample N`` passages through
``SentenceTransformerEmbedder`` from ``Settings().model_dir``; 0 skips it).

    .venv/bin/python benchmarks/scale.py --sizes 1000,10000 --queries 40
    .venv/bin/python benchmarks/scale.py                      # 1,000, 10,000 and 100,000

Prints a table and saves benchmarks/results/scale.png and scale.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from regioassist.models import Chunk, DocType  # noqa: E402  (after the path is set)

DIM = 384
PER_FILE = 40  # chunks per synthetic file
DOMAINS = ("Jeugd en Onderwijs", "Werk & Participatie", "Gezondheid en Ondersteuning", "Sociaal domein")
TYPES = (DocType.RESUME, DocType.BESLUITENLIJST, DocType.PROGRAMMA, DocType.VOORSTEL, DocType.RAADSINFORMATIEBRIEF)
QUESTIONS = ("Wat is besloten over jeugdhulp met verblijf?", "Hoe staat het met de inkoop van dagbesteding?",
             "Welke afspraken zijn gemaakt over beschermd wonen?", "Wat is de stand van de regio deal?",
             "Wat zegt het overleg over de arbeidsmarktregio?", "Is het voorstel over pleegzorg vastgesteld?")


def shipped_passages() -> tuple[list[str], list[str]]:
    """Sentences-ish pieces of documents/ (~300 chars) and the agenda-item-like lines in them."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "documents").glob("*.txt")))
    words = text.split()
    pieces = [" ".join(words[i : i + 45]) for i in range(0, len(words) - 45, 15)]
    titles = sorted({ln.strip() for ln in text.splitlines() if 8 < len(ln.strip()) < 60 and ln.strip()[:1].isupper()})
    return pieces, titles


def synthetic_files(chunks: int, seed: int = 0) -> list[list[Chunk]]:
    """``chunks`` chunks in files of PER_FILE: 3 shuffled shipped passages each (~900 chars).

    Their source and hash are placeholders until :func:`on_disk` writes them as files."""
    rng = random.Random(seed)
    pieces, titles = shipped_passages()
    files = []
    for n in range(max(1, chunks // PER_FILE)):
        date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        domain, kind = rng.choice(DOMAINS), rng.choice(TYPES)
        own = []
        for i in range(PER_FILE):
            item = rng.choice(titles)
            body = rng.sample(pieces, 3)
            words = " ".join(body).split()
            rng.shuffle(words)  # new passages in the same vocabulary
            text = " ".join(words)
            context = f"{kind.value} {date.isoformat()} | {domain} | {item}"
            own.append(Chunk(
                id=f"s{seed}-f{n}-c{i}", source=f"synthetic-{seed}-{n}.txt", doc_hash=f"h{seed}-{n}",
                title=f"{kind.value} {n}", doc_type=kind, text=text, context=context, date=date,
                domain=domain, section=item, start=i * 1000, end=i * 1000 + len(text),
            ))
        files.append(own)
    return files


def on_disk(files: list[list[Chunk]], folder: Path) -> list[tuple[str, list[Chunk]]]:
    """Write each synthetic file (its chunks' text) into ``folder``; (path key, chunks) with the
    source name and hash ingestion gives that file, so ``ingest_paths`` finds them unchanged."""
    import dataclasses

    from regioassist.ingest import file_hash, pipeline_fingerprint, source_name

    folder.mkdir(parents=True, exist_ok=True)
    fingerprint = pipeline_fingerprint(900, 150)
    placed = []
    for n, own in enumerate(files):
        path = folder / f"synthetic-{n:06d}.txt"
        path.write_text("\n\n".join(c.text for c in own), encoding="utf-8")
        digest, source = file_hash(path) + fingerprint, source_name(path)
        placed.append((str(path.resolve()), [dataclasses.replace(c, source=source, doc_hash=digest) for c in own]))
    return placed


def fake_vectors(chunks: list[Chunk], rng: np.random.Generator) -> np.ndarray:
    vectors = rng.standard_normal((len(chunks), DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class FakeQueryEmbedder:
    """The query side of the fake vectors: a random unit vector per question (no model)."""

    def __init__(self) -> None:
        self._rng = np.random.default_rng(7)

    def embed(self, texts, *, kind):
        return fake_vectors(list(texts), self._rng)


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def build(directory: Path, size: int) -> dict:
    from regioassist.index import LocalIndex

    rng = np.random.default_rng(size)
    files = on_disk(synthetic_files(size), directory / "docs")
    index = LocalIndex.open(directory / "index")
    started = time.perf_counter()
    with index.writing():
        for key, own in files:
            index.store.upsert(key, own, fake_vectors(own, rng))
        stored = time.perf_counter()
        index.rebuild_keyword()
    done = time.perf_counter()
    chunks = sum(len(own) for _, own in files)
    return {"chunks": chunks, "chroma_s": stored - started, "keyword_s": done - stored,
            "chunks_per_s": chunks / (done - started)}


def writes(directory: Path) -> dict:
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    index = LocalIndex.open(directory / "index")
    extra = synthetic_files(PER_FILE, seed=99)[0]
    vectors = fake_vectors(extra, np.random.default_rng(99))
    started = time.perf_counter()
    with index.writing():
        index.store.upsert("/synthetic/extra.txt", extra, vectors)
        index.rebuild_keyword()
    added = time.perf_counter()
    index.remove("/synthetic/extra.txt")
    removed = time.perf_counter()
    reopened = LocalIndex.open(directory / "index")  # as `regioassist ingest docs/` would
    report = ingest_paths([directory / "docs"], reopened, FakeQueryEmbedder())
    unchanged = time.perf_counter()
    assert report.read == [] and report.failed == [] and len(report.unchanged) == len(index.store.files()), report
    status_started = time.perf_counter()
    index.status()
    return {"add_file_s": added - started, "remove_file_s": removed - added, "reingest_unchanged_s": unchanged - removed,
            "status_s": time.perf_counter() - status_started}


SERVE = r"""
import json, sys, time, datetime as dt
sys.path.insert(0, sys.argv[2])
import numpy as np
from scale import FakeQueryEmbedder, QUESTIONS
from regioassist.index import LocalIndex
from regioassist.retrieval import HybridRetriever
from regioassist.store import Filters
index = LocalIndex.open(sys.argv[1] + "/index")
retriever = HybridRetriever(index.store, lambda: index.keyword, FakeQueryEmbedder())
filters = Filters(domain="Jeugd en Onderwijs", date_from=dt.date(2021, 1, 1), date_to=dt.date(2023, 12, 31))
retriever.retrieve(QUESTIONS[0], top_k=5)  # first query loads Chroma's vector index
retriever.retrieve(QUESTIONS[0], top_k=5, filters=filters)
out = {}
for name, f in (("plain", None), ("filtered", filters)):
    times = []
    for n in range(int(sys.argv[3])):
        t = time.perf_counter(); retriever.retrieve(QUESTIONS[n % len(QUESTIONS)], top_k=5, filters=f)
        times.append(time.perf_counter() - t)
    out[name] = [float(np.percentile(times, 50)), float(np.percentile(times, 95))]
# The whole answering path as `regioassist serve` runs it (fake vectors: the answer's words are
# random, its cost is not): retrieval, the answerer, and a question answered from the meetings.
from regioassist.assistant import Assistant
from regioassist.config import Settings
assistant = Assistant(Settings(index_dir=sys.argv[1] + "/index"), index, FakeQueryEmbedder())
t = time.perf_counter(); assistant.ask("Welke vergaderingen zijn er geweest?"); out["first_ask_s"] = time.perf_counter() - t
times = []
for n in range(int(sys.argv[3])):
    t = time.perf_counter(); assistant.ask(QUESTIONS[n % len(QUESTIONS)]); times.append(time.perf_counter() - t)
out["ask"] = [float(np.percentile(times, 50)), float(np.percentile(times, 95))]
# The peak of this process's own memory. Not getrusage's ru_maxrss: a child started by fork + exec
# inherits its parent's peak there, and this benchmark's parent holds a whole corpus.
out["rss_mb"] = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(json.dumps(out))
"""


def serve(directory: Path, queries: int) -> dict:
    """A fresh process opens the index and answers queries: latencies and its peak RSS."""
    done = subprocess.run([sys.executable, "-c", SERVE, str(directory), str(ROOT / "benchmarks"), str(queries)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return {"query_p50_ms": got["plain"][0] * 1000, "query_p95_ms": got["plain"][1] * 1000,
            "filtered_p50_ms": got["filtered"][0] * 1000, "filtered_p95_ms": got["filtered"][1] * 1000,
            "first_ask_s": got["first_ask_s"], "ask_p50_ms": got["ask"][0] * 1000, "ask_p95_ms": got["ask"][1] * 1000,
            "serve_rss_mb": got["rss_mb"]}


def model_throughput(sample: int) -> float | None:
    """Passages per second through the real embedder (multilingual-e5-small), on this CPU."""
    if sample <= 0:
        return None
    from regioassist.config import Settings
    from regioassist.embedding import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(Settings().model_dir)
    texts = [c.indexed_text for c in synthetic_files(sample, seed=5)[0][:sample]]
    embedder.embed(texts[:4], kind="passage")  # warm up
    started = time.perf_counter()
    embedder.embed(texts, kind="passage")
    return len(texts) / (time.perf_counter() - started)


COLUMNS = (("chunks", "{:>8}"), ("chroma_s", "{:>9.1f}"), ("keyword_s", "{:>9.2f}"), ("add_file_s", "{:>10.2f}"),
           ("remove_file_s", "{:>13.2f}"), ("reingest_unchanged_s", "{:>20.2f}"), ("status_s", "{:>8.2f}"),
           ("query_p50_ms", "{:>12.0f}"), ("query_p95_ms", "{:>12.0f}"), ("filtered_p50_ms", "{:>15.0f}"),
           ("filtered_p95_ms", "{:>15.0f}"), ("first_ask_s", "{:>11.2f}"), ("ask_p50_ms", "{:>10.0f}"),
           ("ask_p95_ms", "{:>10.0f}"), ("disk_mb", "{:>7.0f}"), ("serve_rss_mb", "{:>12.0f}"))


def table(rows: list[dict]) -> str:
    head = " | ".join(name for name, _ in COLUMNS)
    lines = [head, " | ".join("-" * len(name) for name, _ in COLUMNS)]
    for row in rows:
        lines.append(" | ".join(fmt.format(row[name]).strip().rjust(len(name)) for name, fmt in COLUMNS))
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["chunks"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for key, label in (("add_file_s", "add one file"), ("reingest_unchanged_s", "re-ingest unchanged"),
                       ("keyword_s", "keyword build (all)"), ("status_s", "status")):
        left.plot(sizes, [r[key] for r in rows], marker="o", label=label)
    left.set(xscale="log", yscale="log", xlabel="chunks", ylabel="seconds", title="Writes")
    for key, label in (("query_p95_ms", "hybrid p95"), ("filtered_p95_ms", "filtered p95"),
                       ("query_p50_ms", "hybrid p50")):
        right.plot(sizes, [r[key] for r in rows], marker="o", label=label)
    right.axhline(150, color="grey", linestyle=":", label="target 150 ms")
    right.set(xscale="log", xlabel="chunks", ylabel="ms", title="Query latency (fake vectors)")
    for ax in (left, right):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma separated")
    parser.add_argument("--queries", type=int, default=60, help="queries per latency measurement")
    parser.add_argument("--model-sample", type=int, default=32, help="passages through the real model (0: skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes here and keep them")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"scale-{size}-", dir=args.keep))
        row = build(work, size)
        row.update(writes(work))
        row.update(serve(work, args.queries))
        row["disk_mb"] = disk_mb(work / "index")
        rows.append(row)
        print(json.dumps(row), flush=True)
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    throughput = model_throughput(args.model_sample)
    print()
    print(table(rows))
    if throughput is not None:
        print(f"\nreal model (multilingual-e5-small, CPU): {throughput:.1f} passages/s "
              f"= {100_000 / throughput / 3600:.1f} h of embedding for 100,000 chunks")
    (args.out / "scale.json").write_text(json.dumps({"rows": rows, "model_passages_per_s": throughput}, indent=1))
    plot(rows, args.out / "scale.png")
    print(f"saved {args.out / 'scale.png'}")


if __name__ == "__main__":
    main()
