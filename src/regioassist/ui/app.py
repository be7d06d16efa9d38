"""The Gradio page: Chat, Besluiten (decision register) and Documenten tabs.

``build_app(assistant, settings)`` returns the ``gr.Blocks``; ``ui/server.py``
launches it. Every handler turns failures into a Dutch line on the page, never
a traceback, and each browser tab keeps its own conversation in a ``gr.State``.

>>> # app = build_app(load_assistant(Settings()), Settings()); app.launch()
"""

from __future__ import annotations

import functools
import logging
import tempfile
from pathlib import Path

import gradio as gr

from regioassist.config import Settings
from regioassist.feedback import FeedbackStore
from regioassist.register import STATUSES, decision_register, to_csv
from regioassist.ui.cards import DOC_TYPE_LABELS, document_label, dutch_date, file_url
from regioassist.ui.chat import (
    ALL,
    ChatSession,
    FilterError,
    describe_filters,
    filters_json,
    parse_filters,
    respond,
)
from regioassist.uploads import add_documents, remove_document

log = logging.getLogger(__name__)

EXAMPLES = (
    "Wat is besloten over verblijf?",
    "Wat is BaanTalent?",
    "Waarom stelt Huizen een praktijkondersteuner jeugd aan?",
    "Wat is besloten over de aanpak borging continuïteit dagbesteding?",
)
PLACEHOLDER = (
    "### Stel een vraag over de documenten van het sociaal domein\n"
    "Elk antwoord noemt het document, de vergaderdatum en het agendapunt, met de geciteerde passage. "
    "Klik op een voorbeeld of typ uw vraag."
)
SOURCE_WRONG = "Deze bron klopt niet"
CSS = """
#gesprek mark { background: #fde68a; color: inherit; padding: 0 2px; }
#actieve-filters { min-height: 1.5em; }
"""


def friendly(handler):
    """Turn an unexpected failure into a one-line Dutch message on the page (logged in full)."""

    @functools.wraps(handler)
    def wrapped(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except Exception as error:
            log.exception("%s failed", handler.__name__)
            first_line = (str(error).splitlines() or [""])[0]
            raise gr.Error(f"Er ging iets mis ({type(error).__name__}: {first_line}). Probeer het opnieuw.",
                           title="Fout", print_exception=False) from None

    return wrapped


def _facets(index) -> tuple[list[str], list[str]]:
    """The domains and document types the index holds, for the filter choices (from the file catalog)."""
    records = index.store.files().values()
    domains = sorted({domain for r in records for domain in r.domains})
    types = sorted({r.doc_type for r in records})
    return domains, types


def _settings_for_feedback(settings: Settings) -> dict:
    return settings.model_dump(mode="json", exclude={"auth", "auth_file"})


def _decision_rows(entries) -> list[list[str]]:
    return [
        [
            dutch_date(e.date.isoformat()) if e.date else "–",
            e.meeting or e.title,
            e.domain or "",
            e.agenda_item or "",
            e.text,
            e.status,
            f"[{document_label(e.title, e.doc_type, e.date)}{f', p. {e.page}' if e.page else ''}]"
            f"({file_url(e.source, e.page)})",
        ]
        for e in entries
    ]


def _document_rows(status) -> list[list[str]]:
    return [
        [
            d.title,
            DOC_TYPE_LABELS.get(d.doc_type, d.doc_type),
            dutch_date(d.date) if d.date else "–",
            d.chunks,
            (d.indexed_at or "").replace("T", " ")[:16],
            Path(d.source).name,
        ]
        for d in status.documents
    ]


def _document_choices(status) -> list[tuple[str, str]]:
    return [(f"{d.title} ({Path(d.source).name})", d.path) for d in status.documents]


def build_app(assistant, settings: Settings) -> gr.Blocks:
    """The whole page over one loaded assistant."""
    index = assistant.index
    feedback = FeedbackStore.beside(settings.index_dir)
    domains, types = _facets(index)

    with gr.Blocks(title="regioassist — sociaal domein Gooi en Vechtstreek") as app:
        gr.Markdown("## regioassist · documenten sociaal domein Regio Gooi en Vechtstreek")
        session = gr.State(ChatSession())
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row():
                    domain = gr.Dropdown([ALL, *domains], value=ALL, label="Domein", scale=2)
                    doc_type = gr.Dropdown([ALL, *types], value=ALL, label="Documenttype", scale=1)
                    date_from = gr.Textbox(
                        label="Vanaf (JJJJ-MM-DD)", placeholder="bijv. 2023-01-01", scale=1, elem_id="filter-vanaf"
                    )
                    date_to = gr.Textbox(label="Tot en met (JJJJ-MM-DD)", placeholder="bijv. 2023-12-31", scale=1)
                    clear_filters = gr.Button("Wis filters", scale=0, size="sm", elem_id="wis-filters")
                active = gr.Markdown("", elem_id="actieve-filters")
                chatbot = gr.Chatbot(
                    label="Gesprek",
                    height=560,
                    placeholder=PLACEHOLDER,
                    examples=[{"text": q} for q in EXAMPLES],
                    feedback_options=("Like", "Dislike", SOURCE_WRONG),
                    group_consecutive_messages=False,
                    buttons=["copy"],
                    elem_id="gesprek",
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="Stel uw vraag, bijv. 'Wat is besloten over verblijf?'",
                        show_label=False, scale=5, autofocus=True, elem_id="vraag",
                    )
                    send = gr.Button("Vraag", variant="primary", scale=1, elem_id="verstuur")
                with gr.Row():
                    comment = gr.Textbox(
                        placeholder="Opmerking bij het laatste antwoord (optioneel)", show_label=False, scale=5,
                        elem_id="opmerking",
                    )
                    send_comment = gr.Button("Opmerking versturen", scale=1, elem_id="verstuur-opmerking")
                notice = gr.Markdown("", elem_id="melding")
                new_chat = gr.Button("Nieuw gesprek", size="sm")

            with gr.Tab("Besluiten", id="besluiten"):
                gr.Markdown("Alle besluiten en afspraken in de geïndexeerde documenten, op datum.")
                with gr.Row():
                    topic = gr.Textbox(label="Zoeken", placeholder="bijv. verblijf", scale=2, elem_id="besluit-zoek")
                    d_domain = gr.Dropdown([ALL, *domains], value=ALL, label="Domein", scale=2)
                    d_status = gr.Dropdown([ALL, *STATUSES], value=ALL, label="Status", scale=1)
                    d_from = gr.Textbox(label="Vanaf (JJJJ-MM-DD)", scale=1)
                    d_to = gr.Textbox(label="Tot en met (JJJJ-MM-DD)", scale=1)
                d_count = gr.Markdown("", elem_id="besluit-aantal")
                table = gr.Dataframe(
                    headers=["Datum", "Vergadering", "Domein", "Agendapunt", "Besluit", "Status", "Bron"],
                    datatype=["str", "str", "str", "str", "str", "str", "markdown"],
                    interactive=False, wrap=True, max_height=640,
                    column_widths=["9%", "12%", "10%", "12%", "37%", "10%", "10%"],
                    elem_id="besluiten-tabel",
                )
                download = gr.DownloadButton("Download CSV", elem_id="besluiten-csv")

            with gr.Tab("Documenten", id="documenten"):
                gr.Markdown(
                    f"PDF, DOCX, TXT of MD toevoegen (meerdere tegelijk, elk hoogstens {settings.upload_max_mb} MB). "
                    "Vragen worden beantwoord terwijl de documenten worden geïndexeerd."
                )
                # No file_types here: Gradio would refuse the whole batch in English; uploads.py
                # names each refused file in Dutch and still adds the others.
                uploads = gr.File(file_count="multiple", label="Documenten (PDF, DOCX, TXT, MD)", elem_id="upload")
                add = gr.Button("Toevoegen en indexeren", variant="primary", elem_id="toevoegen")
                upload_notice = gr.Markdown("", elem_id="upload-melding")
                documents = gr.Dataframe(
                    headers=["Titel", "Type", "Datum", "Fragmenten", "Geïndexeerd (UTC)", "Bestand"],
                    interactive=False, wrap=True, elem_id="documenten-tabel",
                    column_widths=["34%", "14%", "12%", "9%", "13%", "18%"],
                )
                with gr.Row():
                    doomed = gr.Dropdown(
                        [], label="Document verwijderen", scale=4, elem_id="verwijder-keuze",
                        allow_custom_value=True,  # the choices arrive per session; the key is checked on removal
                    )
                    remove = gr.Button("Verwijderen", variant="stop", scale=1, elem_id="verwijderen")

        # -- chat -------------------------------------------------------------------------------

        def show_filters(dom, typ, start, end):
            try:
                text = describe_filters(parse_filters(dom, typ, start, end))
            except FilterError as error:
                return f"**Let op:** {error}"
            return f"**Actieve filters:** {text}" if text else ""

        def ask(message, history, state, dom, typ, start, end):
            try:
                filters = parse_filters(dom, typ, start, end)
            except FilterError as error:
                yield history, state, message, f"**Let op:** {error}"  # the question stays for a second try
                return
            for messages in respond(assistant, state, history, message, filters):
                yield messages, state, "", ""

        filter_inputs = [domain, doc_type, date_from, date_to]
        for control in filter_inputs:
            control.change(show_filters, filter_inputs, active, queue=False, api_name=False)
        clear_filters.click(lambda: (ALL, ALL, "", ""), None, filter_inputs, queue=False, api_name=False)
        chat_inputs = [question, chatbot, session, *filter_inputs]
        chat_outputs = [chatbot, session, question, notice]
        question.submit(ask, chat_inputs, chat_outputs, api_name="ask")
        send.click(ask, chat_inputs, chat_outputs, api_name=False)
        def pick_example(data: gr.SelectData):
            return data.value["text"]

        chatbot.example_select(pick_example, None, question, queue=False, api_name=False).then(
            ask, chat_inputs, chat_outputs, api_name=False
        )
        new_chat.click(lambda: ([], ChatSession(), ""), None, [chatbot, session, notice], queue=False, api_name=False)

        def record(state: ChatSession, turn, kind, rating, comment_text, citation_n):
            answer = turn.answer
            return feedback.record(
                kind=kind, rating=rating, comment=comment_text, question=turn.question,
                understood=answer.understood or turn.question, conversation=turn.conversation,
                language=answer.language, answered=answer.answered, answer=answer.text,
                citations=answer.to_json()["citations"], citation_n=citation_n,
                filters=filters_json(turn.filters), settings=_settings_for_feedback(settings),
            )

        @friendly
        def on_like(state: ChatSession, data: gr.LikeData):
            found = state.turn_at(data.index if isinstance(data.index, int) else data.index[0])
            if found is None:
                return "Feedback kan alleen op een antwoord of een bron worden gegeven."
            turn, citation_n = found
            if data.liked == SOURCE_WRONG:
                if citation_n is None:
                    return "Kies 'Deze bron klopt niet' bij de bron zelf (de kaart onder het antwoord)."
                record(state, turn, "source", "down", None, citation_n)
                return f"Bedankt: bron [{citation_n}] is gemarkeerd als onjuist."
            rating = "up" if data.liked is True or data.liked == "Like" else "down"
            if citation_n is not None:
                record(state, turn, "source", rating, None, citation_n)
                return f"Bedankt voor uw oordeel over bron [{citation_n}]."
            record(state, turn, "answer", rating, None, None)
            return "Bedankt voor uw feedback." + (" Een opmerking erbij is welkom." if rating == "down" else "")

        @friendly
        def on_comment(state: ChatSession, text: str):
            text = (text or "").strip()
            if not text:
                return "Typ eerst een opmerking.", text
            if state.last_turn is None:
                return "Er is nog geen antwoord om een opmerking bij te geven.", text
            record(state, state.last_turn, "answer", None, text, None)
            return "Bedankt: uw opmerking is opgeslagen.", ""

        chatbot.like(on_like, [session], notice, api_name=False)
        send_comment.click(on_comment, [session, comment], [notice, comment], api_name="comment")

        # -- decisions ----------------------------------------------------------------------------

        @friendly
        def show_decisions(text, dom, status, start, end):
            try:
                filters = parse_filters(dom, None, start, end)
            except FilterError as error:
                return gr.skip(), f"**Let op:** {error}", gr.skip()
            entries = decision_register(
                index.store, filters or None, topic=(text or "").strip() or None,
                status=None if status in (None, ALL) else status,
            )
            csv_path = Path(tempfile.mkdtemp(prefix="besluiten-")) / "besluiten.csv"
            csv_path.write_text(to_csv(entries), encoding="utf-8")
            return _decision_rows(entries), f"{len(entries)} besluiten", str(csv_path)

        decision_inputs = [topic, d_domain, d_status, d_from, d_to]
        decision_outputs = [table, d_count, download]
        for control in decision_inputs:
            control.change(show_decisions, decision_inputs, decision_outputs, api_name=False)
        topic.submit(show_decisions, decision_inputs, decision_outputs, api_name="decisions")

        # -- documents ----------------------------------------------------------------------------

        @friendly
        def refresh_documents():
            status = index.status()
            doms, typs = _facets(index)
            return (
                _document_rows(status),
                gr.update(choices=_document_choices(status), value=None),
                gr.update(choices=[ALL, *doms]),
                gr.update(choices=[ALL, *typs]),
                gr.update(choices=[ALL, *doms]),
            )

        document_outputs = [documents, doomed, domain, doc_type, d_domain]

        @friendly
        def on_add(files, progress=gr.Progress()):
            if not files:
                return "Kies eerst een of meer bestanden."
            paths = [Path(f if isinstance(f, str) else f.name) for f in files]
            progress(0.1, desc=f"{len(paths)} bestand(en) indexeren…")
            report, errors = add_documents(
                settings, [(p, p.name) for p in paths], assistant.embedder, index=index,
                progress=lambda path, state: progress(None, desc=f"{Path(path).name}: {state}"),
            )
            lines = [f"**Toegevoegd:** {Path(s).name}" for s in report.read]
            lines += [f"**Stond er al (ongewijzigd):** {Path(s).name}" for s in report.unchanged]
            lines += [f"**Niet toegevoegd:** {line}" for line in [*errors, *report.failed]]
            return "\n\n".join(lines) or "Niets toegevoegd."

        @friendly
        def on_remove(path_key):
            if not path_key:
                return "Kies eerst een document."
            name = next((label for label, key in _document_choices(index.status()) if key == path_key), path_key)
            removed = remove_document(settings, index, path_key)
            if not removed:
                return f"**Niet verwijderd:** {name} stond niet in de index."
            return f"**Verwijderd:** {name} ({removed} fragmenten)."

        add.click(on_add, uploads, upload_notice, api_name="upload", concurrency_limit=1).then(
            refresh_documents, None, document_outputs, api_name=False
        ).then(lambda: None, None, uploads, api_name=False)
        remove.click(on_remove, doomed, upload_notice, api_name="remove", concurrency_limit=1).then(
            refresh_documents, None, document_outputs, api_name=False
        )
        app.load(refresh_documents, None, document_outputs, api_name=False, show_progress="hidden").then(
            show_decisions, decision_inputs, decision_outputs, api_name=False
        )
    return app
