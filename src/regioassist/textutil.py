"""Small text helpers shared by the answerer and the evaluation: sentences and content words.

>>> split_sentences("Het PFHO stelt voorstel 1 en 2 vast. Voor voorstel 3 is t.a.v. de kosten € 30.000,- nodig.")
['Het PFHO stelt voorstel 1 en 2 vast.', 'Voor voorstel 3 is t.a.v. de kosten € 30.000,- nodig.']
>>> split_sentences("Het overleg is positief. .\\n\\nhttp://www.baantalentgv.nl/\\n De raden zijn geïnformeerd.")
['Het overleg is positief.', 'http://www.baantalentgv.nl/', 'De raden zijn geïnformeerd.']
>>> content_words("Wat is er besloten over de dagbesteding?")
['besloten', 'dagbesteding']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Abbreviations whose final period does not end a sentence.
_ABBREVIATIONS = (
    "t.a.v", "m.b.t", "i.p.v", "o.a", "e.d", "e.o", "t.z.t", "i.v.m", "a.s", "z.s.m", "d.w.z",
    "nr", "bijv", "resp", "incl", "excl", "ca", "mr", "dhr", "mevr", "drs", "ir", "dr", "o.b.v", "m.u.v",
)
_ABBREV = re.compile(r"(?:\b(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r"))\.$", re.IGNORECASE)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[A-Z0-9ÀÁÉÈËÏÖÜ€\"'‘“(-])|\n\s*\n(?=\s*(?:[A-Z0-9ÀÁÉÈËÏÖÜ€•-]|https?://|www\.))|\n(?=\s*(?:[-•o]\s|\d+[.)]\s|[a-z][.)]\s))")
# A URL on a line of its own after a finished sentence is a piece of its own, not glued to the
# sentences around it ("... positief over deze samenwerking. .\n\nhttp://www.baantalentgv.nl/\n De raden
# zijn ..."). In a table, the links stay with the row they stand in: a run of them makes it debris.
_URL_LINE = re.compile(r"(?<=[.!?])([ \t]*\n(?:[ \t]*\n)*)[ \t]*((?:https?://|www\.)\S+)[ \t]*(?=\n|$)", re.IGNORECASE)
_DOUBLED_STOP = re.compile(r"\.(?:\s+\.)+(?=\s|$)")  # "samenwerking. ." -> "samenwerking."

STOPWORDS = frozenset(
    """aan al alle als also an and any are as at be been bij but by dan dat de deze die dit do does door
    een en er for from had has have het hier hij hoe hun ik in is it its je kan kunnen maar me met na naar
    niet nog nu of om on ook op or over te the their there these they this to tot uit van voor was wat
    we welk welke were what when where which who whom wie why will with worden wordt zal zijn zij zo
    zich the a an was were did is are been about into than that those werd waren ben bent heeft hebben
    u uw our your my mijn onze ons waarom wanneer waar hoeveel hoe veel""".split()
)

_LIST_MARK = re.compile(r"^(?:[-•–]|o(?= [A-Z]))\s+")
_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    """Sentences (and list items) of ``text``, whitespace tidied, in order."""
    pieces: list[str] = []
    buffer = ""
    text = _URL_LINE.sub(lambda m: f"\n\n{m.group(2)}\n\n", text)
    for part in _BOUNDARY.split(text):
        if part is None:
            continue
        buffer = f"{buffer} {part}" if buffer else part
        # A split right after an abbreviation ("t.a.v.") or a list number ("1.") is undone.
        if _ABBREV.search(buffer.rstrip()) or re.fullmatch(r"\s*(?:\d{1,2}|[a-z])\.", buffer):
            continue
        pieces.append(buffer)
        buffer = ""
    if buffer:
        pieces.append(buffer)
    tidy = (_DOUBLED_STOP.sub(".", _LIST_MARK.sub("", " ".join(p.split()))) for p in pieces)
    return [s for s in tidy if s]


def fold(text: str) -> str:
    """Lowercase without accents: 'Continuïteit' -> 'continuiteit'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def words(text: str) -> list[str]:
    """Lowercased word tokens, numbers kept whole ('30.000')."""
    return [w.casefold() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words, at least 3 characters or a number."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) >= 3 or w.isdigit())]


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


# Latin plurals Dutch keeps ("gezondheidscentra" of "gezondheidscentrum"), which Snowball leaves apart.
_LATIN_PLURAL = re.compile(r"(centr|muse|criteri|curricul|stadi|podi|decenni|consorti|laboratori|auditori|gymnasi)a$")


def stems(text: str) -> set[str]:
    """Dutch stems of the content words, accents folded: for overlap between question and passage.

    >>> sorted(stems("gezondheidscentra")) == sorted(stems("gezondheidscentrum"))
    True
    """
    return set(_stemmer().stemWords([_LATIN_PLURAL.sub(r"\1um", fold(w)) for w in content_words(text)]))


# Separable particles: "in-ge-diend" is a participle of "indienen".
_PARTICLES = "aan|af|bij|door|in|mee|na|om|op|over|terug|toe|uit|vast|voor|weg|samen|tegen|rond"
_WEAK_PARTICIPLE = re.compile(rf"^((?:{_PARTICLES})?)ge([a-z]{{3,}}?)[dt]$")  # "ingediend", "gemaakt"
_PREFIXED_PARTICIPLE = re.compile(r"^((?:be|ver|ont|her)[a-z]{3,}?)[dt]$")  # "verbeterd": no "ge"
_STRONG_PARTICIPLE = re.compile(rf"^({_PARTICLES})ge([a-z]{{3,}}en)$")  # "meegegeven"
_LONG_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")


def infinitives(word: str) -> list[str]:
    """The infinitives a folded word would come from if it were a past participle; [] when it cannot be one.

    Snowball leaves "ingediend" apart from "indienen"; the caller keeps the forms its vocabulary
    knows ("gemeenten" is no participle of "meenten"). A weak verb's stem may double its last
    consonant ("gesteld" -> "stellen") or halve its long vowel ("gemaakt" -> "maken") before
    "-en", so each form is given. A strong verb is only met with a particle and an unchanged
    vowel ("meegegeven" -> "meegeven", not "besproken" -> "bespreken").

    >>> infinitives("ingediend"), infinitives("vastgesteld"), infinitives("gemaakt"), infinitives("meegegeven")
    (['indienen'], ['vaststelen', 'vaststellen'], ['maaken', 'maken'], ['meegeven'])
    """
    strong = _STRONG_PARTICIPLE.match(word)
    if strong:
        return [strong[1] + strong[2]]
    weak = _WEAK_PARTICIPLE.match(word) or _PREFIXED_PARTICIPLE.match(word)
    if not weak:
        return []
    base = "".join(weak.groups())
    short = base[-1] not in "aeiou" and base[-2] in "aeiou" and base[-3] not in "aeiou"
    forms = [base + "en", base + base[-1] + "en" if short else None, _LONG_VOWEL.sub(lambda m: m[1][0] + m[2], base) + "en"]
    return list(dict.fromkeys(f for f in forms if f))
