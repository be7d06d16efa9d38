"""Questions about the meetings themselves, answered from the documents' structure, not by retrieval.

Ingestion stores each document's ``Outline`` (header fields, who came, the agenda in
order) with its first chunk. ``build_meetings`` reads those back from the store's chunks;
``answer_from_structure`` recognises, in Dutch and English, who was present or absent
(optionally from one municipality, or one named person), the contact person, the e-mail
address, the kenmerk, the agenda items, which meetings there are and which documents are
indexed. It answers with a short list, each line cited to the header line (or agenda
heading) it stands on. Any other question gives None, and retrieval answers it.

>>> import datetime as dt
>>> from regioassist.models import Chunk, DocType, Outline, Person
>>> outline = Outline(meeting="Overleg sociaal domein", date=dt.date(2023, 2, 23),
...     absent=(Person("Roland Boom", "Huizen", "Onderwijs"),),
...     lines=(("afwezig", "Afwezig Roland Boom (Huizen, Onderwijs)"),))
>>> header = Chunk(id="c0", source="resume.txt", doc_hash="h", title="Resumé", doc_type=DocType.RESUME,
...     text="Afwezig Roland Boom (Huizen, Onderwijs)", context="Resumé", date=dt.date(2023, 2, 23),
...     meeting="Overleg sociaal domein", outline=outline)
>>> answer = answer_from_structure("Wie waren afwezig?", "nl", build_meetings([header]))
>>> print(answer.text)
Deze mensen staan als afwezig in de kop van het verslag:
<BLANKLINE>
23 februari 2023 — Overleg sociaal domein:
- Roland Boom (Huizen, Onderwijs) [1]
>>> answer.citations[0].quote, answer.citations[0].agenda_item
('Afwezig Roland Boom (Huizen, Onderwijs)', None)
>>> answer_from_structure("Wat is besloten over verblijf?", "nl", build_meetings([header])) is None
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Sequence

from regioassist.answer import Citations, format_date, topic_words
from regioassist.metadata import FIELD, MEETING_TYPES, MONTHS, dutch_date
from regioassist.models import AgendaEntry, Answer, Chunk, DocType, Hit, Mention, Outline, Person
from regioassist.prompts import DEFAULT_PHRASES, load_phrases
from regioassist.store import Filters, VectorStore, domain_key
from regioassist.textutil import stems

# What a question asks about a meeting, tried in this order. "present"/"absent" also need
# a "who" word, an attendance noun or a named person (see ``question_kind``).
_KINDS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in (
    ("documents", r"\b(?:welke|wat voor|hoeveel|which|what|how many)\b.{0,30}\b(?:documenten|bestanden|documents|"
                  r"files)\b.{0,40}\b(?:ge[iï]ndexeerd|index|beschikbaar|heb je|ken je|zijn er|raadplegen|inzien|"
                  r"doorzoeken|indexed|available|do you have|are there|can i)\b"),
    ("meetings", r"\b(?:welke|hoeveel|which|how many)\s+(?:\w+\s+)?(?:vergaderingen|overleggen|bijeenkomsten|"
                 r"meetings|resum[ée]s|vergaderdata)\b|\bwanneer vergader\w*\b|\b(?:wanneer|when)\s+(?:was|waren|"
                 r"vond|vonden|were|did|took)\s+(?:het|de|the)\s+(?:overleg\w*|vergadering\w*|meetings?)\b"),
    ("email", r"\be-?mail ?(?:adres\w*|address\w*)|\b(?:wat|what)(?: is|'s) (?:het|de|haar|zijn|her|his|the) "
              r"e-?mail\b|\be-?mail (?:van|of) (?:de|het|the)\b"),
    ("contact", r"\bcontact ?perso(?:o?n)\w*|\bpoint of contact\b"),
    ("kenmerk", r"\b(?:kenmerk|referentienummer|reference number|zaaknummer)\b"),
    ("role", r"\b(?:welke gemeente|namens|vertegenwoordig\w*|portefeuilles?|which municipality|represent\w*|"
             r"portfolios?|wie is|who is)\b"),
    ("absent", r"\b(?:afwezig\w*|afgemeld\w*|afmelding\w*|verhinderd|niet aanwezig|ontbr(?:a|e)k\w*|absent\w*|"
               r"absences?|missing|not present|(?:did not|didn't) attend)"),
    ("present", r"\b(?:aanwezig\w*|presentielijst|present|attend\w*|attendance|deelnemers|participants|"
                r"namen deel)\b"),
    ("agenda", r"\bagenda ?punten\b|\bagenda items\b|\b(?:op|on) (?:de|the) agenda\b|"
               r"\b(?:over )?(?:welke|which) (?:onderwerpen|punten|topics|subjects)\b.{0,20}\b(?:ging|gingen|went)\b|\b(?:welke|which) (?:onderwerpen|"
               r"punten|topics|items|subjects) (?:zijn|werden|stonden|kwamen|were)\b.{0,25}\b(?:besproken|behandeld|"
               r"agenda|orde|discussed)\b"),
))
_WHO = re.compile(r"\b(?:wie|who|welke|which|namen|names|lijst|list|hoeveel|how many|aanwezigen|afwezigen|"
                  r"attendees|absentees)\b", re.I)
# "Wie volgt X op en welke portefeuille heeft zij?": two questions; each must be about the meetings.
_SECOND_QUESTION = re.compile(r"\s+(?:en|and|maar|but)\s+(?=(?:wie|wat|welke|waar|wanneer|hoe|waarom|who|what|"
                              r"which|where|when|how|why)\b)", re.I)
_HEADER_KINDS = {"contact": "contactpersoon", "email": "email", "kenmerk": "kenmerk"}
_ENGLISH_MONTHS = "january february march april may june july august september october november december".split()
_MONTH = {m: i % 12 + 1 for i, m in enumerate(MONTHS + _ENGLISH_MONTHS)}
# "23 februari 2023", "February 2023", "March 18, 2021", "2021": a time the question names.
_WHEN = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(_MONTH) + r")\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d{2})\b"
                   r"|\b((?:19|20)\d{2})\b", re.I)


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


# "het overleg van 6 oktober", "de vergadering van 12 januari 2022": one meeting, named by its day.
_MEETING_ON_DAY = re.compile(
    # "het overleg van 6 oktober", "de stuurgroep jeugd op 20 juni 2024": a body, at most two words, the day
    r"\b(?:\w*overleg|vergadering|bijeenkomst|pfho|meeting|stuurgroep|commissie|\w*bestuur|committee|board)"
    r"(?:\s+(?!van\b|op\b|of\b|on\b)\w+){0,2}\s+(?:van|op|of|on)\s+(\d{1,2})\s+("
    + "|".join(_MONTH) + r")(?:\s+((?:19|20)\d{2}))?\b",
    re.IGNORECASE,
)


def unknown_meeting(question: str, meetings: Sequence[MeetingRecord], language: str = "nl") -> tuple[str, str] | None:
    """(the day asked about, the meetings there are) when a question names a meeting the index lacks.

    "Wat is er in het overleg van 6 oktober besloten?" with meetings of 23 February 2023 and
    18 March 2021 -> ('6 oktober', '23 februari 2023, 18 maart 2021'). None when the day
    matches a meeting, when the question names no meeting day, or when no minutes are indexed.

    >>> unknown_meeting("Wat gebeurde er?", ()) is None
    True
    """
    match = _MEETING_ON_DAY.search(question)
    dates = sorted((m.date for m in meetings if m.is_meeting and m.date), reverse=True)
    if not match or not dates:
        return None
    day, month_name, year = int(match.group(1)), match.group(2).lower(), match.group(3)
    month = _MONTH[month_name]
    if any(d.day == day and d.month == month and (year is None or d.year == int(year)) for d in dates):
        return None
    asked = format_date(dt.date(int(year or 2000), month, day), language)
    if year is None:
        asked = asked.rsplit(" ", 1)[0]  # "6 oktober": the question named no year
    return asked, ", ".join(format_date(d, language) for d in dates)


def may_ask_about_meetings(question: str) -> bool:
    """A cheap first test: could ``question`` be about the meetings themselves?"""
    return any(pattern.search(question) for _, pattern in _KINDS)


def question_kind(question: str) -> str | None:
    """What a question asks about the meetings themselves, or None for any other question.

    >>> question_kind("Wie waren afwezig bij het overleg van februari 2023?"), question_kind("Wat kost verblijf?")
    ('absent', None)
    """
    for kind, pattern in _KINDS:
        if not pattern.search(question):
            continue
        if kind == "role" or (kind in ("absent", "present") and not _WHO.search(question)):
            continue  # these need a named person, decided with the names in the index: see _kind
        if kind == "agenda" and topic_words(pattern.sub(" ", question)):
            return None  # "welke punten zijn besproken over X" is about X
        return kind
    return None


def answer_from_structure(
    question: str,
    language: str,
    meetings: Sequence[MeetingRecord],
    filters: Filters | None = None,
    phrases: dict[str, dict[str, str]] | None = None,
) -> Answer | None:
    """A cited answer from the outlines in ``meetings``, or None when the question is not about them."""
    phrases = phrases or load_phrases(DEFAULT_PHRASES)
    language = language if language in phrases else "nl"
    named = _named_people(question, meetings)
    kinds = [_kind(part, named) for part in _SECOND_QUESTION.split(question)]
    if None in kinds:
        return None  # (a part of) the question is about something else: retrieval answers it
    kind = kinds[0]
    fitting = _named_times(question, [r for r in meetings if _fits(r, filters)])
    if kind == "meetings":
        fitting = [r for r in fitting if r.is_meeting]
    elif kind != "documents":
        if any(r.outline is None for r in fitting if r.is_meeting):
            return None  # indexed before outlines were stored: retrieval answers as it did
        field = _HEADER_KINDS.get(kind, "")
        document = named_document(question, fitting) if field else None
        if document is not None:
            # "de contactpersoon van de notitie over X": that document's header, or that it has none.
            if document.outline is None:
                return None
            if not document.outline.line(field):
                text = f"{document.title}: {phrases[language]['meeting_not_given']}"
                return Answer(question, language, False, text, (), (), confidence=0.0)
            fitting = [document]
        fitting = [r for r in fitting if r.outline and (r.is_meeting or r.outline.line(field))]
    if not fitting:
        return None  # no meeting of the time asked about: retrieval says so, or finds it elsewhere
    writer = _Writer(phrases[language], language, Citations())
    text = writer.write(kind, question, fitting, named, filters)
    # The evidence, ranked: the passages the answer leads with (a named part's own statement),
    # then the headers the answer rests on, then the passages that add to them.
    led, rest = writer.citations.hits[: writer.lead], writer.citations.hits[writer.lead :]
    hits = tuple(led + sorted(rest, key=lambda hit: hit.chunk.outline is None))
    return Answer(question, language, True, text, writer.citations.build(), hits)


def _kind(question: str, named: list[str]) -> str | None:
    """The question's kind; "person" when it asks how a named person is listed."""
    kind = question_kind(question)
    if kind in (None, "absent", "present") and any(n in question or n.split()[-1] in question for n in named):
        if any(p.search(question) for k, p in _KINDS if k in ("role", "absent", "present")):
            return "person"
    return kind


def _named_people(question: str, meetings: Sequence[MeetingRecord]) -> list[str]:
    """Names from the lists that the question names in full, else by a capitalised surname."""
    names = dict.fromkeys(p.name for r in meetings if r.outline for p in r.outline.present + r.outline.absent)
    asked = domain_key(question)
    full = [n for n in names if re.search(rf"\b{re.escape(domain_key(n))}\b", asked)]
    surname = [n for n in names if len(n.split()[-1]) >= 4 and re.search(rf"\b{re.escape(n.split()[-1])}\b", question)]
    return full or surname


def _fits(record: MeetingRecord, filters: Filters | None) -> bool:
    if not filters:
        return True
    if (filters.date_from or filters.date_to) and record.date is None:
        return False
    if (filters.date_from and record.date < filters.date_from) or (filters.date_to and record.date > filters.date_to):
        return False
    if filters.doc_type and record.doc_type.value != filters.doc_type:
        return False
    return not filters.domain or domain_key(filters.domain) in record.domains


# A document a question names by its kind and topic: "de notitie over vroegsignalering van schulden".
_NAMED_DOCUMENT = re.compile(
    r"\b(?:de|het|die|dat|the|this)\s+(?:\w+\s+)?(?:notitie|nota|memo|\w*brief|voorstel|rapport|programma|"
    r"note|letter|proposal|report|programme)\s+(?:over|van|inzake|about|on)\s+(.+?)\s*[?.!]*$",
    re.IGNORECASE,
)


def named_document(question: str, records: Sequence[MeetingRecord]) -> MeetingRecord | None:
    """The record whose title holds most of the topic a question names a document by; None when none does.

    More than half of the topic's words must stand in the title: "de notitie over vroegsignalering
    van schulden" names "Notitie vroegsignalering schulden Gooi en Vechtstreek".
    """
    match = _NAMED_DOCUMENT.search(question)
    topic = stems(match.group(1)) if match else set()
    if not topic:
        return None
    overlap = {id(r): len(topic & stems(r.title)) for r in records}
    best = max(records, key=lambda r: overlap[id(r)], default=None)
    return best if best is not None and overlap[id(best)] > len(topic) / 2 else None


def _named_times(question: str, records: list[MeetingRecord]) -> list[MeetingRecord]:
    """The records of the dates, months or years the question names; all of them when it names none."""
    wanted = []
    for day, month, day_after, year, bare_year in _WHEN.findall(question):
        wanted.append((int(year or bare_year), _MONTH[month.lower()] if month else None, int(day or day_after or 0)))
    if not wanted:
        return records
    return [r for r in records if r.date and any(
        r.date.year == y and (m is None or r.date.month == m) and (not d or r.date.day == d) for y, m, d in wanted)]


@dataclass
class _Writer:
    """Writes one kind of answer, a block per meeting, citing as it goes."""

    phrases: dict[str, str]
    language: str
    citations: Citations
    lead: int = 0  # how many of the first citations the answer leads with, ahead of the headers

    def write(self, kind: str, question: str, records: list[MeetingRecord], named: list[str],
              filters: Filters | None) -> str:
        if kind == "documents":
            return self._list(self.phrases["meeting_documents"], records, lambda r: r.title, _opening)
        if kind == "meetings":
            return self._list(self.phrases["meeting_list"], records, _meeting_statement, _opening)
        if kind in _HEADER_KINDS:
            return self._field(kind, records)
        if kind == "agenda":
            return self._agenda(records, (filters.domain if filters else None) or named_domain(question, records))
        if kind == "person":
            return self._persons(records, named)
        return self._people(kind, question, records, named_domain(question, records) if kind == "absent" else None)

    def _cite(self, chunk: Chunk, quote: str) -> str:
        return f"[{self.citations.cite(Hit(chunk, 1.0), quote)}]"

    def _place(self, record: MeetingRecord) -> str:
        when = format_date(record.date, self.language)
        return f"{when} — {record.header.meeting or record.title}:" if when else f"{record.title}:"

    def _list(self, heading: str, records: list[MeetingRecord], statement, quote) -> str:
        lines = [f"- {statement(r)} {self._cite(r.header, quote(r))}" for r in records]
        return "\n\n".join([heading, "\n".join(lines)])

    def _field(self, kind: str, records: list[MeetingRecord]) -> str:
        blocks = [self.phrases[f"meeting_{kind}"]]
        for record in records:
            outline = record.outline
            keys = ("contactpersoon", "email") if kind == "email" else (_HEADER_KINDS[kind],)
            quotes = [q for q in map(outline.line, keys) if q]
            value = {"contact": outline.contact, "kenmerk": outline.kenmerk, "email": outline.email}[kind]
            if kind == "email" and outline.contact and value:
                value = f"{outline.contact}: {value}"
            line = f"- {value} {self._cite(record.header, ' '.join(quotes))}" if value and quotes \
                else self.phrases["meeting_not_given"]
            blocks.append(f"{self._place(record)}\n{line}")
        return "\n\n".join(blocks)

    def _people(self, kind: str, question: str, records: list[MeetingRecord], part: str | None = None) -> str:
        """Who was present or absent, per meeting; only those of a municipality the question names.

        When the question names a part of the meeting ("het deel Werk en Participatie") and that
        part's own passages say who was absent, those lead; the header's list follows as context.
        """
        places = {p.municipality for r in records for p in r.outline.present + r.outline.absent if p.municipality}
        town = next((m for m in sorted(places) if re.search(rf"\b{re.escape(m)}\b", question)), None)
        key = f"meeting_{kind}_from" if town else f"meeting_{kind}"

        def names(record: MeetingRecord) -> list[str] | None:  # whose body mentions count, with a town
            listed: tuple[Person, ...] = getattr(record.outline, kind)
            return [p.name for p in ([p for p in listed if p.municipality == town] or listed)] if town else None

        led = {r.source: [m for m in self._absences(r, names(r)) if part and domain_key(m.domain) == domain_key(part)]
               for r in records}
        blocks = []
        for record in records:
            for mention in led[record.source]:
                blocks.append(f"{self._place(record)[:-1]} ({self._mention_place(mention)}):\n"
                              f"- {mention.text} {self._cite_mention(record, mention)}")
        self.lead = len(self.citations.hits)
        if blocks:
            blocks.insert(0, self.phrases["found"])
        blocks.append(self.phrases[key].format(municipality=town))
        for record in records:
            listed: tuple[Person, ...] = getattr(record.outline, kind)
            quote = record.outline.line("aanwezig" if kind == "present" else "afwezig")
            shown = [p for p in listed if not town or p.municipality == town]
            lines = [self._place(record)]
            if not quote:
                lines.append(self.phrases["meeting_not_given"])
            elif not listed:
                lines.append(f"- {quote} {self._cite(record.header, quote)}")  # "Afwezig: geen"
            elif not shown:
                lines.append(self.phrases["meeting_nobody_from"].format(municipality=town))
                shown = list(listed)
            lines += [f"- {p.label} {self._cite(record.header, quote)}" for p in shown]
            if listed and quote and not _starts_with(quote, listed[0]):
                lines.append(self.phrases["meeting_incomplete"])
            blocks.append("\n".join(lines))
            blocks += self._mentions(record, names(record), skip=led[record.source])
        return "\n\n".join(blocks)

    def _persons(self, records: list[MeetingRecord], names: list[str]) -> str:
        """How each named person is listed, per meeting: present or absent, with municipality and portfolio."""
        blocks = [self.phrases["meeting_person"].format(name=", ".join(names))]
        for record in records:
            lines = [self._place(record)]
            for name in names:
                found = [(label, p, line) for label, people, line in (
                    (self.phrases["meeting_present_label"], record.outline.present, record.outline.line("aanwezig")),
                    (self.phrases["meeting_absent_label"], record.outline.absent, record.outline.line("afwezig")),
                ) for p in people if p.name == name and line]
                lines += [f"- {label}: {p.label} {self._cite(record.header, line)}" for label, p, line in found]
                if not found:
                    lines.append(self.phrases["meeting_person_missing"].format(name=name))
            blocks.append("\n".join(lines))
            blocks += self._mentions(record, names)
        return "\n\n".join(blocks)

    def _absences(self, record: MeetingRecord, names: list[str] | None) -> list[Mention]:
        """Body sentences on absence ("X en Y zijn afwezig."), those naming ``names`` when given."""
        return [m for m in record.outline.absences if names is None or any(n in m.text for n in names)]

    def _mention_place(self, mention: Mention) -> str:
        """'Werk en Participatie, agendapunt "Agenda en mededelingen"': where a body sentence stands."""
        return ", ".join(filter(None, (mention.domain, mention.agenda_item and
                                       f'{self.phrases["item"]} "{mention.agenda_item}"')))

    def _cite_mention(self, record: MeetingRecord, mention: Mention) -> str:
        return self._cite(record.item_chunk(mention.agenda_item, mention.domain, mention.text), mention.text)

    def _mentions(self, record: MeetingRecord, names: list[str] | None, skip: Sequence[Mention] = ()) -> list[str]:
        """The body sentences on absence, under "Verder in het verslag"; ``skip`` those already given."""
        return [f"{self.phrases['meeting_also'].format(place=self._mention_place(mention))}\n"
                f"- {mention.text} {self._cite_mention(record, mention)}"
                for mention in self._absences(record, names) if mention not in skip]

    def _agenda(self, records: list[MeetingRecord], domain: str | None) -> str:
        """Every agenda item, meeting by meeting, under its domain; each cited to its heading."""
        blocks = [self.phrases["meeting_agenda"]]
        for record in records:
            blocks.append(self._place(record))
            groups: list[tuple[str | None, list[AgendaEntry]]] = []
            for entry in record.outline.agenda:
                if domain and domain_key(entry.domain) != domain_key(domain):
                    continue
                if not groups or groups[-1][0] != entry.domain:
                    groups.append((entry.domain, []))
                groups[-1][1].append(entry)
            for name, entries in groups:
                lines = [f"{name}:"] if name else []
                lines += [f"- {e.title} {self._cite(record.item_chunk(e.title, e.domain), e.title)}" for e in entries]
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def named_domain(question: str, records: Sequence[MeetingRecord]) -> str | None:
    """The domain of the meetings' agendas that ``question`` names in full ("het deel Werk en
    Participatie", "Werk & Participatie"), or None.

    >>> named_domain("Welke agendapunten had het deel Werk & Participatie?", [])
    """
    asked = domain_key(question)
    domains = {entry.domain for r in records if r.outline for entry in r.outline.agenda if entry.domain}
    named = [d for d in domains if re.search(rf"\b{re.escape(domain_key(d))}\b", asked)]
    return max(named, key=len) if named else None


def _starts_with(line: str, first: Person) -> bool:
    """Does the list line begin (after its label) with its first person, not with a broken-off entry?"""
    label = FIELD.match(line)
    return line[label.end() if label else 0 :].lstrip().startswith(first.name)


def _meeting_statement(record: MeetingRecord) -> str:
    """'Overleg portefeuillehouders sociaal domein 23 februari 2023', with the date added when the line lacks it."""
    line = (record.outline or Outline()).line("meeting") or record.title
    when = dutch_date(record.date) if record.date else ""
    return line if when in line else f"{line}, {when}"


def _opening(record: MeetingRecord) -> str:
    """What a line about the document rests on: its meeting (and date) lines, else its first words."""
    outline = record.outline or Outline()
    found = " ".join(line for line in (outline.line("meeting"), outline.line("datum")) if line)
    return found or " ".join(record.header.text.split()[:40])
