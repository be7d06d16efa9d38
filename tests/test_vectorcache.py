"""Sentence vectors: embedded once at ingest, read back at question time, never another model's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from regioassist.assistant import Assistant
from regioassist.config import Settings
from regioassist.embedding import CachedEmbedder, HashEmbedder
from regioassist.index import LocalIndex
from regioassist.ingest import ingest_paths
from regioassist.textutil import split_sentences
from regioassist.vectorcache import VectorCache

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

WERK EN PARTICIPATIE

Beschut werk

Het aantal plekken beschut werk stijgt naar 120. De kosten bedragen 1,2 miljoen euro per jaar.
Het portefeuillehoudersoverleg stemt in met de verhoging.
"""


class CountingEmbedder(HashEmbedder):
    """The fake embedder, counting the texts it embeds per kind."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = {"query": 0, "passage": 0}

    def embed(self, texts, *, kind):
        self.embedded[kind] += len(texts)
        return super().embed(texts, kind=kind)


@pytest.mark.unit
def test_vectors_are_kept_per_model_and_kind(tmp_path: Path) -> None:
    vector = np.arange(4, dtype=np.float32)
    VectorCache(tmp_path / "v.sqlite", "model-a").put("passage", ["Tekst."], vector[None, :])
    assert np.array_equal(VectorCache(tmp_path / "v.sqlite", "model-a").get("passage", ["Tekst."])["Tekst."], vector)
    assert VectorCache(tmp_path / "v.sqlite", "model-b").get("passage", ["Tekst."]) == {}
    assert VectorCache(tmp_path / "v.sqlite", "model-a").get("query", ["Tekst."]) == {}


@pytest.mark.unit
def test_many_keys_are_read_in_batches(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "v.sqlite", "m")
    texts = [f"zin {i}" for i in range(1200)]  # more than one SELECT's worth of variables
    cache.put("passage", texts, np.ones((len(texts), 3), dtype=np.float32))
    assert len(cache.get("passage", texts)) == 1200 and len(cache) == 1200


@pytest.mark.integration
def test_ingest_embeds_each_sentence_once_and_questions_read_them_back(tmp_path: Path) -> None:
    path = tmp_path / "resume.txt"
    path.write_text(MINUTES, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", min_dense_score=0.0)  # the fake vectors score low
    index = LocalIndex.open(settings.index_dir)
    embedder = CountingEmbedder()

    ingest_paths([path], index, embedder)

    sentences = {s for c in index.store.all_chunks() for s in split_sentences(c.text)}
    cache = VectorCache.beside(settings.index_dir, embedder.identity)
    assert len(cache) == len(sentences) and set(cache.get("passage", sorted(sentences))) == sentences
    path.write_text(MINUTES + "\nRondvraag\n\nGeen.\n", encoding="utf-8")  # changed: only its new sentence
    before = embedder.embedded["passage"]
    ingest_paths([path], index, embedder)
    chunks = index.store.all_chunks()
    assert embedder.embedded["passage"] - before == len(chunks) + 1  # the chunks, and "Geen."

    embedder.embedded = {"query": 0, "passage": 0}
    answer = Assistant(settings, index, embedder).ask("Wat kost beschut werk per jaar?")
    assert answer.answered and "1,2 miljoen" in answer.text
    assert embedder.embedded == {"query": 1, "passage": 0}  # the question only: sentences came from disk


@pytest.mark.unit
def test_a_sentence_missing_from_disk_is_embedded_once_and_stored(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    disk = VectorCache(tmp_path / "v.sqlite", inner.identity)
    first = CachedEmbedder(inner, disk=disk).embed(["Nieuwe zin.", "Nieuwe zin."], kind="passage")
    again = CachedEmbedder(inner, disk=disk).embed(["Nieuwe zin."], kind="passage")  # another process
    assert inner.embedded["passage"] == 1 and np.array_equal(first[0], again[0])
    CachedEmbedder(inner, disk=disk).embed(["Een vraag?"], kind="query")
    assert len(disk) == 1  # questions are not stored on disk
