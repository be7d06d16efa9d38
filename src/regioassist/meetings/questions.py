"""What a question asks about the meetings themselves, and the answer from their records."""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from regioassist.answer import Citations, format_date, names_municipality, topic_words
from regioassist.meetings.records import MeetingRecord
from regioassist.meetings.writer import HEADER_FIELDS, Writer, portfolio_asked
from regioassist.metadata import MONTHS
from regioassist.models import Answer
from regioassist.prompts import DEFAULT_PHRASES, load_phrases
from regioassist.store import Filters, domain_key
from regioassist.textutil import stems


# The words of a question about decisions ("besloten", "afspraken"); see _has_topic.
_DECIDED = r"\b(?:beslo(?:ot|ten)|besluiten|beslist|afgesproken|afspraken|decided|decisions|agreed)\b"
# What a question asks about a meeting, tried in this order. "present"/"absent" also need
# a "who" word, an attendance noun or a named person (see ``question_kind``).
_KINDS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in (
    ("documents", r"\b(?:welke|wat voor|hoeveel|which|what|how many)\b.{0,30}\b(?:documenten|bestanden|documents|"
                  r"files)\b.{0,40}\b(?:ge[iï]ndexeerd|index|beschikbaar|heb je|ken je|zijn er|raadplegen|inzien|"
                  r"doorzoeken|indexed|available|do you have|are there|can i)\b"),
    ("meetings", r"\b(?:welke|hoeveel|which|how many)\s+(?:\w+\s+)?(?:vergaderingen|overleggen|bijeenkomsten|"
                 r"meetings|resum[ée]s|vergaderdata)\b|\bwanneer vergader\w*\b|\b(?:wanneer|when)\s+(?:is|was|waren|"
                 r"vond|vonden|were|did|took)\s+(?:het|de|the)\s+(?:(?:laatste|vorige|eerste|volgende|"
                 r"eerstvolgende|komende|last|previous|first|next|upcoming)\s+)?(?:overleg\w*|vergadering\w*|"
                 r"bijeenkomst\w*|meetings?)\b"),
    ("email", r"\be-?mail ?(?:adres\w*|address\w*)|\b(?:wat|what)(?: is|'s) (?:het|de|haar|zijn|her|his|the) "
              r"e-?mail\b|\be-?mail (?:van|of) (?:de|het|the)\b"),
    ("contact", r"\bcontact ?perso(?:o?n)\w*|\bpoint of contact\b"),
    ("kenmerk", r"\b(?:kenmerk|referentienummer|reference number|zaaknummer)\b"),
    # "Is het resumé van 23 februari 2023 vertrouwelijk?": the document itself, not "openbaar vervoer"
    ("confidential", r"\b(?:is|zijn|was|waren|are|were)\s+(?:het|de|dit|dat|the|these|this)\s+(?:\w+\s+){0,3}"
                     r"(?:resum[eé]s?|verslag\w*|notulen|minutes|document\w*|stukken)\b.{0,40}"
                     r"\b(?:vertrouwelijk|geheim|openbaar|confidential|public)\s*\?"),
    ("role", r"\b(?:welke gemeente|namens|vertegenwoordig\w*|portefeuilles?|which municipality|represent\w*|"
             r"portfolios?|wie is|who is)\b"),
    ("absent", r"\b(?:afwezig\w*|afgemeld\w*|afmelding\w*|verhinderd|niet aanwezig|ontbr(?:a|e)k\w*|absent\w*|"
               r"absences?|missing|not present|(?:did not|didn't) attend)"),
    ("present", r"\b(?:aanwezig\w*|presentielijst|present|attend\w*|attendance|deelnemers|participants|"
                r"namen deel)\b|\b(?:welke|which)\s+(?:wethouders|portefeuillehouders|bestuurders|mensen|personen)\s+"
                r"(?:waren|zijn|were)\s+(?:er\s+|there\s+)?(?:bij|in|op|tijdens|at)\s+(?:(?:het|de|dat|die|the)\s+(?:\w+\s+)?"
                r"(?:\w*overleg|vergadering|pfho|meeting)\b|(?:\d{1,2}\s+)?(?:januari|februari|maart|april|mei|juni|juli|"
                r"augustus|september|oktober|november|december|(?:19|20)\d\d)\b)"
                r"|\b(?:wie|wethouders?|portefeuillehouders?|mensen|personen|bestuurders?)\b.{0,40}"
                r"\b(?:zat|zaten|zit|zitten)\b(?:\s+\w+){0,3}\s+(?:bij|in|aan)\s+(?:het|de|dat|die)\s+(?:\w+\s+)?"
                r"(?:overleg|vergadering|pfho)\b"),
    # "Wat is er in februari 2023 besloten?": every decision of the meetings in scope (only without a
    # topic: "Wat is besloten over verblijf?" and "Wat heeft de stuurgroep besloten?" go to retrieval).
    ("decisions", _DECIDED),
    ("agenda", r"\bagenda ?punten\b|\bagenda items\b|\b(?:op|on) (?:de|the) agenda\b|"
               r"\b(?:over )?(?:welke|which) (?:onderwerpen|punten|topics|subjects)\b.{0,20}\b(?:ging|gingen|went)\b|\b(?:welke|which) (?:onderwerpen|"
               r"punten|topics|items|subjects) (?:zijn|werden|stonden|kwamen|were)\b.{0,25}\b(?:besproken|behandeld|"
               r"agenda|orde|discussed)\b"),
))
# Words of the domains a question may name as the part of a meeting ("het deel Jeugd en Onderwijs").
_DOMAIN_WORDS = stems("jeugd onderwijs gezondheid ondersteuning werk participatie inkomen")
# "Wie vertegenwoordigde Laren?", "Wie zat er namens Weesp?": who came for a municipality.
_REPRESENTS = re.compile(r"\b(?:namens|vertegenwoordig\w*|represent\w*|on behalf of)\b", re.I)
_WHO = re.compile(r"\b(?:wie|who|welke|which|namen|names|lijst|list|hoeveel|how many|aanwezigen|afwezigen|"
                  r"attendees|absentees)\b", re.I)
# "Wie volgt X op en welke portefeuille heeft zij?": two questions; each must be about the meetings.
_SECOND_QUESTION = re.compile(r"\s+(?:en|and|maar|but)\s+(?=(?:wie|wat|welke|waar|wanneer|hoe|waarom|who|what|"
                              r"which|where|when|how|why)\b)", re.I)
# "Wanneer is de volgende vergadering?", "Wanneer vergadert het overleg weer?": a meeting after the newest.
_NEXT_MEETING = re.compile(
    r"\b(?:volgende|eerstvolgende|komende|next|upcoming)\s+(?:\w*overleg\w*|vergadering\w*|bijeenkomst\w*|pfho|"
    r"meetings?)\b|\bwanneer\s+vergader\w*\b.*\bweer\b|\bwhen\b.*\bmeets? again\b", re.I,
)
# "Wanneer staat X op de agenda?", "In welk overleg moet X op de agenda staan?": asks when X comes up.
_ASKS_WHEN = re.compile(
    r"\b(?:wanneer|when|op welke datum|on what date|(?:welk|welke|which) (?:overleg|vergadering|bijeenkomst|meeting))\b", re.I
)
_ENGLISH_MONTHS = "january february march april may june july august september october november december".split()
_MONTH = {m: i % 12 + 1 for i, m in enumerate(MONTHS + _ENGLISH_MONTHS)}
# "23 februari 2023", "February 2023", "March 18, 2021", "2021": a time the question names.
_WHEN = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(_MONTH) + r")\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d{2})\b"
                   r"|\b((?:19|20)\d{2})\b", re.I)


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
    return any(pattern.search(question) for _, pattern in _KINDS) or bool(portfolio_asked(question))


def question_kind(question: str) -> str | None:
    """What a question asks about the meetings themselves, or None for any other question.

    >>> question_kind("Wie waren afwezig bij het overleg van februari 2023?"), question_kind("Wat kost verblijf?")
    ('absent', None)
    """
    if portfolio_asked(question):
        return "present"  # the header lists each one's portfolio
    for kind, pattern in _KINDS:
        if not pattern.search(question):
            continue
        if kind == "role" and _WHO.search(question) and _REPRESENTS.search(question) and names_municipality(question):
            return "present"  # "Wie vertegenwoordigde Laren?": who came from Laren
        if kind == "role" or (kind in ("absent", "present") and not _WHO.search(question)):
            continue  # these need a named person, decided with the names in the index: see _kind
        if kind in ("meetings", "documents") and topic_words(pattern.sub(" ", question)):
            return None  # "Wanneer is het overleg over de WEB?" asks about the WEB
        if kind == "agenda" and (topic_words(pattern.sub(" ", question)) or _ASKS_WHEN.search(question)):
            return None  # "welke punten zijn besproken over X" is about X; "wanneer staat X op de agenda?" too
        if kind == "decisions" and _has_topic(question):
            return None
        if kind in ("contact", "email", "kenmerk") and _for_something_else(question):
            return None  # "Wie is de contactpersoon voor de Wmo-raad?" asks about the Wmo-raad's
        return kind
    return None


# The words a question about a meeting's decisions may hold beside the decision word and the
# time it names: "Welke besluiten zijn er in het overleg van 23 februari 2023 genomen?".
_DECISION_FRAME = stems(
    "wat welke welk is zijn was waren er toen in op bij van het de des tijdens genomen gemaakt nam namen maakte "
    "maakten heeft hebben overleg vergadering vergaderingen bijeenkomst portefeuillehoudersoverleg pfho "
    "portefeuillehouders wethouders laatste vorige eerste recentste deel domein sociaal alle allemaal "
    "what which were are at of the meeting meetings last latest all made taken"
)


_FOR = re.compile(r"\b(?:voor|for)\s+(?:de|het|the|een|a)?\s*([^?.,]+)", re.I)


def _for_something_else(question: str) -> bool:
    """Does the question ask for the contact (e-mail, kenmerk) of something other than a meeting?

    >>> _for_something_else("Wie is de contactpersoon voor de Wmo-raad?")
    True
    >>> _for_something_else("Wie is de contactpersoon voor het overleg van februari 2023?")
    False
    """
    found = _FOR.search(question)
    return bool(found) and _names_more_than_a_meeting(found.group(1))


def _has_topic(question: str) -> bool:
    """Does a decision question name what the decisions are about, beyond its time and meeting?

    >>> _has_topic("Wat is er in februari 2023 besloten?"), _has_topic("Wat heeft de stuurgroep BORN besloten?")
    (False, True)
    >>> _has_topic("Wat is er besloten over werk?")  # "werk" also names a part of the meeting
    True
    """
    if topic_words(question):
        return True
    return _names_more_than_a_meeting(re.sub(_DECIDED, " ", question, flags=re.I))


def _names_more_than_a_meeting(text: str) -> bool:
    """Does ``text`` name something beyond a meeting, its part and its time ("het overleg van februari 2023")?"""
    rest = re.sub(rf"\b(?:{'|'.join(_MONTH)})\b|\b\d+\b", " ", _WHEN.sub(" ", text), flags=re.I)
    return bool(stems(rest) - _DECISION_FRAME - _DOMAIN_WORDS)


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
        dates = [r.date for r in meetings if r.is_meeting and r.date]
        if _NEXT_MEETING.search(question) and dates:
            # The documents are minutes of meetings held: a later one is not in them.
            newest = format_date(max(dates), language)
            return Answer(question, language, False, phrases[language]["meeting_next"].format(date=newest), (), (),
                          confidence=0.0)
    elif kind != "documents":
        if any(r.outline is None for r in fitting if r.is_meeting):
            return None  # indexed before outlines were stored: retrieval answers as it did
        field = HEADER_FIELDS.get(kind, "")
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
    writer = Writer(phrases[language], language, Citations())
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
