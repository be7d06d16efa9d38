"""The extractive generator: the quoting answerer (answer/) behind the Generator Protocol.

>>> from regioassist.answer import ExtractiveAnswerer
>>> from regioassist.generators import collect
>>> collect(ExtractiveGenerator(ExtractiveAnswerer(None)).stream("Wat kost het?", "nl", [])).generator
'extractive'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from regioassist.answer import ExtractiveAnswerer
from regioassist.models import Answer, Hit


class ExtractiveGenerator:
    """Answers by quoting the passages; the whole text arrives as one delta."""

    name = "extractive"

    def __init__(self, answerer: ExtractiveAnswerer) -> None:
        self.answerer = answerer

    def stream(self, question: str, language: str, hits: Sequence[Hit]) -> Iterator[str | Answer]:
        answer = self.answerer.answer(question, language, hits)
        yield answer.text
        yield answer
