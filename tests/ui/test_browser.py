"""The chat in a real headless Chromium (Debian's, driven by Playwright): what a user sees and does.

Screenshots land in test-artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regioassist.cli import app as cli_app
from regioassist.config import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run ./scripts/setup.sh --test (the README's test command)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server.url)
    page.locator("#vraag textarea").wait_for()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(page, question: str) -> None:
    answers_before = page.locator("#gesprek .message-row").count()
    page.locator("#vraag textarea").fill(question)
    page.locator("#vraag textarea").press("Enter")
    # The user's message and the streamed answer arrive; wait until streaming has ended.
    page.wait_for_function(
        "n => document.querySelectorAll('#gesprek .message-row').length >= n + 2", arg=answers_before
    )
    page.locator("#verstuur").wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('#gesprek .pending, #gesprek .generating')")
    page.wait_for_timeout(500)


def settled_count(page, selector: str, below: int | None = None) -> int:
    """The number a count element shows once Gradio has finished updating it (the same twice in a row).

    While an update is queued the element shows Gradio's status ("queue: 1/1 ...") instead.
    """
    last = None
    for _ in range(TIMEOUT_MS // 250):
        found = re.match(r"\s*(\d+)\b", page.locator(selector).inner_text())
        value = int(found.group(1)) if found else None
        if value is not None and value == last and (below is None or value < below):
            return value
        last = value
        page.wait_for_timeout(250)
    raise AssertionError(f"{selector} never settled on a count (last: {last!r})")


def buttons_of(message_row):
    """The feedback buttons Gradio puts right after a message's row."""
    return message_row.locator("xpath=following-sibling::div[contains(@class, 'message-buttons')][1]")


def chat_text(page) -> str:
    return page.locator("#gesprek").inner_text()


def test_ask_see_source_card_follow_up_and_feedback(page, server):
    shot(page, "01-lege-chat")
    assert "Wat is besloten over verblijf?" in chat_text(page)  # an example question on the empty chat

    ask(page, "Wat is besloten over verblijf?")
    text = chat_text(page)
    assert "18 maart 2021" in text and "agendapunt Verblijf" in text
    card = page.locator("#gesprek", has_text="agendapunt Verblijf").get_by_text("agendapunt Verblijf").first
    card.click()  # open the card: the highlighted quote and the link appear
    page.locator("#gesprek mark").first.wait_for()
    assert page.locator("#gesprek a", has_text="Open het document").count() >= 1
    shot(page, "02-antwoord-met-bronkaart")

    ask(page, "En wat is er in 2023 over besloten?")
    assert "Opgevat als: Wat is er in 2023 besloten over verblijf?" in chat_text(page)
    page.get_by_text("Opgevat als").last.scroll_into_view_if_needed()
    shot(page, "03-vervolgvraag-opgevat-als")

    # An active filter stays in sight until it is cleared.
    page.locator("#filter-vanaf textarea, #filter-vanaf input").first.fill("2023-01-01")
    page.locator("#actieve-filters", has_text="Actieve filters: vanaf 1 januari 2023").wait_for()
    shot(page, "03b-actief-filter")
    page.locator("#wis-filters").click()
    page.wait_for_function("() => !document.querySelector('#actieve-filters').innerText.includes('Actieve')")

    # Thumbs up on the last answer, source [1] marked wrong, a comment: all in the export.
    last_answer = page.locator("#gesprek .message-row.bot-row", has_text="Opgevat als").last
    buttons_of(last_answer).get_by_label("Vind ik leuk", exact=True).click()
    page.locator("#melding", has_text="Bedankt voor uw feedback").wait_for()
    first_card = page.locator("#gesprek .message-row.bot-row", has_text="[1] ").last
    card_buttons = buttons_of(first_card)
    card_buttons.get_by_label("Feedback", exact=True).click()
    card_buttons.get_by_role("button", name="Deze bron klopt niet").click()
    page.locator("#melding", has_text="bron [1] is gemarkeerd als onjuist").wait_for()
    page.locator("#opmerking textarea").fill("Goed antwoord, precies de besluiten van 2023")
    page.locator("#verstuur-opmerking").click()
    page.locator("#melding", has_text="uw opmerking is opgeslagen").wait_for()
    shot(page, "04-feedback")

    out = server.index_dir.parent / "feedback.jsonl"
    result = CliRunner().invoke(cli_app, ["feedback", "export", "--index", str(server.index_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ours = [i for i in items if i["question"] == "En wat is er in 2023 over besloten?"]
    assert ours and ours[0]["conversation"] == ["Wat is besloten over verblijf?"]
    assert ours[0]["citations"] and ours[0]["facts"]


def test_upload_ask_remove(page, tmp_path):
    upload = tmp_path / "resume_pfho_2023-04-13.txt"
    shutil.copy(REPO_ROOT / "tests" / "fixtures" / "resume_pfho_2023-04-13.txt", upload)
    page.get_by_role("tab", name="Documenten").click()
    page.locator("#upload input[type=file]").set_input_files(str(upload))
    page.locator("#toevoegen").click()
    page.locator("#upload-melding", has_text="Toegevoegd: resume_pfho_2023-04-13.txt").wait_for()
    page.locator("#documenten-tabel", has_text="resume_pfho_2023-04-13.txt").wait_for()
    shot(page, "05-document-toegevoegd")

    page.get_by_role("tab", name="Chat").click()
    question = "Hoeveel geld is nodig voor de campagne voor gezinshuisouders?"
    ask(page, question)
    assert "40.000" in chat_text(page) and "13 april 2023" in chat_text(page)
    shot(page, "06-antwoord-uit-upload")

    page.get_by_role("tab", name="Documenten").click()
    page.locator("#verwijder-keuze input").click()
    page.get_by_role("option", name="resume_pfho_2023-04-13.txt").click()
    page.locator("#verwijderen").click()
    page.locator("#upload-melding", has_text="Verwijderd:").wait_for()
    # The table is refreshed right after the message.
    page.wait_for_function(
        "() => !document.querySelector('#documenten-tabel').innerText.includes('resume_pfho_2023-04-13.txt')"
    )
    shot(page, "07-document-verwijderd")

    page.get_by_role("tab", name="Chat").click()
    page.get_by_role("button", name="Nieuw gesprek").click()
    # Counted before the old conversation is gone, ask() would wait for rows that never come.
    page.wait_for_function("() => document.querySelectorAll('#gesprek .message-row').length === 0")
    ask(page, question)
    assert "13 april 2023" not in chat_text(page)


def test_decisions_tab_filter_and_csv(page):
    page.get_by_role("tab", name="Besluiten").click()
    page.locator("#besluiten-tabel", has_text="18 maart 2021").wait_for()
    total = settled_count(page, "#besluit-aantal")
    page.locator("#besluit-zoek textarea").fill("verblijf")
    page.locator("#besluit-zoek textarea").press("Enter")
    shown = settled_count(page, "#besluit-aantal", below=total)
    assert 0 < shown < total
    table = page.locator("#besluiten-tabel").inner_text()
    assert "Verblijf" in table and "18 maart 2021" in table
    shot(page, "08-besluiten-gefilterd")

    with page.expect_download() as download:
        page.locator("#besluiten-csv").click()
    rows = list(csv.DictReader(open(download.value.path(), encoding="utf-8")))
    assert len(rows) == shown
    assert all("verblijf" in (r["text"] + r["agenda_item"]).lower() for r in rows)
