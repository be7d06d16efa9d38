"""Wiring: build the real components named in the settings and run the stages.

>>> # report = ingest_into(Settings(), [Path("documents")])
>>> # assistant = load_assistant(Settings())
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from regioassist.assistant import Assistant
from regioassist.config import Settings
from regioassist.index import LocalIndex
from regioassist.ingest import IngestReport, ingest_paths, prune_missing, stale_files
from regioassist.prompts import load_phrases


def load_embedder(settings: Settings):
    from regioassist.convert import ensure_model
    from regioassist.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        ensure_model(settings.model_dir),
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
        batch_size=settings.embed_batch_size,
    )


class LazyEmbedder:
    """The real embedder, loaded on first use.

    A second ``regioassist setup`` finds every file unchanged and never pays the
    ~10 s import of sentence-transformers and torch.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._embedder = None

    def _load(self):
        if self._embedder is None:
            self._embedder = load_embedder(self._settings)
        return self._embedder

    @property
    def dim(self) -> int:
        return self._load().dim

    @property
    def identity(self) -> str:
        """The vectors' name in the sentence cache, known without loading the model."""
        from regioassist.embedding import model_identity_of

        s = self._settings
        return model_identity_of(s.model_dir, s.query_prefix, s.passage_prefix)

    def embed(self, texts, *, kind):
        return self._load().embed(texts, kind=kind)


def ingest_into(
    settings: Settings,
    paths: Sequence[Path],
    *,
    prune: bool = False,
    embedder=None,
    progress: Callable[[str, str], None] = lambda path, status: None,
    index: LocalIndex | None = None,
) -> IngestReport:
    """Ingest ``paths`` with the chunking the settings name, into ``index`` or the settings' index."""
    index = index or LocalIndex.open(settings.index_dir, settings.collection, server=settings.index_url)
    report = ingest_paths(
        paths,
        index,
        embedder or LazyEmbedder(settings),
        chunk_chars=settings.chunk_chars,
        chunk_overlap=settings.chunk_overlap,
        progress=progress,
    )
    if prune:
        report.pruned.extend(prune_missing(index))
    return report


def prepare(settings: Settings, embedder=None) -> IngestReport:
    """Model converted and the shipped documents indexed; fast when both are done."""
    from regioassist.convert import ensure_model

    ensure_model(settings.model_dir)
    return ingest_into(settings, [settings.documents_dir], embedder=embedder)


def load_assistant(settings: Settings, embedder=None) -> Assistant:
    """An assistant over ``settings.index_dir``; indexes the shipped documents into an empty index.

    Files indexed by an older pipeline version (or other chunking settings) are indexed
    again first, so an existing index gains what the pipeline now stores (e.g. outlines).
    """
    load_phrases(settings.phrases_file)  # a broken prompt file fails now, not after the model loaded
    embedder = embedder or load_embedder(settings)
    index = LocalIndex.open(settings.index_dir, settings.collection, server=settings.index_url)
    if not index.store.indexed_files():
        ingest_into(settings, [settings.documents_dir], embedder=embedder, index=index)
    elif stale := stale_files(index, settings.chunk_chars, settings.chunk_overlap):
        ingest_into(settings, stale, embedder=embedder, index=index)
    return Assistant(settings, index, embedder)
