"""The evaluation set: its record type, the loader, and the validator.

The set is a JSONL file (``eval/questions.jsonl``, documented in
``eval/README.md``); the team adds questions by hand, so every problem is
reported as one line naming the file, the line and what is wrong.

>>> item = EvalItem(id="fact-contact", category="fact", question="Wie?", language="nl", answerable=True,
...                 answer_type="person", facts=[["Marielle Stitzinger"]],
...                 citations=[{"source": "000.txt", "section": None}])
>>> item.gold[0].source
'000.txt'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from regioassist.evaluation.metrics import Ref, fact_present, normalise_section

Category = Literal[
    "decision", "fact", "cross_document", "scoped", "follow_up", "unanswerable", "english", "paraphrase",
    "structure", "time", "table",
]
# What kind of fact an answerable question asks for (eval/README.md).
AnswerType = Literal["amount", "date", "person", "number", "list", "yes_no", "decision", "text"]

# Every id starts with its category's prefix.
ID_PREFIX = {
    "decision": "dec-", "fact": "fact-", "cross_document": "cross-", "scoped": "scoped-", "follow_up": "fu-",
    "unanswerable": "un-", "english": "en-", "paraphrase": "para-", "structure": "str-", "time": "time-",
    "table": "tab-",
}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# The least number of questions per category for the set to mean something.
MINIMUM_PER_CATEGORY = {
    "decision": 15, "fact": 20, "cross_document": 8, "scoped": 8,
    "follow_up": 8, "unanswerable": 25, "english": 6, "paraphrase": 10,
    "structure": 8, "time": 6, "table": 3,
}


class GoldCitation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="File name of the document in documents/.")
    section: str | None = Field(description="Agenda item or heading; null for the document header.")


class EvalFilters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    domain: str | None = None
    doc_type: str | None = None


class EvalItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    category: Category
    question: str = Field(min_length=1)
    language: Literal["nl", "en"]
    answerable: bool
    answer_type: AnswerType | None = None  # required for answerable items outside review drafts
    facts: list[list[str]] = Field(default_factory=list)
    citations: list[GoldCitation] = Field(default_factory=list)
    filters: EvalFilters | None = None
    conversation: list[str] = Field(default_factory=list)
    notes: str | None = None
    review: bool = False  # a draft (e.g. from chat feedback) that a person has yet to check

    @model_validator(mode="after")
    def _consistent(self) -> "EvalItem":
        if self.answerable != (self.category != "unanswerable"):
            raise ValueError("'answerable' is false exactly for the unanswerable category")
        if self.answerable and not self.citations:
            raise ValueError("an answerable question needs at least one gold citation")
        if not self.answerable and (self.citations or self.facts):
            raise ValueError("an unanswerable question has no facts and no citations")
        if not self.answerable and self.answer_type is not None:
            raise ValueError("an unanswerable question has no 'answer_type'")
        prefix = ID_PREFIX[self.category]
        if not self.id.startswith(prefix) or not _SLUG.fullmatch(self.id):
            raise ValueError(f"a {self.category} id is a lowercase slug starting with {prefix!r}")
        if self.category == "cross_document" and len({Path(c.source).name for c in self.citations}) < 2:
            raise ValueError("a cross_document question cites at least two documents")
        if self.category == "time" and not (self.notes or "").strip():
            raise ValueError("a time question needs 'notes' saying what its time phrase resolves to")
        if (self.category == "follow_up") != bool(self.conversation):
            raise ValueError("'conversation' is required for follow_up questions and only there")
        if (self.category == "scoped") != (self.filters is not None):
            raise ValueError("'filters' is required for scoped questions and only there")
        if self.category == "english" and self.language != "en":
            raise ValueError("an english question has language 'en'")
        if any(not alternatives or not all(a.strip() for a in alternatives) for alternatives in self.facts):
            raise ValueError("each fact is a non-empty list of non-empty alternatives")
        return self

    @property
    def gold(self) -> tuple[Ref, ...]:
        return tuple(Ref(c.source, c.section) for c in self.citations)


class DatasetError(Exception):
    """The evaluation set has problems; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the evaluation set:\n" + "\n".join(problems))
        self.problems = problems


def load_items(path: Path) -> list[EvalItem]:
    """Parse every line; raise DatasetError listing all problems (not just the first)."""
    items, problems, seen = [], [], set()
    if not path.is_file():
        raise DatasetError([f"{path}: no such file"])
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = EvalItem.model_validate(json.loads(line))
        except json.JSONDecodeError as error:
            problems.append(f"{where}: not valid JSON ({error.msg})")
            continue
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "item"
            problems.append(f"{where}: {field}: {first['msg']}")
            continue
        if item.id in seen:
            problems.append(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if problems:
        raise DatasetError(problems)
    return items


@dataclass(frozen=True)
class CorpusDocument:
    """What the validator needs to know of one shipped document."""

    text: str
    sections: frozenset[str]  # normalised section titles, as the structure finder sees them


def validate_against_corpus(
    items: list[EvalItem], corpus: dict[str, CorpusDocument], path: Path, *, minimums: bool = True
) -> None:
    """Check the set against the documents, and its size per category; all problems at once.

    Every gold citation names a known document and one of its agenda items or
    sections; every fact (one of its alternatives) stands in a cited document;
    every answerable item that is not a ``review`` draft has an ``answer_type``
    (drafts leave it to the reviewer). A file of drafts only (every item
    ``review``) is not the set, so its size is not checked; nor is a second corpus's
    (``minimums=False``), which adds to the set rather than standing alone.
    """
    problems = []
    for item in items:
        # checked here, not in EvalItem, so a stripped draft still gets the whole report
        if item.answerable and item.answer_type is None and not item.review:
            problems.append(f"{path}: {item.id}: an answerable question needs an 'answer_type'")
        cited = []
        for citation in item.citations:
            name = Path(citation.source).name
            document = corpus.get(name)
            if document is None:
                problems.append(f"{path}: {item.id}: unknown document {citation.source!r}")
                continue
            cited.append(document)
            if citation.section is not None and normalise_section(citation.section) not in document.sections:
                problems.append(f"{path}: {item.id}: unknown agenda item or section {citation.section!r} in {name}")
        for alternatives in item.facts:
            if cited and not any(fact_present(alternatives, d.text) for d in cited):
                problems.append(f"{path}: {item.id}: fact {alternatives!r} appears in no cited document")
    drafts_only = bool(items) and all(item.review for item in items)
    counts = Counter(item.category for item in items)
    for category, minimum in MINIMUM_PER_CATEGORY.items():
        if counts[category] < minimum and not drafts_only and minimums:
            problems.append(f"{path}: category {category!r} has {counts[category]} questions, at least {minimum} needed")
    if problems:
        raise DatasetError(problems)


def load_corpus(documents_dir: Path) -> dict[str, CorpusDocument]:
    """File name -> text and section titles, for every document the structure finder reads."""
    from regioassist.ingest import expand_paths
    from regioassist.readers import read_document
    from regioassist.structure import parse_document

    files, _ = expand_paths([documents_dir])
    corpus = {}
    for path in files:
        doc = parse_document(read_document(path))
        titles = frozenset(normalise_section(s.title) for s in doc.sections if s.title)
        corpus[path.name] = CorpusDocument(doc.text, titles)
    return corpus
