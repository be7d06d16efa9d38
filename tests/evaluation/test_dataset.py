import json

import pytest

from regioassist.evaluation.dataset import (
    ID_PREFIX,
    MINIMUM_PER_CATEGORY,
    CorpusDocument,
    DatasetError,
    load_items,
    validate_against_corpus,
)

pytestmark = pytest.mark.unit

CORPUS = {
    "a.txt": CorpusDocument("Het PFHO stelt voorstel 1 en 2 vast. Budget €30.000.", frozenset({"verblijf"})),
    "b.txt": CorpusDocument("Aanwezig Flip de Groot (Laren). Banenafspraak. BaanTalent.",
                            frozenset({"banenafspraak", "baantalent"})),
}


def item(**overrides):
    """A valid fact item; the id follows the category unless given."""
    category = overrides.get("category", "fact")
    base = {
        "id": f"{ID_PREFIX.get(category, '')}x", "category": category, "question": "Wat?", "language": "nl",
        "answerable": True, "answer_type": "amount", "facts": [["€ 30.000"]],
        "citations": [{"source": "a.txt", "section": "Verblijf"}],
    }
    base.update(overrides)
    return base


def unanswerable(**overrides):
    return item(**{"category": "unanswerable", "answerable": False, "answer_type": None, "facts": [],
                   "citations": [], **overrides})


def write(tmp_path, *rows):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_all_problems_reported_one_line_each(tmp_path):
    path = write(
        tmp_path,
        item(),
        item(),  # duplicate id
        item(id="un-y", category="unanswerable"),  # answerable but category unanswerable
        item(id="fact-z", extra_field=1),
        "{broken",
    )
    with pytest.raises(DatasetError) as caught:
        load_items(path)
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0] == f"{path}:2: duplicate id 'fact-x'"
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
        ({"id": "dec-x"}, "a fact id is a lowercase slug starting with 'fact-'"),
        ({"id": "fact-Groot woord"}, "lowercase slug"),
        ({"id": "x", "category": "structure"}, "starting with 'str-'"),
        ({"id": "fact-x", "category": "table"}, "starting with 'tab-'"),
        ({"answer_type": "bedrag"}, "answer_type: Input should be"),
        ({"category": "time"}, "needs 'notes' saying what its time phrase resolves to"),
        ({"category": "time", "notes": "  "}, "needs 'notes'"),
        ({"category": "cross_document",
          "citations": [{"source": "a.txt", "section": "Verblijf"}, {"source": "docs/a.txt", "section": None}]},
         "cites at least two documents"),
    ],
)
def test_item_rules(tmp_path, overrides, message):
    with pytest.raises(DatasetError) as caught:
        load_items(write(tmp_path, item(**overrides)))
    assert message in caught.value.problems[0]


def test_unanswerable_has_no_answer_type(tmp_path):
    with pytest.raises(DatasetError) as caught:
        load_items(write(tmp_path, unanswerable(answer_type="text")))
    assert "an unanswerable question has no 'answer_type'" in caught.value.problems[0]
    assert load_items(write(tmp_path, unanswerable()))[0].answer_type is None


def test_new_categories_and_answer_types(tmp_path):
    rows = [
        item(id="str-agenda", category="structure", answer_type="list", facts=[["Banenafspraak"], ["BaanTalent"]],
             citations=[{"source": "b.txt", "section": "Banenafspraak"}, {"source": "b.txt", "section": "BaanTalent"}]),
        item(id="str-documenten", category="structure", answer_type="list", facts=[["Flip de Groot"], ["PFHO"]],
             citations=[{"source": "a.txt", "section": None}, {"source": "b.txt", "section": None}]),
        item(id="time-laatste", category="time", answer_type="decision", facts=[["voorstel 1 en 2"]],
             notes="'de laatste vergadering' = a.txt"),
        item(id="tab-rij", category="table", answer_type="yes_no"),
        item(id="cross-ab", category="cross_document", answer_type="text", facts=[["PFHO"], ["Flip de Groot"]],
             citations=[{"source": "a.txt", "section": "Verblijf"}, {"source": "b.txt", "section": None}]),
    ]
    items = load_items(write(tmp_path, *rows))
    assert [(i.category, i.answer_type) for i in items] == [
        ("structure", "list"), ("structure", "list"), ("time", "decision"), ("table", "yes_no"),
        ("cross_document", "text"),
    ]
    with pytest.raises(DatasetError) as caught:
        validate_against_corpus(items, CORPUS, tmp_path / "q.jsonl")
    # only the sizes are wrong: a structure item may cite several agenda items and several headers
    assert all("questions, at least" in p for p in caught.value.problems)


def test_answer_type_required_outside_drafts(tmp_path):
    items = load_items(write(tmp_path, item(answer_type=None), unanswerable(), item(id="fact-draft", answer_type=None,
                                                                                   review=True)))
    with pytest.raises(DatasetError) as caught:
        validate_against_corpus(items, CORPUS, tmp_path / "q.jsonl")
    problems = [p.split(": ", 1)[1] for p in caught.value.problems]
    assert "fact-x: an answerable question needs an 'answer_type'" in problems
    assert not any(p.startswith(("un-x:", "fact-draft:")) for p in problems)
    # a file of drafts only: no answer_type needed and no minimum counts
    drafts = load_items(write(tmp_path, item(answer_type=None, review=True)))
    validate_against_corpus(drafts, CORPUS, tmp_path / "q.jsonl")


def test_every_category_has_a_prefix_and_a_minimum():
    assert set(ID_PREFIX) == set(MINIMUM_PER_CATEGORY)
    assert {ID_PREFIX[c] for c in ("structure", "time", "table")} == {"str-", "time-", "tab-"}
    assert MINIMUM_PER_CATEGORY["unanswerable"] >= 25
    assert MINIMUM_PER_CATEGORY["structure"] >= 8 and MINIMUM_PER_CATEGORY["time"] >= 6


def test_corpus_checks(tmp_path):
    items = load_items(write(
        tmp_path,
        item(),  # fine: '€ 30.000' matches '€30.000', 'Verblijf' is a section
        item(id="fact-b", citations=[{"source": "nope.txt", "section": None}]),
        item(id="fact-c", citations=[{"source": "a.txt", "section": "Dagbehandeling"}]),
        item(id="fact-d", facts=[["€ 40.000"]]),
    ))
    with pytest.raises(DatasetError) as caught:
        validate_against_corpus(items, CORPUS, tmp_path / "q.jsonl")
    problems = [p.split(": ", 1)[1] for p in caught.value.problems]
    assert "fact-b: unknown document 'nope.txt'" in problems
    assert "fact-c: unknown agenda item or section 'Dagbehandeling' in a.txt" in problems
    assert "fact-d: fact ['€ 40.000'] appears in no cited document" in problems
    # 4 fact questions, none of the other categories: every minimum is reported
    assert sum("questions, at least" in p for p in problems) == len(MINIMUM_PER_CATEGORY)
    assert not any(p.startswith("fact-x:") for p in problems)
