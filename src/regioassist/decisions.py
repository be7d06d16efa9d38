"""Decision sentences in minutes: what was adopted, agreed, noted or postponed.

Part of the structure stage (``structure.parse_document`` calls
``find_decisions`` for every agenda item of a resumé or besluitenlijst). A
decision is one sentence, found by offsets so it can be cited; when it ends in
a colon, or breaks off mid-sentence, and a list follows ("Afgesproken is: 1. ...
3. ...", "Besluiten:" with a./b. or bullets, "... komen over a) ... d) ..."),
the whole list is part of it. A table row is a unit of its own, never part of
a sentence around it.

>>> text = ("Voorstel 1. Opdracht geven. Het PFHO stelt voorstel 1 en 2 vast. "
...         "Voor voorstel 3 is t.a.v. de kosten € 30.000,- nodig.")
>>> [(d.status.value, d.text) for d in find_decisions(text, 0, len(text))]
[('vastgesteld', 'Het PFHO stelt voorstel 1 en 2 vast.')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from regioassist.models import Decision, DecisionStatus

# Where a sentence may end: after . ! ? before a capital, digit or quote (group
# "stop"); at a blank line before a capital or a bullet; before a line that
# starts a list item or a URL.
_BOUNDARY = re.compile(
    r"(?P<stop>(?<=[.!?])[\"'’”)]*\s+(?=[A-Z0-9À-Ý\"'‘“(€]))"
    r"|\n[ \t]*\n\s*(?=[A-Z0-9À-Ý•\-–])"
    r"|\n[ \t]*(?=(?:[-–•*▪·o]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|https?://|www\.))"
)
# A period that does not end a sentence: "t.a.v.", "m.b.t.", "o.a.", "bijv.", or
# a number ("Voorstel 1.", "1. De contracten", "7.5.").
_NO_END = re.compile(
    r"(?:\b(?:[a-zA-Z]\.){2,}|\b(?:nr|bijv|ca|incl|excl|resp|dhr|mevr|mw|drs|ir|dr|mr|jl|blz|zgn|evt|vnl|t\.z\.t)\."
    r"|(?:^|\s)\d{1,3}\.)[\"'’”)]*$",
    re.IGNORECASE,
)
# A list item at the start of a line: "1. ", "2) ", "a. "; and a bullet: "- ", "• ".
_NUMBERED_ITEM = re.compile(r"^\s*\(?(?:\d{1,2}|[a-z])[.)]\s")
_BULLET_ITEM = re.compile(r"^\s*[-–•*▪·]\s")
# A bare label that only announces a list: "Besluit:", "Besluiten:", "Afgesproken is:".
_LABEL = re.compile(r"^\S+(?:\s+\S+){0,2}\s*:$")
# A table row: cells separated by " | " (Word tables as read) or by a wide gap (PDF columns).
_TABLE_ROW = re.compile(r"\S\s\|\s\S|\S[ \t]{3,}\S")
# Sentences that report an earlier meeting, not this one: "Vorig jaar hebben colleges
# afgesproken", "In het laatste portefeuillehoudersoverleg is afgesproken".
# Also a date or month in the past tense: "In maart is afgesproken", "Op 14 maart 2024 is besloten",
# "Zoals afgesproken ...".
_MONTH = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
_EARLIER = re.compile(
    r"^(?:vorig\w*\s+(?:jaar|week|maand|keer)|in het (?:laatste|vorige|eerdere)\b|"
    r"in het \w*overleg van\b|in eerdere\b|\d+\s+overleggen geleden|eerder\b|zoals\b|"
    rf"(?:in|op)\s+(?:\d{{1,2}}\s+)?(?:{_MONTH}|\d{{4}})\b(?:\s+\d{{4}})?\s+(?:is|zijn|werd|werden|hebben|heeft)\b)",
    re.IGNORECASE,
)
_DECISION_LABEL = re.compile(r"^besluit(?:en)?\s*:\s*", re.IGNORECASE)
_SUBJECT = r"(?:college|bestuur|raad|overleg|pfho|portefeuillehouders?|wethouders?|leden|ab|db)"
_AUXILIARY = r"(?:wordt|worden|is|zijn|werd|heeft|hebben)"


def _words(n: int) -> str:
    """A regex for up to ``n`` words, none of them 'zal'/'zullen' (a plan, not a decision)."""
    return rf"(?:(?!zal\b|zullen\b)[\w,’'()-]+\s+){{0,{n}}}?"


# Status rules, most specific first: "besluit niet in te stemmen" is a rejection,
# "afgesproken ... door te schuiven" an agreement. A participle counts in a main
# clause ("De agenda wordt vastgesteld"), not as an adjective or in a subordinate
# clause ("het afgesproken aantal", "tot het beleidsplan is vastgesteld").
_STATUS_RULES: tuple[tuple[DecisionStatus, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (DecisionStatus.AFGEWEZEN,
         r"\bafgewezen\b|\bverworpen\b|\bniet (?:in te stemmen|akkoord|vast te stellen)\b|\bstem(?:t|men) niet in\b"),
        (DecisionStatus.DOORGESCHOVEN,
         r"\bdoorgeschoven\b|\buitgesteld\b|\bschuift\b(?:\s+\S+){0,4}?\s+door\b"),
        (DecisionStatus.AFGESPROKEN,
         rf"^afgesproken\b|^afspraak is\b|^{_words(6)}{_AUXILIARY}\s+{_words(4)}afgesproken\b"
         r"|\bspre(?:ekt|ken)\b(?:\s+\S+){0,3}?\s+af\b|\bkomen overeen\b"),
        (DecisionStatus.VASTGESTELD,
         rf"^{_words(6)}{_AUXILIARY}\s+{_words(4)}(?:vastgesteld|goedgekeurd)\b"
         r"|\bstel(?:t|len)\b(?:\s+\S+){0,8}?\s+vast\b"
         rf"|\b\w*{_SUBJECT}\s+(?:besluit|besluiten)\b|^besluit(?:en)?\s*:|\b(?:wordt|is)\s+besloten\b"),
        (DecisionStatus.INGESTEMD,
         r"\bakkoord\b|\bingestemd\b|\bstem(?:t|men)\b(?:\s+\S+){0,4}?\s+(?:mee\s+)?in\b"),
        (DecisionStatus.KENNISGENOMEN,
         r"\b(?:neemt|nemen)\b(?:\s+\S+){0,3}?\s+kennis\b|\bkennis\s*genomen\b|\bter kennisname\b"),
    )
)


def find_decisions(text: str, start: int, end: int) -> tuple[Decision, ...]:
    """Decisions in ``text[start:end]``, with offsets into ``text``."""
    found: list[Decision] = []
    covered = start
    for s, e in sentences(text, start, end):
        if s < covered:
            continue  # inside a list already taken by the decision before
        status = decision_status(_tidy(text[s:e]))
        if status is None or _TABLE_ROW.search(text[s:e]):
            continue
        if not text[s:e].rstrip().endswith((".", "!", "?")):
            # "Besluiten:" or "... te komen over" and the list below; bullets only after a bare label,
            # since "geven de volgende aandachtspunten aan:" heads remarks that hold decisions of their own.
            e = _list_end(text, e, end, bullets=bool(_LABEL.match(_tidy(text[s:e]))))
        found.append(Decision(text=_tidy(text[s:e]), status=status, start=s, end=e))
        covered = e
    return tuple(found)


def decision_status(sentence: str) -> DecisionStatus | None:
    """What ``sentence`` records, or None if it records no decision.

    >>> decision_status("Dit agendapunt wordt doorgeschoven naar april.").value
    'doorgeschoven'
    >>> decision_status("Vorig jaar hebben colleges afgesproken om te onderzoeken.") is None
    True
    """
    if _EARLIER.match(sentence):
        return None
    labelled = _DECISION_LABEL.match(sentence)
    if labelled and sentence[labelled.end() :].strip():
        # "Besluit: het overleg stemt in met ..." records what the rest of the line says.
        return decision_status(sentence[labelled.end() :].strip()) or DecisionStatus.VASTGESTELD
    for status, pattern in _STATUS_RULES:
        if pattern.search(sentence):
            return status
    return None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences and list items in ``text[start:end]``.

    >>> t = "Het gaat om circa € 12.000 i.p.v. circa € 21.000. Het overleg stemt in.\\n1. De contracten."
    >>> [t[s:e] for s, e in sentences(t, 0, len(t))]
    ['Het gaat om circa € 12.000 i.p.v. circa € 21.000.', 'Het overleg stemt in.', '1. De contracten.']
    """
    at = start
    for s, e in _line_spans(text, start, end):
        if _TABLE_ROW.search(text[s:e]):
            yield from _prose_sentences(text, at, s)
            yield from _trimmed(text, s, e)  # a table row is one unit
            at = e
    yield from _prose_sentences(text, at, end)


def _prose_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    at = start
    for match in _BOUNDARY.finditer(text, start, end):
        if match.group("stop") and _NO_END.search(text[at : match.start()]):
            continue  # "t.a.v. De ..." or "Voorstel 1. Opdracht": not an end
        yield from _trimmed(text, at, match.start())
        at = match.end()
    yield from _trimmed(text, at, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    if piece.strip():
        yield start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip()))


def _list_end(text: str, at: int, end: int, bullets: bool = False) -> int:
    """Where the numbered list right after offset ``at`` ends (``at`` if there is none).

    The list goes on over item lines, blank lines and lines that continue an item
    (lowercase, or after an item line with no final period).
    """
    last, seen_item, open_item = at, False, False
    spans = _line_spans(text, at, end)
    next(spans, None)  # the rest of the line that ends in the colon
    for s, e in spans:
        line = text[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        if _NUMBERED_ITEM.match(line) or (bullets and _BULLET_ITEM.match(line)):
            seen_item = True
        elif not (seen_item and (stripped[0].islower() or open_item)):
            break
        open_item = not stripped.endswith((".", "!", "?", ";"))
        last = s + len(line.rstrip())
    return last if seen_item else at


def _line_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        stop = end if newline < 0 else newline
        yield pos, stop
        pos = stop + 1


def _tidy(text: str) -> str:
    return " ".join(text.split())
