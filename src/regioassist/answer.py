"""The extractive answerer: a cited Dutch answer built from the retrieved passages, no LLM.

Every statement it writes is a sentence quoted from a passage, followed by the
number of the citation it rests on. Two shapes:

- "Wat is besloten over X?": the decisions on X, meeting by meeting in date
  order, each under its meeting date, domain and agenda item;
- any other question: the sentences that answer it best, under the place they
  stand.

When the best passage is not similar enough to the question (cosine below the
calibrated ``min_dense_score``) it says the documents do not answer, and cites
nothing. An English question gets English framing; quotes stay Dutch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from regioassist.chunking import DUTCH_MONTHS
from regioassist.embedding import Embedder
from regioassist.models import Answer, Chunk, Citation, Hit
from regioassist.prompts import DEFAULT_PHRASES, load_phrases
from regioassist.textutil import STOPWORDS, split_sentences, stems

DECISION_QUESTION = re.compile(
    r"\b(besloten|besluit\w*|beslist|afgesproken|afspraken?|vastgesteld|ingestemd|"
    r"decided|decisions?|agreed|agreements?|resolved)\b",
    re.IGNORECASE,
)
# Stems that say *that* something was decided, not *what* about: they do not pick the topic.
GENERIC_STEMS = stems(
    "besloten besluit besluiten beslist afgesproken afspraak afspraken vastgesteld ingestemd "
    "decided decision decisions agreed agreement resolved overleg vergadering meeting portefeuillehouders "
    "portefeuillehoudersoverleg pfho wethouders besproken voorgesteld gevraagd gezegd gesproken genoemd "
    "vermeld said discussed mentioned"
)
# What a question asks for, and what a sentence must contain to answer it. A "required"
# cue that no retrieved sentence meets means the documents do not give that information:
# "Wat kost de tweede gezinsgerichte groep?" finds the item, but no amount in it.
_MONTH_NAMES = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|june|july|august|october"
)
_PERIODS = "kwartaal|voorjaar|najaar|zomer|winter|begin|eind|uiterlijk|binnen|vanaf|quarter"


@dataclass(frozen=True)
class AnswerCue:
    asks: re.Pattern
    answers: re.Pattern
    required: bool


ANSWER_CUES = {
    "money": AnswerCue(
        re.compile(
            r"\b(\w*kost(?:en|te)?|bedrag\w*|budget\w*|salaris\w*|subsidie\w*|tarief|tarieven|financiering|"
            r"hoe ?hoog|how much|costs?|amount|salary|subsid\w*|fee)\b", re.I,
        ),
        re.compile(r"€\s?\d|\b\d[\d.,]*\s?(?:euro|K)\b|\beuro\b", re.I),
        True,
    ),
    "number": AnswerCue(
        re.compile(r"\b(hoeveel|how many|aantal)\b", re.I),
        re.compile(r"\d|\b(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|twintig|honderd)\b", re.I),
        True,
    ),
    "when": AnswerCue(
        re.compile(r"\b(wanneer|when|op welke datum|welke datum|what date|deadline|tot wanneer|vanaf wanneer)\b", re.I),
        re.compile(rf"\b(?:{_MONTH_NAMES}|{_PERIODS}|(?:19|20)\d{{2}}|\d{{1,2}}[-/]\d{{1,2}})\b", re.I),
        True,
    ),
    "who": AnswerCue(
        re.compile(r"\b(wie|who|welke (?:wethouder|persoon|organisatie)|which (?:organisation|person))\b", re.I),
        re.compile(r"\b[A-Z][a-zë]+ (?:(?:van|de|der|den) )*[A-Z][a-zë]+"),
        False,
    ),
}


CUE_STEMS = stems(
    "kost kosten bedrag budget salaris subsidie tarief financiering hoog hoeveel aantal wanneer datum "
    "deadline cost costs amount salary date when much many"
)


def wanted_cues(question: str) -> list[str]:
    """The cues a question asks for; "hoeveel kost" asks for money, not for a bare number."""
    cues = [name for name, cue in ANSWER_CUES.items() if cue.asks.search(question)]
    if "money" in cues and "number" in cues:
        cues.remove("number")
    return cues


ENGLISH_MONTHS = "January February March April May June July August September October November December".split()



def format_date(value, language: str) -> str:
    if value is None:
        return ""
    months = DUTCH_MONTHS if language == "nl" else ENGLISH_MONTHS
    return f"{value.day} {months[value.month - 1]} {value.year}"


def place_of(chunk: Chunk, language: str, phrases: dict[str, dict[str, str]]) -> str:
    """'23 februari 2023 — Jeugd en Onderwijs, agendapunt "Verblijf"' for a heading line.

    Documents other than minutes also name their title: a programme's date alone says little.
    """
    head = format_date(chunk.date, language) or chunk.title
    where = []
    if chunk.date and chunk.title and chunk.doc_type.value != "resumé":
        where.append(chunk.title)
    if chunk.domain:
        where.append(chunk.domain)
    if chunk.section:
        label = phrases[language]["item"] if chunk.section_kind == "agenda_item" else ""
        where.append(f'{label} "{chunk.section}"'.strip())
    return f"{head} — {', '.join(where)}" if where else head


@dataclass
class Citations:
    """Numbers citations in order of first use; each collects the sentences quoted from it."""

    hits: list[Hit] = field(default_factory=list)
    quotes: list[list[str]] = field(default_factory=list)

    def cite(self, hit: Hit, sentence: str) -> int:
        for i, known in enumerate(self.hits):
            if known.chunk.id == hit.chunk.id:
                if sentence not in self.quotes[i]:
                    self.quotes[i].append(sentence)
                return i + 1
        self.hits.append(hit)
        self.quotes.append([sentence])
        return len(self.hits)

    def build(self) -> tuple[Citation, ...]:
        return tuple(
            Citation(
                n=i + 1,
                source=hit.chunk.source,
                title=hit.chunk.title,
                doc_type=hit.chunk.doc_type.value,
                date=hit.chunk.date.isoformat() if hit.chunk.date else None,
                domain=hit.chunk.domain,
                agenda_item=hit.chunk.section,
                page=hit.chunk.page,
                quote=" ".join(quotes),
                score=hit.dense_score if hit.dense_score is not None else hit.score,
                passage=hit.chunk.text,
            )
            for i, (hit, quotes) in enumerate(zip(self.hits, self.quotes))
        )


FACT_PASSAGES = 5  # passages whose sentences compete to answer a factual question


class ExtractiveAnswerer:
    """Answers from retrieved hits by quoting them; needs no LLM.

    >>> # answerer = ExtractiveAnswerer(embedder, min_dense_score=0.8)
    >>> # answer = answerer.answer("Wat is besloten over verblijf?", "nl", hits)
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        min_dense_score: float = 0.80,
        max_sentences: int = 3,
        phrases: dict[str, dict[str, str]] | None = None,
    ):
        self.embedder = embedder
        self.phrases = phrases or load_phrases(DEFAULT_PHRASES)
        self.min_dense_score = min_dense_score
        self.max_sentences = max_sentences

    def is_relevant(self, hit: Hit) -> bool:
        return hit.dense_score is not None and hit.dense_score >= self.min_dense_score

    def answer(self, question: str, language: str, hits: Sequence[Hit]) -> Answer:
        language = language if language in self.phrases else "nl"
        phrases = self.phrases[language]
        relevant = [h for h in hits if self.is_relevant(h)]
        if not relevant:
            return Answer(question, language, False, phrases["decline"], (), tuple(hits))
        text, citations = None, Citations()
        if DECISION_QUESTION.search(question):
            text = self._decisions(question, language, relevant, citations)
        if text is None:
            citations = Citations()
            text = self._facts(question, language, relevant, citations)
        if text is None:
            missing = [phrases[f"missing_{c}"] for c in wanted_cues(question) if ANSWER_CUES[c].required]
            reason = phrases["decline_missing"].format(missing=missing[0]) if missing else phrases["decline"]
            return Answer(question, language, False, reason, (), tuple(hits))
        return Answer(question, language, True, text, citations.build(), tuple(hits))

    # -- "wat is besloten over X" -------------------------------------------------------

    def _decisions(self, question: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        topic = stems(question) - GENERIC_STEMS
        by_item: dict[tuple[str, str | None], list[Hit]] = {}
        for hit in hits:
            if not hit.chunk.decisions:
                continue
            if topic and not on_topic(topic, hit.chunk.indexed_text):
                continue
            by_item.setdefault((hit.chunk.source, hit.chunk.section), []).append(hit)
        if not by_item:
            return None
        groups = sorted(
            by_item.values(), key=lambda g: (g[0].chunk.date.isoformat() if g[0].chunk.date else "9999", g[0].chunk.start)
        )
        phrase = topic_words(question)
        heading = self.phrases[language]["decisions" if phrase else "decisions_any"].format(topic=phrase)
        blocks = [heading]
        for group in groups:
            lines = [f"{place_of(group[0].chunk, language, self.phrases)}:"]
            for hit, sentence in self._group_sentences(group, topic):
                lines.append(f"- {sentence} [{citations.cite(hit, sentence)}]")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def _group_sentences(self, group: list[Hit], topic: set[str]) -> list[tuple[Hit, str]]:
        """One agenda item's sentences to quote, each once, in document order.

        Overlapping chunks of one item carry the same decision: the first chunk
        that holds a sentence is the one cited for it.
        """
        found: dict[str, tuple[int, Hit]] = {}
        for hit in group:
            for sentence in self._decision_sentences(hit, topic):
                at = " ".join(hit.chunk.text.split()).find(sentence[:40])
                position = hit.chunk.start + (at if at >= 0 else 0)
                if sentence not in found:
                    found[sentence] = (position, hit)
        ordered = sorted(found.items(), key=lambda item: item[1][0])
        return [(hit, sentence) for sentence, (_, hit) in ordered]

    def _decision_sentences(self, hit: Hit, topic: set[str]) -> list[str]:
        """What an agenda item says on the topic, then its decisions, as they stand in the text.

        A short item (up to four sentences) is quoted whole; from a longer one the
        two sentences that share most with the topic come before the decisions.
        """
        chunk = hit.chunk
        decisions = [" ".join(d.split()) for d in chunk.decisions]
        sentences = [s for s in split_sentences(chunk.text) if not any(s in d or d in s for d in decisions)]
        if len(sentences) + len(decisions) <= 4:
            return sentences + decisions
        ranked = sorted(
            (s for s in sentences if len(s) >= 25 and topic & stems(s)),
            key=lambda s: -len(topic & stems(s)),
        )
        context = ranked[:2] or [s for s in sentences[:1] if len(s) >= 25]
        return context + decisions

    # -- factual questions ----------------------------------------------------------------

    def _facts(self, question: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        """The best-answering sentences; None when none holds the kind of information asked for."""
        per_hit = [split_sentences(hit.chunk.text) for hit in hits[:FACT_PASSAGES]]
        candidates = [(rank, hit, s) for rank, (hit, ss) in enumerate(zip(hits, per_hit)) for s in ss]
        required = [ANSWER_CUES[c] for c in wanted_cues(question) if ANSWER_CUES[c].required]
        if required:
            # An amount or a date only answers when it stands in a passage about the question's
            # topic: "Wat kost de nieuwe sporthal?" is not answered by the cost of dyslexia care.
            # Topic words of a question in another language cannot match the Dutch text, so
            # there the best-ranked passage is trusted.
            topic = stems(question) - GENERIC_STEMS - CUE_STEMS
            candidates = [
                c for c in candidates
                if all(cue.answers.search(c[2]) for cue in required)
                and (not topic or topic & stems(c[1].chunk.indexed_text) or (language != "nl" and c[0] == 0))
            ]
        if not candidates:
            return None
        scores = self._score_sentences(question, candidates)
        best = max(scores)
        chosen = sorted(
            (i for i, score in enumerate(scores) if score >= 0.85 * best),
            key=lambda i: -scores[i],
        )[: self.max_sentences]
        chosen = sorted(chosen, key=lambda i: (candidates[i][0], candidates[i][1].chunk.start, i))
        blocks: list[list[str]] = []
        current_place = None
        for i in chosen:
            rank, hit, sentence = candidates[i]
            place = place_of(hit.chunk, language, self.phrases)
            if place != current_place:
                blocks.append([f"{place}:"])
                current_place = place
            for quoted in [sentence] + _continuation(sentence, per_hit[rank], question):
                line = f"- {quoted} [{citations.cite(hit, quoted)}]"
                if line not in blocks[-1]:
                    blocks[-1].append(line)
        return "\n\n".join([self.phrases[language]["found"]] + ["\n".join(b) for b in blocks])

    def _score_sentences(self, question: str, candidates: list[tuple[int, Hit, str]]) -> list[float]:
        """Lexical overlap with the question, the sentence's similarity to it, and its passage's rank.

        score = overlap share + cosine(question, sentence) + 0.05 for the first passage;
        e.g. 2 of 3 question stems present (0.67) + cosine 0.86 + 0.05 = 1.58.
        """
        wanted = stems(question) - GENERIC_STEMS or stems(question)
        lexical = []
        for _, hit, sentence in candidates:
            # Words the passage's context already answers ("februari 2023" for a passage of that
            # meeting) scope the question; the sentence must answer the rest.
            own = wanted - stems(hit.chunk.context) or wanted
            lexical.append(len(own & stems(sentence)) / len(own) if own else 0.0)
        dense = [0.0] * len(candidates)
        if self.embedder is not None and candidates:
            q = self.embedder.embed([question], kind="query")[0]
            vectors = self.embedder.embed([s for _, _, s in candidates], kind="passage")
            dense = [float(v) for v in np.asarray(vectors) @ q]
        wants = [ANSWER_CUES[name] for name in wanted_cues(question)]
        return [
            lex + cos + 0.02 * (FACT_PASSAGES - rank) - (0.3 if len(s) < 15 else 0.0)
            + sum(0.3 for cue in wants if cue.answers.search(s))
            for (rank, _, s), lex, cos in zip(candidates, lexical, dense)
        ]


def _continuation(sentence: str, sentences: list[str], question: str) -> list[str]:
    """Sentences that complete the chosen one: the list after a colon, the name after a "who"."""
    if sentence not in sentences:
        return []
    after = sentences[sentences.index(sentence) + 1 :]
    if sentence.rstrip().endswith(":"):
        return after[:4]
    who = ANSWER_CUES["who"]
    if who.asks.search(question) and not who.answers.search(sentence):
        return [s for s in after[:1] if who.answers.search(s)]
    return []


def on_topic(topic: set[str], text: str) -> bool:
    """More than half of the topic's stems occur in ``text`` (all of them for a two-word topic)."""
    return len(topic & stems(text)) > len(topic) / 2


def topic_words(question: str) -> str:
    """The words after 'over'/'about'/'m.b.t.' in a decision question: 'verblijf'.

    Trailing words that only say *that* something was decided are dropped:
    "over verblijf besloten?" -> "verblijf".
    """
    match = re.search(r"\b(?:over|about|on|omtrent|inzake|m\.b\.t\.|rond(?:om)?)\s+(?:de |het |the )?(.+?)[?.!]*$", question, re.I)
    if not match:
        return ""
    words = match.group(1).split()
    while words and (stems(words[-1]) <= GENERIC_STEMS or words[-1].lower() in STOPWORDS):
        words.pop()
    return " ".join(words)


def render(answer: Answer, phrases: dict[str, dict[str, str]] | None = None) -> str:
    """The answer with its numbered 'Bronnen' below, as the CLI prints it."""
    if not answer.citations:
        return answer.text
    phrases = phrases or load_phrases(DEFAULT_PHRASES)
    phrases = phrases.get(answer.language, phrases["nl"])
    lines = [answer.text, "", f"{phrases['sources']}:"]
    for c in answer.citations:
        where = [c.title]
        if c.date:
            where.append(c.date)
        if c.domain:
            where.append(c.domain)
        if c.agenda_item:
            where.append(f"{phrases['item']}: {c.agenda_item}")
        if c.page:
            where.append(f"{phrases['page']} {c.page}")
        where.append(c.source)
        lines.append(f"[{c.n}] " + " · ".join(where))
        lines.append(f'    "{c.quote}"')
    return "\n".join(lines)
