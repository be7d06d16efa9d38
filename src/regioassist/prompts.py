"""Prompt files: the text the answerer frames its answers with, loaded from ``prompts/``.

Checked when loaded, so a missing key or placeholder is an error at start-up,
not a silent bad answer.

>>> phrases = load_phrases(DEFAULT_PHRASES)
>>> phrases["nl"]["decisions"].format(topic="verblijf")
'Besluiten en afspraken over verblijf, per vergadering:'
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from regioassist.config import REPO_ROOT

DEFAULT_PHRASES = REPO_ROOT / "prompts" / "extractive.toml"

# Every key a language must define, with the placeholders its text must contain.
REQUIRED_PHRASES: dict[str, set[str]] = {
    "decline": set(),
    "decline_missing": {"missing"},
    "decline_name": {"name"},
    # "Wat is er besloten over de kinderopvang in Huizen?" met passages on Huizen about other things.
    "decline_place_topic": {"place", "topic"},
    "decline_unknown": {"word"},
    "missing_money": set(),
    "missing_number": set(),
    "missing_when": set(),
    "missing_day": set(),
    "missing_duration": set(),
    "missing_frequency": set(),
    "missing_name": set(),
    "decline_promised": set(),
    # "Waar staat WEB voor?": what a passage writes an abbreviation out as, or that none does.
    "spelled_out": {"abbreviation", "expansion"},
    "decline_spelled_out": {"abbreviation"},
    # A part of a compound question no passage answers ("..., en hoeveel geld ...?").
    "part_unanswered": {"part"},
    "decisions": {"topic"},
    "decisions_any": set(),
    "found": set(),
    "item": set(),
    "sources": set(),
    "page": set(),
    # Answers from a document's header and agenda (meetings/).
    "meeting_present": set(),
    "meeting_present_from": {"municipality"},
    "meeting_absent": set(),
    "meeting_absent_from": {"municipality"},
    "meeting_nobody_from": {"municipality"},
    "meeting_incomplete": set(),
    "meeting_not_given": set(),
    "meeting_also": {"place"},
    "meeting_contact": set(),
    "meeting_email": set(),
    "meeting_kenmerk": set(),
    "meeting_confidential": set(),
    "meeting_agenda": set(),
    "meeting_no_decisions": set(),
    "meeting_list": set(),
    "meeting_documents": set(),
    "meeting_person": {"name"},
    "meeting_person_missing": {"name"},
    "meeting_present_label": set(),
    "meeting_absent_label": set(),
    "meeting_unknown": {"date", "known"},
    "meeting_next": {"date"},
}


class PromptError(ValueError):
    """A prompt file that cannot be used; the message is one line naming file and problem."""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _read_toml(path: Path) -> dict:
    """A prompt file's TOML; a missing or broken file is a one-line PromptError."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PromptError(f"{path}: prompt file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise PromptError(f"{path}: not valid TOML ({error})") from None


@lru_cache(maxsize=8)
def load_phrases(path: Path) -> dict[str, dict[str, str]]:
    """language -> key -> text, validated against REQUIRED_PHRASES."""
    data = _read_toml(path)
    if "nl" not in data:
        raise PromptError(f"{path}: no [nl] table (Dutch is the default language)")
    for language, phrases in data.items():
        for key, placeholders in REQUIRED_PHRASES.items():
            if not isinstance(phrases.get(key), str):
                raise PromptError(f"{path}: [{language}] has no text for {key!r}")
            found = _placeholders(phrases[key])
            if found != placeholders:
                wanted = ", ".join(f"{{{p}}}" for p in sorted(placeholders)) or "no placeholder"
                raise PromptError(f"{path}: [{language}] {key!r} must contain {wanted}, found {sorted(found)}")
    return data


# --- LLM generators (generators/llm.py) --------------------------------------------------

PROMPTS_DIR = REPO_ROOT / "prompts"
# The tag that opens the block of numbered sources (generators/context.py writes it); the
# system prompt must name it, so what the model is told and what it is sent cannot drift apart.
SOURCES_TAG = "<sources>"

# key -> the placeholders its text must contain, no more, no less.
REQUIRED_LLM_PROMPTS: dict[str, set[str]] = {
    "system": {"refusal"},
    "user": {"context", "question"},
    "refusal": set(),
    "unsupported": set(),
    "unavailable": {"reason"},
}
REQUIRED_CONDENSE_PROMPTS: dict[str, set[str]] = {"system": set(), "user": {"history", "question"}}


@dataclass(frozen=True)
class LLMPrompts:
    """The texts an LLM generator works with, for one language (``prompts/llm_system_<lang>.toml``).

    >>> prompts = load_llm_prompts("nl")
    >>> prompts.unsupported
    '(niet gevonden in de bron)'
    >>> "<sources>" in prompts.system_message()
    True
    """

    language: str
    system: str
    user: str
    refusal: str
    unsupported: str
    unavailable: str

    def system_message(self) -> str:
        return self.system.format(refusal=self.refusal)

    def user_message(self, context: str, question: str) -> str:
        return self.user.format(context=context, question=question)


@dataclass(frozen=True)
class CondensePrompt:
    """The prompt that rewrites a follow-up into a stand-alone question (``prompts/llm_condense_nl.toml``)."""

    system: str
    user: str

    def user_message(self, history: Sequence[str], question: str) -> str:
        return self.user.format(history="\n".join(f"- {turn}" for turn in history), question=question)


def _checked_table(path: Path, required: dict[str, set[str]]) -> dict[str, str]:
    """The flat TOML table at ``path``, every key of ``required`` present with exactly its placeholders."""
    data = _read_toml(path)
    for key, placeholders in required.items():
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise PromptError(f"{path}: no text for {key!r}")
        try:
            found = _placeholders(data[key])
        except ValueError as error:  # a lone brace: "{" or "}"
            raise PromptError(f"{path}: {key!r} has a stray brace ({error}); write {{{{ or }}}}") from None
        if found != placeholders:
            wanted = ", ".join(f"{{{p}}}" for p in sorted(placeholders)) or "no placeholder"
            raise PromptError(f"{path}: {key!r} must contain {wanted}, found {sorted(found)}")
    return {key: data[key] for key in required}


@lru_cache(maxsize=8)
def load_llm_prompts(language: str, directory: Path = PROMPTS_DIR) -> LLMPrompts:
    """The LLM prompts for ``language``; Dutch when the language has no file of its own."""
    path = Path(directory) / f"llm_system_{language}.toml"
    if language != "nl" and not path.is_file():
        return load_llm_prompts("nl", directory)
    table = _checked_table(path, REQUIRED_LLM_PROMPTS)
    if SOURCES_TAG not in table["system"]:
        raise PromptError(f"{path}: 'system' must tell the model that the sources stand inside {SOURCES_TAG}")
    return LLMPrompts(language=language, **table)


@lru_cache(maxsize=4)
def load_condense_prompt(directory: Path = PROMPTS_DIR) -> CondensePrompt:
    """The follow-up rewriting prompt (one file, used for every language)."""
    return CondensePrompt(**_checked_table(Path(directory) / "llm_condense_nl.toml", REQUIRED_CONDENSE_PROMPTS))
