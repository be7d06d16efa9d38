"""The chat server through gradio_client: answers with cards, follow-ups per user, feedback,
decisions and documents. The server is real (`regioassist serve` on 127.0.0.1, real model,
real Chroma directory)."""

from __future__ import annotations

import csv
import re
import shutil
import threading
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from regioassist.config import REPO_ROOT
from regioassist.feedback import FeedbackStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FILTERS_NONE = ("(alle)", "(alle)", "", "")


def ask(client: Client, question: str, history=(), filters=FILTERS_NONE):
    messages, typed, notice = client.predict(question, list(history), *filters, api_name="/ask")
    return messages, typed, notice


def titles(messages) -> list[str]:
    return [m["metadata"]["title"] for m in messages if (m.get("metadata") or {}).get("title")]


def text_of(message) -> str:
    content = message["content"]
    if isinstance(content, list):  # gradio_client may return [{"type": "text", "text": ...}]
        return "".join(part.get("text", "") for part in content)
    return content


@pytest.fixture()
def client(server):
    c = Client(server.url, verbose=False)
    yield c
    c.close()


def test_answer_has_a_card_per_citation_naming_the_meeting_and_item(client):
    messages, typed, notice = ask(client, "Wat is besloten over verblijf?")
    assert typed == "" and notice == ""
    assert messages[0]["role"] == "user" and text_of(messages[0]) == "Wat is besloten over verblijf?"
    answer = text_of(messages[1])
    assert "**[1]**" in answer
    cards = titles(messages)
    assert any("18 maart 2021" in t and "agendapunt Verblijf" in t for t in cards), cards
    # Every [n] in the answer has its card, and nothing else does.
    numbers = sorted({int(n) for n in re.findall(r"\*\*\[(\d+)\]\*\*", answer)})
    assert [int(t[1 : t.index("]")]) for t in cards] == numbers
    body = text_of(messages[2])
    assert "<mark>" in body and "/gradio_api/file=" in body


def test_the_link_in_a_card_serves_the_original_file(client, server):
    import urllib.request

    messages, _, _ = ask(client, "Wat is besloten over verblijf?")
    href = re.search(r'href="([^"]+)"', text_of(messages[2])).group(1).replace("&amp;", "&")
    body = urllib.request.urlopen(server.url.rstrip("/") + href.split("#")[0], timeout=10).read().decode("utf-8")
    assert "Verblijf" in body


def test_follow_up_uses_the_conversation_and_says_how_it_was_understood(client):
    first, _, _ = ask(client, "Wat is besloten over verblijf?")
    second, _, _ = ask(client, "En wat is er in 2023 over besloten?", history=first)
    answer = text_of(second[len(first) + 1])
    assert answer.startswith("*Opgevat als: Wat is er in 2023 besloten over verblijf?*")
    cards = titles(second[len(first) :])
    assert cards and all("2023" in t for t in cards), cards


def test_two_users_keep_their_own_conversation(server):
    results = {}

    def user(name, opening, topic_word):
        c = Client(server.url, verbose=False)
        first, _, _ = ask(c, opening)
        second, _, _ = ask(c, "En wat is er in 2023 over besloten?", history=first)
        results[name] = (text_of(second[len(first) + 1]), topic_word)
        c.close()

    threads = [
        threading.Thread(target=user, args=("a", "Wat is besloten over verblijf?", "verblijf")),
        threading.Thread(target=user, args=("b", "Wat is besloten over dagbesteding?", "dagbesteding")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for understood, topic_word in results.values():
        assert f"besloten over {topic_word}?" in understood.splitlines()[0]
    assert len(results) == 2


def test_filters_are_applied_and_a_bad_date_is_one_line(client):
    messages, _, _ = ask(client, "Wat is besloten over verblijf?", filters=("(alle)", "(alle)", "2023-01-01", ""))
    cards = titles(messages)
    assert cards and all("2023" in t for t in cards)
    messages, typed, notice = ask(client, "Wat is besloten?", filters=("(alle)", "(alle)", "23-02-2023", ""))
    assert notice == "**Let op:** Vanaf: '23-02-2023' is geen datum; gebruik JJJJ-MM-DD, bijv. 2023-02-23"
    assert typed == "Wat is besloten?"  # the question stays for a second try


def test_a_question_the_documents_do_not_answer_is_declined_plainly(client):
    messages, _, _ = ask(client, "Hoeveel kost een parkeervergunning in Amsterdam?")
    assert text_of(messages[1]).startswith("De documenten geven geen antwoord op deze vraag")
    assert titles(messages) == []


def test_a_comment_is_stored_with_the_answer_it_is_about(client, server):
    ask(client, "Wie is contactpersoon van het overleg van februari 2023?")
    notice, box = client.predict("Graag ook het telefoonnummer", api_name="/comment")
    assert notice == "Bedankt: uw opmerking is opgeslagen." and box == ""
    rows = [r for r in FeedbackStore.beside(server.index_dir).all() if r.comment == "Graag ook het telefoonnummer"]
    assert len(rows) == 1
    row = rows[0]
    assert row.question == "Wie is contactpersoon van het overleg van februari 2023?"
    assert "Stitzinger" in row.answer and row.citations and row.settings["index_dir"]


def test_decision_register_with_search_and_csv(client):
    table, count, csv_file = client.predict("verblijf", "(alle)", "(alle)", "", "", api_name="/decisions")
    rows = table["data"]
    assert count == f"{len(rows)} besluiten" and rows
    dates = [r[0] for r in rows]
    assert "18 maart 2021" in dates and any("2023" in d for d in dates)
    with open(csv_file, encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == len(rows)
    assert {e["date"] for e in exported} >= {"2021-03-18"}


def test_upload_ask_and_remove_a_document(client, server, tmp_path):
    upload = tmp_path / "Resumé PFHO april 2023.txt"
    shutil.copy(REPO_ROOT / "tests" / "fixtures" / "resume_pfho_2023-04-13.txt", upload)
    bad = tmp_path / "virus.exe"
    bad.write_bytes(b"MZ....")
    notice = client.predict([handle_file(str(upload)), handle_file(str(bad))], api_name="/upload")
    assert "**Toegevoegd:** Resumé PFHO april 2023.txt" in notice
    assert "**Niet toegevoegd:** virus.exe: dit bestandstype wordt niet ondersteund" in notice

    question = "Hoeveel geld is nodig voor de campagne voor gezinshuisouders?"
    messages, _, _ = ask(client, question)
    assert "€ 40.000" in text_of(messages[1])
    assert any("13 april 2023" in t for t in titles(messages))

    stored = [p for p in (server.index_dir / "files").iterdir() if p.suffix == ".txt"]
    assert len(stored) == 1
    removed = client.predict(str(stored[0].resolve()), api_name="/remove")
    assert removed.startswith("**Verwijderd:** Resumé Overleg portefeuillehouders sociaal domein 13 april 2023")
    assert not stored[0].exists()
    messages, _, _ = ask(client, question)
    assert "€ 40.000" not in text_of(messages[1])
    assert not any("13 april 2023" in t for t in titles(messages))


def test_questions_are_answered_while_a_document_is_being_indexed(client, server, tmp_path):
    # A programme of ~37 chunks takes several seconds to embed on two cores.
    big = tmp_path / "programma kopie.txt"
    big.write_text("Kopie voor de test.\n\n" + (REPO_ROOT / "documents" / "002_6920f39aae3c4dc5.txt").read_text(
        encoding="utf-8"), encoding="utf-8")
    upload = client.submit([handle_file(str(big))], api_name="/upload")
    asker = Client(server.url, verbose=False)
    try:
        messages, _, _ = ask(asker, "Wat is besloten over verblijf?")
        answered_while_indexing = not upload.done()
    finally:
        asker.close()
    assert "18 maart 2021" in " ".join(titles(messages))
    assert upload.result(timeout=300).startswith("**Toegevoegd:** programma kopie.txt")
    assert answered_while_indexing, "the question waited for the upload"
    stored = [p for p in (server.index_dir / "files").iterdir() if p.name.startswith("programma kopie")]
    assert client.predict(str(stored[0].resolve()), api_name="/remove").startswith("**Verwijderd:**")
