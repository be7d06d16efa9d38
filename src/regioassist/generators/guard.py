"""The citation guard: what an LLM wrote, checked against the sources it was given.

1. Every citation marker (``[3]``, ``[1, 2]``, ``[1][2]``) is read. Numbers that name no source
   given are removed from the text and reported (``Guarded.removed``); the valid ones are
   renumbered in order of first use, so the answer's sources are ``[1]``, ``[2]``, ... like the
   extractive answer's, and written one bracket each (``[1][2]``).
2. Every sentence is checked with the faithfulness rule of the evaluation suite
   (:func:`regioassist.evaluation.metrics.sentence_support`: 60% of its content words and every
   number in the source): a sentence that cites sources against the passages it cites, one that
   cites nothing against all passages given (so a framing sentence drawn from them passes).
   A sentence that fails is kept, with the language's marker ("(niet gevonden in de bron)")
   put before its final full stop, or after it when the citation follows the full stop.
   The model's refusal sentence is never marked.
3. Each citation quotes the sentences of its passage that support what cites it: the passage's
   sentences sharing most words with those statements, added until every supported statement
   that cites only this source is supported by the quote too (at most the whole passage). So
   the evaluation's faithfulness check, which reads the quote, agrees with the guard.

Whether the answer is grounded (any valid citation left) is for the caller to act on
(generators/llm.py falls back to the extractive answer when it is not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from regioassist.answer.citations import citation_of
from regioassist.evaluation.metrics import content_tokens, normalise_text, sentence_support, split_sentences
from regioassist.models import Citation, Hit

MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
NUMBER = re.compile(r"\d+")
FINAL_STOP = re.compile(r"[.!?…]+$")


@dataclass(frozen=True)
class Guarded:
    """The checked answer text, its citations, and what the guard changed."""

    text: str
    citations: tuple[Citation, ...]
    removed: tuple[int, ...] = ()  # citation numbers that named no source, as the model wrote them
    unsupported: int = 0  # sentences marked as not found in their source
    statements: int = 0  # sentences checked (those with at least two content words)

    @property
    def grounded(self) -> bool:
        return bool(self.citations)


def _renumber(text: str, count: int) -> tuple[str, dict[int, int], tuple[int, ...]]:
    """``text`` with markers rewritten to the new numbers, the mapping old -> new, and the removed numbers."""
    mapping: dict[int, int] = {}
    removed: set[int] = set()

    def rewrite(match: re.Match) -> str:
        new = []
        for number in map(int, NUMBER.findall(match.group(1))):
            if not 1 <= number <= count:
                removed.add(number)
                continue
            mapping.setdefault(number, len(mapping) + 1)
            if mapping[number] not in new:
                new.append(mapping[number])
        return " " + "".join(f"[{n}]" for n in new) if new else ""

    rewritten = MARKERS.sub(rewrite, text)
    # Adjacent markers ("[1] [2]") were rewritten one by one: "[1] [2]" reads the same as "[1][2]".
    rewritten = re.sub(r"\](?: \[)", "][", rewritten)
    return rewritten, mapping, tuple(sorted(removed))


def _spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``line``, as ``split_sentences`` cuts it."""
    spans, position = [], 0
    for sentence in split_sentences(line):
        start = line.find(sentence, position)
        if start < 0:  # cannot happen: the sentences are stripped slices of the line, in order
            continue
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    return spans


def _marked(sentence: str, marker: str) -> str:
    """'Het budget is 5 miljoen [1].' -> 'Het budget is 5 miljoen [1] (niet gevonden in de bron).'"""
    stop = FINAL_STOP.search(sentence)
    if stop and not MARKERS.search(sentence[stop.end():]):
        return f"{sentence[: stop.start()].rstrip()} {marker}{stop.group()}"
    return f"{sentence} {marker}"


def _quote(passage: str, statements: Sequence[str]) -> str:
    """The sentences of ``passage`` that support ``statements`` (see the module docstring, step 3)."""
    sentences = split_sentences(passage) or [passage]
    wanted = {t for s in statements for t in content_tokens(s)}
    ranked = sorted(range(len(sentences)), key=lambda i: -len(wanted & set(content_tokens(sentences[i]))))
    chosen: list[int] = []
    for i in ranked:
        chosen.append(i)
        quote = " ".join(sentences[j] for j in sorted(chosen))
        if all(sentence_support(s, quote) for s in statements):
            return quote
    return " ".join(sentences)


def guard(text: str, sources: Sequence[Hit], marker: str, refusal: str = "") -> Guarded:
    """Check ``text`` against ``sources`` (source ``n`` is ``sources[n - 1]``); mark with ``marker``.

    >>> import datetime as dt
    >>> from regioassist.models import Chunk, DocType
    >>> chunk = Chunk("c", "r.txt", "h", "Resumé", DocType.RESUME, "Het PFHO stelt het voorstel over verblijf vast.", "")
    >>> checked = guard("Het PFHO stelt het voorstel over verblijf vast [1][4]. Het budget is 5 miljoen euro [1].",
    ...                 [Hit(chunk, 0.5)], "(niet gevonden in de bron)")
    >>> checked.text
    'Het PFHO stelt het voorstel over verblijf vast [1]. Het budget is 5 miljoen euro [1] (niet gevonden in de bron).'
    >>> checked.removed, checked.unsupported, checked.citations[0].quote
    ((4,), 1, 'Het PFHO stelt het voorstel over verblijf vast.')
    """
    rewritten, mapping, removed = _renumber(text.strip(), len(sources))
    by_new = {new: sources[old - 1] for old, new in mapping.items()}
    everything = " ".join(h.chunk.text for h in sources)
    refusal_norm = normalise_text(refusal)
    supported_by: dict[int, list[str]] = {n: [] for n in by_new}
    statements = unsupported = 0
    lines = []
    for line in rewritten.splitlines():
        pieces, position = [], 0
        for start, end in _spans(line):
            sentence = line[start:end]
            cited = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
            statement = " ".join(MARKERS.sub("", sentence).split()).lstrip("-*• ").strip()
            evidence = " ".join(by_new[n].chunk.text for n in dict.fromkeys(cited)) if cited else everything
            supported = sentence_support(statement, evidence)
            if refusal_norm and normalise_text(statement) == refusal_norm:
                supported = True
            if len(content_tokens(statement)) >= 2:
                statements += 1
            if supported and len(set(cited)) == 1:
                supported_by[cited[0]].append(statement)
            if not supported:
                unsupported += 1
                sentence = _marked(sentence, marker)
            pieces.append(line[position:start] + sentence)
            position = end
        lines.append("".join(pieces) + line[position:])
    citations = tuple(
        citation_of(n, by_new[n], _quote(by_new[n].chunk.text, supported_by[n])) for n in sorted(by_new)
    )
    return Guarded("\n".join(lines), citations, removed, unsupported, statements)


