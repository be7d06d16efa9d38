"""Which language a question or a document is in.

A question: among the languages the assistant supports. langdetect is random
unless seeded and unstable on short questions ('dagbesteding budget' comes out
Danish). We seed it and restrict its candidates with a prior map over the
supported languages, which gave 15/15 Dutch and 10/10 English correct in the
stack notes.

A document: among all 55 languages langdetect knows, from a sample of its
text; a document has thousands of letters, where a question has a few dozen.

>>> detect_language("Wat is besloten over verblijf?")
'nl'
>>> detect_language("What was decided about youth care?")
'en'
>>> document_language("Der Rat hat beschlossen, den Vertrag über die Jugendhilfe zu verlängern.")
'de'
>>> document_language("12345 ?!")
'und'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

SUPPORTED = ("nl", "en")
UNDETERMINED = "und"  # ISO 639-2's code for a language that cannot be told

# A document is judged on up to three slices of SAMPLE_CHARS (its start, middle and end):
# 6,000 characters take ~10 ms, where the 26,000 of the longest shipped document take ~20 ms,
# and a report with an English summary in front is not judged on its summary alone.
SAMPLE_CHARS = 2000
MIN_LETTERS = 20  # below this ("Geen.", a table of figures) no language can be told
MIN_PROBABILITY = 0.5  # the best language must be likelier than all others together


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    init_factory()
    from langdetect import detector_factory

    factory = detector_factory._factory
    factory.seed = 0  # each Detector seeds its own Random from this: same text, same answer
    return factory


# A question that opens with its question word says its language outright, where langdetect
# reads "Wat is LWL?" as English: two of its three words are letters it cannot place.
QUESTION_WORDS = {
    "nl": frozenset("wat wie wiens waar waarom wanneer hoe hoeveel welke welk waarover waarmee waarvoor".split()),
    "en": frozenset("what who whom whose where why when how which".split()),
}


def detect_language(text: str, languages: Sequence[str] = SUPPORTED) -> str:
    """The most likely of ``languages`` for ``text``; the first one when undecidable.

    >>> detect_language("Wat is LWL?"), detect_language("Who is Wendy van Neer?")
    ('nl', 'en')
    """
    from langdetect.lang_detect_exception import LangDetectException

    languages = tuple(languages) or SUPPORTED
    if len(languages) == 1:
        return languages[0]
    first = text.split(maxsplit=1)[0].strip("¿¡\"'“‘(").casefold() if text.strip() else ""
    opened_by = [lang for lang in languages if first in QUESTION_WORDS.get(lang, ())]
    if len(opened_by) == 1:
        return opened_by[0]
    detector = _factory().create()
    # The first language is the default: a short, ambiguous question leans towards it.
    detector.set_prior_map({lang: (2.0 if i == 0 else 1.0) for i, lang in enumerate(languages)})
    detector.append(text)
    try:
        found = detector.detect()
    except LangDetectException:
        return languages[0]
    return found if found in languages else languages[0]


def document_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in; ``"und"`` when undecidable.

    langdetect's "zh-cn" and "zh-tw" both become "zh".
    """
    from langdetect.lang_detect_exception import LangDetectException

    sample = _sample(text)
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return UNDETERMINED
    detector = _factory().create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED
    return best.lang.split("-")[0] if best.prob > MIN_PROBABILITY else UNDETERMINED


def _sample(text: str) -> str:
    """The start, middle and end of ``text``, SAMPLE_CHARS each; the whole text when it is short."""
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    middle = (len(text) - SAMPLE_CHARS) // 2
    return "\n".join((text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:]))
