"""The decision register (besluitenregister): every decision in the index, one row each.

Built from the decision sentences the structure stage attached to the chunks, so it
needs no model and no query: a register of what was adopted, agreed, noted or postponed,
meeting by meeting, filtered by date, domain, topic and status.

>>> import datetime as dt
>>> from regioassist.models import Chunk, DocType
>>> from regioassist.store import MemoryStore
>>> store = MemoryStore()
>>> chunk = Chunk(id="c1", source="resume.txt", doc_hash="h", title="Resumé", doc_type=DocType.RESUME,
...               text="Het PFHO stelt het voorstel vast.", context="", date=dt.date(2021, 3, 18),
...               section="Verblijf", decisions=("Het PFHO stelt het voorstel vast.",))
>>> store.upsert("resume.txt", [chunk], [[1.0]])
>>> [(str(e.date), e.agenda_item, e.status) for e in decision_register(store, topic="verblijf")]
[('2021-03-18', 'Verblijf', 'vastgesteld')]
>>> to_csv(decision_register(store)).splitlines()[0]
'date,meeting,domain,agenda_item,status,text,title,source,page'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from regioassist.decisions import decision_status
from regioassist.models import Chunk, DecisionStatus
from regioassist.store import Filters, VectorStore
from regioassist.textutil import fold, stems

STATUSES: tuple[str, ...] = tuple(s.value for s in DecisionStatus)

# A decision sentence whose status the current rules no longer recognise (an index built
# with older rules) claims the least: it was at least noted.
FALLBACK_STATUS = DecisionStatus.KENNISGENOMEN

CSV_COLUMNS = ("date", "meeting", "domain", "agenda_item", "status", "text", "title", "source", "page")


@dataclass(frozen=True)
class DecisionEntry:
    """One decision of one meeting, with where it stands.

    >>> entry = DecisionEntry(dt.date(2023, 2, 23), None, "Jeugd en Onderwijs", "Jeugdhulp met verblijf",
    ...                       "Het portefeuillehoudersoverleg stelt het voorstel vast.", "vastgesteld",
    ...                       "documents/000.txt", "Resumé", "resumé", 3, 7615)
    >>> entry.to_json()["date"], entry.to_json()["status"]
    ('2023-02-23', 'vastgesteld')
    """

    date: dt.date | None
    meeting: str | None
    domain: str | None
    agenda_item: str | None
    text: str
    status: str
    source: str
    title: str
    doc_type: str
    page: int | None
    start: int  # character offset in the document (approximate), for ordering

    def to_json(self) -> dict:
        """The stable ``decisions --json`` shape."""
        return {
            "date": self.date.isoformat() if self.date else None,
            "meeting": self.meeting,
            "domain": self.domain,
            "agenda_item": self.agenda_item,
            "text": self.text,
            "status": self.status,
            "source": self.source,
            "page": self.page,
            "title": self.title,
        }


def validate_status(status: str | None) -> str | None:
    """``status`` if it is one of :data:`STATUSES` (or None); otherwise a one-line ValueError."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; choose one of: {', '.join(STATUSES)}")
    return status


def decision_register(
    store: VectorStore,
    filters: Filters | None = None,
    topic: str | None = None,
    status: str | None = None,
) -> list[DecisionEntry]:
    """Every decision in ``store`` that passes the filters, oldest meeting first (undated last).

    ``topic`` keeps decisions whose text, agenda item or domain holds all of the topic's
    Dutch stems ("verblijfsvoorziening" needs a stem match, "Jeugdhulp met verblijf" gives
    one) or the topic itself as a substring. ``status`` is one of :data:`STATUSES`.
    """
    validate_status(status)
    if filters:
        chunks = list(store.get(sorted(store.ids_matching(filters))).values())
    else:
        chunks = store.all_chunks()
    entries = _entries(sorted(chunks, key=lambda c: (c.source, c.start)))
    if topic and topic.strip():
        entries = [e for e in entries if _on_topic(e, topic)]
    if status:
        entries = [e for e in entries if e.status == status]
    return sorted(entries, key=lambda e: (e.date is None, e.date or dt.date.min, e.source, e.start))


def _entries(chunks: Iterable[Chunk]) -> list[DecisionEntry]:
    """One entry per decision. Overlapping chunks of one agenda item carry the same decision;
    the same sentence in two agenda items ("De agenda wordt vastgesteld." under two domains
    of one resumé) is two decisions, so the key holds the domain and the agenda item too."""
    found: dict[tuple, DecisionEntry] = {}
    for chunk in chunks:
        for sentence in chunk.decisions:
            text = " ".join(sentence.split())
            entry = DecisionEntry(
                date=chunk.date,
                meeting=chunk.meeting,
                domain=chunk.domain,
                agenda_item=chunk.section,
                text=text,
                status=(decision_status(text) or FALLBACK_STATUS).value,
                source=chunk.source,
                title=chunk.title,
                doc_type=chunk.doc_type.value,
                page=chunk.page,
                start=_offset(chunk, text),
            )
            key = (chunk.source, chunk.domain, chunk.section, text)
            if key not in found or entry.start < found[key].start:
                found[key] = entry  # keep the chunk the decision begins in: its page and offset
    return list(found.values())


def _offset(chunk: Chunk, text: str) -> int:
    """Where ``text`` begins in the document, near enough to order by.

    Found by its first six words in the chunk (whose spaces are tidied, so off by a few
    characters); a decision that began in an earlier chunk counts from this chunk's end.
    """
    pattern = r"\s+".join(re.escape(word) for word in text.split()[:6])
    match = re.search(pattern, chunk.text)
    return chunk.start + match.start() if match else max(chunk.end, chunk.start)


def _on_topic(entry: DecisionEntry, topic: str) -> bool:
    haystack = " ".join(filter(None, (entry.text, entry.agenda_item, entry.domain)))
    wanted = stems(topic)
    return (bool(wanted) and wanted <= stems(haystack)) or fold(topic.strip()) in fold(haystack)


def to_csv(entries: Iterable[DecisionEntry]) -> str:
    """The entries as CSV text (a header row, then one row per decision), to save as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = e.to_json()
        writer.writerow(["" if row[column] is None else row[column] for column in CSV_COLUMNS])
    return out.getvalue()
