"""A real `regioassist serve` on 127.0.0.1 over a fresh index, shared by the API and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

READY_TIMEOUT_S = 240  # model load (~10 s) + indexing the five shipped documents (~25 s) on 2 cores


@dataclass(frozen=True)
class Server:
    url: str
    index_dir: Path
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory, model_dir) -> Server:
    """The chat server as a user starts it, on its own index; stopped after the session."""
    root = tmp_path_factory.mktemp("served")
    index_dir, log = root / "index", root / "server.log"
    port = free_port()
    env = {**os.environ, "REGIOASSIST_INDEX_DIR": str(index_dir)}
    env.pop("REGIOASSIST_AUTH", None)
    env.pop("REGIOASSIST_AUTH_FILE", None)
    command = [sys.executable, "-c", "from regioassist.cli import app; app()", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + READY_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"regioassist serve exited with {process.returncode}:\n{log.read_text()}")
            if "regioassist draait op" in log.read_text():
                urllib.request.urlopen(url, timeout=10).read()
                break
            if time.monotonic() > deadline:
                pytest.fail(f"regioassist serve not ready after {READY_TIMEOUT_S} s:\n{log.read_text()}")
            time.sleep(0.5)
        yield Server(url, index_dir, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
