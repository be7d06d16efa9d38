"""Time phrases in a question, read as a period of document dates.

"het overleg van februari 2023", "vorig jaar", "sinds 2021", "vóór 2022", "in het voorjaar
van 2023", "begin 2023", "het eerste kwartaal van 2023", "in maart", "de laatste vergadering",
"twee jaar geleden" and their English equivalents. The grammar is explicit: one regular
expression per kind of phrase below, each with its own resolver. ``dateparser`` only turns a
day date written in any common way ("23 feb. 2023", "23-02-2023", "February 23rd, 2023") into
a date; it is imported the first time a question names a day, never for other questions.

Relative phrases are read against the newest dated document in the index, not today's date
(the documents are years old), and the reading says so in a note for the user.

>>> anchors = Anchors(newest_document=dt.date(2023, 2, 23), meetings=(dt.date(2023, 2, 23), dt.date(2021, 3, 18)))
>>> reading = read_time("Wat is er vorig jaar besloten over verblijf?", anchors)
>>> reading.start, reading.end
(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
>>> reading.note("nl")
"'vorig jaar' gelezen als 2022 (het nieuwste document in de index is van 23 februari 2023)."
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from regioassist.answer import DECISION_QUESTION, ENGLISH_MONTHS
from regioassist.chunking import DUTCH_MONTHS
from regioassist.prompts import DEFAULT_PHRASES, PromptError, load_phrases
from regioassist.store import Filters

# The note texts (prompts/extractive.toml, keys time_*), with the placeholders each must contain.
TIME_PHRASES: dict[str, set[str]] = {
    "time_read": {"phrase", "period"},
    "time_relative": {"phrase", "period", "date"},
    "time_meeting": {"phrase", "date"},
    "time_meeting_before": {"phrase", "date"},
    "time_unknown": {"phrase"},
    "time_in_text": {"phrase", "period"},
    "time_from": {"date"},
    "time_until": {"date"},
    "time_span": {"start", "end"},
}

_FULL_MONTHS = [m.lower() for m in (*DUTCH_MONTHS, *ENGLISH_MONTHS)]
MONTHS = {
    **{name: i % 12 + 1 for i, name in enumerate(_FULL_MONTHS)},
    **{abbr: i + 1 for i, abbr in enumerate("jan feb mrt apr mei jun jul aug sep okt nov dec".split())},
    "mar": 3, "sept": 9, "oct": 10,
}
_MONTH_NAME = "|".join(sorted(_FULL_MONTHS, key=len, reverse=True))  # "juni" before "jun"
_MONTH_ANY = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"  # "mrt." too
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"\d{1,2}(?:e|ste|de|st|nd|rd|th)?"
NUMBERS = {w: n for n, words in enumerate(
    ["", "een één one a", "twee two", "drie three", "vier four", "vijf five", "zes six"]) for w in words.split()}

# A date a boundary or range is built from, in its own granularity: day, month or year.
# "maart" alone is the latest March up to the newest document; "vorig jaar" is relative too.
_OPERAND = (
    rf"(?:{_DAY}\s+(?:{_MONTH_ANY})\s+{_YEAR}|(?:{_MONTH_NAME})\s+{_DAY},?\s+{_YEAR}"
    rf"|\d{{1,2}}[-/]\d{{1,2}}[-/]{_YEAR}|{_YEAR}-\d{{2}}-\d{{2}}"
    rf"|(?:{_MONTH_ANY})\s+{_YEAR}|{_YEAR}|(?:{_MONTH_NAME})"
    r"|(?:dit|vorig|vorige)\s+jaar|(?:this|last)\s+year)"
)
_YEAR_TERM = rf"(?:{_YEAR}|(?:dit|vorig|vorige)\s+jaar|(?:this|last)\s+year)"


@dataclass(frozen=True)
class Anchors:
    """What relative phrases are read against: the newest dated document and the meetings' dates.

    >>> Anchors(dt.date(2023, 2, 23), (dt.date(2023, 2, 23),)).newest_meeting
    datetime.date(2023, 2, 23)
    """

    newest_document: dt.date | None = None
    meetings: tuple[dt.date, ...] = ()  # the dated meetings (minutes), newest first

    @property
    def newest_meeting(self) -> dt.date | None:
        return self.meetings[0] if self.meetings else None


@dataclass(frozen=True)
class TimeReading:
    """How one time phrase of a question was read.

    ``kind`` says what the note tells: "literal" (the words are the period: no note),
    "read" (an absolute phrase made into dates), "relative" (read against ``reference``),
    "meeting" / "meeting_before" (the newest meeting, the one before it), "unknown"
    (a relative phrase with nothing in the index to read it against: no scope) or "in_text"
    (no document of the period is about the question: its words were looked up in the text).
    """

    phrase: str
    start: dt.date | None
    end: dt.date | None
    kind: str = "literal"
    reference: dt.date | None = None
    # False when the question is not one this kind of phrase scopes (see read_time): the note
    # still says how the words were read, the documents are not filtered.
    applied: bool = True

    @property
    def filters(self) -> Filters:
        return Filters(date_from=self.start, date_to=self.end) if self.applied else Filters()

    def note(self, language: str, phrases: dict[str, dict[str, str]] | None = None) -> str | None:
        """The line said to the user, or None when the words were taken as they stand."""
        if self.kind == "literal":
            return None
        texts = time_texts(phrases or load_phrases(DEFAULT_PHRASES), language)
        date = format_day(self.reference or self.start, language) if (self.reference or self.start) else ""
        period = describe_period(self.start, self.end, language, texts)
        key = {"read": "time_read", "relative": "time_relative", "unknown": "time_unknown"}.get(self.kind, f"time_{self.kind}")
        return texts[key].format(phrase=self.phrase, period=period, date=date)


def time_texts(phrases: dict[str, dict[str, str]], language: str) -> dict[str, str]:
    """The time_* texts of ``language``: from the prompt file, else from the shipped one.

    A prompt file may leave them out; one it has must hold its placeholders (PromptError if not).
    """
    defaults = load_phrases(DEFAULT_PHRASES)
    own = phrases.get(language) or phrases["nl"]
    fallback = defaults.get(language) or defaults["nl"]
    texts = {key: own.get(key, fallback[key]) for key in TIME_PHRASES}
    for key, wanted in TIME_PHRASES.items():
        found = {name for _, name, _, _ in string.Formatter().parse(texts[key]) if name}
        if found != wanted:
            raise PromptError(f"[{language}] {key!r} must contain {sorted(wanted)}, found {sorted(found)}")
    return texts


def format_day(day: dt.date, language: str) -> str:
    """date(2023, 2, 23) -> '23 februari 2023' (nl) or '23 February 2023' (en)."""
    return f"{day.day} {_month_names(language)[day.month - 1]} {day.year}"


def describe_period(start: dt.date | None, end: dt.date | None, language: str, texts: dict[str, str]) -> str:
    """A period in words: '2022', 'maart 2022', '1 maart 2023 tot en met 31 mei 2023', 'vanaf 1 januari 2021'.

    >>> texts = time_texts(load_phrases(DEFAULT_PHRASES), "nl")
    >>> describe_period(dt.date(2023, 3, 1), dt.date(2023, 5, 31), "nl", texts)
    'maart 2023 tot en met mei 2023'
    """
    if start and end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year) if start.year == end.year else texts["time_span"].format(start=start.year, end=end.year)
        if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
            months = _month_names(language)
            first, last = f"{months[start.month - 1]} {start.year}", f"{months[end.month - 1]} {end.year}"
            return first if first == last else texts["time_span"].format(start=first, end=last)
        if start == end:
            return format_day(start, language)
        return texts["time_span"].format(start=format_day(start, language), end=format_day(end, language))
    if start:
        return texts["time_from"].format(date=format_day(start, language))
    if end:
        return texts["time_until"].format(date=format_day(end, language))
    return ""


def _month_names(language: str) -> list[str]:
    return list(ENGLISH_MONTHS) if language == "en" else list(DUTCH_MONTHS)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: (2023, 2) -> 28 February 2023."""
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _shift_month(year: int, month: int, back: int) -> tuple[int, int]:
    """(2023, 2) back 3 months -> (2022, 11)."""
    index = year * 12 + month - 1 - back
    return index // 12, index % 12 + 1


@lru_cache(maxsize=1)
def _day_parser():
    """dateparser's parser for day dates, built once per process (import and set-up ~0.15 s)."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["nl", "en"], settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]})


def parse_day(text: str) -> dt.date | None:
    """A day date in any common spelling: '1e mrt. 2022', '23-02-2023', 'February 23rd, 2023'.

    >>> parse_day("1e mrt. 2022"), parse_day("maart 2022")
    (datetime.date(2022, 3, 1), None)
    """
    text = re.sub(r"\b(\d{1,2})(?:e|ste|de)\b", r"\1", text)  # dateparser knows "1st", not "1e"
    found = _day_parser().get_date_data(text).date_obj
    return found.date() if found else None


class _Unresolved(Exception):
    """A relative phrase with nothing in the index to read it against."""


class _Context:
    """The anchors, fetched the first time a relative phrase needs them."""

    def __init__(self, anchors: Anchors | Callable[[], Anchors]) -> None:
        self._source, self._anchors = anchors, anchors if isinstance(anchors, Anchors) else None
        self.used = False

    @property
    def anchors(self) -> Anchors:
        if self._anchors is None:
            self._anchors = self._source()
        return self._anchors

    def reference(self) -> dt.date:
        self.used = True
        if self.anchors.newest_document is None:
            raise _Unresolved
        return self.anchors.newest_document


def _year_term(text: str, context: _Context) -> int:
    """'2022' -> 2022; 'vorig jaar' / 'last year' -> the year before the newest document's."""
    text = text.lower()
    if text.isdigit():
        return int(text)
    reference = context.reference()
    return reference.year - (1 if re.match(r"vorig|last", text) else 0)


def _operand(text: str, context: _Context) -> tuple[dt.date, dt.date]:
    """A boundary's date as the period it names: '2021' -> all of 2021, 'maart 2022' -> March 2022."""
    words = " ".join(text.lower().split())
    if re.fullmatch(_YEAR_TERM, words):
        year = _year_term(words, context)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month_year = re.fullmatch(rf"({_MONTH_ANY})\s+({_YEAR})", words)
    if month_year:
        month, year = MONTHS[month_year.group(1).rstrip(".")], int(month_year.group(2))
        return dt.date(year, month, 1), month_end(year, month)
    if words in MONTHS:
        return _latest_month(MONTHS[words], context)
    day = parse_day(text)
    if day is None:
        raise _Unresolved
    return day, day


def _latest_month(month: int, context: _Context) -> tuple[dt.date, dt.date]:
    """'maart' with the newest document of 23 February 2023 -> March 2022 (the latest March up to it)."""
    reference = context.reference()
    year = reference.year if month <= reference.month else reference.year - 1
    return dt.date(year, month, 1), month_end(year, month)


# --- the phrases, one resolver each: match, context -> (start, end, kind) -------------------------

Resolved = tuple[dt.date | None, dt.date | None, str]


def _between(match: re.Match, context: _Context) -> Resolved:
    start, _ = _operand(match.group("a"), context)
    end_period = _operand(match.group("b"), context)
    exclusive = (match.groupdict().get("to") or "").lower() in ("tot", "until", "till")
    return start, (end_period[0] - dt.timedelta(days=1)) if exclusive else end_period[1], "read"


def _since(match: re.Match, context: _Context) -> Resolved:
    first, last = _operand(match.group("a"), context)
    after = match.group("word").lower() in ("na", "after")
    return (last + dt.timedelta(days=1)) if after else first, None, "read"


def _until(match: re.Match, context: _Context) -> Resolved:
    first, last = _operand(match.group("a"), context)
    inclusive = re.match(r"tot en met|t/m|up to|through", match.group("word"), re.IGNORECASE)
    return None, last if inclusive else first - dt.timedelta(days=1), "read"


SEASONS = {"voorjaar": 3, "lente": 3, "spring": 3, "zomer": 6, "summer": 6,
           "najaar": 9, "herfst": 9, "autumn": 9, "fall": 9, "winter": 12}


def _season(match: re.Match, context: _Context) -> Resolved:
    """Meteorological seasons: spring March-May ... winter December-February of the next year."""
    first_month = SEASONS[match.group("season").lower()]
    if match.groupdict().get("year"):
        year = _year_term(match.group("year"), context)
    else:  # the latest season begun by the newest document: winter 2022 on 23 February 2023
        reference = context.reference()
        year = reference.year if first_month <= reference.month else reference.year - 1
    start = dt.date(year, first_month, 1)
    end_year, end_month = _shift_month(year, first_month, -2)
    return start, month_end(end_year, end_month), "read"


# Begin, middle and end of a year: thirds of four months; halves of six.
YEAR_PARTS = {"begin": (1, 4), "early": (1, 4), "start": (1, 4), "beginning": (1, 4),
              "midden": (5, 8), "medio": (5, 8), "mid": (5, 8), "middle": (5, 8),
              "eind": (9, 12), "einde": (9, 12), "late": (9, 12), "end": (9, 12),
              "eerste helft": (1, 6), "first half": (1, 6), "tweede helft": (7, 12), "second half": (7, 12)}


def _year_part(match: re.Match, context: _Context) -> Resolved:
    year = _year_term(match.group("year"), context)
    first, last = YEAR_PARTS[" ".join(match.group("part").lower().split())]
    return dt.date(year, first, 1), month_end(year, last), "read"


QUARTERS = {"eerste": 1, "1e": 1, "first": 1, "1st": 1, "tweede": 2, "2e": 2, "second": 2, "2nd": 2,
            "derde": 3, "3e": 3, "third": 3, "3rd": 3, "vierde": 4, "4e": 4, "laatste": 4, "fourth": 4,
            "4th": 4, "last": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _quarter(match: re.Match, context: _Context) -> Resolved:
    year = _year_term(match.group("year"), context)
    quarter = QUARTERS[match.group("q").lower()]
    return dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter), "read"


def _meeting(match: re.Match, context: _Context) -> Resolved:
    context.used = True
    back = 1 if re.search(r"voorlaatste|before last|second to last", match.group(0), re.IGNORECASE) else 0
    meetings = context.anchors.meetings
    if len(meetings) <= back:
        raise _Unresolved
    return meetings[back], meetings[back], "meeting_before" if back else "meeting"


def _steps_back(match: re.Match) -> int:
    """'twee jaar geleden' -> 2, '3 months ago' -> 3, 'vorig jaar' -> 1, 'dit jaar' -> 0."""
    count = match.group("n")
    if count:
        return int(count) if count.isdigit() else NUMBERS[count.lower()]
    return 1 if re.search(r"vorig|last|previous", match.group(0), re.IGNORECASE) else 0


def _relative_year(match: re.Match, context: _Context) -> Resolved:
    year = context.reference().year - _steps_back(match)
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "relative"


def _relative_month(match: re.Match, context: _Context) -> Resolved:
    reference = context.reference()
    year, month = _shift_month(reference.year, reference.month, _steps_back(match))
    return dt.date(year, month, 1), month_end(year, month), "relative"


def _past_year(match: re.Match, context: _Context) -> Resolved:
    """'het afgelopen jaar' / 'the past year': the twelve months up to the newest document."""
    reference = context.reference()
    return reference - dt.timedelta(days=364), reference, "relative"  # 365 days, the newest one included


def _month_no_year(match: re.Match, context: _Context) -> Resolved:
    return (*_latest_month(MONTHS[match.group("month").lower()], context), "relative")


def _month_year(match: re.Match, context: _Context) -> Resolved:
    month, year = MONTHS[match.group("month").lower()], int(match.group("year"))
    return dt.date(year, month, 1), month_end(year, month), "literal"


def _year(match: re.Match, context: _Context) -> Resolved:
    year = int(match.group("year"))
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "literal"


_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(w for w in NUMBERS if w) + r")"
_MEETING_WORD = r"(?:\w*overleg|vergadering|bijeenkomst|pfho|meeting)"
# Words that make a question about the documents' own time, not only about the time of a fact.
DOCUMENT_TIME = re.compile(
    r"\b(?:\w*overleg\w*|vergadering\w*|bijeenkomst\w*|pfho|meetings?|resum[ée]\w*|besproken|discussed|"
    r"agenda\w*|afwezig|aanwezig|absent|present)\b",
    re.IGNORECASE,
)
# Which questions a kind of phrase scopes. A year or a longer stretch dates a fact as often
# as a meeting ("hoeveel jongeren kregen in 2021 jeugdhulp" is told in a programme dated 2022):
# "decision": only decision questions (a bare "in 2023", as before); "document": decision
# questions and questions about the meetings; "any": every question (a month or shorter).
PHRASES: list[tuple[str, re.Pattern, Callable[[re.Match, _Context], Resolved], str]] = [
    (name, re.compile(pattern, re.IGNORECASE), resolver, scopes)
    for name, pattern, resolver, scopes in [
        ("between", rf"\b(?:tussen|between)\s+(?P<a>{_OPERAND})\s+(?:en|and)\s+(?P<b>{_OPERAND})\b", _between, "document"),
        ("from_to", rf"\b(?:van|vanaf|from)\s+(?P<a>{_OPERAND})\s+(?P<to>tot en met|t/m|tot|to|until|till|through)"
                    rf"\s+(?P<b>{_OPERAND})(?!\w)", _between, "document"),
        ("since", rf"\b(?P<word>sinds|vanaf|na|since|after)\s+(?P<a>{_OPERAND})\b", _since, "document"),
        ("from_on", rf"\b(?P<word>from)\s+(?P<a>{_OPERAND})\s+(?:on|onwards?)\b", _since, "document"),
        ("until", rf"(?<!\w)(?P<word>vóór|voordat|eerder dan|tot en met|t/m|tot|before|prior to|until|till|"
                  rf"up to and including|up to|through)\s+(?P<a>{_OPERAND})(?!\w)", _until, "document"),
        ("season", rf"\b(?:(?:in\s+)?(?:het|de|the)\s+)?(?P<season>{'|'.join(SEASONS)})\s+(?:van\s+|of\s+)?"
                   rf"(?P<year>{_YEAR_TERM})\b", _season, "document"),
        ("season_latest", rf"\b(?:in|during)\s+(?:het|de|the)\s+(?P<season>{'|'.join(SEASONS)})\b(?!\s+(?:van|of)\b)",
                          _season, "document"),
        ("year_part", rf"\b(?:(?:aan\s+)?het\s+|in\s+het\s+|(?:at\s+)?the\s+|in\s+the\s+)?(?P<part>begin|midden|medio|eind|einde|"
                      r"eerste\s+helft|tweede\s+helft|early|mid|late|start|beginning|middle|end|first\s+half|second\s+half)"
                      rf"(?:\s+|-)(?:van\s+|of\s+)?(?P<year>{_YEAR_TERM})\b", _year_part, "document"),
        ("quarter", rf"\b(?:(?:het|the)\s+)?(?P<q>eerste|tweede|derde|vierde|laatste|[1-4]e|first|second|third|fourth|"
                    rf"last|1st|2nd|3rd|4th)\s+(?:kwartaal|quarter)\s+(?:van\s+|of\s+)?(?P<year>{_YEAR_TERM})\b",
                    _quarter, "document"),
        ("quarter_short", rf"\bQ(?P<q>[1-4])\s*(?P<year>{_YEAR})\b", _quarter, "document"),
        ("meeting", rf"\b(?:de|het|the)\s+(?:laatste|meest\s+recente|recentste|vorige|voorlaatste|last|latest|"
                    rf"most\s+recent|previous|second\s+to\s+last)\s+{_MEETING_WORD}\w*|\bthe\s+meeting\s+before\s+last\b",
                    _meeting, "any"),
        ("past_year", r"\b(?:het\s+)?afgelopen\s+jaar\b|\b(?:the\s+)?past\s+year\b|\b(?:de\s+)?afgelopen\s+12\s+maanden\b"
                      r"|\b(?:the\s+)?(?:last|past)\s+12\s+months\b", _past_year, "document"),
        ("relative_year", rf"\b(?:(?:vorig|vorige|dit)\s+jaar|(?:last|this|previous)\s+year"
                          rf"|{_NUMBER}\s+(?:jaar\s+geleden|years?\s+ago))\b", _relative_year, "document"),
        ("relative_month", rf"\b(?:(?:vorige|deze)\s+maand|(?:last|this|previous)\s+month"
                           rf"|{_NUMBER}\s+(?:maand(?:en)?\s+geleden|months?\s+ago))\b", _relative_month, "any"),
        # "het overleg van (23) februari 2023", "in maart 2021" -- not "het resumé van 15 december 2022",
        # which names an earlier meeting's minutes discussed in this one.
        ("month_year", rf"\b(?:\w*(?:overleg|vergadering|bijeenkomst|meeting|pfho)\w*\s+(?:van|op|of|on|in)|in|during)\s+"
                       rf"(?:\d{{1,2}}\s+)?(?P<month>{_MONTH_NAME})\s+(?P<year>{_YEAR})\b", _month_year, "any"),
        ("month", rf"\b(?:in|during)\s+(?P<month>{_MONTH_NAME})\b(?!\s+(?:\d|van\b|of\b))", _month_no_year, "any"),
        ("year", rf"\b(?:in|van|uit|during|from|of)\s+(?P<year>{_YEAR})\b", _year, "decision"),
    ]
]


def read_time(question: str, anchors: Anchors | Callable[[], Anchors] = Anchors()) -> TimeReading | None:
    """The time a question names, as a period of document dates; None when it names none.

    ``anchors`` may be a function: it is called only for a phrase that needs it, so a question
    without a relative phrase never makes the caller look up the newest document. Of several
    phrases the first in the question counts, a longer one over one inside it, and a bare year
    ("in 2023") only when nothing else is named. Whole-year readings ("in 2023", "vorig jaar")
    scope decision questions only.

    >>> read_time("Wat is er sinds maart 2022 besloten?").filters
    Filters(date_from=datetime.date(2022, 3, 1), date_to=None, domain=None, doc_type=None)
    >>> read_time("Hoeveel jongeren kregen jeugdhulp in 2021?") is None
    True
    >>> read_time("Welk rapport van vorig jaar?", Anchors(dt.date(2025, 11, 27))).filters
    Filters(date_from=None, date_to=None, domain=None, doc_type=None)
    """
    decision = bool(DECISION_QUESTION.search(question))
    allowed = {"any", "document", "decision"} if decision else {"any", "document"} if DOCUMENT_TIME.search(question) else {"any"}
    found = []
    for name, pattern, resolver, scopes in PHRASES:
        for match in pattern.finditer(question):
            span = (scopes not in allowed, name == "year", match.start(), -(match.end() - match.start()))
            found.append((*span, name, match, resolver))
    if not found:
        return None
    not_applied, *_, match, resolver = min(found, key=lambda f: f[:5])
    context = _Context(anchors)
    phrase = " ".join(match.group(0).split())
    try:
        start, end, kind = resolver(match, context)
    except _Unresolved:
        return TimeReading(phrase, None, None, "unknown")
    if not_applied and kind == "literal":
        return None  # "jeugdhulp in 2021": a fact's year, taken as it stands
    reference = context.anchors.newest_document if context.used and kind not in ("meeting", "meeting_before") else None
    if kind == "read" and reference:
        kind = "relative"  # "sinds maart": the month was read against the newest document
    return TimeReading(phrase, start, end, kind, reference if kind == "relative" else None, not not_applied)
