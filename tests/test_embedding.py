"""The embedder protocol, the hash fake and the real sentence-transformers embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from regioassist.embedding import Embedder, HashEmbedder, embed_passages, embed_query

TEXTS = ["De sporthal in Huizen gaat open.", "Het zwembad sluit in de winter.", ""]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)  # rows are unit length


@pytest.mark.unit
def test_hash_embedder_is_an_embedder(fake_embedder: HashEmbedder) -> None:
    assert isinstance(fake_embedder, Embedder)
    assert fake_embedder.dim == 256


@pytest.mark.unit
def test_hash_embedder_shape_dtype_and_unit_rows() -> None:
    vectors = HashEmbedder(dim=32).embed(TEXTS, kind="passage")
    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, rtol=1e-6)


@pytest.mark.unit
def test_hash_embedder_is_deterministic_across_instances() -> None:
    first = HashEmbedder().embed(TEXTS, kind="passage")
    second = HashEmbedder().embed(list(reversed(TEXTS)), kind="passage")[::-1]
    np.testing.assert_array_equal(first, second)


@pytest.mark.unit
def test_hash_embedder_empty_text_is_a_zero_row() -> None:
    vectors = HashEmbedder().embed(["", "  ", "!?"], kind="query")
    assert not np.isnan(vectors).any()
    assert not vectors.any()


@pytest.mark.unit
def test_hash_embedder_shared_words_score_higher(fake_embedder: HashEmbedder) -> None:
    question = embed_query(fake_embedder, "Wanneer gaat de sporthal open?")
    passages = embed_passages(fake_embedder, ["De sporthal gaat in maart open.", "Budget jeugdzorg verhoogd."])
    assert cosine(passages[0], question) > cosine(passages[1], question)
    assert cosine(question, question) == pytest.approx(1.0)


@pytest.mark.unit
def test_hash_embedder_ignores_case() -> None:
    upper, lower = HashEmbedder().embed(["DE SPORTHAL", "de sporthal"], kind="passage")
    np.testing.assert_array_equal(upper, lower)


@pytest.mark.unit
def test_convenience_functions_shapes(fake_embedder: HashEmbedder) -> None:
    assert embed_query(fake_embedder, "vraag").shape == (256,)
    assert embed_passages(fake_embedder, ["a", "b", "c"]).shape == (3, 256)
    assert embed_passages(fake_embedder, []).shape == (0, 256)


@pytest.mark.unit
def test_bad_input_is_refused(fake_embedder: HashEmbedder) -> None:
    with pytest.raises(TypeError):
        fake_embedder.embed("one string", kind="query")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fake_embedder.embed(["x"], kind="document")  # type: ignore[arg-type]


@pytest.mark.unit
def test_missing_model_folder_says_how_to_make_it(tmp_path: Path) -> None:
    from regioassist.embedding import SentenceTransformerEmbedder

    with pytest.raises(FileNotFoundError, match="regioassist.convert"):
        SentenceTransformerEmbedder(tmp_path / "nothing-here")


@pytest.fixture(scope="module")
def raw_model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


QUESTION = "Hoeveel geld gaat er naar de nieuwe sporthal in Huizen?"


@pytest.mark.integration
def test_real_embedder_applies_the_query_prefix(real_embedder, raw_model) -> None:
    ours = real_embedder.embed([QUESTION], kind="query")[0]
    with_prefix = raw_model.encode("query: " + QUESTION, normalize_embeddings=True)
    without_prefix = raw_model.encode(QUESTION, normalize_embeddings=True)
    np.testing.assert_allclose(ours, with_prefix, atol=1e-5)
    # cosine with the unprefixed vector is ~0.998: a real change, 100x the tolerance above
    assert np.abs(ours - without_prefix).max() > 1e-3


@pytest.mark.integration
def test_real_embedder_applies_the_passage_prefix(real_embedder, raw_model) -> None:
    passage = "Het college trekt 4,2 miljoen euro uit voor de sporthal."
    ours = embed_passages(real_embedder, [passage])[0]
    np.testing.assert_allclose(ours, raw_model.encode("passage: " + passage, normalize_embeddings=True), atol=1e-5)
    assert cosine(ours, embed_query(real_embedder, passage)) < 0.999


@pytest.mark.integration
def test_real_embedder_shape_and_name(real_embedder, model_dir: Path) -> None:
    assert isinstance(real_embedder, Embedder)
    assert real_embedder.dim == 384 and real_embedder.name == model_dir.name
    vectors = embed_passages(real_embedder, ["een", "twee", "drie"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embed_passages(real_embedder, []).shape == (0, 384)


@pytest.mark.integration
def test_real_embedder_finds_the_answering_passage(real_embedder) -> None:
    answer = "Voor de bouw van de nieuwe sporthal in Huizen trekt de gemeente 4,2 miljoen euro uit."
    unrelated = "De besluitenlijst van het overleg jeugdhulp van 14 februari is ongewijzigd vastgesteld."
    question = embed_query(real_embedder, QUESTION)
    answer_vec, unrelated_vec = embed_passages(real_embedder, [answer, unrelated])
    assert cosine(answer_vec, question) > cosine(unrelated_vec, question) + 0.05


@pytest.mark.unit
def test_cached_embedder_embeds_each_text_once_and_returns_the_same_rows():
    from regioassist.embedding import CachedEmbedder, HashEmbedder

    class Counting(HashEmbedder):
        seen: list[str] = []

        def embed(self, texts, *, kind):
            self.seen.extend(f"{kind}:{t}" for t in texts)
            return super().embed(texts, kind=kind)

    inner = Counting()
    cached = CachedEmbedder(inner, max_items=3)
    plain = HashEmbedder()
    first = cached.embed(["a b", "c d", "a b"], kind="passage")
    assert np.allclose(first, plain.embed(["a b", "c d", "a b"], kind="passage"))
    assert inner.seen == ["passage:a b", "passage:c d"]  # the repeat inside one call is embedded once
    cached.embed(["c d"], kind="passage")
    cached.embed(["c d"], kind="query")  # another kind is another vector
    assert inner.seen[-1] == "query:c d" and len(inner.seen) == 3
    # Bounded: a fourth text pushes out the least recently used ("a b").
    cached.embed(["e f"], kind="passage")
    cached.embed(["a b"], kind="passage")
    assert inner.seen[-1] == "passage:a b" and len(inner.seen) == 5
    assert cached.embed([], kind="passage").shape == (0, plain.dim)
