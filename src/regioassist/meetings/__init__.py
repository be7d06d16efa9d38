"""Questions about the meetings themselves, answered from the documents' structure, not by retrieval.

Ingestion stores each document's ``Outline`` (header fields, who came, the agenda in
order) with its first chunk. ``build_meetings`` reads those back from the store's chunks;
``answer_from_structure`` recognises, in Dutch and English, who was present or absent
(optionally from one municipality, or one named person), the contact person, the e-mail
address, the kenmerk, the agenda items, which meetings there are and which documents are
indexed. It answers with a short list, each line cited to the header line (or agenda
heading) it stands on. Any other question gives None, and retrieval answers it.

>>> import datetime as dt
>>> from regioassist.models import Chunk, DocType, Outline, Person
>>> outline = Outline(meeting="Overleg sociaal domein", date=dt.date(2023, 2, 23),
...     absent=(Person("Roland Boom", "Huizen", "Onderwijs"),),
...     lines=(("afwezig", "Afwezig Roland Boom (Huizen, Onderwijs)"),))
>>> header = Chunk(id="c0", source="resume.txt", doc_hash="h", title="Resumé", doc_type=DocType.RESUME,
...     text="Afwezig Roland Boom (Huizen, Onderwijs)", context="Resumé", date=dt.date(2023, 2, 23),
...     meeting="Overleg sociaal domein", outline=outline)
>>> answer = answer_from_structure("Wie waren afwezig?", "nl", build_meetings([header]))
>>> print(answer.text)
Deze mensen staan als afwezig in de kop van het verslag:
<BLANKLINE>
23 februari 2023 — Overleg sociaal domein:
- Roland Boom (Huizen, Onderwijs) [1]
>>> answer.citations[0].quote, answer.citations[0].agenda_item
('Afwezig Roland Boom (Huizen, Onderwijs)', None)
>>> answer_from_structure("Wat is besloten over verblijf?", "nl", build_meetings([header])) is None
True
"""

from regioassist.meetings.questions import (
    answer_from_structure, may_ask_about_meetings, named_document, question_kind, unknown_meeting,
)
from regioassist.meetings.records import MeetingRecord, build_meetings, meetings_of
from regioassist.meetings.writer import named_domain

__all__ = [
    "MeetingRecord", "answer_from_structure", "build_meetings", "may_ask_about_meetings", "meetings_of",
    "named_document", "named_domain", "question_kind", "unknown_meeting",
]
