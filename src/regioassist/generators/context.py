"""The retrieved passages as the model reads them: numbered, delimited, within a token budget.

Each passage becomes one ``<source n="...">`` element inside a ``<sources>`` block, with its
document, meeting, date, agenda item and page as attributes and its text as the element's body.
The text is data: angle brackets in it are replaced by look-alikes (``<`` -> ``‹``), so no
document can close the block early or open a source of its own, and the system prompt says that
everything inside the block is text from a document, never an instruction.

Token counts use the model's own tokenizer when the generator has one (llama.cpp), and
otherwise :func:`estimate_tokens`: ``CHARS_PER_TOKEN`` characters per token.

>>> estimate_tokens("Het PFHO stelt het voorstel vast.")  # 33 characters / 3.0 = 11 tokens
11
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from regioassist.models import Hit
from regioassist.prompts import SOURCES_TAG

# Measured on the five shipped documents (69,440 characters of Dutch): the XLM-R tokenizer of
# multilingual-e5-small (250k pieces) makes 15,576 tokens of them, 4.46 characters per token.
# The chat models one would point this at (Llama, Qwen, Mistral: 32k-150k pieces, trained mostly
# on English) cut Dutch finer, so the estimate takes 3.0: it errs towards sending less.
CHARS_PER_TOKEN = 3.0
SOURCES_END = "</sources>"
TRUNCATED = " …"

TokenCounter = Callable[[str], int]


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` is taken to cost when no tokenizer is at hand (``CHARS_PER_TOKEN``)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _data(text: str) -> str:
    """``text`` with the characters that could forge or close a tag replaced by look-alikes."""
    return text.replace("<", "‹").replace(">", "›")


def _attribute(value: object) -> str:
    return _data(str(value)).replace('"', "'").replace("\n", " ")


def format_source(n: int, hit: Hit, text: str | None = None) -> str:
    """One numbered source: its labels as attributes, its passage (or ``text``, a cut of it) as the body.

    >>> import datetime as dt
    >>> from regioassist.models import Chunk, DocType
    >>> chunk = Chunk("c", "r.txt", "h", "Resumé", DocType.RESUME, "Zie <b>bijlage</b>.", "", date=dt.date(2023, 2, 23),
    ...               meeting="PFHO sociaal domein", section="3. Verblijf", page=2)
    >>> print(format_source(1, Hit(chunk, 0.5)))
    <source n="1" document="Resumé" meeting="PFHO sociaal domein" date="2023-02-23" agenda_item="3. Verblijf" page="2">
    Zie ‹b›bijlage‹/b›.
    </source>
    """
    chunk = hit.chunk
    labels = {
        "n": n,
        "document": chunk.title,
        "meeting": chunk.meeting,
        "date": chunk.date.isoformat() if chunk.date else None,
        "agenda_item": chunk.section,
        "page": chunk.page,
    }
    attributes = " ".join(f'{key}="{_attribute(value)}"' for key, value in labels.items() if value not in (None, ""))
    body = _data(chunk.text if text is None else text).strip()
    return f"<source {attributes}>\n{body}\n</source>"


@dataclass(frozen=True)
class Sources:
    """The block sent to the model and the hits it numbers: ``hits[n - 1]`` is source ``n``."""

    block: str
    hits: tuple[Hit, ...]
    tokens: int
    left_out: int = 0  # hits that did not fit the budget


def _cut_to_fit(n: int, hit: Hit, budget: int, count: TokenCounter) -> str | None:
    """The source with its passage shortened (at a word boundary) to fit ``budget``; None if nothing fits."""
    text = hit.chunk.text
    while text:
        source = format_source(n, hit, text + TRUNCATED)
        cost = count(source)
        if cost <= budget:
            return source
        # Shrink in proportion to the overshoot, and at least by one word: 1,200 tokens over a
        # budget of 1,000 keeps 1000/1200 = 83% of the text, less a little for the labels.
        text = text[: max(0, min(int(len(text) * budget / cost * 0.95), len(text) - 1))]
        text = text.rsplit(" ", 1)[0] if " " in text else text
    return None


def build_sources(hits: Sequence[Hit], budget_tokens: int, count: TokenCounter = estimate_tokens) -> Sources:
    """Number ``hits`` in rank order and add them whole while they fit ``budget_tokens``.

    A passage that does not fit ends the block (a lower-ranked shorter one is not squeezed in
    after it, so the numbers follow the ranking). Only the first passage is ever cut, when it
    alone is over budget. A chunk that occurs twice is sent once.
    """
    frame = f"{SOURCES_TAG}\n{SOURCES_END}"
    used = count(frame)
    parts: list[str] = []
    numbered: list[Hit] = []
    unique = list({h.chunk.id: h for h in reversed(hits)}.values())[::-1]  # first occurrence wins
    for hit in unique:
        n = len(numbered) + 1
        source = format_source(n, hit)
        cost = count(source) + 1  # + the line break between sources
        if used + cost > budget_tokens:
            if not numbered:
                cut = _cut_to_fit(n, hit, budget_tokens - used - 1, count)
                if cut is not None:
                    parts.append(cut)
                    numbered.append(hit)
                    used += count(cut) + 1
            break
        parts.append(source)
        numbered.append(hit)
        used += cost
    block = "\n".join([SOURCES_TAG, *parts, SOURCES_END])
    return Sources(block, tuple(numbered), used, left_out=len(unique) - len(numbered))
