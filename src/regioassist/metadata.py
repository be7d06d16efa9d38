"""What a document is: its type, title and date, and for minutes the meeting and who came.

Part of the structure stage: ``structure.parse_document`` reads these from the
first lines of a document (``lines`` here are line texts, whitespace collapsed).

>>> detect_doc_type(["RESUMÉ", "", "Overleg portefeuillehouders sociaal domein 23 februari 2023"]).value
'resumé'
>>> meeting_line(["RESUMÉ", "Overleg portefeuillehouders sociaal domein 23 februari 2023"])
('Overleg portefeuillehouders sociaal domein', datetime.date(2023, 2, 23))
>>> people("Joke Lanphen (Blaricum), Barbara Boudewijnse (Gooise Meren, Werk & Participatie) en Bart Heller")
('Joke Lanphen (Blaricum)', 'Barbara Boudewijnse (Gooise Meren, Werk & Participatie)', 'Bart Heller')
>>> person("Gerben van Voorden (Hilversum, Gezondheid en Ondersteuning, Jeugd)")
Person(name='Gerben van Voorden', municipality='Hilversum', portfolio='Gezondheid en Ondersteuning, Jeugd')
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from regioassist.models import DocType, Person

MEETING_TYPES = (DocType.RESUME, DocType.BESLUITENLIJST)
_HEAD_LINES = 12  # a document names its type and subject in its first non-blank lines
_HEADER_SCAN_LINES = 40  # the header of a minutes form fits in its first 40 lines

_TYPE_RULES = (  # (type, pattern on the first lines); the first that matches wins
    (DocType.RESUME, re.compile(r"^(?:resum[ée]|verslag|notulen)\b", re.I | re.M)),
    (DocType.BESLUITENLIJST, re.compile(r"^besluitenlijst\b", re.I | re.M)),
    (DocType.RAADSINFORMATIEBRIEF, re.compile(
        r"^raadsinformatiebrief\b|^geachte (?:leden van de )?(?:gemeente)?(?:raad|commissie)", re.I | re.M)),
    (DocType.VOORSTEL, re.compile(r"^(?:raads|college)?voorstel\b|^nummer omschrijving", re.I | re.M)),
    (DocType.PROGRAMMA, re.compile(r"^programma\b", re.I | re.M)),
)
# "het programma Jeugd & Onderwijs 2022-2026": a named programme and its period.
_PROGRAMME = re.compile(
    r"\b[Pp]rogramma\s+(?P<name>[A-Z][\w-]*(?:\s+(?:&|en|[A-Z][\w-]*))*)\s+(?P<years>\d{4}\s*[-–]\s*\d{4})")
# Words that make a line a meeting line: "Overleg portefeuillehouders ... 23 februari 2023".
_MEETING_WORD = re.compile(r"overleg|vergadering|raad\b|college|commissie|stuurgroep|bestuur|pfho", re.I)
# The type word in front of a meeting name: "Besluitenlijst van de vergadering van ...".
_DOC_WORD_PREFIX = re.compile(r"^(?:resum[ée]|verslag|notulen|besluitenlijst)\b\s*(?:van\s+(?:de|het)\s+)?", re.I)
# Labelled header fields ("Kenmerk 23.0001000", "Datum: 12 april 2022"). "Omschrijving"
# is the column title of the header table in the regional minutes form.
FIELD = re.compile(
    r"^[ \t]*(?:Omschrijving[ \t]+)?(?P<label>Aanwezig|Afwezig|Afgemeld|Contactpersoon|E-?mail|"
    r"Telefoon|Vertrouwelijk|Kenmerk|Datum|Locatie|Voorzitter|Notulist|Secretaris|Zaaknummer)"
    r"\b[ \t]*:?[ \t]*",
    re.MULTILINE,
)
_SUBJECT = re.compile(r"^(?:Onderwerp|Betreft|Titel)\s*:?\s+(?P<subject>\S.*)$", re.M)
_ASSIGNMENT = re.compile(r"^De opdracht\s*[;:]\s*(?P<subject>.+)$", re.M)  # "De opdracht; regio breed ..."
_ADDRESSEE = re.compile(r"Geachte leden van de (?P<to>(?:gemeente)?(?:raad|commissie)[^,\n]*)", re.I)
_MUNICIPALITY = re.compile(r"\bgemeente\s+(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
_TREATMENT_TABLE = re.compile(r"^\s*Behandeling\s*$", re.M)
_TREATMENT_DATE = re.compile(r"^\s*(\d{1,2}/\d{1,2}/\d{2,4})\b", re.M)  # "27/11/25 Directie-overleg ..."
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_MARKDOWN_PREFIX = re.compile(r"^#{1,6}\s+")
# Words of social-domain portfolios and roles. A bracketed part holding one of them (or
# '&', ' en ', a lowercase word) is a portfolio ("Werk & Participatie", "voorzitter"); a
# part of capitalised words without them is a place ("Gooise Meren", "Weesp").
PORTFOLIO_WORDS = frozenset(
    "jeugd jeugdzorg onderwijs werk participatie inkomen gezondheid ondersteuning zorg wonen welzijn "
    "wmo sociaal domein armoede schuldhulp schulddienstverlening minima financien economie sport "
    "cultuur veiligheid volksgezondheid publieke ouderen mantelzorg inburgering integratie "
    "arbeidsmarkt emancipatie beschermd opvang".split()
)
_PLACE_PARTICLES = {"aan", "de", "den", "der", "op", "in", "bij", "'s", "ter", "ten"}
# "Rosalie van Rijn (Jeugd, Laren)": a name with municipality and portfolio.
_PERSON_WITH_ROLE = re.compile(r"^[A-Z][\w.'-]*(?:\s+[\w.'-]+){0,4}\s*\(.+\)$")

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
_MONTH_NUMBER = {
    **{m: i + 1 for i, m in enumerate(MONTHS)},
    **{m[:3]: i + 1 for i, m in enumerate(MONTHS)},
    "mrt": 3, "sept": 9, "okt": 10,
}
# "23 februari 2023", "23 feb. 2023", "23-02-2023", "23/02/2023", "27/11/25".
_DATE = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
    + r")\.?\s+(?P<year>\d{4})\b"
    r"|\b(?P<nday>\d{1,2})(?P<sep>[-/.])(?P<nmonth>\d{1,2})(?P=sep)(?P<nyear>\d{4}|\d{2})\b",
    re.IGNORECASE,
)


def head(lines: list[str]) -> str:
    return "\n".join([line for line in lines if line][:_HEAD_LINES])


def detect_doc_type(lines: list[str]) -> DocType:
    """The document's type, from how its first lines name it."""
    first = head(lines)
    for doc_type, pattern in _TYPE_RULES:
        if pattern.search(first):
            return doc_type
    if _PROGRAMME.search(" ".join(lines[:60])):
        return DocType.PROGRAMMA
    return DocType.OTHER


def document_title(doc_type: DocType, text: str, lines: list[str], meeting: str | None,
                   date: dt.date | None) -> str:
    """A title a person would use: the type, the subject or meeting, the date."""
    subject = _SUBJECT.search(head(lines))
    if doc_type in MEETING_TYPES:
        word = _TYPE_RULES[0 if doc_type is DocType.RESUME else 1][1].search(head(lines))
        parts = (word.group().capitalize(), meeting, dutch_date(date) if date else None)
        return " ".join(p for p in parts if p)
    if doc_type is DocType.PROGRAMMA and (found := _PROGRAMME.search(text)):
        years = "".join(found["years"].split())
        return f"Programma {found['name']} {years}"
    if doc_type is DocType.RAADSINFORMATIEBRIEF:
        return _letter_title(text, subject)
    if doc_type is DocType.VOORSTEL:
        found = subject or _ASSIGNMENT.search(text)
        return f"Voorstel {_PARENTHESES.sub('', found['subject'])}" if found else "Voorstel"
    if subject:
        return subject["subject"]
    first = next((line for line in lines if line), "")
    return _MARKDOWN_PREFIX.sub("", first)[:100]


def _letter_title(text: str, subject: re.Match | None) -> str:
    """'Raadsinformatiebrief commissie sociaal domein (Huizen)', or with its subject."""
    if subject:
        return f"Raadsinformatiebrief: {subject['subject']}"
    to = _ADDRESSEE.search(text)
    title = f"Raadsinformatiebrief {to['to'].strip()}" if to else "Raadsinformatiebrief"
    towns = Counter(m["name"] for m in _MUNICIPALITY.finditer(text)).most_common(1)
    return f"{title} ({towns[0][0]})" if towns and towns[0][1] >= 2 else title


def document_date(text: str, fields: dict[str, str], lines: list[str]) -> dt.date | None:
    """A 'Datum' field, else the latest date in a 'Behandeling' table, else a date in the first lines.

    A date further down is about something else (a meeting referred to, a
    deadline), so a letter without a date gets None rather than a guess; so does one in
    the first lines that a preposition makes a point in time ("Sinds 1 januari 2021 ...").

    >>> document_date("", {}, ["# Notitie schulden", "Sinds 1 januari 2021 zijn gemeenten verplicht ..."]) is None
    True
    >>> document_date("", {}, ["Hilversum, 12 maart 2024", "Geachte raad,"])
    datetime.date(2024, 3, 12)
    """
    labelled = parse_date(fields.get("datum", ""))
    if labelled:
        return labelled
    table = _TREATMENT_TABLE.search(text)
    if table:
        rows = _TREATMENT_DATE.findall(text, table.end(), table.end() + 800)
        dates = [d for d in map(parse_date, rows) if d]
        if dates:
            return max(dates)  # the most recent treatment
    opening = " \n".join([line for line in lines if line][:5])
    return next((d for d, m in find_dates(opening) if not _POINT_IN_TIME.search(opening, 0, m.start())), None)


# "Sinds 1 januari 2021 zijn gemeenten verplicht ..." in a note's first lines dates a law, not the note.
_POINT_IN_TIME = re.compile(r"\b(?:sinds|vanaf|per|tot|na|voor|vóór|uiterlijk|since|from|until|by)\s+$", re.IGNORECASE)


# --- dates -------------------------------------------------------------------------


def find_dates(text: str) -> Iterator[tuple[dt.date, re.Match]]:
    """Each valid date in ``text`` with its match, in order."""
    for match in _DATE.finditer(text):
        date = _match_date(match)
        if date:
            yield date, match


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``.

    >>> parse_date("27/11/25 Directie-overleg"), parse_date("op 1 april")
    (datetime.date(2025, 11, 27), None)
    """
    return next((d for d, _ in find_dates(text)), None)


def _match_date(m: re.Match) -> dt.date | None:
    if m["day"]:
        day, month, year = int(m["day"]), _MONTH_NUMBER[m["month"].lower()], int(m["year"])
    else:
        day, month, year = int(m["nday"]), int(m["nmonth"]), int(m["nyear"])
        if year < 100:
            year += 2000 if year < 70 else 1900  # "27/11/25" is 2025
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dutch_date(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


# --- the header of minutes ------------------------------------------------------------


def header_end(lines: list[str]) -> int:
    """Index of the first body line: after the last labelled field and its value lines."""
    labelled = [i for i, line in enumerate(lines[:_HEADER_SCAN_LINES]) if FIELD.match(line)]
    if not labelled:
        meeting = _meeting_index(lines[:_HEADER_SCAN_LINES])
        return 0 if meeting is None else meeting + 1
    end = labelled[-1] + 1
    while end < len(lines) and lines[end]:
        end += 1
    return end


def header_fields(header: str) -> dict[str, str]:
    """Labelled fields: ``{"kenmerk": "23.0001000", "aanwezig": "...", "email": ...}``."""
    return {key: " ".join(header[value:end].split()) for key, _, value, end in _field_spans(header)}


def header_lines(header: str) -> dict[str, str]:
    """Each field with its label, as it stands (whitespace collapsed): what an answer quotes.

    >>> header_lines("Afwezig Roland Boom (Huizen,\\n Onderwijs)\\nKenmerk 23.0001000")
    {'afwezig': 'Afwezig Roland Boom (Huizen, Onderwijs)', 'kenmerk': 'Kenmerk 23.0001000'}
    """
    return {key: " ".join(header[label:end].split()) for key, label, _, end in _field_spans(header)}


def _field_spans(header: str) -> list[tuple[str, int, int, int]]:
    """(key, label start, value start, end) of each labelled field; the first of a key wins."""
    matches = list(FIELD.finditer(header))
    spans: dict[str, tuple[str, int, int, int]] = {}
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(header)
        key = m["label"].lower().replace("-", "")
        spans.setdefault(key, (key, m.start("label"), m.end(), end))
    return list(spans.values())


def meeting_line(lines: list[str]) -> tuple[str | None, dt.date | None]:
    """The meeting's name and date, from a line like 'Overleg ... sociaal domein 23 februari 2023'."""
    for line in lines:
        if not line or FIELD.match(line) or not _MEETING_WORD.search(line):
            continue
        name, date = line, None
        dates = list(find_dates(line))
        if dates and dates[-1][1].end() >= len(line.rstrip(" .")):
            date, match = dates[-1]
            name = re.sub(r"[\s,:–-]*(?:\b(?:van|d\.d\.|op))?\s*$", "", line[: match.start()])
        name = _DOC_WORD_PREFIX.sub("", name).strip(" ,:")
        if name:
            return name, date
    return None, None


def _meeting_index(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if _MEETING_WORD.search(line) and parse_date(line)), None)


def people(value: str | None) -> tuple[str, ...]:
    """Split a list of names on commas, 'en' and '&' outside brackets; line breaks are spaces."""
    if not value or value.strip(" -.").lower() in {"", "geen", "n.v.t"}:
        return ()
    value = " ".join(value.split())
    parts, depth, current = [], 0, ""
    for token in re.split(r"([(),;]|\s+(?:en|&)\s+)", value):
        if depth == 0 and (token in {",", ";"} or token.strip() in {"en", "&"}):
            parts.append(current)
            current = ""
            continue
        depth = max(0, depth + (token == "(") - (token == ")"))
        current += token
    parts.append(current)
    return tuple(p.strip(" ,.") for p in parts if p.strip(" ,."))


def person(entry: str) -> Person:
    """One list entry as a record: the name, and from its brackets the municipality and portfolio.

    The first bracketed part that reads as a place is the municipality, wherever it stands
    ("Carin Ogier (Werk en Inkomen, Weesp)"); the other parts, in order, are the portfolio.

    >>> person("Jelmer Kruijt (Jeugd & Onderwijs)")
    Person(name='Jelmer Kruijt', municipality=None, portfolio='Jeugd & Onderwijs')
    >>> person("Bart  Heller")
    Person(name='Bart Heller', municipality=None, portfolio=None)
    """
    entry = " ".join(entry.split()).strip(" ,.;")
    name, bracket, rest = entry.partition("(")
    parts = [p.strip() for p in rest.rstrip(") ").split(",") if p.strip()] if bracket else []
    municipality = next((p for p in parts if _is_place(p)), None)
    portfolio = ", ".join(p for p in parts if p is not municipality) or None
    return Person(name.strip(), municipality, portfolio)


def persons(value: str | None) -> tuple[Person, ...]:
    """A labelled list ('Joke Lanphen (Blaricum), Bart Heller') as records, in order."""
    return tuple(person(p) for p in people(value))


def _is_place(part: str) -> bool:
    """'Gooise Meren', 'Wijk bij Duurstede': capitalised words, no portfolio word, no '&' or 'en'."""
    words = part.split()
    return bool(words) and words[0][0].isupper() and all(
        (w[0].isupper() and _plain(w) not in PORTFOLIO_WORDS) or (i and w in _PLACE_PARTICLES)
        for i, w in enumerate(words)
    )


def _plain(word: str) -> str:
    """'Financiën' -> 'financien'."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().casefold()


def unlabelled_people(header_lines: list[str]) -> tuple[str, ...]:
    """'Name (roles)' entries listed without an 'Aanwezig' label, between meeting line and fields.

    A page break can cut the list; a fragment without its opening bracket is dropped.
    """
    block = unlabelled_block(header_lines)
    return tuple(p for p in people(block) if _PERSON_WITH_ROLE.match(p)) if block else ()


def unlabelled_block(header_lines: list[str]) -> str | None:
    """The lines between the meeting line and the first labelled field, joined; None if there are none."""
    meeting = _meeting_index(header_lines)
    first_field = next((i for i, line in enumerate(header_lines) if FIELD.match(line)), None)
    if meeting is None or first_field is None or first_field <= meeting + 1:
        return None
    return " ".join(" ".join(header_lines[meeting + 1 : first_field]).split()) or None
