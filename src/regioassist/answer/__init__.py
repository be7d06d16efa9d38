"""The extractive answerer: a cited Dutch answer built from the retrieved passages, no LLM.

Every statement it writes is a sentence quoted from a passage, followed by the
number of the citation it rests on. Two shapes:

- "Wat is besloten over X?": the decisions on X, meeting by meeting in date
  order, each under its meeting date, domain and agenda item;
- any other question: the sentences that answer it best, under the place they
  stand.

When the best passage is not similar enough to the question (cosine below the
calibrated ``min_dense_score``), when the question's own names or topic occur in none
of them, or when no sentence gives what it asks for (an amount, a day, a name, ...),
it says the documents do not answer, and cites nothing. An English question gets
English framing; quotes stay Dutch.

- ``question.py``: what a question asks for, from its words alone;
- ``sentences.py``: whether a candidate sentence gives it;
- ``extractive.py``: :class:`ExtractiveAnswerer`, which picks the passages and sentences;
- ``decided.py``: the decisions on a topic, meeting by meeting ("Wat is besloten over X?");
- ``citations.py``: numbered citations and the answer as text (:func:`render`).
"""

from regioassist.answer.citations import ENGLISH_MONTHS, Citations, format_date, place_of, render
from regioassist.answer.extractive import ExtractiveAnswerer
from regioassist.answer.question import (
    CUE_STEMS, DECISION_QUESTION, FRAME_STEMS, GENERIC_STEMS, names_municipality, question_parts, topic_words,
)

__all__ = [
    "CUE_STEMS", "DECISION_QUESTION", "ENGLISH_MONTHS", "FRAME_STEMS", "GENERIC_STEMS", "Citations", "ExtractiveAnswerer",
    "format_date", "names_municipality", "place_of", "question_parts", "render", "topic_words",
]
