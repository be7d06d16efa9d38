"""Generators: what writes the answer text from the retrieved passages.

One Protocol, :class:`Generator`, with one required method, ``stream``: it yields the text as
it is written (``str`` deltas) and then, last, exactly one guarded :class:`~regioassist.models.Answer`.
:func:`collect` drains a stream into its Answer. Two kinds:

- ``extractive`` (the default, generators/extractive.py): the quoting answerer, no LLM;
- ``openai`` | ``ollama`` | ``llamacpp`` (generators/llm.py): a llama-index LLM, given the
  passages as numbered sources (generators/context.py), its citations checked afterwards
  (generators/guard.py); when it fails, times out or writes nothing usable, the extractive
  answer is returned with a one-line note and ``Answer.fallback`` saying why.

The deltas of an LLM stream are the model's raw text, a preview: the final Answer's text is
the checked one (citations renumbered or removed, unsupported sentences marked, or the
extractive fallback) and is what a consumer shows once the stream ends.

>>> from regioassist.answer import ExtractiveAnswerer
>>> generator = make_generator(GeneratorConfig(), ExtractiveAnswerer(None))
>>> collect(generator.stream("Wat is besloten over verblijf?", "nl", [])).answered
False
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from regioassist.models import Answer, Hit

if TYPE_CHECKING:
    from regioassist.answer import ExtractiveAnswerer

GENERATORS = ("extractive", "openai", "ollama", "llamacpp")

__all__ = ["GENERATORS", "Generator", "GeneratorConfig", "GeneratorError", "collect", "make_generator"]


class GeneratorError(ValueError):
    """A generator that cannot be built from its configuration; the message is one line."""


@dataclass(frozen=True)
class GeneratorConfig:
    """How answers are written; filled from Settings / CLI flags.

    ``timeout_s`` is the longest wait for the model's first token and between two tokens
    (and the HTTP client's timeout); ``context_tokens`` is the model's context window, of which
    ``answer_tokens`` are kept for the answer and the rest holds prompt, question and sources.
    """

    generator: str = "extractive"  # one of GENERATORS
    base_url: str | None = None  # openai: "http://127.0.0.1:8080/v1"; ollama: "http://127.0.0.1:11434"
    model: str | None = None  # the model name the endpoint knows ("qwen2.5:7b-instruct")
    api_key: str | None = None  # openai only; most local servers take any value
    timeout_s: float = 60.0
    gguf_path: Path | None = None  # llamacpp: the local GGUF file
    context_tokens: int = 4096
    answer_tokens: int = 512

    def check(self) -> None:
        """Raise GeneratorError (one line) for a configuration that cannot work."""
        if self.generator not in GENERATORS:
            raise GeneratorError(f"unknown generator {self.generator!r}; choose one of {', '.join(GENERATORS)}")
        if self.generator in ("openai", "ollama") and not self.model:
            raise GeneratorError(f"the {self.generator} generator needs a model name (REGIOASSIST_LLM_MODEL / --llm-model)")
        if self.generator == "openai" and not self.base_url:
            raise GeneratorError("the openai generator needs a base URL (REGIOASSIST_LLM_BASE_URL / --llm-base-url)")
        if self.generator == "llamacpp" and not (self.gguf_path and Path(self.gguf_path).is_file()):
            raise GeneratorError(f"the llamacpp generator needs an existing GGUF file, got {self.gguf_path}")
        if self.timeout_s <= 0:
            raise GeneratorError(f"timeout_s must be positive, got {self.timeout_s}")
        if self.answer_tokens >= self.context_tokens:
            raise GeneratorError(f"answer_tokens ({self.answer_tokens}) must be below context_tokens ({self.context_tokens})")


@runtime_checkable
class Generator(Protocol):
    """Writes the answer to a question from its retrieved hits."""

    name: str

    def stream(self, question: str, language: str, hits: Sequence[Hit]) -> Iterator[str | Answer]:
        """Text deltas as they are written, then exactly one Answer, last."""
        ...


def collect(stream: Iterable[str | Answer]) -> Answer:
    """The Answer that ends ``stream`` (the deltas before it are dropped)."""
    final = None
    for item in stream:
        if isinstance(item, Answer):
            final = item
    if final is None:
        raise RuntimeError("a generator stream ended without an Answer")
    return final


def make_generator(config: GeneratorConfig, answerer: "ExtractiveAnswerer") -> Generator:
    """The generator ``config`` names; LLM ones fall back on ``answerer`` (the Assistant's own).

    Only the chosen integration is imported, so the extractive default loads no LLM client.
    """
    from regioassist.generators.extractive import ExtractiveGenerator

    config.check()
    extractive = ExtractiveGenerator(answerer)
    if config.generator == "extractive":
        return extractive
    from regioassist.generators.llm import LLMGenerator

    return LLMGenerator.from_config(config, extractive)
