"""Does a sentence give what the question asks? The checks on a candidate sentence.

Debris that is no sentence (URL runs), a sentence that only says the answer is still to come,
a name given outright, figures for the year asked, and the sentences that continue the one
chosen (a list after a colon, "Deze ..." pointing back).
"""

from __future__ import annotations

import re

from regioassist.answer.question import (
    ANSWER_CUES, ASKS_AHEAD, FRAME_STEMS, FULL_NAME, GENERIC_STEMS, wanted_cues, years_in,
)
from regioassist.models import Hit
from regioassist.textutil import stems


LIST_ITEMS = 6  # items quoted from the list after a sentence ending in a colon
# A sentence that opens by pointing back at the one before it continues that sentence.
POINTS_BACK = re.compile(
    r"^(?:deze|dit|die|dat|zij|hij|ze|daarbij|daarnaast|daarmee|daardoor|daarom|hiervoor|hierbij|hiermee|ook|wel|"
    r"maar|echter|bovendien|tevens|this|these|they|it)\b",
    re.IGNORECASE,
)
RESTATES = 0.6  # share of the question's words a sentence repeats to count as restating it
# The proposal a decision adopts, and a note added to the minutes after the meeting.
PROPOSAL = re.compile(r"\b(?:voorgesteld|voorstel (?:is|om)|stelt voor|wordt gevraagd|gevraagd wordt|proposed)\b", re.I)
AFTER_THE_MEETING = re.compile(r"^(?:noot|n\.b\.|naschrift)\b", re.I)
NEIGHBOUR_SHARE = 0.3  # share of the previous sentence's word overlap a sentence inherits
_URL = re.compile(r"(?:https?://|www\.\w)\S*", re.I)  # a whole URL: "http://www.x.nl/" counts once
# The labels of a minutes' header fields, as they open its lines: two in one "sentence" make it the header.
_HEADER_LABEL = re.compile(r"\b(?:Aanwezig|Afwezig|Afgemeld|Contactpersoon|E-?mail|Vertrouwelijk|Kenmerk|Notulist)\b")
MIN_LETTERS_BESIDE_URL = 25  # "Zie http://..." is a pointer, no sentence; "Het overleg is positief ... http://..." is one
# Three or more words, each capitalised, with no figure or punctuation between them.
_CAPITALISED_ROW = re.compile(r"[A-Z][\w&'’/-]*(?:\s+[A-Z][\w&'’/-]*){2,}")
SHORT_QUESTION_WORDS = 6
_NUMBERED_LABEL = re.compile(r"(?:[A-Z][^\W\d_]*\s+){1,3}\d{1,3}[.:)]?")  # "Voorstel 2.", "Nummer Omschrijving Voorstel 1."


def is_debris(sentence: str) -> bool:
    """Not a sentence to quote: a run of URLs, or a URL with hardly a word around it.

    A table row is no debris: it is quoted as the row it is ("13/11/25 | Regieteam | Adviseren").

    >>> is_debris("http://www.baantalentgv.nl/ http://www.regiogv.nl/")
    True
    >>> is_debris("Het PFHO stelt het voorstel vast.")
    False
    >>> is_debris("Voorstel 2."), is_debris("2023")
    (True, True)
    >>> is_debris("Datum Overleg Doel Conclusie PFHO Vaststellen"), is_debris("Het vinden van de doelgroep (bereik)")
    (True, False)
    >>> is_debris("Aanwezig Joke Lanphen (Blaricum) Afwezig Roland Boom (Huizen) Contactpersoon Marielle Stitzinger")
    True
    >>> is_debris("Het overleg is positief over deze samenwerking. http://www.baantalentgv.nl/")
    False
    >>> is_debris("https://www.regiogv.nl/wp-content/uploads/2022/03/Een-toekomst-met-perspectief.pdf")
    True
    >>> is_debris("Normaliseren Wat doen we al?"), is_debris("Waren de kaders voldoende helder en in uw ogen voldoende gedragen?")
    (True, False)
    """
    if _NUMBERED_LABEL.fullmatch(sentence.strip()) or not any(ch.isalpha() for ch in sentence):
        return True  # "Voorstel 2.": the label of the point that follows; "2023": a table's bare cell
    if _CAPITALISED_ROW.fullmatch(sentence.strip()):
        return True  # a table's header row ("Datum Overleg Doel Conclusie PFHO"): labels, no statement
    if sentence.rstrip().endswith("?") and len(sentence.split()) <= SHORT_QUESTION_WORDS:
        return True  # a table's header cell or a heading ("Normaliseren Wat doen we al?"): it answers nothing
    if len(_HEADER_LABEL.findall(sentence)) >= 2:
        return True  # a document's header run together ("Aanwezig ... Afwezig ... Contactpersoon ..."): meetings/ answers from it
    urls = len(_URL.findall(sentence))
    # The words around a lone URL count, not the letters of the URL itself.
    return urls >= 2 or (urls == 1 and sum(ch.isalpha() for ch in _URL.sub("", sentence)) < MIN_LETTERS_BESIDE_URL)


# A sentence that says the asked thing is still to come: "Ik informeer u dan over de uitkomst
# van de evaluatie.", "De werving voor een praktijkondersteuner start binnenkort." When such a
# sentence is about the question, the documents were written before the answer existed.
STILL_TO_COME = re.compile(
    r"\b(?:(?:ik|wij|we) informeer\w* u|informeer\w* (?:ik|wij|we) u|(?:wordt|worden|zult|zal) u \w*(?: \w+){0,3} "
    r"ge[iï]nformeerd|(?:ik|wij|we) kom\w* (?:hier|daar)?op terug|kom\w* (?:ik|wij|we) (?:hier|daar)?op terug|"
    r"binnenkort|nog niet (?:bekend|klaar|beschikbaar|gestart|besloten)|we will (?:inform|update) you|not yet)\b",
    re.I,
)
# A sentence that gives a name outright: "De naam BaanTalent ...", "BaanTalent is de naam van ...".
CALLS_BY_NAME = re.compile(r"\b(?i:naam)\s+[\"'‘“(]?[A-Z0-9]|\b[A-Z][\w'’-]*\s+(?i:is de naam)\b")


def gives_name(noun: str, sentence: str) -> bool:
    """Does ``sentence`` call a ``noun`` by its name?

    >>> gives_name("stichting", "In maart 2021 is samen met Stichting Join Us een start gemaakt.")
    True
    >>> gives_name("stichting", "Er wordt een stichting opgericht voor en door de LHBTI gemeenschap.")
    False
    >>> gives_name("samenwerking", "De naam BaanTalent refereert aan het onbekende talent.")
    True
    """
    named = rf"(?i:\b{re.escape(noun)}\w*)[,:]?\s+(?:(?:heet|heten|genaamd|met de naam|called|named)\s+)?[\"'‘“(]?[A-Z0-9]"
    return re.search(named, sentence) is not None or CALLS_BY_NAME.search(sentence) is not None


# The questions a promise can put off ask for a result: "Wat was de uitkomst van de evaluatie?", "Wie
# is aangenomen als praktijkondersteuner jeugd?". What a document says about something, what was
# decided, what it is or does, it says before the result exists: "De werving ... start binnenkort"
# stands beside what a praktijkondersteuner jeugd does and where.
ASKS_RESULT = re.compile(
    r"\b(?:uitkomst\w*|resultaat|resultaten|opbrengst\w*|opgeleverd|conclusies?|uitslag|aangenomen|benoemd|"
    r"aangesteld|geworven|gekozen|outcomes?|results?|hired|appointed)\b",
    re.I,
)


def announces(question: str, hit: Hit, sentence: str) -> bool:
    """Does ``sentence`` say that what ``question`` asks is still to come?

    It must be about the question: at least half of the question's topic words that its
    passage's heading does not already give. A question asking *when*, or what is going to
    happen, is answered by such a sentence ("U wordt in het voorjaar geïnformeerd", "De werving
    start binnenkort"), so it never counts there; only one asking for a result (ASKS_RESULT) is put off.
    """
    if not STILL_TO_COME.search(sentence) or {"when", "day"} & set(wanted_cues(question)) or ASKS_AHEAD.search(question):
        return False
    if not ASKS_RESULT.search(question):
        return False
    own = stems(question) - FRAME_STEMS - stems(hit.chunk.context)
    return bool(own) and len(own & stems(sentence)) >= len(own) / 2


def names_asked_year(question: str, sentence: str, passage: str = "") -> bool:
    """Does ``sentence`` (or, when it names no year, its ``passage``) give figures for a year asked?

    A figure for another year is not the one asked: "In 2023 zijn 214 banen gerealiseerd" does
    not answer "Hoeveel banen zijn in 2024 gerealiseerd?", nor does the next sentence of that
    passage ("De marktsector deed het beter: 183 banen"). Text that names no year at all is left
    to its document's date, which the retrieval filters already matched.

    >>> names_asked_year("Hoeveel banen in 2024?", "In 2023 zijn 214 banen gerealiseerd.")
    False
    >>> names_asked_year("Hoeveel aanbieders waren er in 2022?", "Van 200 in 2015 naar 6000 in 2022.")
    True
    >>> names_asked_year("Hoeveel kost het programma in 2024?", "Het programma 2022-2026 kost € 1 miljoen.")
    True
    """
    asked, named = years_in(question), years_in(sentence) or years_in(passage)
    return not asked or not named or bool(asked & named)


def continuation(sentence: str, sentences: list[str], question: str) -> list[str]:
    """Sentences that complete the chosen one.

    - the list after a colon (up to LIST_ITEMS items);
    - the name after a "who" question's sentence that names nobody;
    - the sentence after one that only restates the question: "Wie maakte gebruik van het
      spreekrecht en waarover?" is answered by what follows "Een inwoner maakt gebruik van het
      spreekrecht.", not by that sentence alone.
    """
    if sentence not in sentences:
        return []
    after = sentences[sentences.index(sentence) + 1 :]
    if sentence.rstrip().endswith(":"):
        return [s for s in after[:LIST_ITEMS] if not is_debris(s)]
    who = ANSWER_CUES["who"]
    if who.asks.search(question) and not who.answers.search(sentence):
        named = [s for s in after[:1] if who.answers.search(s)]
        if named:
            return named
    if after and POINTS_BACK.match(after[0]) and not is_debris(after[0]):
        # "Deze persoon trekt samen op met ...", "Daarnaast ...": it continues the chosen sentence.
        return after[:1]
    asked = stems(question) - GENERIC_STEMS
    if after and asked and len(asked & stems(sentence)) >= RESTATES * len(asked):
        # Of the next two sentences, the one that carries what is asked (a reason, an amount).
        cues = [ANSWER_CUES[name] for name in wanted_cues(question)]
        carrying = [s for s in after[:2] if cues and any(cue.answers.search(s) for cue in cues)]
        following = (carrying or after[:1])[0]
        return [] if is_debris(following) else [following]
    return []


# A sentence that gives its reason by pointing back: the reason is the sentence before it.
FOR_THAT_REASON = re.compile(
    r"^(?:om die reden|om deze reden|daarom|hierom|hierdoor|daardoor|vandaar|dit is de reden|dat is de reden|"
    r"for this reason|therefore)\b",
    re.IGNORECASE,
)


# A short sentence that opens with "Of", "En" or "Maar" finishes the one before it: "Of toch een
# verwijzing naar jeugdhulp." means nothing quoted alone.
ELLIPSIS = re.compile(r"^[\"“‘']?(?:of|en|maar|or|and|but)\s", re.IGNORECASE)
ELLIPSIS_WORDS = 8


# "Het gaat om circa €12.000 i.p.v. circa €21.000." says what the sentence before it is about.
IT_CONCERNS = re.compile(r"^(?:het|dit|dat) (?:gaat (?:dan |hier )?om|betreft)\s", re.IGNORECASE)
# "Hij vraagt aandacht voor de overlast." says who "hij" is when the sentence before it names
# someone ("Voor agendapunt 10 maakt een inwoner gebruik van het spreekrecht.").
PRONOUN = re.compile(r"^(?:hij|zij|ze)\s", re.IGNORECASE)
# "Deze komt in dienst van de gemeente Huizen": a demonstrative standing for what the sentence before names.
DEMONSTRATIVE = re.compile(
    r"^(?:deze|die)\s+(?:is|was|zijn|waren|komt|kwam|gaat|ging|wordt|werd|heeft|had|kan|zal|moet)\b", re.IGNORECASE
)
SOMEONE = re.compile(
    r"\b(?:inwoners?|bewoners?|wethouders?|portefeuillehouders?|voorzitter|directeur|burgemeester|insprekers?)\b"
    r"|" + FULL_NAME.pattern
)


def antecedent(sentence: str, sentences: list[str]) -> list[str]:
    """The sentence before one that rests on it: one that opens with "Om die reden", "Daarom",
    "Hierdoor" or "Het gaat om", a short one that opens with "Of", "En" or "Maar", one that
    opens with "Hij"/"Zij" after a sentence that names someone, or with "Deze"/"Die" for its subject.

    >>> antecedent("Om die reden lassen we een pauze in.", ["Er waren minder aanmeldingen.", "Om die reden lassen we een pauze in."])
    ['Er waren minder aanmeldingen.']
    >>> antecedent("Of toch een verwijzing naar jeugdhulp.", ["Dat kan een gesprek zijn.", "Of toch een verwijzing naar jeugdhulp."])
    ['Dat kan een gesprek zijn.']
    >>> antecedent("Het gaat om circa €12.000.", ["De kosten vallen lager uit.", "Het gaat om circa €12.000."])
    ['De kosten vallen lager uit.']
    >>> antecedent("Hij vraagt aandacht.", ["Een inwoner spreekt in.", "Hij vraagt aandacht."]), antecedent("Zij geeft geld vrij.", ["Dit komt later.", "Zij geeft geld vrij."])
    (['Een inwoner spreekt in.'], [])
    >>> antecedent("Deze komt in dienst van Huizen.", ["De werving start binnenkort.", "Deze komt in dienst van Huizen."])
    ['De werving start binnenkort.']
    >>> antecedent("Deze week is er overleg.", ["Het plan is klaar.", "Deze week is er overleg."])
    []
    """
    elliptic = ELLIPSIS.match(sentence) is not None and len(sentence.split()) <= ELLIPSIS_WORDS
    pronoun = PRONOUN.match(sentence) is not None
    standing_for = DEMONSTRATIVE.match(sentence) is not None
    if not (FOR_THAT_REASON.match(sentence) or IT_CONCERNS.match(sentence) or elliptic or pronoun or standing_for) \
            or sentence not in sentences:
        return []
    at = sentences.index(sentence)
    before = sentences[at - 1] if at else ""
    if pronoun and not SOMEONE.search(before):
        return []  # "Zij heeft ... vrijgegeven" after "Hierover komt meer duidelijkheid": not about whom
    return [before] if before and not is_debris(before) and not before.rstrip().endswith(":") else []


def list_lead(sentence: str, sentences: list[str]) -> str | None:
    """The sentence that announces the list ``sentence`` is an item of, or None.

    An item has no final period, nor have the items between it and the announcing sentence,
    which ends in a colon: "Monitoring, effect en sturing (effect)" is the third of the
    knelpunten that "De uitvoering van de WEB kent een aantal knelpunten:" lists.

    >>> list_lead("Monitoring (effect)", ["De WEB kent knelpunten:", "Het bereik", "Monitoring (effect)", "Er is een plan."])
    'De WEB kent knelpunten:'
    >>> list_lead("Er is een plan.", ["De WEB kent knelpunten:", "Er is een plan."]) is None
    True
    """
    if sentence not in sentences or sentence.rstrip().endswith((".", ":", "?", "!")):
        return None
    at = sentences.index(sentence)
    for before in reversed(sentences[max(0, at - LIST_ITEMS) : at]):
        if before.rstrip().endswith(":"):
            return before
        if before.rstrip().endswith((".", "?", "!")):
            return None
    return None


def on_topic(topic: set[str], text: str) -> bool:
    """More than half of the topic's stems occur in ``text`` (all of them for a two-word topic)."""
    return len(topic & stems(text)) > len(topic) / 2


def list_in_next_chunk(
    sentence: str, listed: list[str], rank: int, hits: list[Hit], per_hit: list[list[str]]
) -> list[tuple[Hit, str]]:
    """The items that carry on the list ``sentence`` announces ("De wethouders geven het volgende mee:")
    when ``listed``, its items in passage ``rank``, runs to the end of that passage: from the next chunk
    of the same agenda item, when that one was retrieved too, up to LIST_ITEMS in all; each cites its
    own chunk.
    """
    own = per_hit[rank]
    if not sentence.rstrip().endswith(":") or len(listed) >= LIST_ITEMS or (listed or [sentence])[-1] != own[-1]:
        return []
    hit = hits[rank]
    following = [
        (h.chunk.start, r) for r, h in enumerate(hits[: len(per_hit)])
        if h.chunk.source == hit.chunk.source and h.chunk.section == hit.chunk.section and h.chunk.start > hit.chunk.start
    ]
    if not following:
        return []
    nearest = min(following)[1]
    sentences = per_hit[nearest]
    # Chunks overlap: the next one may repeat the announcing sentence, and its list follows it there.
    items = sentences[sentences.index(sentence) + 1 :] if sentence in sentences else sentences
    more = [(hits[nearest], s) for s in items[:LIST_ITEMS] if not is_debris(s) and s not in listed]
    return more[: LIST_ITEMS - len(listed)]


MAX_SPELLED_OUT_CHARS = 80


def spelled_out(abbr: str, text: str) -> str | None:
    """What ``text`` writes ``abbr`` out as, "Expansion (ABBR)" or "ABBR (Expansion)"; None when it does not.

    The expansion starts with the abbreviation's first letter; written before the brackets, it is
    the run of words whose initials are the abbreviation's letters, else the longest run of at most
    as many words as the abbreviation has letters that starts with its first letter.

    >>> spelled_out("WEB", "Voortgang WEB (Wet Educatie Beroepsonderwijs)")
    'Wet Educatie Beroepsonderwijs'
    >>> spelled_out("ED", "Er is een onderzoek uitgevoerd naar Ernstige Dyslexie (ED) in de regio.")
    'Ernstige Dyslexie'
    >>> spelled_out("KPMG", "het eerder besproken (KPMG) onderzoek") is None
    True
    >>> spelled_out("POH", "Start Praktijkondersteuner huisartsen (POH-er)")
    'Praktijkondersteuner huisartsen'
    """
    first = abbr[0].casefold()
    after = re.search(rf"\b{re.escape(abbr)}\s*\(([^()]{{3,{MAX_SPELLED_OUT_CHARS}}})\)", text)
    if after and after.group(1).strip()[0].casefold() == first:
        return " ".join(after.group(1).split())
    # "Praktijkondersteuner huisartsen (POH-er)": the letters may carry a Dutch suffix in the brackets.
    before = re.search(rf"([^()\n;:,.]{{3,{MAX_SPELLED_OUT_CHARS}}}?)\s*\({re.escape(abbr)}(?:-\w+)?\)", text)
    if not before:
        return None
    run = before.group(1).split()
    fitting = [run[-n:] for n in range(1, min(len(abbr), len(run)) + 1) if run[-n][0].casefold() == first]
    exact = [words for words in fitting if "".join(w[0] for w in words).casefold() == abbr.casefold()]
    chosen = (exact or fitting)[-1:]
    return " ".join(chosen[0]) if chosen else None
