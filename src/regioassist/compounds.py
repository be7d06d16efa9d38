"""Dutch compound splitting from the corpus's own vocabulary.

Dutch writes compounds as one word: a passage about "jeugdhulpaanbieders" is
missed by a question about "jeugdhulp" and "aanbieders", and the other way round.
A word is split into parts that occur as words of their own in the indexed
texts, optionally joined by a Dutch linking morpheme ("s", "e", "en"):

    gezinshuisouders        -> gezinshuis | ouders
    dagbestedingsaanbieders -> dagbesteding +s | aanbieders

Among the ways to split a word the fewest parts win, then the shortest links,
then the longest last part (the head of a Dutch compound).

Passages and questions are expanded differently (measured on eval/, see below):

- a passage gets the parts of its compounds, and their parts in turn, once
  each at its end (``expand``): "jeugdhulp" finds "jeugdhulpaanbieders", and a
  passage saying "jeugdzorg" five times is not made five "jeugd"s longer;
- a question gets the parts of the words no passage has, and the compound that
  two of its words make ("gezinshuis ouders" -> "gezinshuisouders") when a
  passage has it (``expand_query``). A word the passages know is not split:
  it already finds its passages and every compound that holds it, and its
  parts would drag in passages about anything "samen" ("samenwerking").

On eval/ (137 questions) splitting every word alike, question included, lifted
hit@1 from 0.828 to 0.844 but cost answers facts (fact recall 0.704 -> 0.697);
this form keeps hit@1 and hit@5, lifts MRR 0.866 -> 0.869 (paraphrases 0.465 ->
0.491) and costs one fact of one answer whose sources rank as before (0.702).

No packaged splitter fits: compound-split (1.0.2, 2020) is GPL-3.0, 19 MB, takes
~28 s to import its German and Dutch n-gram tables, and splits
"gezinshuisouders" as "gezin | shuisouders" -- and the corpus knows its own words.

>>> splitter = CompoundSplitter.from_texts(["De jeugdhulp en de aanbieders", "Het gezinshuis en de ouders"])
>>> splitter.split("jeugdhulpaanbieders")
('jeugdhulp', 'aanbieders')
>>> splitter.expand("Gezinshuisouders gezocht")
'gezinshuisouders gezocht gezinshuis ouders'
>>> splitter.expand_query("jeugdhulpaanbieders en jeugdhulp")
'jeugdhulpaanbieders en jeugdhulp jeugdhulp aanbieders'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from regioassist.textutil import fold

# Dutch linking morphemes (tussenklanken), shortest first: "gezin-s-huis", "boek-en-kast".
LINKS = ("", "s", "e", "en")
# Shorter parts split too eagerly ("ver|blijf", "wet|houders"); two parts of four
# letters make the shortest word worth splitting.
MIN_PART = 4
MIN_WORD = 2 * MIN_PART
# A word that begins a longer one the parts of which are not all known is its modifier
# ("toekomst" in "toekomstbestendigheid") only from this length: "jeugd" or "zorg" begin too much.
MIN_LEAD = 6
_WORD = re.compile(r"[a-z]+")


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(STOPWORDS_DUTCH)


class CompoundSplitter:
    """Splits folded words into parts from a fixed vocabulary (folded, lowercase words)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.split = lru_cache(maxsize=65536)(self._split)
        self._leading: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "CompoundSplitter":
        """The vocabulary of ``texts``: folded words of at least MIN_PART letters, no stop words."""
        stop = _stopwords()
        words = {w for text in texts for w in _WORD.findall(fold(text))}
        return cls(w for w in words if len(w) >= MIN_PART and w not in stop)

    def leading(self, word: str) -> tuple[str, ...]:
        """The known words of MIN_LEAD letters or more that begin ``word``, when no split of it is known.

        >>> CompoundSplitter(["toekomst", "hulp"]).leading("toekomstbestendigheid")
        ('toekomst',)
        """
        if word in self._leading:
            return self._leading[word]
        found = () if self.split(word) else tuple(
            word[:end] for end in range(MIN_LEAD, len(word) - MIN_PART + 1) if word[:end] in self.vocabulary
        )
        if len(self._leading) < 65536:
            self._leading[word] = found
        return found

    def _split(self, word: str) -> tuple[str, ...]:
        """The best split of ``word`` into at least two known parts; () when there is none."""
        if len(word) < MIN_WORD:
            return ()
        best = _best_segmentation(word, self.vocabulary)
        return best if best and len(best) > 1 else ()

    def expand(self, text: str) -> str:
        """A passage folded, then the parts of its compounds (and theirs), each once."""
        folded = fold(text)
        parts = dict.fromkeys(part for word in _WORD.findall(folded) for part in self._parts(word))
        return " ".join([folded, *parts])

    def expand_query(self, text: str) -> str:
        """A question folded, then the parts of its unknown words and the known compounds its word pairs make."""
        folded = fold(text)
        words = _WORD.findall(folded)
        extra = [part for word in words if word not in self.vocabulary for part in self.split(word)]
        extra += filter(None, (self.join(a, b) for a, b in zip(words, words[1:])))
        return " ".join([folded, *dict.fromkeys(extra)])

    def join(self, first: str, second: str) -> str | None:
        """The known compound two known words make: ('gezinshuis', 'ouders') -> 'gezinshuisouders'."""
        if first not in self.vocabulary or second not in self.vocabulary:
            return None
        return next((c for link in LINKS if (c := first + link + second) in self.vocabulary), None)

    def _parts(self, word: str) -> list[str]:
        parts: list[str] = []
        for part in self.split(word):
            parts.append(part)
            parts.extend(self._parts(part))
        return list(dict.fromkeys(parts))


def _best_segmentation(word: str, vocabulary: frozenset[str]) -> tuple[str, ...] | None:
    """Fewest parts, then fewest link letters, then the longest last part.

    ``best[i]`` is the best way to write ``word[i:]`` as parts (each followed by a
    link unless it ends the word), worked from the end of the word back to its start.
    E.g. "gezinshuisouders" with {gezin, huis, gezinshuis, ouders}:
    best[10] = (ouders); best[0] = gezinshuis|ouders (2 parts) beats gezin+s|huis|ouders (3).
    """
    n = len(word)
    # best[i] = (key, parts); key = (number of parts, link letters, -length of last part)
    best: list[tuple[tuple[int, int, int], tuple[str, ...]] | None] = [None] * (n + 1)
    for i in range(n - MIN_PART, -1, -1):
        for j in range(i + MIN_PART, n + 1):
            part = word[i:j]
            if part not in vocabulary:
                continue
            if j == n:
                if i == 0:
                    continue  # the word itself is no split
                candidate = ((1, 0, -len(part)), (part,))
                if best[i] is None or candidate[0] < best[i][0]:
                    best[i] = candidate
                continue
            for link in LINKS:
                rest = j + len(link)
                if word.startswith(link, j) and rest < n and best[rest] is not None:
                    (count, links, head), parts = best[rest]
                    candidate = ((count + 1, links + len(link), head), (part, *parts))
                    if best[i] is None or candidate[0] < best[i][0]:
                        best[i] = candidate
    return best[0][1] if best[0] else None
