"""Shared fixtures. Every test gets its own index directory; nothing touches the repo's index/."""

from __future__ import annotations

from pathlib import Path

import pytest

from regioassist.config import REPO_ROOT, Settings, apply_offline_env

apply_offline_env()

SEED_DIR = REPO_ROOT / "documents"


@pytest.fixture(autouse=True)
def isolated_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default index at a fresh temp directory for every test."""
    index_dir = tmp_path / "index"
    monkeypatch.setenv("REGIOASSIST_INDEX_DIR", str(index_dir))
    return index_dir


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The real converted multilingual-e5-small, converted once and cached on disk."""
    from regioassist.convert import ensure_model

    return ensure_model(Settings().model_dir)


@pytest.fixture(scope="session")
def real_embedder(model_dir: Path):
    from regioassist.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model_dir)


@pytest.fixture
def fake_embedder():
    from regioassist.embedding import HashEmbedder

    return HashEmbedder()
