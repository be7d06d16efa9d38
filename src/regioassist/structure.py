"""Finding structure: a ``RawDocument`` becomes a ``ParsedDocument``.

Works from the general shape of Dutch government documents, not from known
headings. A heading is a short line that starts with a capital, has no final
period, stands after a blank line or at the top of a page, and is followed by
prose or by another heading. Minutes (resumé, verslag, besluitenlijst) get
domains from ALL-CAPS lines, agenda items (numbered or not), sub-headings
with ``parent`` set to their agenda item, and decision sentences. Other
documents get headed sections, with ALL-CAPS chapters as parents; text before
the first heading is the ``preamble``. Sections never overlap and together
cover the whole text.

>>> from regioassist.models import RawDocument
>>> raw = RawDocument("x.txt", "RESUMÉ\\n\\nOverleg zorg 3 mei 2023\\n\\nKenmerk 23.1\\n\\n"
...     "JEUGD\\n\\nPleegzorg\\n\\nHet overleg stelt het voorstel vast.\\n")
>>> doc = parse_document(raw)
>>> doc.doc_type.value, str(doc.date), doc.meeting, doc.kenmerk, doc.title
('resumé', '2023-05-03', 'Overleg zorg', '23.1', 'Resumé Overleg zorg 3 mei 2023')
>>> [(s.title, s.domain, [d.status.value for d in s.decisions]) for s in doc.agenda_items]
[('Pleegzorg', 'Jeugd', ['vastgesteld'])]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from regioassist import metadata as meta
from regioassist.decisions import decision_status, find_decisions, sentences
from regioassist.language import document_language
from regioassist.models import Mention, ParsedDocument, RawDocument, Section

# The regional social-domain programmes; '&' and 'en' are the same.
KNOWN_DOMAINS = (
    "Gezondheid en Ondersteuning", "Jeugd en Onderwijs", "Werk en Participatie",
    "Werk en Inkomen", "Sociaal Domein",
)
_SMALL_WORDS = {"en", "van", "de", "het", "voor", "op", "in", "met", "der", "of", "te"}
# "Sociaal domein algemeen": a part of a domain, not a domain of its own.
_SUBDOMAIN_TAIL = re.compile(r"^(?:algemeen|overig|overige onderwerpen|breed)$")
# Section names of Dutch proposals and memos, trusted as (chapter) headings. Folded.
_SECTION_WORDS = {
    "aanleiding", "inleiding", "samenvatting", "toelichting", "behandeling", "voorstel",
    "beslispunten", "besluit", "advies", "argumenten", "kanttekeningen", "financien",
    "financiele consequenties", "communicatie", "vervolg", "vervolgstappen", "bijlage",
    "bijlagen", "conclusie", "conclusies", "achtergrond", "context", "risico's", "juridische aspecten",
}
# What follows the agenda rather than belonging to an item: "Actielijst", "Toezeggingen",
# "Bijlage 2: Tarieven 2025". A section of its own, at the top level, never an agenda item.
_APPENDIX = re.compile(r"^(?:bijlagen?\b.*|actielijst|actiepunten|lijst van (?:acties|toezeggingen)|toezeggingen(?:lijst)?)$")
# "3. Pleegzorg", "4 Vaststellen besluitenlijst", "Agendapunt 5: Beschermd wonen".
_NUMBERED = re.compile(r"^(?:Agendapunt\s+)?(?P<num>\d{1,2})(?:\s*[.):–-]\s*|\s+)(?P<title>\S.*)$", re.I)
# List items: "- ...", "• ...", "o Het vinden", "1. De contracten", "a) ...", "Voorstel 1. ...".
_LIST_ITEM = re.compile(r"^(?:[-–•*▪·o]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|(?:Voorstel|Besluit|Punt)\s+\d+[.:)])")
_URL = re.compile(r"https?://|www\.\w", re.I)
_MARKDOWN_MARK = re.compile(r"^#{1,6}\s+")
_MARKDOWN_MARKS = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*$")
# A sentence end inside the line ("vergadering. Joke", "al? Planning"): a paragraph or table row.
_INNER_SENTENCE_END = re.compile(r"[a-zà-ÿ]{2,}[.?!]\s+\S")
# Three spaces between words: table columns side by side.
_COLUMN_GAP = re.compile(r"\S[ \t]{3,}\S")
# A heading does not end in these words: the line breaks mid-sentence ("Voor de" / "inrichting").
_FUNCTION_WORDS = {
    "de", "het", "een", "en", "of", "van", "in", "op", "te", "met", "voor", "om", "die", "dat",
    "aan", "bij", "door", "naar", "tot", "als", "is", "zijn", "wordt", "worden", "per", "ook",
}
# A heading does not start with these words: the rest of a sentence ("En waarom?").
_CONJUNCTIONS = {"en", "maar", "of", "want", "dus", "omdat", "als", "dan", "zodat"}
# A body that says there is nothing: "Geen", "Geen punten", "n.v.t.".
_EMPTY_BODY = re.compile(r"^(?:geen(?: punten| vragen| mededelingen)?|nee|niets|n\.?v\.?t\.?)\.?$", re.I)
_MAX_HEADING_CHARS = 80  # body lines in the shipped PDFs run 75-100 characters; headings are shorter
_RUN_ON_CHARS = 40  # a line this long, right above one that opens with a number, runs on into it
_PROSE_CHARS = 60  # a line this long is running text, even without a final period
_FIELD_SCAN_LINES = 15  # where a letter or proposal may carry "Kenmerk:" or "Datum:" fields
# A heading that reads as a sentence (a question, or a lead-in ending in a colon and a title) and runs
# this long is a sub-heading of the ordinary heading before it: "Wat levert het werken in lokale teams
# voor de gemeenten op?" under "Werken in lokale teams, ...". A short one ("Hoe nu verder?") is not.
_SUBHEADING_WORDS = 8


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # whitespace collapsed; "" for a blank line
    page_start: bool
    gap: bool  # has a table-column gap


@dataclass(frozen=True)
class _Heading:
    line: int
    title: str
    number: str | None
    level: int  # 1: chapter, domain or section word; 2: ordinary heading; 3: a sub-heading read as a sentence; markdown: number of "#"
    caps: bool
    strong: bool  # trusted without looking at what follows
    blank_after: bool
    marked: bool = False  # marked as a heading by the file itself (markdown '#', a Word heading style)


@dataclass(frozen=True)
class _Spec:
    """A section before its span and body are known."""

    line: int
    title: str
    kind: str
    number: str | None
    parent: str | None
    domain: str | None


def parse_document(raw: RawDocument) -> ParsedDocument:
    """Find type, title, date, meeting data, sections and decisions in ``raw``."""
    lines = _lines(raw)
    texts = [ln.text for ln in lines]
    first = next((k for k, t in enumerate(texts) if t), 0)
    texts[first] = _MARKDOWN_MARK.sub("", texts[first])  # "# RESUMÉ" (a Word heading) names the type too
    doc_type = meta.detect_doc_type(texts)
    minutes = doc_type in meta.MEETING_TYPES
    body_from = meta.header_end(texts) if minutes else 0
    header_lines = texts[:body_from] if minutes else texts[:_FIELD_SCAN_LINES]
    fields = meta.header_fields("\n".join(header_lines))
    meeting, meeting_date = meta.meeting_line(header_lines) if minutes else (None, None)
    plain = _MARKDOWN_MARKS.sub("", raw.text)  # "# Behandeling" from a Word heading is the line "Behandeling"
    date = meeting_date or meta.document_date(plain, fields, texts)
    title = meta.document_title(doc_type, plain, texts, meeting, date)
    headings = _headings(lines, body_from, minutes, set(texts[:body_from]))
    sections = _sections(raw, lines, headings, minutes, title)
    present = meta.people(fields["aanwezig"]) if "aanwezig" in fields else meta.unlabelled_people(header_lines)
    return ParsedDocument(
        source=raw.source, text=raw.text, title=title, doc_type=doc_type,
        content_hash=raw.content_hash, date=date,
        meeting=meeting, kenmerk=(fields.get("kenmerk") or "").split(" ")[0] or None,
        contact=fields.get("contactpersoon") or None, email=(fields.get("email") or "").split(" ")[0] or None,
        present=tuple(map(meta.person, present)),
        absent=meta.persons(fields.get("afwezig") or fields.get("afgemeld")),
        header_lines=_quotable_lines(header_lines, meeting, minutes),
        absences=_absences(sections) if minutes else (),
        domains=tuple(dict.fromkeys(s.domain for s in sections if s.domain)),
        sections=sections, page_starts=raw.page_starts, ocr_pages=raw.ocr_pages,
        language=document_language(plain),
    )


def _quotable_lines(header_lines: list[str], meeting: str | None, minutes: bool) -> tuple[tuple[str, str], ...]:
    """(field, line) for the meeting line, an unlabelled list of who came, and every labelled field."""
    lines = dict(meta.header_lines("\n".join(header_lines)))
    if "afgemeld" in lines:
        lines.setdefault("afwezig", lines.pop("afgemeld"))
    if minutes and "aanwezig" not in lines and (block := meta.unlabelled_block(header_lines)):
        lines["aanwezig"] = block
    meeting_at = next((t for t in header_lines if meeting and meeting in t), None) if minutes else None
    return ((("meeting", meeting_at),) if meeting_at else ()) + tuple(lines.items())


# A sentence in the body that records who was absent: "Joke Lanphen en Maarten Hoelscher zijn afwezig."
_ABSENCE = re.compile(r"\b(?:afwezig|afgemeld|verhinderd|met kennisgeving|niet aanwezig)\b", re.I)


def _absences(sections: tuple[Section, ...]) -> tuple[Mention, ...]:
    """Sentences of the agenda items (and their sub-headings) that say who was absent."""
    found = []
    for s in sections:
        if s.kind == "preamble":
            continue
        item = s.title if s.kind == _ITEM else s.parent
        for start, end in sentences(s.text, 0, len(s.text)):
            text = " ".join(s.text[start:end].split())
            if _ABSENCE.search(text):
                found.append(Mention(text, s.domain, item))
    return tuple(found)


def _lines(raw: RawDocument) -> list[_Line]:
    pages, out, at = set(raw.page_starts), [], 0
    for part in raw.text.split("\n"):
        lead = len(part) - len(part.lstrip())
        starts_page = any(p in pages for p in range(at, at + lead + 1))
        out.append(_Line(at, at + len(part), " ".join(part.split()), starts_page, bool(_COLUMN_GAP.search(part))))
        at += len(part) + 1
    return out


def _next_text(lines: list[_Line], i: int) -> int | None:
    """Index of the first non-blank line after ``i``."""
    return next((j for j in range(i + 1, len(lines)) if lines[j].text), None)


def _prev_text(lines: list[_Line], i: int) -> int | None:
    return next((j for j in range(i - 1, -1, -1) if lines[j].text), None)


# --- headings ------------------------------------------------------------------------


def _headings(lines: list[_Line], first: int, minutes: bool, running: set[str]) -> list[_Heading]:
    """The heading lines of the body, in order.

    Read bottom-up: whether a line is a heading depends on what follows it
    (prose or another heading; table cells and stray short lines are not).
    A header line repeated at the top of a page (``running``) is no heading.
    Where the file marks its headings itself (markdown, Word heading styles),
    an unmarked line is a heading only if its shape is strong (ALL CAPS, a domain).
    """
    accepted: dict[int, _Heading] = {}
    for i in reversed(range(first, len(lines))):
        heading = _candidate(lines, i, first)
        if heading and lines[i].page_start and lines[i].text in running:
            continue
        if heading and _followed_well(lines, heading, accepted):
            accepted[i] = heading
    found = [accepted[i] for i in sorted(accepted)]
    if sum(h.marked for h in found) >= 2:
        found = [h for h in found if h.marked or h.strong]
    return _drop_repeats(lines, found, minutes)


def _candidate(lines: list[_Line], i: int, first: int) -> _Heading | None:
    """The heading on line ``i``, judged by its own shape and its neighbours."""
    line = lines[i]
    if not line.text or line.gap or not (i == first or not lines[i - 1].text or line.page_start):
        return None  # a heading stands after a blank line or at the top of a page
    blank_after = i + 1 < len(lines) and not lines[i + 1].text
    md = _MARKDOWN_HEADING.match(line.text)
    if md:
        numbered = _NUMBERED.match(md["title"])
        number, title = (numbered["num"], numbered["title"]) if numbered else (None, md["title"])
        return _Heading(i, title, number, len(md["hashes"]), _is_caps(title), True, blank_after, marked=True)
    number, title = None, line.text
    numbered = _NUMBERED.match(line.text)
    if numbered and _heading_shape(numbered["title"]):
        if _after_colon(lines, i):
            return None  # "1. Onderschrijven ..." after "nemen kennis van de presentatie en:"
        number, title = numbered["num"], numbered["title"]
    elif _LIST_ITEM.match(line.text):
        return None
    if not _heading_shape(title) or _continues(lines, i):
        return None
    strong = is_chapter(title)
    level = 1 if strong else 3 if reads_as_sentence(title) else 2
    return _Heading(i, title, number, level, _is_caps(title), strong, blank_after)


def is_chapter(title: str) -> bool:
    """A heading trusted by its shape alone, at the top level: ALL CAPS, a domain, a section word, an appendix."""
    folded = fold(title)
    return (_is_caps(title) or bool(_known_domain(title)) or _is_subdomain(title) or folded in _SECTION_WORDS
            or bool(_APPENDIX.match(folded)))


def reads_as_sentence(title: str) -> bool:
    """A long heading phrased as a question or as a lead-in with a colon: a sub-heading.

    >>> reads_as_sentence("In dit kader lichten we er een subthema uit: Aansluiting zorg op onderwijs")
    True
    >>> reads_as_sentence("Werken in lokale teams, passende effectieve zorg en ondersteuning")
    False
    >>> reads_as_sentence("Hoe nu verder?")
    False
    """
    return len(title.split()) >= _SUBHEADING_WORDS and (title.endswith("?") or ": " in title)


def _heading_shape(text: str) -> bool:
    """Short, starts with a capital, no final period; not a list item, URL or decision."""
    words = text.split()
    return (
        2 <= len(text) <= _MAX_HEADING_CHARS
        and text[0].isupper()
        and text[-1] not in ".,;:-–/&("
        and not _LIST_ITEM.match(text)
        and not _URL.search(text)
        and "@" not in text
        and "|" not in text
        and not _INNER_SENTENCE_END.search(text)
        and words[-1].lower() not in _FUNCTION_WORDS
        and words[0].lower() not in _CONJUNCTIONS
        and not _EMPTY_BODY.match(text)
        and decision_status(text) is None
    )


def _continues(lines: list[_Line], i: int) -> bool:
    """Is line ``i`` part of a sentence or list that runs over a line break?"""
    after, before = _next_text(lines, i), _prev_text(lines, i)
    if after is not None and lines[after].text[0].islower() and not _LIST_ITEM.match(lines[after].text):
        return True  # "Voor de" + "inrichting van ..."
    if after == i + 1 and len(lines[i].text) >= _RUN_ON_CHARS and lines[after].text[0].isdigit():
        return True  # "Het WSP heeft in 2023" + "1.150 werkgevers gesproken."
    if before is None:
        return False
    prev = lines[before].text
    if prev[-1] in ",-–/&" or prev.split()[-1].lower() in _FUNCTION_WORDS:
        return True  # "... in een meervoudige onderhandse" + "Aanbesteding ..."
    # A line between two list items belongs to the list, unless it is a chapter line in capitals.
    return bool(_LIST_ITEM.match(prev) and after is not None and _LIST_ITEM.match(lines[after].text)
                and not _is_caps(lines[i].text))


def _after_colon(lines: list[_Line], i: int) -> bool:
    before = _prev_text(lines, i)
    return before is not None and lines[before].text.endswith(":")


def _followed_well(lines: list[_Line], heading: _Heading, accepted: dict[int, _Heading]) -> bool:
    """Prose or a heading follows; an ordinary heading is not followed by a chapter line."""
    if heading.strong:
        return True
    after = _next_text(lines, heading.line)
    if after is None:
        return False
    if after in accepted:
        return not accepted[after].caps
    text = lines[after].text
    return (
        len(text) >= _PROSE_CHARS
        or text[-1] in ".!?:;"
        or bool(_LIST_ITEM.match(text) or _EMPTY_BODY.match(text))
        or decision_status(text) is not None
    )


def _drop_repeats(lines: list[_Line], headings: list[_Heading], minutes: bool) -> list[_Heading]:
    """Drop a heading repeated at the top of the next page, and agenda numbers that go back."""
    kept: list[_Heading] = []
    last_number = 0
    for heading in headings:
        if kept and lines[heading.line].page_start and _same_title(kept[-1].title, heading.title):
            continue
        if heading.number and minutes:
            if int(heading.number) <= last_number:
                continue  # a numbered list in the body, not the next agenda item
            last_number = int(heading.number)
        kept.append(heading)
    return kept


_CONTINUED = re.compile(r"\s*\(?\bvervolg\)?\s*$", re.I)  # "Jeugdhulp (vervolg)"


def _same_title(a: str, b: str) -> bool:
    return fold(_CONTINUED.sub("", a)) == fold(_CONTINUED.sub("", b))


# --- domains ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, accents off, '&' as 'en', spaces collapsed: for comparing names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(plain.replace("&", " en ").split()).strip(" .:")


_DOMAIN_BY_KEY = {fold(d): d for d in KNOWN_DOMAINS}


def _known_domain(text: str) -> str | None:
    return _DOMAIN_BY_KEY.get(fold(text))


def _is_subdomain(text: str) -> bool:
    key = fold(text)
    return any(key.startswith(d + " ") and _SUBDOMAIN_TAIL.match(key[len(d) + 1 :]) for d in _DOMAIN_BY_KEY)


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def canonical_domain(text: str) -> str:
    """'JEUGD & ONDERWIJS' -> 'Jeugd en Onderwijs'; 'WONEN EN ZORG' -> 'Wonen en Zorg'."""
    known = _known_domain(text)
    if known:
        return known
    words = text.replace("&", " en ").split()
    return " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


def _domain_in(title: str) -> str | None:
    key = fold(title)
    return next((d for k, d in _DOMAIN_BY_KEY.items() if k in key), None)


# --- sections --------------------------------------------------------------------------

_DOMAIN, _SUBDOMAIN, _ITEM, _SUB, _SECTION = "domain", "subdomain", "agenda_item", "sub", "section"
# Headings of parts that collect several short items: mededelingen, rondvraag, toezeggingen, actielijst, ...
CONTAINER_HEADING = re.compile(r"\b(?:mededeling\w*|rondvraag|toezegging\w*|actie(?:lijst|punten)|conformstuk\w*|"
                               r"ingekomen stukken)\b", re.I)
# Headings of the meeting's own business, which no such part collects: "Resumé", "Vaststellen agenda".
_PROCEDURE_HEADING = re.compile(r"\b(?:resum[eé]|agenda|opening|sluiting|vaststell\w*|verslag|notulen)\b", re.I)


def _roles(lines: list[_Line], headings: list[_Heading], minutes: bool) -> list[str]:
    """What each heading is: a domain line, a sub-domain line, an agenda item or a sub-heading.

    In unnumbered minutes an agenda item is followed by a blank line and a
    sub-heading by its text; a heading right after an item heading, or after
    a line ending in a colon, is a sub-heading too. In numbered minutes the
    numbered headings are the items.
    """
    if not minutes:
        return [_SECTION] * len(headings)
    at = {h.line for h in headings}
    numbered = sum(1 for h in headings if h.number) >= 2
    # Headings the file marks itself: the shallowest level of the plain ones is the agenda item.
    marked_levels = [h.level for h in headings if h.marked and not _known_domain(h.title)
                     and not h.caps and not _is_subdomain(h.title) and not _APPENDIX.match(fold(h.title))]
    item_level = min(marked_levels) if marked_levels else None
    plain = [h for h in headings if not (h.caps or _is_subdomain(h.title))]
    blank_rule = any(h.blank_after for h in plain) and not all(h.blank_after for h in plain)
    roles: list[str] = []
    item_open = False
    for k, h in enumerate(headings):
        if _known_domain(h.title) or (h.caps and _next_text(lines, h.line) in at):
            role = _DOMAIN
        elif _is_subdomain(h.title):
            role = _SUBDOMAIN
        elif _APPENDIX.match(fold(h.title)):
            role = _SECTION
        elif h.marked and item_level is not None:
            role = _ITEM if h.level <= item_level or not item_open else _SUB
        elif not item_open:
            role = _ITEM
        elif numbered:
            role = _ITEM if h.number else _SUB
        elif blank_rule and (not h.blank_after or _after_colon(lines, h.line)
                             or (roles[-1] == _ITEM and _next_text(lines, headings[k - 1].line) == h.line)):
            role = _SUB
        else:
            role = _ITEM
        item_open = role in (_ITEM, _SUB)
        roles.append(role)
    return roles


def _specs(lines: list[_Line], headings: list[_Heading], roles: list[str], minutes: bool,
           title: str) -> list[_Spec]:
    """Title, kind, parent and domain of every heading that opens a section.

    In minutes, a sub-heading that collects items ("Mededelingen") is the parent of the
    sub-headings after it in its agenda item: "Carin Ogier" and "KPMG-onderzoek" are mededelingen.
    """
    domain = None if minutes else _domain_in(title)
    subdomain = item = group = None
    chapters: dict[int, str] = {}  # open headings by level, for parents outside minutes
    specs: list[_Spec] = []
    heading_lines = {h.line for h in headings}
    for h, role in zip(headings, roles, strict=True):
        if role in (_DOMAIN, _SUBDOMAIN):
            domain = canonical_domain(h.title) if role == _DOMAIN else domain
            subdomain, item, group = (h.title if role == _SUBDOMAIN else None), None, None
            following = _next_text(lines, h.line)
            if following is not None and following not in heading_lines:
                # Text right under a domain line, before any agenda item ("Er zijn geen
                # agendapunten."): a section of its own, or it would belong to no body.
                specs.append(_Spec(h.line, h.title, _SECTION, None, subdomain, domain))
            continue
        domain = (None if minutes else _known_domain(h.title)) or domain
        if role == _SECTION and minutes:  # an appendix after the agenda: no domain, no parent
            domain = subdomain = item = group = None
            specs.append(_Spec(h.line, h.title, _SECTION, h.number, None, None))
            continue
        if role == _SECTION:
            parent = next((chapters[lvl] for lvl in sorted(chapters, reverse=True) if lvl < h.level), None)
            chapters = {lvl: t for lvl, t in chapters.items() if lvl < h.level} | {h.level: h.title}
        elif role == _ITEM:
            parent, group = subdomain, None
        else:
            procedure = _PROCEDURE_HEADING.search(h.title) is not None
            container = CONTAINER_HEADING.search(h.title) is not None and not procedure
            if container or procedure:
                group = None
            parent = group or item
            group = h.title if container else group
        item = h.title if role == _ITEM else item
        kind = _ITEM if role == _ITEM else _SECTION
        specs.append(_Spec(h.line, h.title, kind, h.number, parent, domain))
    return specs


def _sections(raw: RawDocument, lines: list[_Line], headings: list[_Heading], minutes: bool,
              title: str) -> tuple[Section, ...]:
    """Sections that do not overlap and together cover the text, preamble first.

    Domain lines belong to the span of the section before them but not to its body.
    """
    roles = _roles(lines, headings, minutes)
    specs = _specs(lines, headings, roles, minutes, title)
    breaks = [lines[h.line].start for h, r in zip(headings, roles, strict=True) if r in (_DOMAIN, _SUBDOMAIN)]
    text = raw.text
    starts = [lines[s.line].start for s in specs] + [len(text)]
    sections: list[Section] = []
    preamble_end = _body_end(0, starts[0], breaks)
    if text[:preamble_end].strip() or not specs:
        sections.append(Section(
            title=title, text=text[:preamble_end].strip(), start=0, end=starts[0], kind="preamble",
            domain=None if minutes else _domain_in(title), page=raw.page_at(0),
        ))
    else:
        starts[0] = 0  # nothing before the first heading: its section opens the document
    for k, spec in enumerate(specs):
        line = lines[spec.line]
        body_end = _body_end(line.end, starts[k + 1], breaks)
        sections.append(Section(
            title=spec.title, text=text[line.end : body_end].strip(), start=starts[k], end=starts[k + 1],
            kind=spec.kind, domain=spec.domain, number=spec.number, parent=spec.parent,
            page=raw.page_at(line.start),
            decisions=find_decisions(text, line.end, body_end) if minutes and (spec.parent or spec.kind == _ITEM) else (),
        ))
    return tuple(sections)


def _body_end(start: int, end: int, breaks: list[int]) -> int:
    """A body stops before the domain line that follows it."""
    return min([b for b in breaks if start <= b < end] + [end])
