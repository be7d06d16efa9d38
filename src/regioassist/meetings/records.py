"""One record per indexed document, read back from the chunks that carry its outline."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Sequence

from regioassist.metadata import MEETING_TYPES
from regioassist.models import Chunk, DocType, Outline
from regioassist.store import VectorStore, domain_key


@dataclass(frozen=True)
class MeetingRecord:
    """One indexed document as its outline tells it; for minutes, one meeting.

    ``outline`` is None for a document indexed before outlines were stored: it is listed
    among the documents and meetings, but questions about its header go to retrieval.
    Its chunks are read from the store when first asked for (:func:`meetings_of`): a
    question about attendance needs one document's header, not 100,000 chunks in memory.
    """

    source: str
    title: str
    doc_type: DocType
    date: dt.date | None
    outline: Outline | None
    domains: frozenset[str]  # domain keys (store.domain_key) of its chunks
    head: Chunk | None = field(default=None, compare=False, repr=False)  # the chunk with the outline
    load: Callable[[], Sequence[Chunk]] = field(default=tuple, compare=False, repr=False)

    @cached_property
    def chunks(self) -> tuple[Chunk, ...]:
        """In document order, the outline's chunk first."""
        return tuple(sorted(self.load(), key=lambda c: (c.outline is None, c.start)))

    @property
    def is_meeting(self) -> bool:
        return self.doc_type in MEETING_TYPES and self.date is not None

    @property
    def header(self) -> Chunk:
        return self.head or self.chunks[0]

    def item_chunk(self, title: str, domain: str | None, text: str = "") -> Chunk:
        """The first chunk of an agenda item (that holds ``text``), labelled with the item.

        An item whose text all stands under sub-headings is found by the parent line in
        its chunks' context; an item without any chunk falls back to the header.
        """
        mine = [c for c in self.chunks if domain_key(c.domain) == domain_key(domain)]
        found = [c for c in mine if c.section == title] or [c for c in mine if title in c.context.split("\n")]
        holding = [c for c in found if " ".join(text.split()) in " ".join(c.text.split())]
        chunk = (holding or found or [self.header])[0]
        return chunk if chunk is self.header else dataclasses.replace(chunk, section=title, section_kind="agenda_item")


def build_meetings(chunks: Iterable[Chunk]) -> tuple[MeetingRecord, ...]:
    """A record per document of ``chunks``, newest first (undated last)."""
    by_source: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    records = []
    for source, group in by_source.items():
        group.sort(key=lambda c: (c.outline is None, c.start))  # the chunk with the outline first
        first = group[0]
        domains = frozenset(domain_key(c.domain) for c in group if c.domain)
        records.append(MeetingRecord(source, first.title, first.doc_type, first.date, first.outline, domains,
                                     first, load=lambda group=tuple(group): group))
    return _newest_first(records)


def meetings_of(store: VectorStore) -> tuple[MeetingRecord, ...]:
    """A record per indexed document, from the file catalog and each document's first chunk.

    Reads one chunk per document, by id (at 100,000 chunks in 2,500 files: 2,500 chunks, not
    100,000); a record reads its other chunks when a question needs them.
    """
    files, seen = [], set()
    for record in sorted(store.files().values(), key=lambda r: r.path):
        if record.source not in seen:  # one source under two path keys: a problem of its own (integrity.py)
            seen.add(record.source)
            files.append(record)
    heads = store.get([r.first_chunk for r in files if r.first_chunk])
    records = []
    for record in files:
        head = heads.get(record.first_chunk)
        records.append(MeetingRecord(
            record.source, record.title, DocType(record.doc_type),
            dt.date.fromisoformat(record.date) if record.date else None,
            head.outline if head else None,
            frozenset(domain_key(d) for d in record.domains),
            head, load=lambda source=record.source: store.chunks_of(source),
        ))
    return _newest_first(records)


def _newest_first(records: Iterable[MeetingRecord]) -> tuple[MeetingRecord, ...]:
    return tuple(sorted(records, key=lambda r: (r.date is None, -(r.date or dt.date.min).toordinal(), r.source)))
