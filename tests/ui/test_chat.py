"""One session's conversation, with a fake assistant: messages, streaming, follow-ups, errors."""

import datetime as dt

import pytest

from regioassist.models import Answer, Citation
from regioassist.store import Filters
from regioassist.ui.chat import (
    ChatSession,
    FilterError,
    answer_markdown,
    describe_filters,
    parse_filters,
    respond,
    stream_words,
)

pytestmark = pytest.mark.unit

CITE = Citation(1, "documents/001.txt", "Resumé", "resumé", "2021-03-18", "Jeugd en Onderwijs", "Verblijf",
                None, "Het PFHO stelt het voorstel vast.", 0.9, passage="Het PFHO stelt het voorstel vast.")


class FakeAssistant:
    """Records what it was asked; answers follow-ups as understood with the earlier question."""

    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def ask(self, question, filters=None, history=()):
        self.calls.append((question, filters, list(history)))
        if self.fail:
            raise RuntimeError("chroma is weg\nTraceback ...")
        understood = f"{question} (na: {history[-1]})" if history else None
        return Answer(question, "nl", True, "Besluiten:\n- Het PFHO stelt het voorstel vast. [1]", (CITE,),
                      understood=understood)

    def ask_stream(self, question, filters=None, history=()):
        answer = self.ask(question, filters, history)  # the extractive generator: the whole text, then the answer
        yield answer.text
        yield answer


class WritingAssistant(FakeAssistant):
    """An LLM's stream: words as they are written, then the checked answer (a citation it dropped)."""

    def ask_stream(self, question, filters=None, history=()):
        for word in ["Het ", "PFHO ", "stelt ", "het ", "voorstel ", "vast ", "[1] ", "[7]."]:
            yield word
        yield Answer(question, "nl", True, "Het PFHO stelt het voorstel vast [1].", (CITE,),
                     generator="openai", removed_citations=(7,))


def final(generator):
    *_, last = list(generator)
    return last


def test_an_llm_answer_is_previewed_as_written_and_replaced_by_the_checked_one(monkeypatch):
    import regioassist.ui.chat as chat

    monkeypatch.setattr(chat, "PREVIEW_EVERY_S", 0.0)  # every piece shown
    steps = list(respond(WritingAssistant(), ChatSession(), [], "Wat is besloten?", Filters()))
    previews = [step[1]["content"] for step in steps[:-1]]
    assert previews[0] == "Het PFHO " and "vast **[1]** **[7]**." in previews[-1]  # the model's raw text
    messages = steps[-1]
    assert messages[1]["content"] == "Het PFHO stelt het voorstel vast **[1]**."  # the checked text replaces it
    assert [m["metadata"]["title"][:3] for m in messages[2:]] == ["[1]"]


def test_answer_then_one_closed_card_per_citation():
    session, assistant = ChatSession(), FakeAssistant()
    messages = final(respond(assistant, session, [], "  Wat is besloten  over verblijf? ", Filters()))
    assert [m["role"] for m in messages] == ["user", "assistant", "assistant"]
    assert messages[0]["content"] == "Wat is besloten over verblijf?"
    assert messages[1]["content"].endswith("vast. **[1]**")
    card = messages[2]
    assert card["metadata"]["title"] == "[1] 18 maart 2021 · Jeugd en Onderwijs · agendapunt Verblijf"
    assert card["metadata"]["status"] == "done"  # closed until opened
    assert "<mark>Het PFHO stelt het voorstel vast.</mark>" in card["content"]
    # Feedback on message 1 is about the answer, on message 2 about source [1].
    assert session.turn_at(1)[1] is None and session.turn_at(2)[1] == 1
    assert session.turn_at(0) is None


def test_follow_up_gets_the_conversation_and_shows_what_was_understood():
    session, assistant = ChatSession(), FakeAssistant()
    first = final(respond(assistant, session, [], "Wat is besloten over verblijf?", Filters()))
    second = final(respond(assistant, session, first, "En in 2023?", Filters()))
    assert assistant.calls[1][2] == ["Wat is besloten over verblijf?"]
    assert second[len(first) + 1]["content"].startswith("*Opgevat als: En in 2023? (na: Wat is besloten")
    assert session.turn_at(len(first) + 1)[0].conversation == ["Wat is besloten over verblijf?"]
    # The third question follows the second as it was understood, so it carries the topic of the first.
    final(respond(assistant, session, second, "En waarom?", Filters()))
    assert assistant.calls[2][2] == ["Wat is besloten over verblijf?", "En in 2023? (na: Wat is besloten over verblijf?)"]


def test_streaming_grows_to_the_whole_answer():
    steps = list(stream_words("een twee drie vier vijf zes zeven acht negen", words_per_step=4))
    assert steps == ["een twee drie vier ", "een twee drie vier vijf zes zeven acht ",
                     "een twee drie vier vijf zes zeven acht negen"]
    long = list(stream_words(" ".join(["woord"] * 300)))
    assert len(long) == 12 and long[0].count("woord") == 25
    session = ChatSession()
    streamed = list(respond(FakeAssistant(), session, [], "Wat is besloten over verblijf?", Filters()))
    assert len(streamed) >= 2
    lengths = [len(s[1]["content"]) for s in streamed]
    assert lengths == sorted(lengths)


def test_a_failure_is_one_readable_line_not_a_traceback():
    session = ChatSession()
    messages = final(respond(FakeAssistant(fail=True), session, [], "Wat is besloten?", Filters()))
    text = messages[-1]["content"]
    assert text.startswith("Er ging iets mis bij het beantwoorden van deze vraag (RuntimeError: chroma is weg)")
    assert "Traceback" not in text and "\n" not in text
    assert session.turns == [] and session.questions == []  # a failed question is no context


def test_empty_question_does_nothing():
    assert list(respond(FakeAssistant(), ChatSession(), [], "   ", Filters())) == []


def test_filters_from_the_page():
    f = parse_filters("Jeugd en Onderwijs", "(alle)", "2023-01-01", "")
    assert f == Filters(date_from=dt.date(2023, 1, 1), domain="Jeugd en Onderwijs")
    assert describe_filters(f) == "domein Jeugd en Onderwijs · vanaf 1 januari 2023"
    assert not parse_filters("(alle)", None, " ", None)
    with pytest.raises(FilterError, match="'23-02-2023' is geen datum"):
        parse_filters(None, None, "23-02-2023", None)
    with pytest.raises(FilterError, match="ligt na"):
        parse_filters(None, None, "2023-02-01", "2022-01-01")


def test_english_answer_is_framed_in_english():
    answer = Answer("And in 2023?", "en", True, "Decisions [1]", understood="What was decided in 2023 about x?")
    assert answer_markdown(answer).startswith("*Understood as: What was decided in 2023 about x?*")


def test_time_note_stands_above_the_answer_below_what_was_understood():
    note = "'vorig jaar' gelezen als 2022 (het nieuwste document in de index is van 23 februari 2023)."
    answer = Answer("Wat is er vorig jaar besloten?", "nl", True, "Besluiten [1]", time_note=note)
    assert answer_markdown(answer) == f"*{note}*\n\nBesluiten **[1]**"
    follow_up = Answer("En daarover?", "nl", True, "Besluiten [1]", understood="Wat is er vorig jaar besloten over x?",
                       time_note=note)
    assert answer_markdown(follow_up).split("\n\n") == [
        "*Opgevat als: Wat is er vorig jaar besloten over x?*", f"*{note}*", "Besluiten **[1]**"]
