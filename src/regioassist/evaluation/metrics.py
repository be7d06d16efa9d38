"""Evaluation metrics: pure functions over frozen records, no I/O.

Retrieval is scored at agenda-item level: a ranking is first collapsed to distinct
(file name, section) places, so three chunks of the same agenda item count once.

>>> gold = (Ref("besluitenlijst.pdf", "3. Financiën"),)
>>> ranked = (Ref("a.pdf", "x"), Ref("docs/besluitenlijst.pdf", "3.  financien:"), Ref("b.pdf", None))
>>> reciprocal_rank(ranked, gold)
0.5
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

# --- The faithfulness rule, documented in one place -------------------------------
# A sentence is supported by the quote it cites when at least SUPPORT_THRESHOLD of its
# content tokens occur in the quote, and every number in it occurs there verbatim.
# Content tokens: lowercase runs of letters/digits (accents kept), minus STOP_WORDS,
# minus tokens shorter than MIN_TOKEN_LENGTH (numbers are kept whatever their length).
# Sentences with fewer than MIN_CONTENT_TOKENS content tokens count as supported.
SUPPORT_THRESHOLD = 0.6
MIN_TOKEN_LENGTH = 3
MIN_CONTENT_TOKENS = 2
STOP_WORDS = frozenset(
    # Dutch
    "aan als bij dan dat de deze die dit door een en er het hij hoe ik in is je kan "
    "kunnen maar met na naar niet nog of om ook op over te tot uit van voor wat was "
    "waren wel werd wie wij wordt worden zal ze zich zij zijn zo zoals heeft hebben "
    "daar hier omdat waar welke geen alle meer men onder tegen toe haar hun ons uw "
    # English
    "the and for are was were with that this from has have had not but its into "
    "which who what when where how been being will would can could should there their "
    "they them than then also any all our your his her".split()
)
# Sentence splitting must not break on these (compared casefolded, final dot removed).
ABBREVIATIONS = frozenset(
    "t.a.v m.b.t i.p.v o.a nr d.w.z bijv e.d z.s.m ca incl excl art jl resp vs "
    "e.g i.e dhr mevr mw drs dr mr ir prof blz pag".split()
)

# Metrics where a lower value is better; every other metric in METRIC_NAMES is
# higher-is-better. The report's regression check reads this.
LOWER_IS_BETTER = frozenset(
    {"false_decline_rate", "latency_p50_s", "latency_p95_s", "median_answer_chars", "hit@5_gap", "fact_recall_gap"}
)
METRIC_NAMES = (
    "n",
    "hit@1",
    "hit@5",
    "hit@10",
    "mrr",
    "ndcg@10",
    "citation_precision",
    "citation_recall",
    "fact_recall",
    "decline_rate_unanswerable",
    "false_decline_rate",
    "language_match",
    "faithfulness",
    "latency_p50_s",
    "latency_p95_s",
    "median_answer_chars",
)


@dataclass(frozen=True)
class Ref:
    """A place in the corpus: a source file and, optionally, a section (agenda item).

    ``parent`` is the heading the section stands under, if any: a passage under the sub-heading
    "In dit kader ...: Aansluiting zorg op onderwijs" lies in the section "Normaliseren" too.
    """

    source: str
    section: str | None
    parent: str | None = None


@dataclass(frozen=True)
class ItemOutcome:
    """What one system did with one evaluation question."""

    id: str
    category: str
    system: str  # "regioassist" or "baseline"
    answerable: bool
    answered: bool
    ranked: tuple[Ref, ...]
    gold: tuple[Ref, ...]
    cited: tuple[Ref, ...]
    facts: tuple[tuple[str, ...], ...]  # each fact = its accepted alternatives
    answer: str
    question_language: str
    answer_language: str
    supported_sentences: int
    total_sentences: int
    latency_s: float
    answer_type: str | None = None  # what the question asks for: amount, date, person, list, ...
    confidence: float = 1.0  # the answerer's confidence; 0 for a decline
    generator: str = "extractive"  # what wrote the answer text
    fallback: str | None = None  # why an LLM's answer was replaced by the extractive one


# --- Calibration and test split ------------------------------------------------------
# The decline threshold is fitted on the calibration items and reported on the others.
# An item's split follows from its id alone, so adding items never moves old ones.
CALIBRATION_SHARE = 3  # one item in three calibrates


def split_of(item_id: str) -> str:
    """'calibration' or 'test', fixed by a hash of the id.

    >>> split_of("dec-verblijf") in ("calibration", "test")
    True
    """
    digest = hashlib.sha1(item_id.encode("utf-8")).digest()
    return "calibration" if digest[0] % CALIBRATION_SHARE == 0 else "test"


# --- Matching places ---------------------------------------------------------------


def normalise_section(name: str) -> str:
    """Casefold, strip accents, collapse whitespace, strip punctuation at the ends."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"^[\W_]+|[\W_]+$", "", " ".join(bare.split()))


def _key(ref: Ref) -> tuple[str, str | None]:
    section = None if ref.section is None else normalise_section(ref.section)
    # The stem: a PDF or Word rendering of a document is the same document as its text.
    return PurePath(ref.source).stem, section


def ref_matches(found: Ref, gold: Ref) -> bool:
    """Same file name and, when ``gold.section`` is set, the same normalised section or one inside it.

    >>> gold = Ref("programma.pdf", "Normaliseren")
    >>> ref_matches(Ref("programma.txt", "Aansluiting zorg op onderwijs", parent="Normaliseren"), gold)
    True
    >>> ref_matches(Ref("programma.txt", "Normaliseren"), Ref("programma.pdf", "Aansluiting zorg op onderwijs"))
    False
    """
    found_name, found_section = _key(found)
    gold_name, gold_section = _key(gold)
    if found_name != gold_name:
        return False
    inside = found.parent is not None and normalise_section(found.parent) == gold_section
    return gold_section is None or found_section == gold_section or inside


def _distinct(refs: Iterable[Ref]) -> list[Ref]:
    """Refs in order with later duplicates (same normalised key) dropped."""
    seen: set[tuple[str, str | None]] = set()
    out = []
    for ref in refs:
        key = _key(ref)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def _relevance(ranked: Sequence[Ref], gold: Sequence[Ref]) -> list[bool]:
    """Binary relevance per distinct ranked ref; each gold ref is credited at most once.

    Gold refs with a section are tried before section-less ones, so a specific hit does
    not use up the "any section of this file" gold ref.
    """
    open_gold = sorted(_distinct(gold), key=lambda g: g.section is None)
    flags = []
    for ref in _distinct(ranked):
        match = next((g for g in open_gold if ref_matches(ref, g)), None)
        if match is not None:
            open_gold.remove(match)
        flags.append(match is not None)
    return flags


# --- Retrieval ---------------------------------------------------------------------


def hit_at_k(ranked: Sequence[Ref], gold: Sequence[Ref], k: int) -> float:
    """1.0 when any of the first ``k`` distinct ranked refs matches a gold ref."""
    return 1.0 if any(_relevance(ranked, gold)[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[Ref], gold: Sequence[Ref]) -> float:
    """1 / rank of the first distinct ranked ref that matches gold; 0.0 when none does."""
    for rank, relevant in enumerate(_relevance(ranked, gold), start=1):
        if relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[Ref], gold: Sequence[Ref], k: int = 10) -> float:
    """Binary-relevance nDCG@k over distinct ranked refs; 0.0 when there is no gold."""
    n_gold = len(_distinct(gold))
    if n_gold == 0:
        return 0.0
    # A relevant ref at rank r adds 1 / log2(r + 1): rank 1 -> 1, rank 3 -> 0.5.
    dcg = sum(1.0 / math.log2(r + 1) for r, rel in enumerate(_relevance(ranked, gold)[:k], 1) if rel)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(n_gold, k) + 1))
    return dcg / ideal


# --- Citations ---------------------------------------------------------------------


def citation_precision(cited: Sequence[Ref], gold: Sequence[Ref]) -> float | None:
    """Share of distinct cited refs that match some gold ref; None when nothing is cited."""
    distinct = _distinct(cited)
    if not distinct:
        return None
    return sum(any(ref_matches(c, g) for g in gold) for c in distinct) / len(distinct)


def citation_recall(cited: Sequence[Ref], gold: Sequence[Ref]) -> float | None:
    """Share of distinct gold refs matched by some cited ref; None when there is no gold."""
    distinct = _distinct(gold)
    if not distinct:
        return None
    return sum(any(ref_matches(c, g) for c in cited) for g in distinct) / len(distinct)


# --- Facts -------------------------------------------------------------------------


def normalise_text(s: str) -> str:
    """NFKC, casefold, "€ 30.000" -> "€30.000", non-breaking spaces and runs of space -> " "."""
    s = unicodedata.normalize("NFKC", s).casefold()  # NFKC turns U+00A0 into " "
    s = re.sub(r"€\s+", "€", s)
    return " ".join(s.split())


def fact_present(fact_alternatives: Sequence[str], answer: str) -> bool:
    """True when any alternative occurs in the answer as a whole word or number.

    "30.000" is not found inside "130.000" or "30.000.000".
    """
    text = normalise_text(answer)
    for alternative in fact_alternatives:
        needle = normalise_text(alternative)
        if needle and re.search(rf"(?<!\w)(?<!\d[.,]){re.escape(needle)}(?!\w)(?![.,]\d)", text):
            return True
    return False


def fact_recall(facts: Sequence[Sequence[str]], answer: str) -> float | None:
    """Share of facts present in the answer; None when the item has no facts."""
    if not facts:
        return None
    return sum(fact_present(fact, answer) for fact in facts) / len(facts)


# --- Faithfulness ------------------------------------------------------------------

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+")
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)]*(?=\s|$)")
_CITATION_MARKERS = re.compile(r"\s*(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+")


def content_tokens(text: str) -> list[str]:
    """The tokens the faithfulness rule counts (see the constants at the top)."""
    tokens = _TOKEN.findall(normalise_text(text))
    return [
        t
        for t in tokens
        if any(ch.isdigit() for ch in t) or (len(t) >= MIN_TOKEN_LENGTH and t not in STOP_WORDS)
    ]


def sentence_support(sentence: str, quote: str) -> bool:
    """Whether ``quote`` supports ``sentence`` under the documented faithfulness rule."""
    tokens = content_tokens(sentence)
    if len(tokens) < MIN_CONTENT_TOKENS:
        return True
    quote_tokens = set(_TOKEN.findall(normalise_text(quote)))
    if any(t not in quote_tokens for t in tokens if any(ch.isdigit() for ch in t)):
        return False
    # e.g. 3 of 5 content tokens in the quote -> 0.6 -> supported.
    return sum(t in quote_tokens for t in tokens) / len(tokens) >= SUPPORT_THRESHOLD


def _is_false_boundary(sentence_so_far: str, punctuation: str) -> bool:
    if punctuation != ".":
        return False
    words = sentence_so_far.split()
    if not words:
        return False
    last = words[-1].lstrip("([\"'").casefold()
    if last in ABBREVIATIONS:
        return True
    if len(last) == 1 and last.isalpha():  # an initial: "J. de Vries"
        return True
    return len(words) == 1 and last.isdigit()  # a list number: "1. Het college ..."


def split_sentences(text: str) -> list[str]:
    """Split into sentences on . ! ? and line breaks, keeping abbreviations intact.

    A citation marker right after the full stop ("... vastgesteld. [2] De ...") stays
    with the sentence before it.
    """
    sentences = []
    for line in text.splitlines():
        start = 0
        for match in _BOUNDARY.finditer(line):
            if match.start() < start:
                continue
            if _is_false_boundary(line[start : match.start()], match.group().rstrip("\"'”’)")):
                continue
            end = match.end()
            markers = _CITATION_MARKERS.match(line, end)
            if markers:
                end = markers.end()
            sentences.append(line[start:end].strip())
            start = end
        sentences.append(line[start:].strip())
    return [s for s in sentences if s]


# --- Aggregation -------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear interpolation as numpy's default; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100  # [1..10], q=95 -> 8.55 -> 9 + 0.55 * (10 - 9)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _group_metrics(items: Sequence[ItemOutcome]) -> dict[str, float | int | None]:
    retrievable = [o for o in items if o.answerable and o.gold]
    answered = [o for o in items if o.answerable and o.answered]
    answerable = [o for o in items if o.answerable]
    unanswerable = [o for o in items if not o.answerable]
    total_sentences = sum(o.total_sentences for o in items)
    latencies = [o.latency_s for o in items]
    return {
        "n": len(items),
        "hit@1": _mean(hit_at_k(o.ranked, o.gold, 1) for o in retrievable),
        "hit@5": _mean(hit_at_k(o.ranked, o.gold, 5) for o in retrievable),
        "hit@10": _mean(hit_at_k(o.ranked, o.gold, 10) for o in retrievable),
        "mrr": _mean(reciprocal_rank(o.ranked, o.gold) for o in retrievable),
        "ndcg@10": _mean(ndcg_at_k(o.ranked, o.gold, 10) for o in retrievable),
        "citation_precision": _mean(citation_precision(o.cited, o.gold) for o in answered),
        "citation_recall": _mean(citation_recall(o.cited, o.gold) for o in answered),
        "fact_recall": _mean(fact_recall(o.facts, o.answer) for o in answerable),
        "decline_rate_unanswerable": _share([not o.answered for o in unanswerable]),
        "false_decline_rate": _share([not o.answered for o in answerable]),
        "language_match": _share([o.answer_language == o.question_language for o in items]),
        "faithfulness": (
            sum(o.supported_sentences for o in items) / total_sentences if total_sentences else None
        ),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
        "median_answer_chars": percentile([len(o.answer) for o in answered], 50),
    }


# --- Declining: the trade-off across thresholds ---------------------------------------
MAX_WRONGLY_DECLINED = 0.03
CURVE_THRESHOLDS = tuple(round(0.78 + 0.005 * i, 3) for i in range(31))  # 0.780 .. 0.930


def _declined(o: ItemOutcome, threshold: float) -> bool:
    return not o.answered or o.confidence < threshold


def decline_point(items: Sequence[ItemOutcome], threshold: float) -> dict[str, float | None]:
    """Declined-unanswerable and wrongly-declined shares if answers below ``threshold`` were declined."""
    return {
        "threshold": threshold,
        "declined_unanswerable": _share([_declined(o, threshold) for o in items if not o.answerable]),
        "wrongly_declined": _share([_declined(o, threshold) for o in items if o.answerable]),
    }


def fit_threshold(items: Sequence[ItemOutcome], max_wrong: float = MAX_WRONGLY_DECLINED) -> float:
    """The threshold that declines most unanswerable items with at most ``max_wrong`` wrongly declined.

    Ties go to the lowest threshold (the fewest answers withheld).
    """
    best_threshold, best_declined = CURVE_THRESHOLDS[0], -1.0
    for threshold in CURVE_THRESHOLDS:
        point = decline_point(items, threshold)
        if (point["wrongly_declined"] or 0.0) > max_wrong:
            continue
        declined = point["declined_unanswerable"] or 0.0
        if declined > best_declined:
            best_threshold, best_declined = threshold, declined
    return best_threshold


def decline_report(outcomes: Sequence[ItemOutcome]) -> dict:
    """The curve over all items, the threshold fitted on the calibration split and its result on the test split."""
    calibration = [o for o in outcomes if split_of(o.id) == "calibration"]
    test = [o for o in outcomes if split_of(o.id) == "test"]
    fitted = fit_threshold(calibration)
    return {
        "curve": [decline_point(outcomes, t) for t in CURVE_THRESHOLDS],
        "fitted_threshold": fitted,
        "max_wrongly_declined": MAX_WRONGLY_DECLINED,
        "calibration": {"n": len(calibration), **decline_point(calibration, fitted)},
        "test": {"n": len(test), **decline_point(test, fitted)},
    }


def by_answer_type(outcomes: Sequence[ItemOutcome]) -> dict[str, dict[str, float | int | None]]:
    """Per kind of asked fact: how many items, fact recall, and the share whose answer holds every fact."""
    types = sorted({o.answer_type for o in outcomes if o.answerable and o.answer_type})
    table = {}
    for kind in types:
        group = [o for o in outcomes if o.answerable and o.answer_type == kind]
        table[kind] = {
            "n": len(group),
            "fact_recall": _mean(fact_recall(o.facts, o.answer) for o in group),
            "all_facts": _share([fact_recall(o.facts, o.answer) == 1.0 for o in group if o.facts]),
        }
    return table


def summarize(outcomes: Sequence[ItemOutcome]) -> dict:
    """Metrics for one system: ``{"overall": {...}, "by_category": {category: {...}}}``.

    Each inner dict has the keys of ``METRIC_NAMES``; a metric that is undefined for a
    group (no items it applies to) is None, never 0.
    """
    systems = {o.system for o in outcomes}
    if len(systems) > 1:
        raise ValueError(f"summarize() takes one system's outcomes, got {sorted(systems)}")
    categories = sorted({o.category for o in outcomes})
    return {
        "overall": _group_metrics(outcomes),
        "by_category": {c: _group_metrics([o for o in outcomes if o.category == c]) for c in categories},
        "by_answer_type": by_answer_type(outcomes),
        "declining": decline_report(outcomes),
    }
