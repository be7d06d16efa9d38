"""Metrics checked against numbers worked out by hand (arithmetic in the comments)."""

from __future__ import annotations

import math

import pytest

from regioassist.evaluation.metrics import (
    SUPPORT_THRESHOLD,
    ItemOutcome,
    Ref,
    citation_precision,
    citation_recall,
    content_tokens,
    fact_present,
    fact_recall,
    hit_at_k,
    ndcg_at_k,
    normalise_text,
    percentile,
    reciprocal_rank,
    ref_matches,
    sentence_support,
    split_sentences,
    summarize,
)

pytestmark = pytest.mark.unit

A1 = Ref("besluitenlijst-2024-03.pdf", "3. Jeugdzorg")
A2 = Ref("besluitenlijst-2024-03.pdf", "4. Wmo")
B1 = Ref("resume-2024-05.docx", "Financiën")
C1 = Ref("programma.pdf", "Inkoop")
X = Ref("other.pdf", "Iets anders")
Y = Ref("other.pdf", "Nog iets")


# --- ref_matches ---------------------------------------------------------------------


def test_ref_matches_by_file_name_and_normalised_section():
    assert ref_matches(Ref("/data/docs/resume-2024-05.docx", "  FINANCIEN. "), B1)
    assert ref_matches(Ref("resume-2024-05.docx", "financiën"), B1)
    assert not ref_matches(Ref("resume-2024-05.docx", "Financiën 2"), B1)
    assert not ref_matches(Ref("resume-2024-06.docx", "Financiën"), B1)


def test_a_section_inside_the_gold_section_matches_but_not_the_other_way_round():
    gold = Ref("programma.pdf", "Normaliseren")
    inside = Ref("programma.txt", "Aansluiting zorg op onderwijs", parent="Normaliseren")
    assert ref_matches(inside, gold)
    assert hit_at_k([Ref("programma.txt", "Monitoring", parent="JEUGD"), inside], [gold], 2) == 1.0
    assert not ref_matches(Ref("programma.txt", "Normaliseren"), Ref("programma.txt", "Aansluiting zorg op onderwijs"))
    assert not ref_matches(Ref("ander.txt", "Aansluiting", parent="Normaliseren"), gold)


def test_gold_without_section_matches_any_section_of_that_file():
    gold = Ref("programma.pdf", None)
    assert ref_matches(C1, gold)
    assert ref_matches(Ref("x/programma.pdf", None), gold)
    # ...but not the other way round: a found ref without section misses a specific gold.
    assert not ref_matches(Ref("programma.pdf", None), C1)


# --- retrieval -------------------------------------------------------------------------


def test_gold_at_rank_three():
    ranked = (X, Y, A1, C1)
    # gold at rank 3 -> hit@1 = hit@2 = 0, hit@3 = 1; RR = 1/3; nDCG = (1/log2(4)) / 1 = 0.5
    assert hit_at_k(ranked, (A1,), 1) == 0.0
    assert hit_at_k(ranked, (A1,), 2) == 0.0
    assert hit_at_k(ranked, (A1,), 3) == 1.0
    assert reciprocal_rank(ranked, (A1,)) == pytest.approx(1 / 3)
    assert ndcg_at_k(ranked, (A1,), 10) == pytest.approx(0.5)


def test_duplicates_in_ranked_collapse_to_agenda_items():
    # Three chunks of X, then two of A1 with a different spelling of the same section:
    # distinct ranking = [X, A1] -> gold at rank 2 -> RR = 1/2, hit@2 = 1;
    # nDCG = (1/log2(3)) / 1 = 0.6309.
    ranked = (X, X, X, Ref("besluitenlijst-2024-03.pdf", "3.  JEUGDZORG"), A1)
    assert hit_at_k(ranked, (A1,), 2) == 1.0
    assert reciprocal_rank(ranked, (A1,)) == pytest.approx(0.5)
    assert ndcg_at_k(ranked, (A1,), 10) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_k(ranked, (A1,), 10) == pytest.approx(0.6309, abs=1e-4)


def test_ndcg_with_two_gold_refs():
    # distinct ranking [A1, X, B1], gold {A1, B1}: relevant at ranks 1 and 3.
    # DCG  = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
    # IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.6309 = 1.6309  -> nDCG = 1.5 / 1.6309 = 0.9197
    ranked = (A1, X, B1)
    assert ndcg_at_k(ranked, (A1, B1)) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(ranked, (A1, B1)) == pytest.approx(0.9197, abs=1e-4)
    # with k = 2 only rank 1 counts: DCG = 1, IDCG = 1.6309 -> 0.6131
    assert ndcg_at_k(ranked, (A1, B1), k=2) == pytest.approx(0.6131, abs=1e-4)


def test_ideal_dcg_is_capped_at_k():
    # 3 gold refs, k = 1, gold at rank 1: DCG = 1, IDCG = min(3, 1) = one ref at top = 1 -> 1.0
    assert ndcg_at_k((A1, A2, B1), (A1, A2, B1), k=1) == pytest.approx(1.0)


def test_each_gold_ref_is_credited_once():
    # gold = "any section of besluitenlijst": A1 at rank 1 and A2 at rank 2 both match it,
    # but it is credited once -> DCG = 1, IDCG (1 gold) = 1 -> nDCG = 1.0, not 1.63.
    gold = (Ref("besluitenlijst-2024-03.pdf", None),)
    assert ndcg_at_k((A1, A2), gold) == pytest.approx(1.0)
    # gold {file-any, A2}: specific gold is tried first, so A2 (rank 2) takes A2 and A1
    # (rank 1) takes file-any -> DCG = 1 + 1/log2(3) = IDCG (2 gold) -> nDCG = 1.0
    assert ndcg_at_k((A1, A2), gold + (A2,)) == pytest.approx(1.0)


def test_retrieval_with_no_gold_or_no_hit_is_zero():
    assert hit_at_k((A1,), (), 5) == 0.0
    assert reciprocal_rank((A1,), ()) == 0.0
    assert ndcg_at_k((A1,), ()) == 0.0
    assert reciprocal_rank((X, Y), (A1,)) == 0.0
    assert ndcg_at_k((), (A1,)) == 0.0


# --- citations -------------------------------------------------------------------------


def test_citation_precision_and_recall():
    # cited {A1, X}, gold {A1, B1}: precision = 1/2 (A1 of A1, X); recall = 1/2 (A1 of A1, B1)
    assert citation_precision((A1, X), (A1, B1)) == pytest.approx(0.5)
    assert citation_recall((A1, X), (A1, B1)) == pytest.approx(0.5)
    # cited {A1, A1, B1} -> distinct {A1, B1}: precision 2/2 = 1, recall 2/2 = 1
    assert citation_precision((A1, A1, B1), (A1, B1)) == 1.0
    assert citation_recall((A1, A1, B1), (A1, B1)) == 1.0
    # accents and case in the cited section: "financien" matches gold "Financiën"
    assert citation_precision((Ref("resume-2024-05.docx", "FINANCIEN"),), (B1,)) == 1.0


def test_citation_edge_cases():
    assert citation_precision((), (A1,)) is None  # nothing cited
    assert citation_recall((), (A1,)) == 0.0  # 0 of 1 gold cited
    assert citation_recall((A1,), ()) is None  # no gold
    assert citation_precision((A1,), ()) == 0.0  # 0 of 1 cited refs are gold


# --- facts -----------------------------------------------------------------------------


def test_normalise_text_euro_and_spaces():
    assert normalise_text("€ 30.000") == normalise_text("€30.000") == "€30.000"
    assert normalise_text("€\u00a030.000") == "€30.000"  # non-breaking space
    assert normalise_text("  Het  BUDGET\u00a0is\n hoog ") == "het budget is hoog"


def test_fact_present_alternatives_and_boundaries():
    answer = "Het budget is €\u00a030.000 per jaar, zo besloot het AB."
    assert fact_present(("€ 30.000",), answer)
    assert fact_present(("dertigduizend euro", "30.000"), answer)
    assert not fact_present(("€ 3.000",), answer)
    assert not fact_present(("30.000",), "Het budget is 130.000 euro.")
    assert not fact_present(("30.000",), "Het budget is 30.000.000 euro.")
    assert not fact_present((), answer)


def test_fact_recall():
    facts = (("€ 30.000", "30.000 euro"), ("2025",), ("Hilversum",))
    # 2 of 3 facts present ("€30.000" and "2025") -> 2/3
    assert fact_recall(facts, "Vanaf 2025 komt er €30.000 bij.") == pytest.approx(2 / 3)
    assert fact_recall((), "iets") is None


# --- faithfulness ----------------------------------------------------------------------


def test_content_tokens_drop_stop_words_and_short_tokens_but_keep_numbers():
    # "de", "het", "is" are stop words/short; "12" is kept because it is a number.
    assert content_tokens("De termijn is 12 weken voor het besluit.") == [
        "termijn",
        "12",
        "weken",
        "besluit",
    ]


def test_sentence_support_threshold():
    quote = "Het algemeen bestuur stelt de begroting 2025 vast met een budget van € 30.000."
    # content tokens: bestuur, begroting, 2025, vastgesteld -> 3 of 4 in quote = 0.75 >= 0.6
    assert sentence_support("Het bestuur heeft de begroting 2025 vastgesteld.", quote)
    # content tokens: gemeenteraad, verwierp, begroting, 2025, unaniem -> 2/5 = 0.4 < 0.6
    assert not sentence_support("De gemeenteraad verwierp de begroting 2025 unaniem.", quote)
    assert SUPPORT_THRESHOLD == 0.6


def test_sentence_support_numbers_must_match_exactly():
    quote = "Het algemeen bestuur stelt de begroting 2025 vast met een budget van € 30.000."
    # all words match, but "2026" is not in the quote -> unsupported
    assert not sentence_support("Het bestuur stelt de begroting 2026 vast.", quote)
    # "€30.000" and "€ 30.000" are the same number
    assert sentence_support("Het budget van de begroting is €30.000.", quote)


def test_short_sentences_count_as_supported():
    # "Ja, dat klopt." -> content tokens: klopt -> 1 < 2 -> supported
    assert sentence_support("Ja, dat klopt.", "Iets heel anders.")


def test_split_sentences_keeps_abbreviations_numbers_and_markers():
    text = (
        "1. Het AB besluit t.a.v. de Wmo m.b.t. jeugd i.p.v. later. "
        "Het budget is € 100.000 voor o.a. nr. 5 en dhr. J. de Vries. [1] "
        "Klopt dat? Ja!\n- Tweede punt zonder punt"
    )
    assert split_sentences(text) == [
        "1. Het AB besluit t.a.v. de Wmo m.b.t. jeugd i.p.v. later.",
        "Het budget is € 100.000 voor o.a. nr. 5 en dhr. J. de Vries. [1]",
        "Klopt dat?",
        "Ja!",
        "- Tweede punt zonder punt",
    ]


def test_split_sentences_on_a_number_at_the_end_of_a_sentence():
    assert split_sentences("Het aantal is 100. Daarna volgt meer.") == [
        "Het aantal is 100.",
        "Daarna volgt meer.",
    ]


# --- percentile ------------------------------------------------------------------------


def test_percentile_linear_interpolation():
    values = list(range(1, 11))
    # p50: position (10 - 1) * 0.50 = 4.5 -> between 5 and 6 -> 5.5
    assert percentile(values, 50) == pytest.approx(5.5)
    # p95: position 9 * 0.95 = 8.55 -> 9 + 0.55 * (10 - 9) = 9.55
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 10
    assert percentile([4.0], 95) == 4.0
    assert percentile([], 50) is None


# --- summarize -------------------------------------------------------------------------


def _outcome(**overrides) -> ItemOutcome:
    base = dict(
        id="q",
        category="jeugd",
        system="regioassist",
        answerable=True,
        answered=True,
        ranked=(A1,),
        gold=(A1,),
        cited=(A1,),
        facts=(("30.000",),),
        answer="Het budget is 30.000.",
        question_language="nl",
        answer_language="nl",
        supported_sentences=1,
        total_sentences=1,
        latency_s=1.0,
    )
    base.update(overrides)
    return ItemOutcome(**base)


def test_summarize_by_hand():
    outcomes = [
        # q1: gold at rank 1, cited gold, fact present, 2/2 sentences supported, 1 s
        _outcome(id="q1", supported_sentences=2, total_sentences=2, latency_s=1.0),
        # q2: gold at rank 2 (RR 1/2), cites X only (precision 0, recall 0), fact missing,
        #     answered in English to a Dutch question, 1/3 sentences supported, 3 s
        _outcome(
            id="q2",
            ranked=(X, A1),
            cited=(X,),
            answer="No idea.",
            answer_language="en",
            supported_sentences=1,
            total_sentences=3,
            latency_s=3.0,
        ),
        # q3: answerable but declined -> false decline; fact recall 0; no citations; 2 s
        _outcome(id="q3", category="wmo", answered=False, cited=(), answer="Weet ik niet.",
                 supported_sentences=0, total_sentences=0, latency_s=2.0),
        # q4: unanswerable, correctly declined; no gold, no facts; 4 s
        _outcome(id="q4", category="wmo", answerable=False, answered=False, ranked=(X,),
                 gold=(), cited=(), facts=(), answer="Dat staat niet in de stukken.",
                 supported_sentences=0, total_sentences=0, latency_s=4.0),
    ]
    summary = summarize(outcomes)
    overall = summary["overall"]
    assert overall["n"] == 4
    # retrieval over q1, q2, q3 (answerable with gold): hit@1 = (1 + 0 + 1) / 3
    assert overall["hit@1"] == pytest.approx(2 / 3)
    assert overall["hit@5"] == pytest.approx(1.0)
    # MRR = (1 + 1/2 + 1) / 3 = 0.8333
    assert overall["mrr"] == pytest.approx(2.5 / 3)
    # nDCG@10 = (1 + 1/log2(3) + 1) / 3 = (2 + 0.6309) / 3 = 0.8770
    assert overall["ndcg@10"] == pytest.approx((2 + 1 / math.log2(3)) / 3)
    # citations over answered answerable items q1, q2: precision (1 + 0) / 2 = 0.5
    assert overall["citation_precision"] == pytest.approx(0.5)
    assert overall["citation_recall"] == pytest.approx(0.5)
    # fact recall over answerable items with facts q1, q2, q3: (1 + 0 + 0) / 3
    assert overall["fact_recall"] == pytest.approx(1 / 3)
    assert overall["decline_rate_unanswerable"] == 1.0  # q4 declined, 1 of 1
    assert overall["false_decline_rate"] == pytest.approx(1 / 3)  # q3, 1 of 3 answerable
    assert overall["language_match"] == pytest.approx(3 / 4)  # q2 is English
    assert overall["faithfulness"] == pytest.approx(3 / 5)  # (2 + 1) / (2 + 3)
    # latencies [1, 2, 3, 4]: p50 at position 1.5 -> 2.5; p95 at 2.85 -> 3.85
    assert overall["latency_p50_s"] == pytest.approx(2.5)
    assert overall["latency_p95_s"] == pytest.approx(3.85)

    jeugd, wmo = summary["by_category"]["jeugd"], summary["by_category"]["wmo"]
    assert jeugd["n"] == 2
    assert jeugd["decline_rate_unanswerable"] is None  # no unanswerable items: None, not 0
    assert jeugd["mrr"] == pytest.approx(0.75)  # (1 + 1/2) / 2
    # wmo: q3 declined, so no answered answerable items -> citation metrics undefined
    assert wmo["citation_precision"] is None
    assert wmo["citation_recall"] is None
    assert wmo["faithfulness"] is None  # 0 sentences in total
    assert wmo["hit@1"] == 1.0  # only q3 counts (q4 has no gold)


def test_summarize_empty_and_mixed_systems():
    empty = summarize([])
    assert empty["overall"]["n"] == 0
    assert empty["overall"]["mrr"] is None
    assert empty["overall"]["latency_p95_s"] is None
    assert empty["by_category"] == {}
    with pytest.raises(ValueError, match="one system"):
        summarize([_outcome(), _outcome(system="baseline")])


# --- declining, answer types, answer length ---------------------------------------------

from regioassist.evaluation.metrics import (  # noqa: E402
    by_answer_type, decline_point, decline_report, fit_threshold, split_of,
)


def test_split_is_fixed_by_the_id_and_holds_about_a_third():
    ids = [f"q-{i}" for i in range(300)]
    assert [split_of(i) for i in ids] == [split_of(i) for i in ids]
    share = sum(split_of(i) == "calibration" for i in ids) / len(ids)
    assert 0.25 < share < 0.42


def test_decline_point_counts_low_confidence_answers_as_declined():
    items = [
        _outcome(id="a1", confidence=0.90), _outcome(id="a2", confidence=0.84),
        _outcome(id="u1", answerable=False, answered=True, confidence=0.83),
        _outcome(id="u2", answerable=False, answered=False, confidence=0.0),
    ]
    assert decline_point(items, 0.80) == {"threshold": 0.80, "declined_unanswerable": 0.5, "wrongly_declined": 0.0}
    assert decline_point(items, 0.835) == {"threshold": 0.835, "declined_unanswerable": 1.0, "wrongly_declined": 0.0}
    assert decline_point(items, 0.85) == {"threshold": 0.85, "declined_unanswerable": 1.0, "wrongly_declined": 0.5}
    # The fit keeps wrongly declined at or under the limit: 0.835 declines both, 0.85 costs an answer.
    assert 0.83 < fit_threshold(items, max_wrong=0.0) <= 0.84


def test_decline_report_fits_on_calibration_and_reports_on_test():
    items = [_outcome(id=f"a-{i}", confidence=0.85 + 0.001 * i) for i in range(40)]
    items += [_outcome(id=f"u-{i}", answerable=False, answered=i % 2 == 0, confidence=0.82) for i in range(20)]
    report = decline_report(items)
    assert report["calibration"]["n"] + report["test"]["n"] == 60
    assert report["fitted_threshold"] > 0.82  # declines the answered unanswerable at 0.82, keeps the rest
    assert report["test"]["declined_unanswerable"] == 1.0 and report["test"]["wrongly_declined"] == 0.0
    assert len(report["curve"]) > 10


def test_by_answer_type_and_median_answer_length():
    items = [
        _outcome(id="m1", answer_type="amount", answer="Het budget is 30.000."),
        _outcome(id="m2", answer_type="amount", answer="Geen bedrag.", facts=(("30.000",), ("WSP",))),
        _outcome(id="d1", answer_type="date", answer="x" * 100, facts=(("maart",),)),
    ]
    table = by_answer_type(items)
    assert table["amount"] == {"n": 2, "fact_recall": 0.5, "all_facts": 0.5}
    assert table["date"]["fact_recall"] == 0.0
    assert summarize(items)["overall"]["median_answer_chars"] == len("Het budget is 30.000.")
