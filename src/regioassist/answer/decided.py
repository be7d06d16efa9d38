"""Answers to "Wat is besloten over X?": the decisions on X, meeting by meeting, each with what it refers to."""

from __future__ import annotations

from typing import Callable

from regioassist.answer.citations import Citations, place_of
from regioassist.answer.question import GENERIC_STEMS, topic_words
from regioassist.answer.sentences import AFTER_THE_MEETING, LIST_ITEMS, PROPOSAL, is_debris, on_topic
from regioassist.models import Hit
from regioassist.textutil import split_sentences, stems

SHORT_ITEM = 4  # an item with up to this many sentences is quoted whole
STAND_INS = 2  # sentences sharing the most with the topic that stand in for a missing proposal, when they tie


def decisions_answer(
    question: str, language: str, hits: list[Hit], citations: Citations, phrases: dict[str, dict[str, str]],
    known: frozenset[str], about: Callable[[str], bool] = lambda text: True,
) -> str | None:
    """The decisions on the question's topic, meeting by meeting in date order; None when no hit records one.

    ``known`` holds the stems of the documents' words: only those can find an item. ``about`` says
    whether a passage's text holds what the topic names beyond them (a compound's parts).
    """
    # The words after "over" name the topic; the rest may only scope it ("in de laatste
    # vergadering", "vóór 2022"), and the retrieval filters already applied that scope.
    topic = stems(topic_words(question)) - GENERIC_STEMS or stems(question) - GENERIC_STEMS
    if topic & known:
        # "residential youth care (verblijf)" is about "verblijf".
        topic &= known
    by_item: dict[tuple[str, str | None], list[Hit]] = {}
    for hit in hits:
        text = hit.chunk.indexed_text
        if hit.chunk.decisions and (not topic or on_topic(topic, text)) and about(text):
            by_item.setdefault((hit.chunk.source, hit.chunk.section), []).append(hit)
    if not by_item:
        return None
    groups = sorted(
        by_item.values(), key=lambda g: (g[0].chunk.date.isoformat() if g[0].chunk.date else "9999", g[0].chunk.start)
    )
    phrase = topic_words(question)
    blocks = [phrases[language]["decisions" if phrase else "decisions_any"].format(topic=phrase)]
    for group in groups:
        lines = [f"{place_of(group[0].chunk, language, phrases)}:"]
        for hit, sentence in item_sentences(group, topic):
            lines.append(f"- {sentence} [{citations.cite(hit, sentence)}]")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def item_sentences(group: list[Hit], topic: set[str]) -> list[tuple[Hit, str]]:
    """One agenda item's sentences to quote, each once, in document order.

    Overlapping chunks of one item carry the same decision: the first chunk
    that holds a sentence is the one cited for it.
    """
    found: dict[str, tuple[int, Hit]] = {}
    for hit in group:
        for sentence in decision_sentences(hit, topic):
            at = " ".join(hit.chunk.text.split()).find(sentence[:40])
            position = hit.chunk.start + (at if at >= 0 else 0)
            if sentence not in found:
                found[sentence] = (position, hit)
    ordered = sorted(found.items(), key=lambda item: item[1][0])
    return [(hit, sentence) for sentence, (_, hit) in ordered]


def decision_sentences(hit: Hit, topic: set[str]) -> list[str]:
    """What an agenda item decided, with what the decision refers to, in the order of the text.

    A short item (up to SHORT_ITEM sentences) is quoted whole. From a longer one: its decisions;
    the proposal they adopt ("Voorgesteld wordt om ..."), since "stelt het voorstel vast"
    says nothing without it; the sentence right after a decision, which often carries its
    condition ("Huizen vraagt ... of het voorstel juridisch houdbaar is"); a note added
    after the meeting. Only when the item states no proposal do the sentences that share
    most with the topic stand in for it (up to STAND_INS, when they tie).
    """
    chunk = hit.chunk
    decisions = [" ".join(d.split()) for d in chunk.decisions]
    sentences = [s for s in split_sentences(chunk.text) if not is_debris(s)]  # a URL on its own line is no sentence
    is_decision = [any(s in d or d in s for d in decisions) for s in sentences]
    others = [s for s, dec in zip(sentences, is_decision) if not dec]
    if len(others) + len(decisions) <= SHORT_ITEM:
        return others + decisions
    picked: list[str] = []
    for i, sentence in enumerate(sentences):
        if is_decision[i] and sentence.rstrip().endswith(":"):
            # "... geven de volgende aandachtspunten aan:" -- the points are the decision.
            picked += [s for s, dec in zip(sentences[i + 1 : i + 1 + LIST_ITEMS], is_decision[i + 1 :]) if not dec]
        elif is_decision[i]:
            following = sentences[i + 1] if i + 1 < len(sentences) else ""
            if following and not is_decision[i + 1] and len(following) >= 25 and not is_debris(following):
                picked.append(following)
        elif PROPOSAL.search(sentence) or AFTER_THE_MEETING.match(sentence):
            picked.append(sentence)
    if not any(PROPOSAL.search(s) for s in picked):
        ranked = sorted(
            (s for s in others if len(s) >= 25 and topic & stems(s) and not is_debris(s)),
            key=lambda s: -len(topic & stems(s)),
        )
        best = len(topic & stems(ranked[0])) if ranked else 0
        picked += [s for s in ranked if len(topic & stems(s)) == best][:STAND_INS]
    flat = " ".join(chunk.text.split())
    units = list(dict.fromkeys(picked + decisions))
    return sorted(units, key=lambda u: (flat.find(u[:40]) if flat.find(u[:40]) >= 0 else len(flat)))
