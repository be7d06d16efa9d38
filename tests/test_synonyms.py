"""A question's everyday words read as the documents' own (synonyms.py and its use in the assistant)."""

from __future__ import annotations

from pathlib import Path

import pytest

from regioassist.config import REPO_ROOT, Settings
from regioassist.prompts import PromptError
from regioassist.synonyms import Glossary

GLOSSARY = """
# zorg
huisarts | dokter
adviesraad | inspraakorgaan
ambulancedienst | spoedeisend ziekenvervoer
rechtszaak | gang naar de rechter
"""


class Documents:
    """The words of made-up documents, written as listed ("adviesraden" also stands for "adviesraad")."""

    written = {"huisarts", "adviesraden", "ambulancedienst", "rechtszaak", "praktijken", "week", "dagen", "gang"}

    def knows(self, word):
        return word in self.written or word == "adviesraad"

    def form(self, word, plural):
        if word == "adviesraad":
            return "adviesraden"
        return word if word in self.written else None


def reword(question: str) -> str:
    return Glossary.parse(GLOSSARY).reword(question, Documents())[0]


@pytest.mark.unit
def test_a_word_the_documents_never_use_is_read_as_its_synonym_they_do_use():
    assert reword("Hoe vaak komen de inspraakorganen bijeen?") == "Hoe vaak komen de adviesraden bijeen?"
    assert reword("Welke dokter zit in het team?") == "Welke huisarts zit in het team?"
    assert Glossary.parse(GLOSSARY).reword("Wat doet de dokter?", Documents())[1] == (("dokter", "huisarts"),)


@pytest.mark.unit
def test_a_phrase_is_replaced_whole_and_the_longest_phrase_wins():
    assert reword("Wie regelt het spoedeisend ziekenvervoer?") == "Wie regelt het ambulancedienst?"
    # "gang" alone is a word of the documents; "gang naar de rechter" as a whole is not.
    assert reword("Was de gang naar de rechter nodig?") == "Was de rechtszaak nodig?"


@pytest.mark.unit
def test_only_one_word_the_documents_write_is_put_in_and_in_their_form():
    glossary = Glossary.parse("geld | financiële middelen\nenquête | peiling\nadviesraad | inspraakorgaan")

    class Written(Documents):
        written = Documents.written | {"financiele", "middelen", "enquete"}

    # Both words of "financiële middelen" occur, which says nothing of their meaning together.
    assert glossary.reword("Hoeveel geld is er?", Written())[0] == "Hoeveel geld is er?"
    assert glossary.reword("Wanneer begint de peiling?", Written())[0] == "Wanneer begint de enquête?"
    assert glossary.reword("Wat zegt het inspraakorgaan?", Written())[0] == "Wat zegt het adviesraden?"


@pytest.mark.unit
def test_a_compound_with_an_everyday_part_gets_the_documents_part():
    assert reword("Hoeveel dagen zit hij bij de dokterspraktijken?") == "Hoeveel dagen zit hij bij de huisarts-praktijken?"
    # A short part has too many senses to swap inside a compound: a "raadhuis" is no "raad-woning".
    glossary = Glossary.parse("woning | huis")

    class Words(Documents):
        written = Documents.written | {"raad", "woning"}

    assert glossary.reword("Wat kost het raadhuis?", Words())[0] == "Wat kost het raadhuis?"


@pytest.mark.unit
def test_words_the_documents_use_and_words_the_glossary_lacks_stay_as_asked():
    for question in (
        "Wat doet de huisarts?",  # the documents' own word
        "Wat is besloten over de dokterspost?",  # "post" is no word of the documents: no compound of theirs
        "Wat is besloten over de voedselbank?",  # not in the glossary
    ):
        assert reword(question) == question
    # The documents' own plural of a member is their word too: "declaraties" stays, though "declaratie" is none.
    class Plural(Documents):
        written = {"declaraties", "factuur"}

    assert Glossary.parse("factuur | declaratie").reword("Wat is er met de declaraties?", Plural())[0] == "Wat is er met de declaraties?"
    # A shared stem is no shared word: "ouders" (parents) is not "ouderen" (the elderly).
    class Seniors(Documents):
        written = {"senioren"}

    assert Glossary.parse("ouderen | senioren").reword("Wat krijgen de ouders?", Seniors())[0] == "Wat krijgen de ouders?"
    # A group none of whose other members the documents use changes nothing.
    assert Glossary.parse("peiling | vragenlijst").reword("Wanneer start de peiling?", Documents())[0] == "Wanneer start de peiling?"
    # A name or an abbreviation is asked about as written.
    assert reword("Wie is Dokter Jansen?") == "Wie is Dokter Jansen?"
    # A word shorter than the documents' vocabulary holds may well be theirs: "rol" stays.
    class Roles(Documents):
        written = {"functie"}

    assert Glossary.parse("functie | rol").reword("Welke rol speelt de wijkcoach?", Roles())[0] == "Welke rol speelt de wijkcoach?"


@pytest.mark.unit
def test_an_empty_or_none_glossary_setting_reads_questions_as_asked(monkeypatch: pytest.MonkeyPatch):
    for value in ("", "none"):
        monkeypatch.setenv("REGIOASSIST_SYNONYMS_FILE", value)
        assert Settings().synonyms_file is None
    monkeypatch.delenv("REGIOASSIST_SYNONYMS_FILE")
    assert Settings().synonyms_file == REPO_ROOT / "prompts" / "synoniemen_nl.txt"


@pytest.mark.unit
def test_a_malformed_glossary_line_is_a_one_line_error_with_its_number(tmp_path: Path):
    path = tmp_path / "synoniemen.txt"
    path.write_text("huisarts | dokter\nalleen\n", encoding="utf-8")
    with pytest.raises(PromptError, match=r"synoniemen.txt:2: a synonym group needs two or more members"):
        Glossary.read(path)
    with pytest.raises(PromptError, match="cannot read the synonym glossary"):
        Glossary.read(tmp_path / "missing.txt")


@pytest.mark.unit
def test_the_shipped_glossary_parses_and_names_each_phrase_once():
    glossary = Glossary.read(REPO_ROOT / "prompts" / "synoniemen_nl.txt")
    assert len(glossary) >= 200
    seen: dict[tuple[str, ...], int] = {}
    for number, group in enumerate(glossary.groups):
        for member in group:
            assert seen.setdefault(member.words, number) == number, f"{member.text!r} is in two groups"


def assistant_over(prefixes, glossary_text, tmp_path, embedder):
    """ask(question, glossary=True): the shipped documents with these file prefixes in a fresh index,
    asked with a one-line glossary (or none)."""
    from regioassist.assistant import Assistant
    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths

    glossary = tmp_path / "synoniemen.txt"
    glossary.write_text(glossary_text + "\n", encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", synonyms_file=glossary)
    index = LocalIndex.open(settings.index_dir, settings.collection)
    ingest_paths([next((REPO_ROOT / "documents").glob(f"{p}_*.txt")) for p in prefixes], index, embedder)

    def ask(question, glossary=True):
        chosen = settings if glossary else settings.model_copy(update={"synonyms_file": None})
        return Assistant(chosen, index, embedder).ask(question)

    return ask


@pytest.mark.integration
def test_the_assistant_answers_in_the_documents_words_and_says_how_it_read_the_question(tmp_path, real_embedder):
    """"dokterspraktijken" is no word of the documents: it was declined as one; the letter of Huizen
    says the praktijkondersteuner works "1 dag per week" at each huisartsen practice."""
    # The letter, and the proposal that writes "praktijk" on its own.
    ask = assistant_over(("003", "004"), "huisarts | dokter", tmp_path, real_embedder)
    question = "Hoeveel tijd per week zit de nieuwe jeugdondersteuner bij elk van de dokterspraktijken?"

    answer = ask(question)
    assert answer.answered and "1 dag per week" in answer.text
    assert answer.understood and "huisartsen-praktijken" in answer.understood  # as the letter writes it
    # Something the documents never mention stays declined.
    assert not ask("Wat is er besloten over de dokterspost?").answered

    as_asked = ask(question, glossary=False)
    assert not as_asked.answered and "dokterspraktijken" in as_asked.text


@pytest.mark.integration
def test_a_passage_in_other_words_for_the_questions_thing_answers_it(tmp_path, real_embedder):
    """The minutes say "enquête onder ouders van schoolgaande kinderen"; a question about "leerlingen"
    was declined for naming a thing its one passage with a date did not."""
    # The minutes, and the programme that writes "leerlingen".
    ask = assistant_over(("001", "002"), "leerling | schoolgaand kind", tmp_path, real_embedder)
    question = "Wanneer begint de enquête onder ouders van leerlingen in de regio?"

    answer = ask(question)
    assert answer.answered and "begin april" in answer.text
    assert answer.understood is None  # "leerlingen" is a word of the documents: the question is read as asked
    assert not ask(question, glossary=False).answered


@pytest.mark.unit
def test_a_word_is_put_in_only_in_a_form_the_documents_write():
    """"bejaardenhuis" was read as "ouders-huis": "ouders" begins like "ouderen" but is another word."""
    from regioassist.answer.extractive import IndexedWords
    from regioassist.compounds import CompoundSplitter

    splitter = CompoundSplitter.from_texts(["De ouders, de minister, de adviesraden en de jongeren in een huis."])
    documents = IndexedWords(splitter, frozenset())
    assert documents.form("ouderen", plural=True) is None
    assert documents.form("minima", plural=False) is None
    assert documents.form("adviesraad", plural=False) == "adviesraden"
    assert documents.form("jongere", plural=True) == "jongeren"
    glossary = Glossary.parse("ouderen | bejaarden\nminima | mensen met een laag inkomen")
    for question in ("Komt er een nieuw bejaardenhuis?", "Wat krijgen mensen met een laag inkomen?"):
        assert glossary.reword(question, documents)[0] == question


@pytest.mark.integration
def test_the_words_a_question_is_read_by_stay_as_asked(tmp_path, real_embedder):
    """"ontbraken" makes a question ask who was absent: read as "miste" it asked for passages instead."""
    ask = assistant_over(("000",), "miste | ontbrak", tmp_path, real_embedder)
    answer = ask("Wie ontbraken er bij het overleg van 23 februari 2023?")
    assert answer.understood is None
    assert answer.answered and answer.text == ask("Wie waren er afwezig bij het overleg van 23 februari 2023?").text
