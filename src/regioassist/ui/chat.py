"""One browser session's conversation: questions in, answer and source-card messages out.

Kept free of Gradio so it can be tested on its own: the page (``ui/app.py``)
stores a :class:`ChatSession` in a ``gr.State`` (one per browser tab, so users
never share a conversation) and renders the message dicts it returns.

>>> session = ChatSession()
>>> session.questions
[]
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Iterator

from regioassist.models import Answer
from regioassist.store import Filters
from regioassist.ui.cards import card_body, card_title, dutch_date

log = logging.getLogger(__name__)

ERROR_MESSAGE = (
    "Er ging iets mis bij het beantwoorden van deze vraag ({reason}). "
    "Probeer het opnieuw of stel de vraag anders; de fout is vastgelegd in het serverlog."
)
ALL = "(alle)"  # the dropdown choice that means "no filter"


class FilterError(ValueError):
    """A filter the user typed cannot be used; the message is one Dutch line."""


def parse_filters(domain: str | None, doc_type: str | None, date_from: str | None, date_to: str | None) -> Filters:
    """The page's filter controls as ``Filters``; empty and '(alle)' mean no filter."""

    def day(value: str | None, label: str) -> dt.date | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise FilterError(f"{label}: '{value}' is geen datum; gebruik JJJJ-MM-DD, bijv. 2023-02-23") from None

    start, end = day(date_from, "Vanaf"), day(date_to, "Tot en met")
    if start and end and start > end:
        raise FilterError("De datum 'vanaf' ligt na de datum 'tot en met'.")
    return Filters(
        date_from=start,
        date_to=end,
        domain=domain if domain and domain != ALL else None,
        doc_type=doc_type if doc_type and doc_type != ALL else None,
    )


def describe_filters(filters: Filters) -> str:
    """'domein Jeugd en Onderwijs · vanaf 1 januari 2023' for the line above the chat; '' when none."""
    parts = []
    if filters.domain:
        parts.append(f"domein {filters.domain}")
    if filters.doc_type:
        parts.append(f"type {filters.doc_type}")
    if filters.date_from:
        parts.append(f"vanaf {dutch_date(filters.date_from.isoformat())}")
    if filters.date_to:
        parts.append(f"tot en met {dutch_date(filters.date_to.isoformat())}")
    return " · ".join(parts)


def filters_json(filters: Filters) -> dict:
    return {
        key: (value.isoformat() if isinstance(value, dt.date) else value)
        for key, value in vars(filters).items()
        if value is not None
    }


@dataclass
class Turn:
    """One answered question, kept for feedback on it."""

    question: str
    answer: Answer
    filters: Filters
    conversation: list[str]


@dataclass
class ChatSession:
    """What one browser tab has asked; maps chat message positions to the answer they show."""

    questions: list[str] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    # chat message index -> (turn index, citation number or None for the answer itself)
    messages: dict[int, tuple[int, int | None]] = field(default_factory=dict)

    def turn_at(self, message_index: int) -> tuple[Turn, int | None] | None:
        found = self.messages.get(message_index)
        return (self.turns[found[0]], found[1]) if found else None

    @property
    def last_turn(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


def answer_markdown(answer: Answer) -> str:
    """The answer text as the chat shows it: 'Opgevat als' first when the question was rewritten,
    then how its time phrase was read ("'vorig jaar' gelezen als 2022 ...")."""
    text = answer.text
    if answer.time_note:
        text = f"*{answer.time_note}*\n\n{text}"
    if answer.understood:
        text = f"*{answer.understood_note()}*\n\n{text}"
    return _bold_markers(text)


def _bold_markers(text: str) -> str:
    """"[1]" is not a Markdown link; bold it so the numbers stand out beside the quotes."""
    return re.sub(r"\[(\d+)\]", r"**[\1]**", text)


PREVIEW_EVERY_S = 0.1  # an LLM's growing text is sent to the browser at most ten times a second


def source_messages(answer: Answer) -> list[dict]:
    """One closed, collapsible message per citation (Gradio renders ``metadata.title`` as a card)."""
    return [
        {
            "role": "assistant",
            "content": card_body(c),
            "metadata": {"title": card_title(c), "status": "done", "id": f"bron-{c.n}"},
        }
        for c in answer.citations
    ]


def stream_words(text: str, words_per_step: int = 4, max_steps: int = 12) -> Iterator[str]:
    """The text growing a few words at a time (whitespace kept), ending with all of it.

    At most ``max_steps`` steps: every step sends the conversation to the browser again, so a
    long answer grows in bigger steps (a 300-word answer: 12 steps of 25 words).
    """
    pieces = re.findall(r"\S+\s*", text)
    step = max(words_per_step, -(-len(pieces) // max_steps))
    for end in range(step, len(pieces), step):
        yield "".join(pieces[:end])
    yield text


def respond(
    assistant,
    session: ChatSession,
    history: list[dict],
    question: str,
    filters: Filters,
) -> Iterator[list[dict]]:
    """Stream the chat's messages for one question: the question, the growing answer, its cards.

    The session learns the question (for follow-ups) and where its messages stand (for feedback).
    """
    question = " ".join((question or "").split())
    if not question:
        return
    history = [*history, {"role": "user", "content": question}]
    answer, previewed = None, False
    try:
        # An LLM's text is shown as it is written (a preview: the checked answer replaces it);
        # the extractive answer arrives whole and is shown growing a few words at a time.
        pieces: list[str] = []
        last_shown = 0.0
        for piece in assistant.ask_stream(question, filters=filters or None, history=session.questions):
            if isinstance(piece, Answer):
                answer = piece
                break
            pieces.append(piece)
            if len(pieces) > 1 and time.monotonic() - last_shown >= PREVIEW_EVERY_S:
                previewed, last_shown = True, time.monotonic()
                yield [*history, {"role": "assistant", "content": _bold_markers("".join(pieces))}]
        if answer is None:
            raise RuntimeError("the answer stream ended without an answer")
    except Exception as error:  # shown as one line, logged with its traceback
        log.exception("answering %r failed", question)
        reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
        yield [*history, {"role": "assistant", "content": ERROR_MESSAGE.format(reason=reason)}]
        return
    turn_index = len(session.turns)
    session.turns.append(Turn(question, answer, filters, list(session.questions)))
    # As understood: a follow-up of a follow-up then carries the conversation's topic, not its own words.
    session.questions.append(answer.understood or question)
    answer_index = len(history)
    session.messages[answer_index] = (turn_index, None)
    if not previewed:
        for partial in stream_words(answer_markdown(answer)):
            yield [*history, {"role": "assistant", "content": partial}]
    history = [*history, {"role": "assistant", "content": answer_markdown(answer)}]
    for offset, (card, citation) in enumerate(zip(source_messages(answer), answer.citations), start=1):
        session.messages[answer_index + offset] = (turn_index, citation.n)
        history.append(card)
    yield history
