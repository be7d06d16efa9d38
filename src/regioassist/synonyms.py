"""A Dutch question put in the documents' own words, through a glossary of synonyms.

People ask in everyday words what the documents write in official ones: "dokter" for
"huisarts", "tieners" for "jongeren", "terugblik" for "evaluatie". Neither the keyword index nor
the unknown-word rule of the answerer can see that they mean the same thing, and the dense model
alone ranks such a question's passage among many near ties. So a word or phrase of the question
that the documents never use is replaced by a synonym they do write, and the answer shows the
question as it was read ("Opgevat als: ...").

- Only what the documents never use is replaced: a question in their words is read as asked.
- A word the glossary does not know stays unknown, so the answerer still declines a question
  about something the documents never mention ("de dokterspost in Laren").
- The replacement is one word the documents write, in the form they write it ("jongeren" for
  "tieners"). A phrase of the glossary is matched in a question ("gang naar de rechter") but never
  put in: that its words occur in the documents does not mean they occur together, and a compound
  the documents could form ("huisartsendienst") is not one they use.
- A compound whose one part is an everyday word gets the documents' word for that part:
  "dokterspraktijken" -> "huisarts-praktijken".

The glossary (``prompts/synoniemen_nl.txt``) has one group per line, its members separated by
``|``. Members are matched as whole words, as written, in a Dutch plural or with an "-e" ("dokters"
is "dokter"), never by a shared stem alone ("ouders" is no "ouderen"); the first member of the group
that the documents write replaces them.

>>> class Words:
...     written = {"huisarts", "jongeren", "week"}
...     def knows(self, word): return word in self.written
...     def form(self, word, plural): return word if word in self.written else None
>>> glossary = Glossary.parse("huisarts | dokter\\njongeren | tieners")
>>> glossary.reword("Hoeveel dagen per week is hij bij de dokters?", Words())
('Hoeveel dagen per week is hij bij de huisarts?', (('dokters', 'huisarts'),))
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

from regioassist.compounds import LINKS, MIN_PART  # a compound's other part; links as in "dokter-s-praktijk"
from regioassist.prompts import PromptError
from regioassist.textutil import STOPWORDS, fold

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# The shortest part of a compound the glossary may swap ("dokter" in "dokterspraktijken", not "huis").
MIN_SWAPPED = 6


class DocumentWords(Protocol):
    """What the indexed documents say, asked of folded words (the answerer answers it)."""

    def knows(self, word: str) -> bool:
        """Do the documents use ``word``: as written, in another form, or as a compound of their words?"""

    def form(self, word: str, plural: bool) -> str | None:
        """The form of ``word`` the documents write (a plural one first when ``plural``), or None."""


@dataclass(frozen=True)
class Member:
    """One way of saying a group's thing: its text as written in the glossary, and its folded words."""

    text: str
    words: tuple[str, ...]
    forms: tuple[frozenset[str], ...] = field(compare=False)  # per word: as written, its plurals, "-e"

    @classmethod
    def of(cls, text: str) -> "Member":
        text = " ".join(text.split())
        words = tuple(fold(w) for w in _WORD.findall(text))
        return cls(text, words, tuple(frozenset([w, w + "e", *dutch_plurals(w)]) for w in words))

    def content_words(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if w not in STOPWORDS)


class Glossary:
    """Groups of interchangeable Dutch words and phrases (see the module's docstring)."""

    def __init__(self, groups: Sequence[tuple[Member, ...]]) -> None:
        self.groups = tuple(groups)
        # (group, member) by each form of the member's first word: a question's word looks up its
        # few candidates instead of running through every group.
        self._by_form: dict[str, list[tuple[tuple[Member, ...], Member]]] = defaultdict(list)
        for group in self.groups:
            for member in group:
                for form in member.forms[0]:
                    self._by_form[form].append((group, member))

    @classmethod
    def parse(cls, text: str, source: str = "glossary") -> "Glossary":
        """Groups from ``text``: one per line, members separated by '|', '#' starting a comment.

        A line with fewer than two members is a one-line PromptError, named by ``source`` and its line number.
        """
        groups = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            members = tuple(Member.of(part) for part in line.split("|") if part.strip())
            if len(members) < 2 or any(not m.words for m in members):
                raise PromptError(f"{source}:{number}: a synonym group needs two or more members separated by '|'")
            groups.append(members)
        return cls(tuple(groups))

    @classmethod
    def read(cls, path: Path) -> "Glossary":
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PromptError(f"{path}: cannot read the synonym glossary ({exc.strerror or exc})") from None
        return cls.parse(text, source=str(path))

    def __len__(self) -> int:
        return len(self.groups)

    def synonyms(self, word: str) -> tuple[Member, ...]:
        """The other members of the groups that have ``word`` as a one-word member, as written or in a plural.

        >>> [m.text for m in Glossary.parse("leerling | schoolgaand kind | scholier").synonyms("Leerlingen")]
        ['schoolgaand kind', 'scholier']
        """
        folded = fold(word)
        asked = [(g, m) for g, m in self._by_form.get(folded, ()) if len(m.words) == 1]
        return tuple(other for group, member in asked for other in group if other is not member)

    def reword(
        self, question: str, documents: DocumentWords, keep: Callable[[str], bool] = lambda word: False
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``question`` with each glossary phrase the documents never use replaced by a word they write,
        and the (as asked, as read) pairs; the longest phrase at a position wins. A phrase with a word
        that ``keep`` holds (folded) is read as asked, as is a name or an abbreviation."""
        tokens = list(_WORD.finditer(question))
        folded = [fold(t.group()) for t in tokens]
        # A name or an abbreviation is asked about as written: "Waar staat POH voor?".
        named = [_is_name(t.group(), first=k == 0) or keep(folded[k]) for k, t in enumerate(tokens)]
        out, swaps, last, i = [], [], 0, 0
        while i < len(tokens):
            found = None if named[i] else self._replacement(folded, i, documents)
            if found is not None and any(named[i : i + found[0]]):
                found = None
            if found is None:
                i += 1
                continue
            length, word = found
            start, end = tokens[i].start(), tokens[i + length - 1].end()
            out.append(question[last:start])
            out.append(word)
            swaps.append((question[start:end], word))
            last, i = end, i + length
        out.append(question[last:])
        return "".join(out), tuple(swaps)

    def _replacement(self, folded: list[str], i: int, documents: DocumentWords) -> tuple[int, str] | None:
        """(number of tokens, word) for the longest phrase at ``i`` that the documents never use and
        that has a one-word synonym they write; None when there is none."""
        best = None
        for group, member in self._by_form.get(folded[i], ()):
            n = len(member.words)
            if (best is not None and n <= best[0]) or not _matches(member, folded, i):
                continue
            asked = [w for w in folded[i : i + n] if w not in STOPWORDS]  # as the question writes them
            if not asked or all(documents.knows(w) for w in asked):
                continue
            if n == 1 and len(folded[i]) < MIN_PART:
                continue  # "rol": too short for the documents' vocabulary to say that they never use it
            # "tieners" (not "tiener") asks for the plural the documents write: "jongeren".
            plural = n == 1 and len(folded[i]) > len(member.words[0])
            word = _written(group, member, documents, plural)
            if word is not None:
                best = (n, word)
        if best is None and len(folded[i]) >= 2 * MIN_PART and not documents.knows(folded[i]):
            best = self._in_compound(folded[i], documents)
        return best

    def _in_compound(self, word: str, documents: DocumentWords) -> tuple[int, str] | None:
        """A compound of a one-word member and a word the documents use, that member replaced:
        "dokterspraktijken" -> "huisarts-praktijken" (the documents must not know ``word`` itself)."""
        for part in _parts(word):
            if len(part) < MIN_SWAPPED:
                continue  # "raadhuis" is no "raad-woning": a short word has too many senses in a compound
            for group, member in self._by_form.get(part, ()):
                if len(member.words) != 1:
                    continue
                for head, tail in _around(word, part):
                    if not documents.knows(head or tail):
                        continue
                    written = _written(group, member, documents, plural=False)
                    if written is not None:
                        return 1, "-".join(part for part in (head, written, tail) if part)
        return None


def _is_name(token: str, first: bool) -> bool:
    """Is ``token`` an abbreviation ("POH", "Wmo") or, past a question's first word, capitalised ("Dokter Jansen")?"""
    return any(c.isupper() for c in token[1:]) or (not first and token[:1].isupper())


def _written(group: tuple[Member, ...], asked: Member, documents: DocumentWords, plural: bool) -> str | None:
    """The first one-word member of ``group`` but ``asked`` that the documents write, in their form."""
    for member in group:
        if member is not asked and len(member.words) == 1:
            written = documents.form(member.words[0], plural)
            if written is not None:
                return member.text if fold(member.text) == written else written  # "enquête", not "enquete"
    return None


def _parts(word: str) -> Iterator[str]:
    """The beginnings and ends of ``word`` that leave MIN_PART letters or more for another word, longest first."""
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        yield word[:cut]
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        yield word[cut:]


def _around(word: str, part: str) -> Iterator[tuple[str, str]]:
    """The ways ``word`` is ``part`` with a word of MIN_PART letters or more before or after it, a Dutch
    linking "s", "e" or "en" between: "dokterspraktijken" around "dokter" is ("", "spraktijken"), then
    ("", "praktijken")."""
    if word.startswith(part):
        rest = word[len(part):]
        for link in LINKS:
            if rest.startswith(link) and len(rest) - len(link) >= MIN_PART:
                yield "", rest[len(link):]
    if word.endswith(part) and len(word) - len(part) >= MIN_PART:
        yield word[: -len(part)], ""


def _matches(member: Member, folded: list[str], i: int) -> bool:
    """Does ``member`` stand at token ``i``, each word as written, in a plural or with an "-e"?

    A shared stem is not enough: "ouders" is no form of "ouderen", nor "kort" of "korten"."""
    if i + len(member.words) > len(folded):
        return False
    return all(folded[i + k] in forms for k, forms in enumerate(member.forms))


def dutch_plurals(word: str) -> list[str]:
    """The plurals Dutch may write ``word`` in: -en, -n, -s, -'s, a long vowel halved before -en
    ("raad" -> "raden", "straat" -> "straten"), -heid -> -heden.

    >>> dutch_plurals("adviesraad")
    ['adviesraaden', 'adviesraadn', 'adviesraads', "adviesraad's", 'adviesraden']
    """
    plurals = [word + "en", word + "n", word + "s", word + "'s"]
    halved = re.sub(r"(aa|ee|oo|uu)([^aeiou]+)$", lambda m: m.group(1)[0] + m.group(2), word)
    if halved != word:
        plurals.append(halved + "en")
    if word.endswith("heid"):
        plurals.append(word[:-4] + "heden")
    return plurals
