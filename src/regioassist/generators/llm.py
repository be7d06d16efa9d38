"""The LLM generator: a llama-index LLM answers from numbered sources, its citations guarded.

One request per question: the system prompt (``prompts/llm_system_<lang>.toml``), then the
sources block (context.py) and the question. The reply streams; afterwards guard.py checks it.

What the user gets:

- grounded (at least one valid citation): the checked text, ``generator`` = the backend's name,
  ``removed_citations`` = the numbers that named no source;
- the model's refusal sentence and no citation: a decline (``answered`` False);
- anything else (an error, a timeout, an empty reply, text without a valid citation): the
  extractive answer, its first line the language's ``unavailable`` note, ``fallback`` = why
  ("timeout: ...", "error: ...", "empty: ...", "ungrounded: ..."), ``generator`` = "extractive".

The model runs in a worker thread that hands over its deltas through a queue, so ``timeout_s``
holds for every backend alike: the longest wait for the first token and between two tokens.

>>> # generator = LLMGenerator.from_config(GeneratorConfig("openai", "http://127.0.0.1:8080/v1", "qwen"), extractive)
>>> # for piece in generator.stream("Wat is besloten over verblijf?", "nl", hits): ...
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from regioassist.evaluation.metrics import normalise_text
from regioassist.generators import Generator, GeneratorConfig, GeneratorError, collect
from regioassist.generators.context import Sources, TokenCounter, build_sources, estimate_tokens
from regioassist.generators.guard import MARKERS, guard
from regioassist.models import Answer, Hit
from regioassist.prompts import PROMPTS_DIR, LLMPrompts, load_condense_prompt, load_llm_prompts

_DONE = object()


class _Failed(Exception):
    """The model gave nothing usable; ``str(self)`` is the fallback reason."""


def _deltas(produce: Callable[[], Iterator[str]], timeout_s: float) -> Iterator[str]:
    """The strings ``produce()`` yields, read in a worker thread; _Failed on an error or a wait over ``timeout_s``."""
    handover: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for delta in produce():
                if stop.is_set():
                    return
                handover.put(delta)
            handover.put(_DONE)
        except Exception as error:  # every failure of the model (HTTP, client, backend) becomes a fallback
            handover.put(error)

    threading.Thread(target=work, name="llm-stream", daemon=True).start()
    try:
        while True:
            try:
                item = handover.get(timeout=timeout_s)
            except queue.Empty:
                raise _Failed(f"timeout: no reply within {timeout_s:g} s") from None
            if item is _DONE:
                return
            if isinstance(item, Exception):
                raise _Failed(f"error: {_describe(item)}") from item
            yield item
    finally:
        stop.set()  # a worker still waiting on the model drops what comes


def _describe(error: Exception) -> str:
    """One line: 'InternalServerError (HTTP 500)', 'APITimeoutError', 'ConnectError: ...'."""
    status = getattr(error, "status_code", None)
    name = type(error).__name__
    if status:
        return f"{name} (HTTP {status})"
    text = " ".join(str(error).split())[:120]
    return f"{name}: {text}" if text else name


class LLMGenerator:
    """Answers with an LLM from the numbered sources, guarded; falls back on ``fallback``.

    ``llm`` is any llama-index LLM (OpenAILike, Ollama, LlamaCPP, or a MockLLM in tests);
    ``count`` counts tokens in the model's terms (``estimate_tokens`` when it has no tokenizer).
    """

    def __init__(
        self,
        llm: Any,
        fallback: Generator,
        *,
        name: str,
        timeout_s: float = 60.0,
        context_tokens: int = 4096,
        answer_tokens: int = 512,
        count: TokenCounter = estimate_tokens,
        prompts_dir: Path = PROMPTS_DIR,
    ) -> None:
        self.llm = llm
        self.fallback = fallback
        self.name = name
        self.timeout_s = timeout_s
        self.context_tokens = context_tokens
        self.answer_tokens = answer_tokens
        self.count = count
        self.prompts_dir = prompts_dir
        for language in ("nl", "en"):  # a broken prompt file fails here, at start-up
            load_llm_prompts(language, prompts_dir)
        load_condense_prompt(prompts_dir)

    @classmethod
    def from_config(cls, config: GeneratorConfig, fallback: Generator) -> "LLMGenerator":
        config.check()
        llm, count = build_llm(config)
        return cls(
            llm, fallback, name=config.generator, timeout_s=config.timeout_s,
            context_tokens=config.context_tokens, answer_tokens=config.answer_tokens, count=count,
        )

    # -- the request ---------------------------------------------------------------------

    def prompts(self, language: str) -> LLMPrompts:
        return load_llm_prompts(language, self.prompts_dir)

    def messages(self, question: str, language: str, hits: Sequence[Hit]) -> tuple[list, Sources]:
        """The chat messages for ``question`` and the sources they number.

        The sources get what the context window leaves: e.g. 4,096 tokens - 512 for the answer
        - ~330 for the system prompt and question = ~3,250 tokens, about 9,750 characters.
        """
        from llama_index.core.llms import ChatMessage, MessageRole

        prompts = self.prompts(language)
        system = prompts.system_message()
        frame = prompts.user_message("", question)
        budget = self.context_tokens - self.answer_tokens - self.count(system) - self.count(frame)
        sources = build_sources(hits, budget, self.count)
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=prompts.user_message(sources.block, question)),
        ], sources

    # -- the Protocol ------------------------------------------------------------------------

    def stream(self, question: str, language: str, hits: Sequence[Hit]) -> Iterator[str | Answer]:
        if not hits:  # nothing to answer from: the extractive decline, no model call
            yield from self.fallback.stream(question, language, hits)
            return
        messages, sources = self.messages(question, language, hits)
        written: list[str] = []
        try:
            if not sources.hits:
                raise _Failed("error: context_tokens leaves no room for a single source")

            def produce() -> Iterator[str]:
                for response in self.llm.stream_chat(messages):
                    if response.delta:
                        yield response.delta

            for delta in _deltas(produce, self.timeout_s):
                written.append(delta)
                yield delta
            yield self._checked("".join(written), question, language, hits, sources)
        except _Failed as failure:
            yield self._fallback(str(failure), question, language, hits)

    def answer(self, question: str, language: str, hits: Sequence[Hit]) -> Answer:
        """The final Answer of :meth:`stream`."""
        return collect(self.stream(question, language, hits))

    def _checked(self, text: str, question: str, language: str, hits: Sequence[Hit], sources: Sources) -> Answer:
        prompts = self.prompts(language)
        if not MARKERS.sub("", text).strip():
            raise _Failed("empty: the model wrote no text")
        checked = guard(text, sources.hits, prompts.unsupported, prompts.refusal)
        if not checked.grounded:
            if normalise_text(prompts.refusal) in normalise_text(MARKERS.sub("", text)):
                return Answer(question, language, False, prompts.refusal, (), tuple(hits), confidence=0.0,
                              generator=self.name, removed_citations=checked.removed)
            removed = f" (removed {', '.join(map(str, checked.removed))})" if checked.removed else ""
            raise _Failed(f"ungrounded: no valid citation{removed}")
        cited = {c.source: c.score for c in checked.citations}
        return Answer(
            question, language, True, checked.text, checked.citations, tuple(hits),
            confidence=max(cited.values()),  # on the extractive scale: the best cited passage's similarity
            generator=self.name, removed_citations=checked.removed,
        )

    def _fallback(self, reason: str, question: str, language: str, hits: Sequence[Hit]) -> Answer:
        answer = collect(self.fallback.stream(question, language, hits))
        note = self.prompts(language).unavailable.format(reason=reason.split(":", 1)[0])
        return dataclasses.replace(answer, text=f"{note}\n{answer.text}", fallback=reason)

    # -- follow-ups ----------------------------------------------------------------------------

    def condense(self, question: str, history: Sequence[str]) -> str | None:
        """``question`` rewritten to stand on its own given the earlier ``history``; None when the model fails."""
        if not history:
            return question
        from llama_index.core.llms import ChatMessage, MessageRole

        prompt = load_condense_prompt(self.prompts_dir)
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=prompt.system),
            ChatMessage(role=MessageRole.USER, content=prompt.user_message(history, question)),
        ]

        def produce() -> Iterator[str]:
            yield self.llm.chat(messages).message.content or ""

        try:
            text = "".join(_deltas(produce, self.timeout_s))
        except _Failed:
            return None
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        return lines[0].strip('"“”') if lines else None


# -- the backends -------------------------------------------------------------------------------


def build_llm(config: GeneratorConfig) -> tuple[Any, TokenCounter]:
    """The llama-index LLM ``config`` names and its token counter; integrations are imported here only."""
    if config.generator == "openai":
        from llama_index.llms.openai_like import OpenAILike

        llm = OpenAILike(
            model=config.model, api_base=config.base_url, api_key=config.api_key or "none",
            is_chat_model=True, context_window=config.context_tokens, max_tokens=config.answer_tokens,
            temperature=0.0, timeout=config.timeout_s, max_retries=0,
        )
        return llm, estimate_tokens
    if config.generator == "ollama":
        try:
            from llama_index.llms.ollama import Ollama
        except ImportError:
            raise GeneratorError("the ollama generator needs llama-index-llms-ollama (pip install -c constraints.txt llama-index-llms-ollama)") from None
        llm = Ollama(
            model=config.model, base_url=config.base_url or "http://127.0.0.1:11434", temperature=0.0,
            context_window=config.context_tokens, request_timeout=config.timeout_s,
            additional_kwargs={"num_predict": config.answer_tokens},
        )
        return llm, estimate_tokens
    if config.generator == "llamacpp":
        return _llamacpp(config)
    raise GeneratorError(f"{config.generator!r} is not an LLM generator")


def _llamacpp(config: GeneratorConfig) -> tuple[Any, TokenCounter]:
    """LlamaCPP with the GGUF's own chat template and end-of-turn token, and its tokenizer for the budget."""
    try:
        from llama_cpp import Llama
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError:
        raise GeneratorError(
            "the llamacpp generator needs llama-index-llms-llama-cpp and llama-cpp-python: "
            "pip install 'regioassist[llamacpp]' (llama-cpp-python compiles from source, about 9 minutes)"
        ) from None
    path = str(config.gguf_path)
    vocab = Llama(model_path=path, vocab_only=True, verbose=False)  # reads metadata and vocabulary, no weights
    template = vocab.metadata.get("tokenizer.chat_template")
    if not template:
        raise GeneratorError(f"{path}: the GGUF has no chat template (tokenizer.chat_template)")
    bos, eos = _token_text(vocab, vocab.token_bos()), _token_text(vocab, vocab.token_eos())

    def messages_to_prompt(messages) -> str:
        rendered = render_chat_template(template, [(m.role.value, m.content or "") for m in messages], bos, eos)
        return rendered[len(bos):] if bos and rendered.startswith(bos) else rendered  # llama.cpp adds BOS itself

    llm = LlamaCPP(
        model_path=path, temperature=0.0, max_new_tokens=config.answer_tokens,
        context_window=config.context_tokens, model_kwargs={"n_ctx": config.context_tokens},
        generate_kwargs={"stop": [eos] if eos else []}, messages_to_prompt=messages_to_prompt,
        completion_to_prompt=lambda text: messages_to_prompt(_user_only(text)), verbose=False,
    )

    def count(text: str) -> int:
        return len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    return llm, count


def _token_text(vocab: Any, token: int) -> str:
    if token is None or token < 0:
        return ""
    return vocab.detokenize([token], special=True).decode("utf-8", errors="ignore")


def _user_only(text: str) -> list:
    from llama_index.core.llms import ChatMessage, MessageRole

    return [ChatMessage(role=MessageRole.USER, content=text)]


def render_chat_template(template: str, messages: Sequence[tuple[str, str]], bos: str = "", eos: str = "") -> str:
    """A GGUF's Jinja chat template applied to (role, content) pairs, ready for the assistant's turn.

    Templates that refuse a system turn (Gemma's raise) get the system text on the first user turn.

    >>> chatml = ("{% for m in messages %}<|im_start|>{{ m.role }}\\n{{ m.content }}<|im_end|>\\n{% endfor %}"
    ...           "{% if add_generation_prompt %}<|im_start|>assistant\\n{% endif %}")
    >>> render_chat_template(chatml, [("system", "S"), ("user", "V")])
    '<|im_start|>system\\nS<|im_end|>\\n<|im_start|>user\\nV<|im_end|>\\n<|im_start|>assistant\\n'
    """
    from jinja2.exceptions import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise TemplateError(message)

    environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    compiled = environment.from_string(template)
    turns = [{"role": role, "content": content} for role, content in messages]
    try:
        return compiled.render(messages=turns, bos_token=bos, eos_token=eos, add_generation_prompt=True,
                               raise_exception=raise_exception)
    except TemplateError:
        if not turns or turns[0]["role"] != "system" or len(turns) < 2:
            raise
        merged = [{"role": turns[1]["role"], "content": f"{turns[0]['content']}\n\n{turns[1]['content']}"}, *turns[2:]]
        return compiled.render(messages=merged, bos_token=bos, eos_token=eos, add_generation_prompt=True,
                               raise_exception=raise_exception)
