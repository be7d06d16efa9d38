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
from functools import lru_cache
from pathlib import Path

from regioassist.config import REPO_ROOT

DEFAULT_PHRASES = REPO_ROOT / "prompts" / "extractive.toml"

# Every key a language must define, with the placeholders its text must contain.
REQUIRED_PHRASES: dict[str, set[str]] = {
    "decline": set(),
    "decline_missing": {"missing"},
    "decline_name": {"name"},
    "decline_unknown": {"word"},
    "missing_money": set(),
    "missing_number": set(),
    "missing_when": set(),
    "missing_day": set(),
    "decisions": {"topic"},
    "decisions_any": set(),
    "found": set(),
    "item": set(),
    "sources": set(),
    "page": set(),
    # Answers from a document's header and agenda (meetings.py).
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
    "meeting_agenda": set(),
    "meeting_list": set(),
    "meeting_documents": set(),
    "meeting_person": {"name"},
    "meeting_person_missing": {"name"},
    "meeting_present_label": set(),
    "meeting_absent_label": set(),
    "meeting_unknown": {"date", "known"},
}


class PromptError(ValueError):
    """A prompt file that cannot be used; the message is one line naming file and problem."""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@lru_cache(maxsize=8)
def load_phrases(path: Path) -> dict[str, dict[str, str]]:
    """language -> key -> text, validated against REQUIRED_PHRASES."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PromptError(f"{path}: prompt file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise PromptError(f"{path}: not valid TOML ({error})") from None
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
