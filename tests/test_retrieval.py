import pytest

from regioassist.retrieval import reciprocal_rank_fusion

pytestmark = pytest.mark.unit


def test_rrf_worked_example():
    # k = 60. dense: a(1) b(2); keyword: b(1) c(2).
    # a = 1/61 = 0.016393; b = 1/62 + 1/61 = 0.032522; c = 1/62 = 0.016129
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=60))
    assert list(fused) == ["b", "a", "c"]
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(0.016393, abs=1e-6)
    assert fused["c"] == pytest.approx(0.016129, abs=1e-6)


def test_rrf_ties_keep_first_seen_order():
    # x and y both 1/(1+1) = 0.5 -> x was seen first.
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"]], k=1)] == ["x", "y"]


def test_rrf_empty():
    assert reciprocal_rank_fusion([[], []]) == []
