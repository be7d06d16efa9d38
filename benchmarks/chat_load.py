"""Load benchmark (not a test): simultaneous chat users against `regioassist serve` on 127.0.0.1.

Starts its own server on a free loopback port (or uses --url, which must be a loopback address),
then runs --users clients for --seconds, each asking the evaluation set's questions in turn through
gradio_client (a follow-up after every decision question, so the conversation state is exercised),
bounded by --max-requests per user. Prints requests, errors, p50/p95/max latency of a whole
answer (streaming included) and the server's peak memory.

    .venv/bin/python benchmarks/chat_load.py --users 10 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILTERS = ("(alle)", "(alle)", "", "")


def questions() -> list[tuple[str, list[str]]]:
    """(question, earlier turns) pairs from eval/questions.jsonl."""
    items = [json.loads(line) for line in (REPO / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(i["question"], i.get("conversation", [])) for i in items]


def start_server(index_dir: Path | None) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    if index_dir:
        env["REGIOASSIST_INDEX_DIR"] = str(index_dir)
    log = tempfile.NamedTemporaryFile("w+", prefix="serve-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-c", "from regioassist.cli import app; app()", "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    deadline = time.monotonic() + 300
    while "regioassist draait op" not in Path(log.name).read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server did not start:\n{Path(log.name).read_text()}")
        time.sleep(0.5)
    return process, f"http://127.0.0.1:{port}/"


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def user(url: str, pool, deadline: float, max_requests: int, seed: int, latencies: list, errors: list) -> None:
    from gradio_client import Client

    rng = random.Random(seed)
    client = Client(url, verbose=False)
    try:
        history: list = []
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                return
            question, earlier = rng.choice(pool)
            if earlier and not history:
                question = earlier[0]
            started = time.perf_counter()
            try:
                messages, _, notice = client.predict(question, history, *FILTERS, api_name="/ask")
                if not messages or notice:
                    raise RuntimeError(f"no answer for {question!r}: {notice}")
                latencies.append(time.perf_counter() - started)
                history = messages if len(messages) < 40 else []
            except Exception as error:  # counted, not raised: the figure is the error count
                errors.append(f"{type(error).__name__}: {error}")
    finally:
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200, help="per user")
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--index", type=Path, help="index directory for the started server")
    args = parser.parse_args()

    process = None
    if args.url:
        if urllib.parse.urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--url must be a loopback address")
        url = args.url
    else:
        process, url = start_server(args.index)
    urllib.request.urlopen(url, timeout=30).read()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=user, args=(url, questions(), deadline, args.max_requests, seed, latencies, errors))
        for seed in range(args.users)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 120)
    wall = time.monotonic() - started
    peak = peak_rss_mb(process.pid) if process else None
    if process:
        process.terminate()
        process.wait(timeout=30)
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else float("nan")
    print(f"users {args.users}, {wall:.0f} s: {len(latencies)} answers, {len(errors)} errors, "
          f"{len(latencies) / wall:.1f} answers/s")
    if ordered:
        print(f"latency p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
    if peak is not None:
        print(f"server peak RSS {peak:.0f} MB")
    for line in errors[:10]:
        print("error:", line)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
