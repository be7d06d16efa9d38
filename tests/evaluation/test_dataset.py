import json

import pytest

from regioassist.evaluation.dataset import (
    MINIMUM_PER_CATEGORY,
    CorpusDocument,
    DatasetError,
    load_items,
    validate_against_corpus,
)

pytestmark = pytest.mark.unit

CORPUS = {"a.txt": CorpusDocument("Het PFHO stelt voorstel 1 en 2 vast. Budget €30.000.", frozenset({"verblijf"}))}


def item(**overrides):
    base = {
        "id": "x", "category": "fact", "question": "Wat?", "language": "nl", "answerable": True,
        "facts": [["€ 30.000"]], "citations": [{"source": "a.txt", "section": "Verblijf"}],
    }
    base.update(overrides)
    return base


def write(tmp_path, *rows):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_all_problems_reported_one_line_each(tmp_path):
    path = write(
        tmp_path,
        item(),
        item(),  # duplicate id
        item(id="y", category="unanswerable"),  # answerable but category unanswerable
        item(id="z", extra_field=1),
        "{broken",
    )
    with pytest.raises(DatasetError) as caught:
        load_items(path)
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0] == f"{path}:2: duplicate id 'x'"
    assert problems[1].startswith(f"{path}:3: item: Value error, 'answerable' is false exactly")
    assert problems[2].startswith(f"{path}:4: extra_field:")
    assert problems[3].startswith(f"{path}:5: not valid JSON")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"category": "follow_up"}, "'conversation' is required"),
        ({"category": "scoped"}, "'filters' is required"),
        ({"category": "english"}, "language 'en'"),
        ({"facts": [[]]}, "non-empty list"),
        ({"citations": []}, "needs at least one gold citation"),
    ],
)
def test_item_rules(tmp_path, overrides, message):
    with pytest.raises(DatasetError) as caught:
        load_items(write(tmp_path, item(**overrides)))
    assert message in caught.value.problems[0]


def test_corpus_checks(tmp_path):
    items = load_items(write(
        tmp_path,
        item(),  # fine: '€ 30.000' matches '€30.000', 'Verblijf' is a section
        item(id="b", citations=[{"source": "nope.txt", "section": None}]),
        item(id="c", citations=[{"source": "a.txt", "section": "Dagbehandeling"}]),
        item(id="d", facts=[["€ 40.000"]]),
    ))
    with pytest.raises(DatasetError) as caught:
        validate_against_corpus(items, CORPUS, tmp_path / "q.jsonl")
    problems = [p.split(": ", 1)[1] for p in caught.value.problems]
    assert "b: unknown document 'nope.txt'" in problems
    assert "c: unknown agenda item or section 'Dagbehandeling' in a.txt" in problems
    assert "d: fact ['€ 40.000'] appears in no cited document" in problems
    # 4 fact questions, none of the other categories: every minimum is reported
    assert sum("questions, at least" in p for p in problems) == len(MINIMUM_PER_CATEGORY)
    assert not any(p.startswith("x:") for p in problems)
