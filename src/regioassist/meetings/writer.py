"""Answers about the meetings written from their records: a block per meeting, each line cited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from regioassist.answer import Citations, format_date
from regioassist.answer.citations import place_of
from regioassist.answer.decided import item_sentences
from regioassist.meetings.records import MeetingRecord
from regioassist.metadata import FIELD, dutch_date, header_fields
from regioassist.models import AgendaEntry, Chunk, Hit, Mention, Outline, Person
from regioassist.store import Filters, domain_key


# A decision on the meeting's own business: "De agenda wordt vastgesteld.", "Het resumé is vastgesteld."
PROCEDURAL_DECISION = re.compile(
    r"^(?:(?!\bvoorstel).)*\b(?:agenda|resum[eé]|conformstuk\w*|verslag|notulen)\b[^.]*\bvast(?:gesteld|stellen)?\b",
    re.I,
)
# "Welke wethouder gaat over jeugd in Hilversum?", "Wie heeft onderwijs in portefeuille?": who holds
# a portfolio, read from the portfolios the header lists beside each name.
_PORTFOLIO_ASKED = re.compile(
    r"\b(?:wethouders?|portefeuillehouders?|bestuurders?|wie|who|alderm[ae]n)\b.{0,40}?\b(?:gaat|gaan|ging|gingen)\s+over\b"
    r"|\bin (?:zijn |haar |de )?portefeuille\b|\b(?:wethouder|portefeuillehouder|alderman)\s+(?:van |voor )?"
    r"(?=jeugd|onderwijs|zorg|wmo|werk|participatie|inkomen|gezondheid)|\bresponsible for\b",
    re.I,
)
_PORTFOLIO_WORDS = re.compile(r"\b(?:jeugd|onderwijs|zorg|wmo|werk|participatie|inkomen|gezondheid|ondersteuning)\b", re.I)


# "Welke wethouder gaat over sport in Laren?": a portfolio the header may not list, asked of a place.
_ALDERMAN_OVER = re.compile(
    r"(?i:\b(?:wethouders?|portefeuillehouders?)\b.{0,20}?\b(?:gaat|gaan|ging|gingen)\s+over\s+(?:de\s+|het\s+)?"
    r"([a-z]\w+)\s+(?:in|van|uit|bij)\s+)[A-Z]"  # the place is a name
)


def portfolio_asked(question: str) -> list[str]:
    """The portfolios a question asks the holder of ([] when it asks no such thing).

    >>> portfolio_asked("Welke wethouder gaat over jeugd in Hilversum?"), portfolio_asked("Wie gaat over de jeugdhulp?")
    (['jeugd'], [])
    >>> portfolio_asked("Welke wethouder gaat over sport in Laren?")
    ['sport']
    >>> portfolio_asked("Welke wethouder gaat over de inkoop van jeugdhulp?")
    []
    """
    if not _PORTFOLIO_ASKED.search(question):
        return []
    named = [w.lower() for w in _PORTFOLIO_WORDS.findall(question)]
    if not named and (other := _ALDERMAN_OVER.search(question)):
        named = [other.group(1).lower()]
    return named


# The header fields a question can ask for, by the kind of question.
HEADER_FIELDS = {"contact": "contactpersoon", "email": "email", "kenmerk": "kenmerk", "confidential": "vertrouwelijk"}


@dataclass
class Writer:
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
        if kind in HEADER_FIELDS:
            return self._field(kind, records)
        if kind == "agenda":
            return self._agenda(records, (filters.domain if filters else None) or named_domain(question, records))
        if kind == "decisions":
            return self._decisions(records, (filters.domain if filters else None) or named_domain(question, records))
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
            keys = ("contactpersoon", "email") if kind == "email" else (HEADER_FIELDS[kind],)
            quotes = [q for q in map(outline.line, keys) if q]
            value = {"contact": outline.contact, "kenmerk": outline.kenmerk, "email": outline.email,
                     "confidential": header_fields(outline.line("vertrouwelijk") or "").get("vertrouwelijk")}[kind]
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
        asked = portfolio_asked(question) if kind == "present" else []

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
            # Those who hold the portfolio asked about, of the place asked about; all of them when none does.
            holders = [p for p in shown if p.portfolio and any(re.search(rf"\b{w}\b", p.portfolio, re.I) for w in asked)]
            shown = holders or shown
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

    def _decisions(self, records: list[MeetingRecord], domain: str | None) -> str:
        """Every decision the minutes record, meeting by meeting in date order, item by item in the
        order of the minutes; the meeting's own business (agenda, resumé, conformstukken vastgesteld) left out."""
        blocks = [self.phrases["decisions_any"]]
        for record in sorted(records, key=lambda r: r.date or dt.date.max):
            items: dict[tuple[str | None, str | None], list[Hit]] = {}
            for chunk in record.chunks:
                if domain and domain_key(chunk.domain) != domain_key(domain):
                    continue
                if any(not PROCEDURAL_DECISION.search(d) for d in chunk.decisions):
                    items.setdefault((chunk.domain, chunk.section), []).append(Hit(chunk, 1.0))
            for group in sorted(items.values(), key=lambda g: g[0].chunk.start):
                lines = [f"{place_of(group[0].chunk, self.language, {self.language: self.phrases})}:"]
                lines += [f"- {sentence} {self._cite(hit.chunk, sentence)}" for hit, sentence in item_sentences(group, set())
                          if not PROCEDURAL_DECISION.search(sentence)]
                blocks.append("\n".join(lines))
        if len(blocks) == 1:
            blocks.append(self.phrases["meeting_no_decisions"])
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
