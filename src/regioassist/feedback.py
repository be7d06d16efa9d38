"""Feedback from chat users, kept for the evaluation team and exportable as draft evaluation items.

The chat stores every thumbs up/down, "deze bron klopt niet" and comment in
``INDEX/feedback.sqlite`` (one SQLite file, WAL mode, a connection per call, so
the threads of one web server can write at once). ``export_items`` turns the
rows into items in the format of ``eval/README.md``, one per answer, flagged
for review: the gold citations are the answer's less the sources marked wrong,
the facts short strings copied from the quotes.

>>> import tempfile
>>> store = FeedbackStore.beside(Path(tempfile.mkdtemp()))
>>> store.record(kind="answer", rating="up", question="Wie is contactpersoon?", answer="... [1]",
...              citations=[{"n": 1, "source": "documents/000_e69afd2dc3060162.txt", "agenda_item": None,
...                          "quote": "Contactpersoon Marielle Stitzinger"}])
1
>>> [(i["id"], i["facts"], i["citations"]) for i in export_items(store.all())]
[('fact-fb-1', [['Marielle Stitzinger']], [{'source': '000_e69afd2dc3060162.txt', 'section': None}])]
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Collection, Iterable, Sequence, TextIO

from regioassist.answer import DECISION_QUESTION
from regioassist.evaluation.metrics import fact_present, normalise_text
from regioassist.store import utc_now
from regioassist.textutil import STOPWORDS

FEEDBACK_FILE = "feedback.sqlite"
KINDS = ("answer", "source")
RATINGS = ("up", "down", None)
PREFIX = {"decision": "dec", "fact": "fact", "scoped": "scoped", "follow_up": "fu", "unanswerable": "un",
          "english": "en"}
FILTER_KEYS = ("date_from", "date_to", "domain", "doc_type")  # what eval items accept as `filters`
JSON_FIELDS = ("conversation", "citations", "filters", "settings")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('answer', 'source')), rating TEXT CHECK (rating IN ('up', 'down')),
    comment TEXT, question TEXT NOT NULL, understood TEXT NOT NULL, conversation TEXT NOT NULL,
    language TEXT NOT NULL, answered INTEGER NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    citation_n INTEGER, filters TEXT NOT NULL, settings TEXT NOT NULL
)"""


@dataclass(frozen=True)
class FeedbackRecord:
    """One stored piece of feedback, with the answer it is about."""

    id: int
    created_at: str  # ISO UTC, '2026-11-22T09:41:07+00:00'
    kind: str  # "answer" | "source"
    rating: str | None  # "up" | "down" | None (a comment only)
    comment: str | None
    question: str  # as typed
    understood: str  # after follow-up rewriting; the question itself when not rewritten
    conversation: tuple[str, ...]  # earlier questions, oldest first
    language: str
    answered: bool  # false when the assistant declined
    answer: str
    citations: tuple[dict, ...]  # shaped like Answer.to_json()["citations"]
    citation_n: int | None  # the source card the feedback is about (kind "source")
    filters: dict
    settings: dict


_COLUMNS = tuple(f.name for f in fields(FeedbackRecord))


class FeedbackStore:
    """Feedback rows in one SQLite file; safe for several threads (a connection per call)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            conn.execute(_SCHEMA)

    @classmethod
    def beside(cls, index_dir: Path) -> "FeedbackStore":
        """The store of an index: ``<index_dir>/feedback.sqlite``."""
        return cls(Path(index_dir) / FEEDBACK_FILE)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)  # autocommit; waits 30 s on a lock

    def record(
        self, *, kind: str, question: str, rating: str | None = None, comment: str | None = None,
        understood: str | None = None, conversation: Sequence[str] = (), language: str = "nl",
        answered: bool = True, answer: str = "", citations: Sequence[dict] = (), citation_n: int | None = None,
        filters: dict | None = None, settings: dict | None = None,
    ) -> int:
        """Store one piece of feedback and return its id; ValueError names what is wrong."""
        if kind not in KINDS:
            raise ValueError(f"kind must be 'answer' or 'source', got {kind!r}")
        if rating not in RATINGS:
            raise ValueError(f"rating must be 'up', 'down' or None, got {rating!r}")
        comment = (comment or "").strip() or None
        if rating is None and comment is None:
            raise ValueError("feedback needs a rating or a comment")
        if not question or not question.strip():
            raise ValueError("feedback needs the question it is about")
        if kind == "source" and not any(c.get("n") == citation_n for c in citations):
            raise ValueError(f"source feedback needs citation_n, the n of one of the citations (got {citation_n!r})")
        if kind == "answer" and citation_n is not None:
            raise ValueError("answer feedback has no citation_n")
        values = (utc_now(), kind, rating, comment, question, understood or question,
                  json.dumps(list(conversation), ensure_ascii=False), language, int(answered), answer,
                  json.dumps(list(citations), ensure_ascii=False), citation_n,
                  json.dumps(filters or {}, ensure_ascii=False), json.dumps(settings or {}, ensure_ascii=False))
        with closing(self._connect()) as conn:
            cursor = conn.execute(f"INSERT INTO feedback ({', '.join(_COLUMNS[1:])}) VALUES ({', '.join('?' * 14)})",
                                  values)
            return int(cursor.lastrowid)

    def all(self) -> list[FeedbackRecord]:
        """Every row, oldest first."""
        with closing(self._connect()) as conn:
            rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [FeedbackRecord(**_decoded(dict(zip(_COLUMNS, row)))) for row in rows]

    def count(self) -> int:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]


def _decoded(row: dict) -> dict:
    row.update({key: json.loads(row[key]) for key in JSON_FIELDS})
    row.update(conversation=tuple(row["conversation"]), citations=tuple(row["citations"]),
               answered=bool(row["answered"]))
    return row


# Facts: short strings a reviewer would accept as key facts, in this order of preference.
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_FACT_PATTERNS = (
    re.compile(r"€\s?\d+(?:[.,]\d+)*(?:\s(?:miljoen|miljard))?"),  # €30.000, € 1,2 miljoen
    re.compile(rf"(?<!\d)(?:\d{{1,2}}\s(?:{_MONTHS})(?:\s\d{{4}})?|(?:{_MONTHS})\s\d{{4}}|\d{{1,2}}-\d{{1,2}}-\d{{4}})"
               r"(?!\w)", re.IGNORECASE),  # 23 februari 2023, maart 2021
    re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*\s?(?:%|procent|uur|jaar|jaren|maanden|maand|weken|week|dagen|fte|keer|"
               r"plekken|plaatsen|kinderen|jongeren|inwoners|gemeenten|deelnemers|euro)(?!\w)", re.IGNORECASE),
)
_WORD = re.compile(r"[^\W_][\w’'&-]*")
_PARTICLES = {"van", "de", "der", "den", "en", "het", "ter", "te", "'t"}


def _names(quote: str) -> list[tuple[int, str]]:
    """Runs of capitalised words (with particles inside), at most four words; sentence-initial words dropped."""
    runs: list[list[re.Match]] = []
    for word in _WORD.finditer(quote):
        # A run holds only capitalised words and particles, so it goes on while they follow with a space between.
        adjacent = bool(runs) and quote[runs[-1][-1].end():word.start()].isspace()
        if word.group()[0].isupper() and not adjacent:
            runs.append([word])
        elif adjacent and (word.group()[0].isupper() or word.group() in _PARTICLES):
            runs[-1].append(word)
    found = []
    for run in runs:
        before = quote[:run[0].start()].rstrip()
        if not before or before[-1] in ".!?" or run[0].group().casefold() in STOPWORDS:  # "Het PFHO" -> "PFHO"
            run = run[1:]
        run = run[:4]
        while run and run[-1].group() in _PARTICLES:
            run = run[:-1]
        if run and (len(run) > 1 or len(run[0].group()) >= 3):  # "AT" would match the English "at"
            found.append((run[0].start(), quote[run[0].start():run[-1].end()]))
    return found


def facts_from(quotes: Sequence[str], question: str, limit: int = 3) -> list[list[str]]:
    """Up to ``limit`` short facts that stand literally in the quotes: amounts, dates, quantities, names.

    With none of those, the first one to four words of the first quote's first sentence.
    """
    candidates = []
    for q, quote in enumerate(quotes):
        for rank, pattern in enumerate(_FACT_PATTERNS):
            candidates += [(rank, q, m.start(), m.group()) for m in pattern.finditer(quote)]
        candidates += [(len(_FACT_PATTERNS), q, start, name) for start, name in _names(quote)]
    asked, chosen, seen = normalise_text(question), [], set()
    for _, q, _, text in sorted(candidates):
        text, key = " ".join(text.split()), normalise_text(text)
        if key in seen or key in asked or not 1 <= len(text.split()) <= 4 or not fact_present([text], quotes[q]):
            continue
        seen.add(key)
        chosen.append([text])
        if len(chosen) == limit:
            return chosen
    if not chosen and quotes:
        first = re.split(r"(?<=[.:;!?])\s", " ".join(quotes[0].split()), maxsplit=1)[0].split()[:4]
        for n in range(len(first), 0, -1):
            text = " ".join(first[:n]).strip(".,:;!?()\"'‘’“”")
            if text and fact_present([text], quotes[0]):
                return [[text]]
    return chosen


def _group(records: Iterable[FeedbackRecord]) -> list[list[FeedbackRecord]]:
    """Rows about the same answer (same question, understood question and answer text), first seen first."""
    groups: dict[tuple[str, str, str], list[FeedbackRecord]] = {}
    for record in sorted(records, key=lambda r: r.id):
        groups.setdefault((record.question, record.understood, record.answer), []).append(record)
    return list(groups.values())


def export_items(records: Iterable[FeedbackRecord], known_sources: Collection[str] | None = None) -> list[dict]:
    """Draft evaluation items, one per answer with feedback, each flagged ``review`` with a note.

    A decline rated up becomes ``unanswerable``; a decline without an up is skipped
    (there is no gold to fill in). Citations marked "deze bron klopt niet", and with
    ``known_sources`` those of files not among them, leave the gold; an answer left
    with no citation is skipped.
    """
    items = []
    for rows in _group(records):
        first = rows[0]
        ratings = [r.rating for r in rows if r.kind == "answer" and r.rating]
        rating = ratings[-1] if ratings else None
        wrong = {r.citation_n for r in rows if r.kind == "source" and r.rating == "down"}
        extra = [f"bron [{n}] klopt niet volgens de gebruiker" for n in sorted(wrong)]
        item: dict[str, Any] = {"id": "", "category": "fact", "question": first.question, "language": first.language}
        if not first.answered:
            if rating != "up":
                continue
            item.update(category="unanswerable", question=first.understood, answerable=False, facts=[],
                        citations=[])
            if first.filters:
                extra.append(f"gesteld met filters {json.dumps(first.filters, ensure_ascii=False)}")
        else:
            kept = [c for c in first.citations if c.get("n") not in wrong and
                    (known_sources is None or Path(c["source"]).name in known_sources)]
            if not kept:
                continue
            gold = list(dict.fromkeys((Path(c["source"]).name, c.get("agenda_item")) for c in kept))
            filters = {k: v for k, v in first.filters.items() if k in FILTER_KEYS and v is not None}
            if first.conversation:
                item.update(category="follow_up", conversation=list(first.conversation))
                if filters:
                    extra.append(f"gesteld met filters {json.dumps(filters, ensure_ascii=False)}")
            elif filters:
                item.update(category="scoped", filters=filters)
            elif first.language == "en":
                item["category"] = "english"
            elif DECISION_QUESTION.search(first.question):
                item["category"] = "decision"
            item.update(answerable=True, facts=facts_from([c.get("quote") or "" for c in kept], first.understood),
                        citations=[{"source": s, "section": a} for s, a in gold])
            item = {k: item[k] for k in ("id", "category", "question", "language", "answerable", "conversation",
                                         "filters", "facts", "citations") if k in item}
        item["id"] = f"{PREFIX[item['category']]}-fb-{first.id}"
        comments = [r.comment for r in rows if r.comment]
        note = (f"concept uit feedback {', '.join(f'#{r.id}' for r in rows)} ({rating or 'geen oordeel'}, "
                f"{first.created_at[:10]})" + (f": {' / '.join(comments)}" if comments else ""))
        item.update(notes="; ".join([note, *extra, "nakijken voor opname"]), review=True)
        items.append(item)
    return items


def write_jsonl(items: Iterable[dict], out: Path | TextIO | None = None) -> int:
    """One JSON object per line, UTF-8, characters as themselves; to a file, a stream or stdout. Returns the count."""
    lines = [json.dumps(item, ensure_ascii=False) + "\n" for item in items]
    if out is None or hasattr(out, "write"):
        (out or sys.stdout).writelines(lines)
    else:
        Path(out).write_text("".join(lines), encoding="utf-8")
    return len(lines)
