"""The CLI through its real entry point: typer's CliRunner and, for start-up, a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regioassist.cli import app

runner = CliRunner()


@pytest.mark.unit
def test_help_imports_no_heavy_library():
    code = (
        "import sys; from typer.testing import CliRunner; from regioassist.cli import app; "
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'chromadb', 'gradio', 'llama_index.core') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.unit
@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", "vraag", "--from", "2023-13-01"], "--from expects a date as YYYY-MM-DD, got '2023-13-01'"),
        (["ask", "vraag", "--from", "2023-02-01", "--to", "2022-01-01"], "--from is after --to"),
        (["ask"], "give a question, or --batch FILE"),
        (["ask", "   "], "give a question, or --batch FILE"),
        (["ask", "vraag", "--batch", "nope.txt"], "give either a question or --batch, not both"),
        (["ask", "--batch", "does-not-exist.txt"], "does-not-exist.txt: no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {message}"


@pytest.mark.unit
def test_status_without_index(tmp_path):
    result = runner.invoke(app, ["status", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no index here yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.unit
def test_eval_validate_reports_bad_items(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text(
        '{"id": "a", "category": "fact", "question": "Wie?", "language": "nl", "answerable": true, '
        '"facts": [["x"]], "citations": [{"source": "000_e69afd2dc3060162.txt", "section": "Bestaat niet"}]}\n'
        '{"id": "b", "category": "fact", "question": "Wie?", "language": "nl", "answerable": true, '
        '"citations": [{"source": "999.txt", "section": null}]}\n'
        '{"id": "c", "category": "nonsense", "question": "Wie?", "language": "nl", "answerable": true}\n'
        "not json\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "--validate", "--questions", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert any("q.jsonl:3: category:" in line for line in lines)
    assert any("q.jsonl:4: not valid JSON" in line for line in lines)


@pytest.mark.integration
def test_eval_validate_shipped_set():
    result = runner.invoke(app, ["eval", "--validate"])
    assert result.exit_code == 0, result.output
    assert "all valid" in result.stdout


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, model_dir):
    """The shipped documents ingested once through the CLI into a fresh index."""
    index = tmp_path_factory.mktemp("cli") / "index"
    result = runner.invoke(app, ["ingest", "documents", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "read 5, skipped as unchanged 0, same as another file 0, failed 0" in result.stdout
    return index


@pytest.mark.integration
def test_reingest_changes_nothing_and_bad_file_is_one_line(ingested, tmp_path):
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    before = json.loads(runner.invoke(app, ["status", "--index", str(ingested), "--json"]).stdout)
    result = runner.invoke(app, ["ingest", "documents", str(bad), "--index", str(ingested)])
    assert result.exit_code == 1  # a failed file fails the command; the rest of the batch still counts
    assert "read 0, skipped as unchanged 5, same as another file 0, failed 1" in result.stdout
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and "kapot.pdf" in failures[0]
    after = json.loads(runner.invoke(app, ["status", "--index", str(ingested), "--json"]).stdout)
    assert after == before
    assert after["totals"]["documents"] == 5


@pytest.mark.integration
def test_ask_json_contract(ingested):
    result = runner.invoke(app, ["ask", "Wat is besloten over verblijf?", "--json", "--index", str(ingested)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"question", "language", "answered", "answer", "understood", "time_note", "confidence",
                           "citations", "generator", "fallback", "removed_citations"}
    assert answer["understood"] is None  # asked in the documents' own words
    assert (answer["generator"], answer["fallback"], answer["removed_citations"]) == ("extractive", None, [])
    assert answer["time_note"] is None and 0.8 <= answer["confidence"] <= 1.0
    assert answer["answered"] and answer["language"] == "nl"
    keys = {"n", "source", "title", "doc_type", "date", "domain", "agenda_item", "page", "quote", "score"}
    assert all(set(c) == keys for c in answer["citations"])
    cited = {(c["date"], c["agenda_item"]) for c in answer["citations"]}
    assert ("2021-03-18", "Verblijf") in cited
    assert ("2023-02-23", "Jeugdhulp met verblijf") in cited
    assert ("2023-02-23", "Verlengen en uitbreiden gezinsgerichte groep") in cited


@pytest.mark.integration
def test_ask_says_how_it_read_everyday_words_and_a_broken_glossary_is_one_line(ingested, tmp_path, monkeypatch):
    question = "Welk deel van de doorverwijzingen naar jeugdzorg komt van de dokter?"
    result = runner.invoke(app, ["ask", question, "--index", str(ingested)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Opgevat als: Welk deel van de doorverwijzingen naar jeugdzorg komt van de huisarts?")
    result = runner.invoke(app, ["ask", question, "--json", "--index", str(ingested)])
    assert json.loads(result.stdout)["understood"].endswith("van de huisarts?")

    broken = tmp_path / "synoniemen.txt"
    broken.write_text("huisarts | dokter\nalleen\n", encoding="utf-8")
    monkeypatch.setenv("REGIOASSIST_SYNONYMS_FILE", str(broken))
    result = runner.invoke(app, ["ask", question, "--index", str(ingested)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.stderr.strip() == f"error: {broken}:2: a synonym group needs two or more members separated by '|'"


@pytest.mark.integration
def test_ask_batch_from_stdin(ingested):
    questions = "Wie is contactpersoon van het overleg van februari 2023?\n\nWat kost een kaartje voor de Efteling?\n"
    result = runner.invoke(app, ["ask", "--json", "--batch", "-", "--index", str(ingested)], input=questions)
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["answered"] and "Marielle Stitzinger" in first["answer"]
    assert not second["answered"] and second["citations"] == []


@pytest.mark.integration
def test_chat_follow_up_of_a_follow_up_keeps_the_conversations_topic(ingested):
    turns = ("Wat staat er in de raadsinformatiebrief van Huizen over Join Us?\nWaarom is het gestopt?\n"
             "Wanneer komt de doorstart?\n")
    result = runner.invoke(app, ["chat", "--index", str(ingested)], input=turns)
    assert result.exit_code == 0, result.output
    third = result.stdout.split("vraag>")[3]
    assert "doorstart" in third and "Join us" in third
    assert "Zorgstart" not in third  # "Wanneer komt ...?" alone resembles a mededeling about Zorgstart


@pytest.mark.integration
def test_ask_with_filters(ingested):
    result = runner.invoke(
        app, ["ask", "Wat is besloten over verblijf?", "--json", "--from", "2023-01-01", "--index", str(ingested)]
    )
    answer = json.loads(result.stdout)
    assert answer["citations"] and all(c["date"] >= "2023-01-01" for c in answer["citations"])


@pytest.mark.integration
def test_index_check_and_repair(tmp_path, fake_embedder):
    import dataclasses

    from regioassist.index import LocalIndex
    from regioassist.ingest import ingest_paths, source_name

    doc = tmp_path / "a.txt"
    doc.write_text("RESUMÉ\n\nPleegzorg\n\nHet overleg stelt het voorstel over pleegzorg vast.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    index = LocalIndex.open(index_dir)
    ingest_paths([doc], index, fake_embedder)
    n = len(index.store.all_chunks())

    result = runner.invoke(app, ["index", "check", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"index {index_dir}: {n} chunks in Chroma, {n} in the keyword index", "consistent"]

    chunk = index.store.all_chunks()[0]
    index.store.upsert(str(doc.resolve()), [dataclasses.replace(chunk, id="copy")],
                       fake_embedder.embed([chunk.indexed_text], kind="passage"))
    result = runner.invoke(app, ["index", "check", "--index", str(index_dir)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"index {index_dir}: {n + 1} chunks in Chroma, {n} in the keyword index",
        f"problem: {source_name(doc)}: 1 passage stored more than once",
        f"problem: {source_name(doc)}: 1 chunk in Chroma but not in the keyword index",
        "inconsistent: 2 problems (regioassist index check --repair mends them)",
    ]

    result = runner.invoke(app, ["index", "check", "--repair", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"repaired: deleted the {n + 1} chunks of {source_name(doc)}; index it again: regioassist ingest {doc.resolve()}",
        "repaired: rebuilt the keyword index from the 0 chunks in Chroma",
        f"index {index_dir}: 0 chunks in Chroma, 0 in the keyword index",
        "consistent",
    ]


@pytest.mark.unit
def test_index_check_without_index(tmp_path):
    result = runner.invoke(app, ["index", "check", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("no index here yet (run: regioassist ingest documents/)")


ENGLISH_NOTE = """Memo on youth care

The regional board agreed to extend the youth care contracts until the end of 2025.
The municipalities will share the costs according to the number of inhabitants.
"""


@pytest.mark.integration
def test_status_shows_language_and_other_names(tmp_path, model_dir):
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "memo.txt").write_text(ENGLISH_NOTE, encoding="utf-8")
    (folder / "memo_kopie.txt").write_text(ENGLISH_NOTE, encoding="utf-8")
    index = tmp_path / "index"

    result = runner.invoke(app, ["ingest", str(folder), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "read 1, skipped as unchanged 0, same as another file 1, failed 0" in result.stdout
    assert "same content: " in result.stdout and "memo_kopie.txt: same content as " in result.stdout

    status = json.loads(runner.invoke(app, ["status", "--index", str(index), "--json"]).stdout)
    [document] = status["documents"]
    assert document["source"].endswith("memo.txt") and document["language"] == "en"
    assert document["ocr"] is False and [n.rsplit("/", 1)[-1] for n in document["other_names"]] == ["memo_kopie.txt"]
    table = runner.invoke(app, ["status", "--index", str(index)], env={"COLUMNS": "400"}).stdout
    assert " en " in table and "also as " in table and "memo_kopie.txt" in table


@pytest.mark.integration
def test_ask_with_an_llm_endpoint_checks_its_citations_and_falls_back(ingested):
    from fake_openai_server import FakeOpenAI, Reply

    with FakeOpenAI() as server:
        flags = ["--generator", "openai", "--llm-base-url", server.url, "--llm-model", "nep", "--index", str(ingested)]
        server.script(Reply("Het overleg heeft besloten over jeugdhulp met verblijf [1]. Zie ook bron [42]."))
        result = runner.invoke(app, ["ask", "Wat is besloten over verblijf?", "--json", *flags])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        assert (answer["generator"], answer["fallback"], answer["removed_citations"]) == ("openai", None, [42])
        assert answer["answered"] and [c["n"] for c in answer["citations"]] == [1] and "[42]" not in answer["answer"]
        assert "<sources>" in json.dumps(server.requests[-1], ensure_ascii=False)  # the passages went as data

        server.script(Reply(status=500))
        result = runner.invoke(app, ["ask", "Wat is besloten over verblijf?", "--json", *flags])
        answer = json.loads(result.stdout)
        assert answer["generator"] == "extractive" and answer["fallback"].startswith("error")
        assert answer["answered"] and answer["citations"]  # the extractive answer stands in

        server.script(Reply("Het overleg heeft besloten over jeugdhulp met verblijf [1]."))
        result = runner.invoke(app, ["ask", "Wat is besloten over verblijf?", "--stream", *flags])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Het overleg heeft besloten over jeugdhulp met verblijf [1].")
        assert "[1] " in result.stdout  # the sources below the streamed text


def test_an_llm_generator_without_a_model_is_one_line():
    result = runner.invoke(app, ["ask", "Wat is besloten?", "--generator", "openai", "--llm-base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: the openai generator needs a model name (REGIOASSIST_LLM_MODEL / --llm-model)"
    )
    result = runner.invoke(app, ["ask", "Wat is besloten?", "--generator", "gpt"])
    assert result.exit_code == 2 and result.stderr.startswith("error: --generator: ") and result.stderr.count("\n") == 1


@pytest.mark.integration
def test_eval_with_an_llm_compares_it_with_the_extractive_default(ingested, tmp_path):
    from fake_openai_server import FakeOpenAI, Reply

    from regioassist.config import Settings
    from regioassist.evaluation.dataset import load_items
    from regioassist.evaluation.report import write_report
    from regioassist.evaluation.runner import evaluate

    items = load_items(Path("eval/questions.jsonl"))[:3]
    with FakeOpenAI() as server:
        server.script(Reply("Het overleg heeft hierover besloten [1]."))
        settings = Settings(index_dir=ingested).with_overrides(generator="openai", llm_base_url=server.url,
                                                               llm_model="nep")
        run = evaluate(settings, items, {}, with_baseline=False)
    assert set(run["systems"]) == {"regioassist", "extractive"} and run["generator"]["configured"] == "openai"
    assert {item["generator"] for item in run["items"]} <= {"openai", "extractive"} and len(server.requests) >= 1
    markdown = write_report(run, tmp_path).markdown.read_text(encoding="utf-8")
    assert "## Against the extractive default" in markdown and "| metric | openai | extractive |" in markdown
