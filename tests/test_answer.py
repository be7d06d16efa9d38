import dataclasses
import datetime as dt

import pytest

from regioassist.answer import ExtractiveAnswerer, render
from regioassist.models import Chunk, DocType, Hit

pytestmark = pytest.mark.unit


def hit(cid, text, *, section, date, decisions=(), dense=0.9, domain="Jeugd en Onderwijs", page=3):
    chunk = Chunk(
        id=cid, source=f"documents/{cid}.txt", doc_hash="h", title=f"Resumé {date}", doc_type=DocType.RESUME,
        text=text, context=f"Resumé {date}\n{domain}\n{section}", date=date, domain=domain,
        section=section, section_kind="agenda_item", page=page, decisions=decisions,
    )
    return Hit(chunk=chunk, score=0.03, dense_score=dense)


VERBLIJF_2023 = hit(
    "b", "Een gezinsgerichte groep is een vorm van verblijf. Het PFHO stelt het voorstel vast.",
    section="Jeugdhulp met verblijf", date=dt.date(2023, 2, 23),
    decisions=("Het PFHO stelt het voorstel vast.",),
)
VERBLIJF_2021 = hit(
    "a", "Er is een kostprijsonderzoek naar verblijf gedaan. Afgesproken is de contracten voort te zetten.",
    section="Verblijf", date=dt.date(2021, 3, 18),
    decisions=("Afgesproken is de contracten voort te zetten.",),
)
BANEN = hit(
    "c", "Dit agendapunt wordt doorgeschoven.", section="Banenafspraak", date=dt.date(2023, 2, 23),
    decisions=("Dit agendapunt wordt doorgeschoven.",), domain="Werk en Participatie",
)


def test_decisions_meeting_by_meeting_in_date_order_with_citations():
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is besloten over verblijf?", "nl", [VERBLIJF_2023, BANEN, VERBLIJF_2021])
    assert answer.answered
    text = answer.text
    # 2021 before 2023, though 2023 ranked first; Banenafspraak is off-topic and left out.
    assert text.index("18 maart 2021") < text.index("23 februari 2023")
    assert "Banenafspraak" not in text
    assert '"Verblijf"' in text and '"Jeugdhulp met verblijf"' in text
    assert "- Afgesproken is de contracten voort te zetten. [1]" in text
    assert "- Het PFHO stelt het voorstel vast. [2]" in text
    assert [c.agenda_item for c in answer.citations] == ["Verblijf", "Jeugdhulp met verblijf"]
    assert answer.citations[1].quote.endswith("Het PFHO stelt het voorstel vast.")


def test_every_statement_is_a_quote_of_its_citation():
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is besloten over verblijf?", "nl", [VERBLIJF_2023, VERBLIJF_2021])
    quotes = {c.n: c.quote for c in answer.citations}
    for line in answer.text.splitlines():
        if line.startswith("- "):
            sentence, marker = line[2:].rsplit(" [", 1)
            assert sentence in quotes[int(marker.rstrip("]"))]


def test_declines_below_threshold_and_cites_nothing():
    weak = hit("d", "De sporthal is groot.", section="Overig", date=dt.date(2023, 2, 23), dense=0.7)
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat kost de nieuwe sporthal?", "nl", [weak])
    assert not answer.answered and answer.citations == ()
    assert "geen antwoord" in answer.text


def test_factual_question_quotes_the_best_sentence():
    fact = hit("e", "De kosten vallen lager uit. Het gaat om circa €12.000 i.p.v. circa €21.000.",
               section="Inkoop poortwachtersfunctie ernstige dyslexie", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoeveel kost de poortwachtersfunctie ernstige dyslexie?", "nl", [fact])
    assert "€12.000" in answer.text
    assert answer.citations[0].page == 3


def test_english_question_gets_english_framing_and_dutch_quotes():
    answer = ExtractiveAnswerer(None, 0.8).answer("What was decided about verblijf?", "en", [VERBLIJF_2021])
    assert answer.text.startswith("Decisions and agreements on verblijf")
    assert "18 March 2021" in answer.text
    assert "Afgesproken is de contracten voort te zetten." in answer.text
    assert "Sources:" in render(answer)


def test_render_lists_sources_with_place_and_quote():
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is besloten over verblijf?", "nl", [VERBLIJF_2021])
    out = render(answer)
    assert "Bronnen:" in out
    assert "[1] Resumé 2021-03-18 · 2021-03-18 · Jeugd en Onderwijs · agendapunt: Verblijf · p. 3 · documents/a.txt" in out


# -- declining what the passages do not cover ----------------------------------------------

from regioassist.compounds import CompoundSplitter  # noqa: E402

SUBSIDIE = hit(
    "s", "Huizen heeft een subsidieaanvraag voor de Regio Deal ingediend voor Gezond Isoleren.",
    section="Mededelingen", date=dt.date(2023, 2, 23), domain="Gezondheid en Ondersteuning",
)


def splitter_of(*hits):
    return CompoundSplitter.from_texts(h.chunk.indexed_text for h in hits)


def test_a_municipality_the_passages_do_not_name_is_declined_with_the_name():
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(VERBLIJF_2021))
    answer = answerer.answer("Wat heeft Blaricum besloten over verblijf?", "nl", [VERBLIJF_2021])
    assert not answer.answered and answer.confidence == 0.0
    assert "Blaricum" in answer.text and not answer.citations
    # The same question about the whole region is answered from the same passage.
    assert answerer.answer("Wat is besloten over verblijf?", "nl", [VERBLIJF_2021]).answered


def test_a_decision_topic_the_documents_never_use_is_declined():
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(VERBLIJF_2021, VERBLIJF_2023))
    answer = answerer.answer("Wat is besloten over schuldhulpverlening?", "nl", [VERBLIJF_2021])
    assert not answer.answered
    assert '"schuldhulpverlening" komt in de documenten niet voor' in answer.text
    # Without the documents' vocabulary the rule cannot apply, and the passage is quoted.
    assert ExtractiveAnswerer(None, 0.8).answer("Wat is besloten over schuldhulpverlening?", "nl", [VERBLIJF_2021]).answered


ALZHEIMER = hit("al", "De voorzitter van Alzheimer Nederland wil in Huizen met portefeuillehouders de plannen afstemmen.",
               section="Mededelingen", date=dt.date(2021, 3, 18))


@pytest.mark.parametrize("question, word", [
    ("Wie is de voorzitter van de voetbalclub?", "voetbalclub"),  # after the last preposition
    ("Welke subsidie krijgt het theater?", "theater"),  # no preposition: after the last article
    ("Wie is de burgemeester van Huizen?", "burgemeester"),  # a place scopes; the thing stands before it
    ("Wat wil de voorzitter met de boa's?", "boa's"),  # an apostrophe plural is a noun, however short
    ("Welke rol speelt de voetbalclub in het programma?", "voetbalclub"),  # a closing document scopes
    ("Hoe wordt het theater in Huizen betaald?", "theater"),  # so does a closing place, before the verb
    # "gezegd over X": all of X is the topic, not only the words after its last preposition
    ("Wat is er gezegd over de voetbalclub van de voorzitter?", "voetbalclub"),
    ("Wat wil de voorzitter met de allergie?", "allergie"),  # "aller-" before no superlative
    # "ge...t", but too long for a participle: a compound noun
    ("Hoe vraag ik in Huizen een gehandicaptenparkeerkaart aan?", "gehandicaptenparkeerkaart"),
])
def test_a_question_about_a_thing_the_documents_never_name_is_declined(question, word):
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(ALZHEIMER))
    answer = answerer.answer(question, "nl", [ALZHEIMER])
    assert not answer.answered and f'"{word}" komt in de documenten niet voor' in answer.text


@pytest.mark.parametrize("question", [
    "Wie is de voorzitter van Alzheimer Nederland?",
    "Wat wil de voorzitter met de plannen?",  # "plannen" stems to "plann", a form of the known "plan"
    "Met wie wil de voorzitter de plannen afstemmen?",  # a closing verb is no topic
    "Wie is de voorzitter van de grote landelijke patiëntenvereniging?",  # three words: a description, not a name
    "Met wie is gesproken over het overnemen van de plannen?",  # asks for a party, not what was said about all that
    "Wat wil de voorzitter met de allerjongste?",  # "aller-" raises the superlative the documents use
])
def test_a_question_whose_topic_the_documents_use_is_answered(question):
    plan = hit("pl", "Er is een plan gemaakt voor de jongste.", section="Overig", date=dt.date(2021, 3, 18))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(ALZHEIMER, plan))
    assert answerer.answer(question, "nl", [ALZHEIMER]).answered


def test_subsidie_asking_which_application_is_not_declined_for_want_of_an_amount():
    answerer = ExtractiveAnswerer(None, 0.8)
    which = answerer.answer("Voor welke projecten deed Huizen een subsidieaanvraag?", "nl", [SUBSIDIE])
    assert which.answered and "Gezond Isoleren" in which.text
    how_much = answerer.answer("Hoeveel subsidie vroeg Huizen aan voor de Regio Deal?", "nl", [SUBSIDIE])
    assert not how_much.answered and "bedrag" in how_much.text


DYSLEXIE = hit("dx", "De verhoging van deze structurele kosten valt lager uit. Het gaat om circa €12.000 per jaar.",
               section="Inkoop poortwachtersfunctie ernstige dyslexie", date=dt.date(2023, 2, 23))


def test_an_amount_asked_in_wholly_other_words_comes_from_the_passage_found_by_meaning_alone():
    question = "Hoeveel duurder wordt de toegangscontrole voor kinderen met hardnekkige leesproblemen?"
    answered = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [DYSLEXIE])
    assert answered.answered and "€12.000" in answered.text
    assert "valt lager uit" in answered.text  # "Het gaat om ..." says what the sentence before it is about
    # A first passage the keyword index found too shares only the question's other words ("kosten"):
    # it is not about the renovation, and its amount does not answer.
    found_by_words = dataclasses.replace(DYSLEXIE, keyword_score=1.9)
    renovation = ExtractiveAnswerer(None, 0.8).answer("Hoeveel kost de renovatie van het gemeentehuis?", "nl", [found_by_words])
    assert not renovation.answered and "bedrag" in renovation.text
    # Not for a date: a year stands in nearly every row of a planning table.
    planning = hit("pl", "2024 Digitaal Leefplein inrichten en monitoren.", section="Monitoring", date=dt.date(2023, 2, 23))
    assert not ExtractiveAnswerer(None, 0.8).answer(
        "Wanneer begint de peiling onder vaders en moeders van leerlingen?", "nl", [planning]).answered
    # Only the first passage is trusted so: the same passage ranked second gives no amount.
    other = hit("ot", "Het overleg wordt in april voortgezet.", section="Overig", date=dt.date(2023, 2, 23))
    assert not ExtractiveAnswerer(None, 0.8).answer(question, "nl", [other, DYSLEXIE]).answered


def test_a_figure_asked_for_a_municipality_comes_from_the_passage_that_names_it():
    total = hit("tot", "In 2023 kwamen in de regio 3.480 signalen binnen.", section="Aanleiding", date=dt.date(2024, 5, 16))
    rows = hit("row", "| Gemeente | Signalen | | Hilversum | 1.410 | | Huizen | 560 |", section="Bijlage 1: Signalen per gemeente",
               date=dt.date(2024, 5, 16))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoeveel signalen kwamen er in 2023 uit Huizen?", "nl", [total, rows])
    assert answer.answered and "560" in answer.text and "3.480" not in answer.text


def test_who_is_answered_by_a_name_the_question_does_not_already_name():
    join_us = hit("ju", "In maart 2021 is samen met Stichting Join Us teruggekeken op het jaar. "
                  "Uitvoering van deze methodiek vindt plaats door het jongerenwerk van Versa Welzijn.",
                  section="Eenzaamheid", date=dt.date(2021, 6, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie voert de methodiek van Join Us uit?", "nl", [join_us])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert "Versa Welzijn" in quoted[0]


def test_who_is_answered_by_a_group_of_people_named_for_their_role_too():
    web = hit("web", "Karin Walters geeft een toelichting op de voortgang. "
              "Portefeuillehouders benadrukken het belang van het betrekken van ervaringsdeskundigen bij de aanpak.",
              section="Stand zaken WEB", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Wie willen de wethouders laten meedenken bij de aanpak?", "nl", [web]
    )
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert "ervaringsdeskundigen" in quoted[0]


def test_a_past_participle_meets_the_verb_the_documents_use():
    plan = hit("rp", "Het plan is op 26 januari besproken. Het indienen van het plan kan tot 31 december.",
               section="Regioplan", date=dt.date(2023, 2, 23))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(plan))
    answer = answerer.answer("Wanneer moet het plan ingediend zijn?", "nl", [plan])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert "31 december" in quoted[0]  # "ingediend" is a form of "indienen"


def test_a_sentence_opening_with_hij_comes_with_the_one_that_says_who():
    spreekrecht = hit("sp", "De agenda wordt vastgesteld. Voor agendapunt 10 maakt een inwoner gebruik van het spreekrecht. "
                      "Hij vraagt aandacht voor de overlast in de buurt.", section="Agenda en mededelingen",
                      date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie vroeg aandacht voor de overlast in de buurt?", "nl", [spreekrecht])
    assert "een inwoner gebruik van het spreekrecht" in answer.text and "overlast" in answer.text


def test_asking_for_the_day_needs_a_day_not_a_month():
    monthly = hit("m", "BaanTalent is in november 2022 gelanceerd.", section="BaanTalent", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Op welke dag is BaanTalent gelanceerd?", "nl", [monthly])
    assert not answer.answered and "dag" in answer.text
    assert ExtractiveAnswerer(None, 0.8).answer("Wanneer is BaanTalent gelanceerd?", "nl", [monthly]).answered


def test_a_decision_answer_quotes_the_proposal_it_adopts_and_the_condition_after_it():
    text = (
        "Residentiele jeugdhulp moet kleinschaliger. De gezinsgerichte groep is daar een voorbeeld van. "
        "De evaluatie van deze groep is positief. Voorgesteld wordt om de afspraken te verlengen met een tweede groep. "
        "Wethouder van Voorden voegt toe dat dit alleen lukt met gezinsouders. "
        "Het PFHO stelt het voorstel vast. Huizen vraagt of het voorstel juridisch houdbaar is. "
        "De volgende vergadering is in april."
    )
    item = hit("g", text, section="Gezinsgerichte groep", date=dt.date(2023, 2, 23),
               decisions=("Het PFHO stelt het voorstel vast.",))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is besloten over de gezinsgerichte groep?", "nl", [item])
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert lines == [
        "- Voorgesteld wordt om de afspraken te verlengen met een tweede groep. [1]",
        "- Het PFHO stelt het voorstel vast. [1]",
        "- Huizen vraagt of het voorstel juridisch houdbaar is. [1]",
    ]


def test_a_sentence_in_two_overlapping_chunks_is_quoted_once():
    first = hit("o1", "De kosten vallen lager uit. Het gaat om circa €12.000 per jaar.", section="Dyslexie",
                date=dt.date(2023, 2, 23))
    second = hit("o2", "Het gaat om circa €12.000 per jaar. Dit is structureel.", section="Dyslexie",
                 date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoeveel kost de dyslexie?", "nl", [first, second])
    assert answer.text.count("€12.000") == 1


def test_a_sentence_that_only_restates_the_question_brings_the_one_after_it():
    item = hit("r", "Voor agendapunt 10 maakt een inwoner gebruik van het spreekrecht. "
               "Hij vraagt aandacht voor overlast door jongeren tussen 12 en 18 jaar.",
               section="Agenda en mededelingen", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie maakte er gebruik van het spreekrecht en waarover?", "nl", [item])
    assert "overlast door jongeren" in answer.text


def test_the_quoted_passage_must_name_the_municipality_asked_about():
    toming = hit("t", "De meeste gemeenten kunnen akkoord gaan met de richting uit de scenariostudie.",
                 section="Stand zaken Tomingroep", date=dt.date(2021, 3, 18), domain="Werk en Inkomen",
                 decisions=("De meeste gemeenten kunnen akkoord gaan met de richting uit de scenariostudie.",))
    elsewhere = hit("w", "Weesp sluit per 2022 aan bij Amsterdam.", section="Mededelingen", date=dt.date(2021, 3, 18),
                    dense=0.81)
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer("Heeft Weesp ingestemd met de richting voor de Tomingroep?", "nl", [toming, elsewhere])
    assert not answer.answered and "Weesp" in answer.text
    assert answerer.answer("Hebben de gemeenten ingestemd met de richting voor de Tomingroep?", "nl", [toming]).answered


def test_an_english_decision_question_finds_its_item_by_the_dutch_word_it_contains():
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(VERBLIJF_2021, VERBLIJF_2023))
    answer = answerer.answer("What was decided about residential youth care (verblijf)?", "en", [VERBLIJF_2021])
    assert answer.text.startswith("Decisions and agreements on")
    assert "Afgesproken is de contracten voort te zetten." in answer.text


def test_a_decision_ending_in_a_colon_brings_its_points():
    text = ("Wendy van Neer geeft een toelichting. Portefeuillehouders nemen kennis van de presentatie en geven de "
            "volgende aandachtspunten aan:\n- Aanbieders moeten binnen 30 dagen declareren.\n"
            "- Bij overmacht mag daarvan worden afgeweken.\n- Ervaringsdeskundigen worden betrokken.\n"
            "Het volgende overleg is in juni. Daar komt de monitor aan bod.")
    item = hit("w", text, section="Stand zaken WEB", date=dt.date(2021, 3, 18), domain="Werk en Inkomen",
               decisions=("Portefeuillehouders nemen kennis van de presentatie en geven de volgende aandachtspunten aan:",))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is afgesproken over de WEB?", "nl", [item])
    assert "30 dagen" in answer.text and "overmacht" in answer.text and "Ervaringsdeskundigen" in answer.text


def test_a_why_question_prefers_the_sentence_that_gives_a_reason():
    item = hit("j", "De groepen van Join Us in Huizen zijn sinds maart gestopt. "
               "Jongerenwerkers blijven aandacht houden voor eenzaamheid. "
               "Dat komt omdat er minder aanmeldingen waren.",
               section="Join us", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer(
        "Waarom zijn de Join Us groepen in Huizen gestopt?", "nl", [item]
    )
    assert "minder aanmeldingen" in answer.text


def test_a_sentence_that_points_back_comes_with_the_one_before_it():
    item = hit("h", "Hilversum levert een ambtelijke inzet van twee dagen per week. "
               "Deze persoon trekt op met de senior beleidsmedewerker van de gemandateerde gemeente. "
               "Het Regioplan is in juni klaar.",
               section="Inzet gemeentelijke capaciteit", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer(
        "Welke ambtelijke inzet levert Hilversum?", "nl", [item]
    )
    assert "gemandateerde gemeente" in answer.text and "Regioplan" not in answer.text


def test_a_run_of_urls_is_never_quoted():
    item = hit("u", "Monitoring in 2024 https://www.rijksoverheid.nl/a https://www.rijksoverheid.nl/b. "
               "Het rapport komt in het najaar van 2021.", section="Opzet evaluatie", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wanneer komt het rapport in 2024?", "nl", [item])
    assert "https://" not in answer.text


def test_welke_mededelingen_reads_the_mededelingen_section_in_order():
    text = ("Onlangs is er een subsidieaanvraag voor de Regio Deal ingediend bij het Rijk. "
            "Helaas is de subsidieaanvraag niet gehonoreerd door het Rijk. "
            "Wel kan er in een volgende ronde een nieuwe aanvraag worden gedaan.")
    section = hit("m", text, section="Mededelingen", date=dt.date(2023, 2, 23), domain="Gezondheid en Ondersteuning")
    answer = ExtractiveAnswerer(None, 0.8).answer("Welke mededelingen werden er gedaan?", "nl", [section])
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert lines[0].startswith("- Onlangs is er een subsidieaanvraag") and "niet gehonoreerd" in lines[1]


def test_a_name_question_needs_a_sentence_that_calls_the_thing_by_its_name():
    unnamed = hit("n1", "Karin Walters licht toe dat er een stichting wordt opgericht voor en door de LHBTI gemeenschap.",
                  section="Stichting LHBTI", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoe heet de stichting die wordt opgericht?", "nl", [unnamed])
    assert not answer.answered and "geen naam" in answer.text
    named = hit("n2", "Het programma wordt uitgevoerd samen met Stichting Join Us.", section="Join us", date=dt.date(2022, 1, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoe heet de stichting die het programma uitvoert?", "nl", [named])
    assert answer.answered and "Stichting Join Us" in answer.text


def test_a_number_answers_hoeveel_only_where_its_sentence_names_what_is_counted():
    question = "Hoeveel inwoners staan er op de wachtlijst voor beschermd wonen?"
    houses = hit("w1", "Het beleidsplan gaat over beschermd wonen. Nu wordt de marge van 10 tot 40 woningen aangehouden.",
                 section="Beschermd wonen", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [houses])
    assert not answer.answered and "geen aantal" in answer.text
    people = hit("w2", "Op de wachtlijst voor beschermd wonen staan 35 inwoners.", section="Beschermd wonen",
                 date=dt.date(2021, 3, 18))
    assert "35 inwoners" in ExtractiveAnswerer(None, 0.8).answer(question, "nl", [people]).text
    # A unit may stand as its sign: "75%" counts the "procent" asked for.
    share = hit("w3", "Minstens 75% van de verwijzingen komt van de huisartsen.", section="Verwijzingen", date=dt.date(2022, 1, 1))
    assert ExtractiveAnswerer(None, 0.8).answer("Hoeveel procent van de verwijzingen komt van huisartsen?", "nl", [share]).answered


def test_the_date_of_a_decision_needs_a_sentence_that_states_a_decision():
    procedure = hit("p1", "27/11/25 Directie-overleg Adviseren 13/11/25 Regieteam Adviseren Aanbieden aan DO",
                    section="Behandeling voorstel lokale teams", date=dt.date(2025, 11, 27))
    question = "Op welke datum heeft het PFHO het voorstel over lokale teams vastgesteld?"
    assert not ExtractiveAnswerer(None, 0.8).answer(question, "nl", [procedure]).answered
    # The same row dates the advice, which is no decision.
    assert ExtractiveAnswerer(None, 0.8).answer("Op welke datum adviseerde het directie-overleg?", "nl", [procedure]).answered
    adopted = hit("p2", "Het PFHO heeft het voorstel over lokale teams op 11 december 2025 vastgesteld.",
                  section="Lokale teams", date=dt.date(2025, 12, 11))
    assert "11 december 2025" in ExtractiveAnswerer(None, 0.8).answer(question, "nl", [adopted]).text


def test_a_sentence_saying_the_answer_is_still_to_come_does_not_answer():
    promise = hit("e1", "De evaluatie wordt in het voorjaar afgerond. Ik informeer u dan over de uitkomst van de evaluatie.",
                  section="Opzet evaluatie", date=dt.date(2022, 1, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat was de uitkomst van de evaluatie?", "nl", [promise])
    assert not answer.answered and "nog moet komen" in answer.text
    # It does answer when the outcome comes, and what is still ahead.
    assert ExtractiveAnswerer(None, 0.8).answer("Wanneer komt de uitkomst van de evaluatie?", "nl", [promise]).answered
    hiring = hit("e3", "De werving voor een praktijkondersteuner jeugd start binnenkort.", section="Pilot", date=dt.date(2022, 1, 1))
    assert not ExtractiveAnswerer(None, 0.8).answer("Wie is aangenomen als praktijkondersteuner jeugd?", "nl", [hiring]).answered
    assert ExtractiveAnswerer(None, 0.8).answer("Wat gaat er gebeuren met de werving van een praktijkondersteuner jeugd?",
                                                 "nl", [hiring]).answered
    outcome = hit("e2", "De uitkomst van de evaluatie is dat de inkoop goed verliep.", section="Evaluatie", date=dt.date(2023, 1, 1))
    assert ExtractiveAnswerer(None, 0.8).answer("Wat was de uitkomst van de evaluatie?", "nl", [outcome]).answered
    # Only a result is put off. What it is or does, what a document says about it, with whom it works:
    # the documents say that before it has started (found in fresh batches).
    role = hit("e4", "De werving voor een praktijkondersteuner jeugd start binnenkort. "
               "Deze gaat aan de slag bij de huisartsen.", section="Pilot", date=dt.date(2022, 1, 1))
    for question in ("Wat doet een praktijkondersteuner jeugd?", "Wat is een praktijkondersteuner jeugd?",
                     "Wat zegt de brief over de praktijkondersteuner jeugd?", "Met wie werkt de praktijkondersteuner jeugd?"):
        assert "aan de slag bij de huisartsen" in ExtractiveAnswerer(None, 0.8).answer(question, "nl", [role]).text


def test_a_figure_for_another_year_is_not_the_one_asked():
    jobs = hit("y1", "In 2023 zijn in de regio 214 extra banen gerealiseerd.", section="Banenafspraak", date=dt.date(2024, 10, 8))
    answerer = ExtractiveAnswerer(None, 0.8)
    assert not answerer.answer("Hoeveel banen zijn in 2024 gerealiseerd?", "nl", [jobs]).answered
    assert "214" in answerer.answer("Hoeveel banen zijn in 2023 gerealiseerd?", "nl", [jobs]).text
    # A span of years covers the year asked.
    programme = hit("y2", "Voor de periode 2022-2026 zijn 12 banen begroot.", section="Banen", date=dt.date(2022, 1, 1))
    assert answerer.answer("Hoeveel banen zijn er in 2024 begroot?", "nl", [programme]).answered


def test_a_year_or_a_date_counts_nothing():
    letter = hit("y3", "Met deze brief van 8 oktober 2024 informeren wij u over de banenafspraak.",
                 section="Raadsinformatiebrief", date=dt.date(2024, 10, 8))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoeveel banen zijn er via de banenafspraak gerealiseerd?", "nl", [letter])
    assert not answer.answered and "geen aantal" in answer.text
    counted = hit("y4", "Datum: 8 oktober 2024. Via de banenafspraak zijn 214 banen gerealiseerd.",
                  section="Raadsinformatiebrief", date=dt.date(2024, 10, 8))
    assert "214 banen" in ExtractiveAnswerer(None, 0.8).answer("Hoeveel banen zijn er via de banenafspraak gerealiseerd?", "nl", [counted]).text


def test_hoeveel_duurder_asks_for_an_amount():
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoeveel duurder wordt de dyslexiezorg?", "nl", [
        hit("y5", "De dyslexiezorg wordt in 2023 duurder dan in 2022.", section="Dyslexie", date=dt.date(2023, 2, 23))])
    assert not answer.answered and "bedrag" in answer.text


def test_an_amount_counts_only_in_a_passage_that_names_the_thing_asked_about():
    """Found in a fresh batch: the cost of dyslexia care answered "Wat kost de praktijkondersteuner
    jeugd?", because the passage shares "jeugd" (its domain) with the question. (The keyword index
    found it too, so it is no passage found by meaning alone.)"""
    dyslexie = dataclasses.replace(
        hit("e2", "De kosten vallen lager uit. Het gaat om circa €12.000 i.p.v. circa €21.000.",
            section="Inkoop poortwachtersfunctie ernstige dyslexie", date=dt.date(2023, 2, 23)),
        keyword_score=2.0,
    )
    poh = hit("e3", "De werving voor een praktijkondersteuner jeugd start binnenkort.", section="Pilot",
              date=dt.date(2021, 3, 18))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(dyslexie, poh))
    answer = answerer.answer("Wat kost de praktijkondersteuner jeugd?", "nl", [dyslexie, poh])
    assert not answer.answered and "bedrag" in answer.text
    assert "€12.000" in answerer.answer("Wat kost de poortwachtersfunctie?", "nl", [dyslexie, poh]).text
    # A compound the documents never join stands in a passage that holds all its parts.
    plan = hit("e4", "Het plan van de regio voor gezondheid moet uiterlijk 31 december 2023 zijn ingediend.",
               section="Gezond Gooi", date=dt.date(2023, 2, 23), domain="Gezondheid en Ondersteuning")
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(dyslexie, poh, plan))
    answer = answerer.answer("Wanneer moet het plan voor de gezondheidsregio uiterlijk ingediend zijn?", "nl", [plan])
    assert "31 december 2023" in answer.text


def test_a_day_question_whose_event_the_documents_date_by_month_only_is_declined():
    launch = hit("d1", "In november 2022 is er een groot event geweest voor de lancering van BaanTalent. "
                 "De website www.baantalentgv.nl gaat 1 maart live en fungeert als aanmeldpunt.", section="BaanTalent",
                 date=dt.date(2023, 2, 23))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(launch))
    answer = answerer.answer("Op welke dag was het lanceringsevent van BaanTalent?", "nl", [launch])
    assert not answer.answered and "geen dag" in answer.text
    # The day the passage does give answers the question about what it dates.
    assert "1 maart" in answerer.answer("Op welke dag gaat de website van BaanTalent live?", "nl", [launch]).text


def test_a_compound_question_splits_into_its_own_questions():
    from regioassist.answer import question_parts

    assert question_parts("Welke rol speelt Zorgstart in het programma, en hoeveel geld is er voor vrijgegeven?") == [
        "Welke rol speelt Zorgstart in het programma?", "Hoeveel geld is er voor vrijgegeven (Zorgstart)?",
    ]
    assert question_parts("Per wanneer zijn de contracten ingekocht, en vanaf wanneer speelt de nieuwe inkoop?") == [
        "Per wanneer zijn de contracten ingekocht?", "Vanaf wanneer speelt de nieuwe inkoop?",
    ]
    # A part pointing back ("daarover") is asked with what the first part is about.
    assert question_parts("Wat zei het programma over lokale teams, en wat stelt het voorstel daarover voor?") == [
        "Wat zei het programma over lokale teams?", "Wat stelt het voorstel daarover voor (lokale teams)?",
    ]
    # "en waarover" and a part without words of its own are no second question.
    assert len(question_parts("Wie maakte gebruik van het spreekrecht en waarover?")) == 1
    assert len(question_parts("Wat is besloten over verblijf en wat nog?")) == 1


ZORGSTART_ROL = hit(
    "z1", "Het programma Werk en Participatie biedt met Zorgstart zij-instromers een opleiding in de zorg.",
    section="Arbeidsmarkt", date=dt.date(2022, 6, 1),
)
ZORGSTART_GELD = hit(
    "z2", "De voorzitter heeft € 100.000 voor Zorgstart vrijgegeven.", section="Mededelingen", date=dt.date(2023, 2, 23),
)


def test_each_part_of_a_compound_question_gets_its_own_sentences():
    question = "Welke rol speelt Zorgstart in het programma, en hoeveel geld is er voor vrijgegeven?"
    hits = [ZORGSTART_ROL, ZORGSTART_GELD]
    answer = ExtractiveAnswerer(None, 0.8).answer(question, "nl", hits)
    assert answer.answered
    assert "zij-instromers" in answer.text and "€ 100.000" in answer.text
    assert "geven de documenten geen antwoord" not in answer.text
    # Read as one question, "hoeveel geld" lets only the amount answer: the role was left out.
    answerer = ExtractiveAnswerer(None, 0.8)
    whole = answerer._choose(question, "nl", hits, [(rank, h, h.chunk.text) for rank, h in enumerate(hits)])
    assert [h.chunk.id for _, h, _ in whole] == ["z2"]


def test_a_part_no_passage_answers_is_said_to_be_open():
    question = "Welke rol speelt Zorgstart in het programma, en hoeveel geld is er voor vrijgegeven?"
    answer = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [ZORGSTART_ROL])
    assert answer.answered and "zij-instromers" in answer.text
    assert answer.text.endswith(
        'Op het deel "Hoeveel geld is er voor vrijgegeven (Zorgstart)?" geven de documenten geen antwoord.'
    )


def test_a_question_word_meets_a_sentence_through_its_compound_parts():
    from regioassist.compounds import CompoundSplitter

    college = hit("r1", "Een notitie over het plan gaat naar het college.", section="Regioplan", date=dt.date(2023, 2, 23))
    raad = hit("r2", "Een brief over het plan gaat naar de raadsleden.", section="Regiobeeld", date=dt.date(2023, 2, 23))
    splitter = CompoundSplitter(["gemeente", "raadsleden", "college", "notitie", "brief", "plan"])
    question = "Wat gaat er over het plan naar de gemeenteraadsleden?"
    with_parts = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter).answer(question, "nl", [college, raad])
    assert "Een brief over het plan gaat naar de raadsleden." in with_parts.text
    assert "notitie" not in with_parts.text
    # Word for word, both sentences share as much with the question: both are quoted, the first passage's first.
    plain = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [college, raad])
    assert "notitie" in plain.text and "brief" in plain.text


def test_a_sentence_giving_its_reason_by_pointing_back_is_quoted_with_the_sentence_before_it():
    passage = hit(
        "j", "Het project startte in januari. Er waren minder aanmeldingen dan verwacht. "
        "Om die reden lassen we een pauze in voor het project.",
        section="Join us", date=dt.date(2021, 5, 1),
    )
    answer = ExtractiveAnswerer(None, 0.8).answer("Waarom is er een pauze in het project?", "nl", [passage])
    assert "- Er waren minder aanmeldingen dan verwacht. [1]\n- Om die reden lassen we een pauze in" in answer.text
    assert "januari" not in answer.text
    # A sentence that does not point back is quoted alone.
    plain = hit("k", "Er waren minder aanmeldingen. Er is een pauze in het project.", section="X", date=dt.date(2021, 5, 1))
    assert "aanmeldingen" not in ExtractiveAnswerer(None, 0.8).answer("Is er een pauze in het project?", "nl", [plain]).text


PROPOSAL_POINTS = hit(
    "v",
    "Voorstel 1. Kennisnemen van het overzicht van de lokale teams.\n\n"
    "Voorstel 2. Kennisnemen van de volgende twee opgaven:\n1) Een visie op jeugdhulp opstellen.\n"
    "2) De inkoop van jeugdhulp verkennen.\n\n"
    "Voorstel 3. Instemmen met een plan van aanpak voor de lokale teams.",
    section="Voorstel", date=dt.date(2025, 11, 27),
)
PROPOSAL_BACKGROUND = hit(
    "t", "De lokale teams zijn in de regio sterk in ontwikkeling en gemeenten willen de lokale teams versterken.",
    section="Toelichting", date=dt.date(2025, 11, 27),
)


def test_what_a_body_is_asked_to_decide_is_answered_with_the_proposals_points_in_order():
    question = "Wat wordt het PFHO gevraagd te besluiten over de lokale teams?"
    answer = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [PROPOSAL_POINTS, PROPOSAL_BACKGROUND])
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert [line.split(" [")[0] for line in lines] == [
        "- Kennisnemen van het overzicht van de lokale teams.",
        "- Kennisnemen van de volgende twee opgaven:",
        "- 1) Een visie op jeugdhulp opstellen.",
        "- 2) De inkoop van jeugdhulp verkennen.",
        "- Instemmen met een plan van aanpak voor de lokale teams.",
    ]  # the bare labels "Voorstel 2." and "Voorstel 3." are not quoted
    # A proposal about another topic is no answer to what is proposed about this one.
    other = ExtractiveAnswerer(None, 0.8).answer(
        "Wat wordt er voorgesteld over de Tomingroep?", "nl",
        [hit("g", "Voorgesteld wordt de Tomingroep te laten adviseren.", section="Tomingroep", date=dt.date(2021, 3, 18)),
         PROPOSAL_POINTS],
    )
    assert "Tomingroep te laten adviseren" in other.text and "Kennisnemen" not in other.text


def test_what_was_discussed_about_an_item_includes_what_the_meeting_concluded():
    item = hit(
        "w", "De WEB kent een aantal knelpunten. De WEB heeft een verbetertraject. De WEB vraagt veel partijen. "
        "Het portefeuillehoudersoverleg stelt dat het verbeterplan uiterlijk op 6 oktober wordt geagendeerd.",
        section="Voortgang WEB", date=dt.date(2023, 2, 23), domain="Werk en Participatie",
    )
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is er besproken over de WEB?", "nl", [item])
    # The item's title already says it is about the WEB: the sentences that repeat "WEB" are
    # no better an answer than the conclusion that does not.
    assert "6 oktober" in answer.text and "verbetertraject" in answer.text


def test_a_list_that_runs_on_into_the_next_chunk_is_quoted_whole_in_order():
    first = hit(
        "e1", "Aan de wethouders is gevraagd wat zij meegeven voor de evaluatie. De wethouders geven het volgende mee:\n"
        "- De evaluatie moet klein blijven.\n- De focus ligt op het proces.",
        section="Evaluatie inkoop", date=dt.date(2021, 3, 18),
    )
    second = dataclasses.replace(first, chunk=dataclasses.replace(
        first.chunk, id="e2", start=first.chunk.start + 200,
        text="- Wethouders willen dat ook adviesraden worden betrokken.\n- Gemeenteraden reflecteren op hun rol.",
    ))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat geven de wethouders mee voor de evaluatie?", "nl", [first, second])
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert lines == [
        "- De wethouders geven het volgende mee: [1]",
        "- De evaluatie moet klein blijven. [1]",
        "- De focus ligt op het proces. [1]",
        "- Wethouders willen dat ook adviesraden worden betrokken. [2]",
        "- Gemeenteraden reflecteren op hun rol. [2]",
    ]


@pytest.mark.parametrize(
    ("question", "section", "text", "quoted", "left_out"),
    [
        # a condition ("alleen als"), though the other sentence shares as many words
        ("Welke voorwaarde noemde een wethouder voor de kleine groep voor jongeren?", "Gezinsgerichte groep",
         "De groep is in 2022 positief geëvalueerd. Een wethouder voegt toe dat dit lukt alleen als er voldoende "
         "gezinsouders zijn.", "gezinsouders", "positief"),
        # a judgement, though it carries a URL and names BaanTalent no more than the others
        ("Wat vond het overleg van BaanTalent?", "BaanTalent",
         "BaanTalent is een samenwerking van vier organisaties. De website van BaanTalent gaat in maart live. "
         "Het overleg is positief over deze samenwerking. http://www.baantalentgv.nl/",
         "positief over deze samenwerking", "website"),
        # a standpoint is what the aldermen want, not who joined the item
        ("Wat is het standpunt van de portefeuillehouders over de evaluatie van de inkoop?", "Evaluatie inkoop",
         "Jeroen Bigot sluit vanuit het directieoverleg bij dit agendapunt aan. De wethouders willen een kleine evaluatie.",
         "willen een kleine evaluatie", "Jeroen Bigot"),
        # the municipalities, named
        ("Welke gemeenten doen mee aan het programma?", "Inleiding",
         "Voor de uitvoering van het programma slaan gemeenten de handen ineen. "
         "Het programma is van de gemeenten Blaricum, Huizen en Laren en de Regio.",
         "Blaricum, Huizen en Laren", "handen ineen"),
        # the municipalities, though the other sentences repeat every word of the region's name
        ("Welke gemeenten vallen onder de Regio Gooi en Vechtstreek?", "Inzet capaciteit",
         "De Regio Gooi en Vechtstreek is een ondernemende regio. In de regio Gooi en Vechtstreek werken gemeenten "
         "samen. De gemeenten Blaricum, Huizen en Laren zijn de regiogemeenten van Gezond Gooi.",
         "Blaricum, Huizen en Laren", "werken gemeenten samen"),
        # the one municipality, though another sentence shares more of the question's words
        ("Welke gemeente trekt het Regioplan?", "Inzet capaciteit",
         "De gemeente trekt samen met de zorgverzekeraar op bij het Regioplan. Hilversum is gemandateerd "
         "voor het opstellen van het Regioplan.", "Hilversum is gemandateerd", "zorgverzekeraar"),
        # what is done with the evaluation, not a sentence that only shares "worden gedaan"
        ("Wat wordt er met de evaluatie van de inkoop gedaan?", "Inkoop",
         "De resultaten van de evaluatie worden met de raden gedeeld. Escalaties worden gedaan naar de voorzitters.",
         "met de raden gedeeld", "Escalaties"),
    ],
)
def test_the_sentence_that_gives_what_the_question_asks_for_is_quoted(question, section, text, quoted, left_out):
    passage = hit("q", text, section=section, date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [passage])
    assert quoted in answer.text and left_out not in answer.text


def test_a_bare_table_cell_is_never_quoted():
    table = hit(
        "m", "2023\n\n2024 Wachttijden aansluiten bij de landelijke aanpak wachttijden.",
        section="Monitoring", date=dt.date(2022, 3, 1),
    )
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat staat er over wachttijden in 2023 en 2024?", "nl", [table])
    assert "- 2023 [" not in answer.text and "Wachttijden aansluiten" in answer.text


def test_a_lone_url_is_no_sentence_however_many_letters_it_has():
    from regioassist.answer.sentences import is_debris

    assert is_debris("https://www.regiogv.nl/wp-content/uploads/2022/03/Een-toekomst-met-perspectief.pdf")
    assert is_debris("Zie https://www.regiogv.nl/wp-content/uploads/2022/03/Een-toekomst-met-perspectief.pdf")
    assert not is_debris("Het overleg is positief over deze samenwerking. http://www.baantalentgv.nl/")


def test_a_question_how_something_is_divided_is_answered_by_the_shares():
    passage = hit(
        "s", "Zorgstart loopt een andere route dan de andere onderdelen van het programma. "
        "Het idee is om de financiering met partners te delen; 1/3 Regio, 1/3 Mobiliteitsteam, 1/3 partners.",
        section="Mededelingen", date=dt.date(2023, 2, 23),
    )
    answerer = ExtractiveAnswerer(None, 0.8, max_sentences=1)
    answer = answerer.answer("Hoe wil men de financiering van Zorgstart verdelen?", "nl", [passage])
    assert "1/3 Regio" in answer.text and "andere route" not in answer.text


def test_a_document_that_names_nothing_the_question_names_is_left_out_of_a_span():
    web_2023 = hit("w23", "De WEB kent knelpunten. Er is een verbetertraject gestart.", section="Voortgang WEB",
                   date=dt.date(2023, 2, 23), domain="Werk en Participatie")
    programme = hit("prog", "2024 Wachttijden aansluiten bij de landelijke aanpak 2023.", section="Monitoring",
                    date=dt.date(2022, 3, 1))
    web_2021 = hit("w21", "Aanbieders van WEB-trajecten declareren binnen 30 dagen.", section="Stand zaken WEB",
                   date=dt.date(2021, 3, 18), domain="Werk en Inkomen")
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Hoe heeft de WEB zich ontwikkeld tussen 2021 en 2023?", "nl", [web_2023, programme, web_2021]
    )
    assert "verbetertraject" in answer.text and "30 dagen" in answer.text
    assert "Wachttijden" not in answer.text


def test_a_proposals_points_answer_what_it_asks_though_less_similar_than_its_prose():
    points = dataclasses.replace(PROPOSAL_POINTS, dense_score=0.79)
    background = dataclasses.replace(
        PROPOSAL_BACKGROUND, chunk=dataclasses.replace(PROPOSAL_BACKGROUND.chunk, source=points.chunk.source)
    )
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "What is the PFHO asked to agree to in the proposal on local teams?", "en", [points, background]
    )
    assert "Instemmen met een plan van aanpak" in answer.text
    dutch = ExtractiveAnswerer(None, 0.8).answer(
        "Wat wordt het PFHO gevraagd in het voorstel over de lokale teams?", "nl", [points, background]
    )
    assert "Instemmen met een plan van aanpak" in dutch.text
    # Alone, or for a question that does not ask what is proposed, the points are too weak a match.
    alone = ExtractiveAnswerer(None, 0.8).answer("What is the PFHO asked to agree to?", "en", [points])
    assert not alone.answered
    other = ExtractiveAnswerer(None, 0.8).answer("How are the local teams developing?", "en", [points, background])
    assert "Instemmen" not in other.text


def test_a_decision_without_a_proposal_brings_the_sentences_that_tie_on_its_topic():
    item = hit(
        "zm", "Mirjam Havinga: Zorgstart en AI Media lopen een andere routing. Zij kreeg de vraag de middelen "
        "beschikbaar te stellen. Het idee is de financiering te delen. Zij heeft € 100.000 voor Zorgstart en € 50.000 "
        "voor AI Media vrijgegeven. Tot september is er tijd. De aanwezige wethouders zijn hiermee akkoord.",
        section="Mededelingen", date=dt.date(2023, 2, 23), decisions=("De aanwezige wethouders zijn hiermee akkoord.",),
    )
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is besloten over Zorgstart en AI Media?", "nl", [item])
    assert "andere routing" in answer.text and "€ 100.000" in answer.text and "hiermee akkoord" in answer.text
    assert "Tot september" not in answer.text


def test_welke_mededelingen_lists_each_mededeling_under_its_own_heading_first_sentence_first():
    def mededeling(cid, title, text, start):
        passage = hit(cid, text, section=title, date=dt.date(2021, 3, 18), domain="Sociaal Domein")
        return dataclasses.replace(passage, chunk=dataclasses.replace(
            passage.chunk, source="documents/001.txt", parent="Mededelingen", section_kind="section", start=start))

    items = [
        mededeling("m2", "Alcohol en drugsgebruik", "Karin Walters vraagt aandacht voor alcoholgebruik onder jongeren. "
                   "Er is kort over uitgewisseld met elkaar. Afgesproken is dat gemeenten elkaar informeren.", 300),
        mededeling("m1", "Carin Ogier", "Carin Ogier stelt zich voor aan het overleg. Carin volgt Maarten Miner op als "
                   "portefeuillehouder. Zij is portefeuillehouder werk en inkomen.", 100),
        mededeling("m3", "KPMG-onderzoek", "Karin Walters stelt voor het KPMG-onderzoek niet uit te voeren.", 500),
    ]
    answer = ExtractiveAnswerer(None, 0.8).answer("Welke mededelingen zijn er gedaan?", "nl", items)
    assert "Carin Ogier stelt zich voor" in answer.text
    assert '18 maart 2021 — Sociaal Domein, Mededelingen "Carin Ogier":' in answer.text
    assert {c.group for c in answer.citations} == {"Mededelingen"}
    # in the order of the minutes, though "Alcohol en drugsgebruik" was retrieved first
    text = answer.text
    assert text.index('"Carin Ogier"') < text.index('"Alcohol en drugsgebruik"') < text.index('"KPMG-onderzoek"')
    assert "Mededelingen: Carin Ogier" in render(answer)
    assert "alcoholgebruik" in answer.text and "KPMG-onderzoek niet uit te voeren" in answer.text


def test_a_documents_header_run_together_is_never_quoted():
    header = hit(
        "hd", "RESUMÉ Overleg portefeuillehouders sociaal domein 18 maart 2021 Aanwezig Rosalie van Rijn (Jeugd), "
        "Carin Ogier (Werk en Inkomen, Weesp) Afwezig Maarten Hoelscher (Huizen, Jeugd) Contactpersoon Saloua Chaara",
        section=None, date=dt.date(2021, 3, 18),
    )
    item = hit("co", "Carin Ogier stelt zich voor. Carin volgt Maarten Miner op als portefeuillehouder werk en inkomen.",
               section="Carin Ogier", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer("Welke portefeuille heeft Carin Ogier?", "nl", [header, item])
    assert "Maarten Miner" in answer.text and "Contactpersoon" not in answer.text


def test_a_list_item_chosen_alone_is_quoted_with_the_sentence_that_announces_the_list():
    item = hit(
        "li", "De uitvoering van de WEB kent een aantal knelpunten:\n- Het vinden van de doelgroep (bereik)\n"
        "- Aanmelden en plaatsing deelnemers (proces)\n- Monitoring, effect en sturing (effect)\n\n"
        "Het portefeuillehoudersoverleg agendeert het verbeterplan op 6 oktober.",
        section="Voortgang WEB", date=dt.date(2023, 2, 23), domain="Werk en Participatie",
    )
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer("Hoe staat het met monitoring en sturing?", "nl", [item])
    lines = [line.split(" [")[0] for line in answer.text.splitlines() if line.startswith("- ")]
    assert lines[:4] == [
        "- De uitvoering van de WEB kent een aantal knelpunten:", "- Het vinden van de doelgroep (bereik)",
        "- Aanmelden en plaatsing deelnemers (proces)", "- Monitoring, effect en sturing (effect)",
    ]


def test_a_short_item_a_decision_question_names_is_quoted_whole():
    sentences = ["Er wordt meer structuur aangebracht in de contracten.", "Gemeenten willen werken vanuit partnerschap.",
                 "Periodiek worden de bevindingen teruggekoppeld.", "Zo verbeteren we gaandeweg de werkwijze."]
    short = hit("ra", " ".join(sentences), section="Relatie met aanbieders", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is er afgesproken over de relatie met aanbieders?", "nl", [short])
    assert [line.split(" [")[0] for line in answer.text.splitlines() if line.startswith("- ")] == [
        f"- {s}" for s in sentences
    ]
    # A longer item gives its best sentences only.
    longer = dataclasses.replace(short, chunk=dataclasses.replace(
        short.chunk, text=" ".join(sentences + ["De werkwijze wordt jaarlijks bekeken.", "Dat gebeurt in mei."])))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is er afgesproken over de relatie met aanbieders?", "nl", [longer])
    assert len([line for line in answer.text.splitlines() if line.startswith("- ")]) < 6


def test_the_passage_the_keyword_index_matches_best_is_read_wherever_fusion_ranked_it():
    # Five passages that only resemble the question rank above the one holding all its words; a year in a
    # document's title must not answer "wanneer" in its place.
    resembling = [
        hit(f"r{i}", f"De evaluatie toetst het Uitgangspuntendocument Inkoop 2020 op punt {i}.",
            section="Evaluatie inkoop sociaal domein", date=dt.date(2021, 11, 1), dense=0.88)
        for i in range(5)
    ]
    best_words = dataclasses.replace(
        hit("opzet", "Een trekker van de Regio voert de evaluatie uit. Het rapport van de evaluatie wordt in het "
                     "najaar van 2021 verwacht.", section="Opzet evaluatie", date=dt.date(2021, 11, 1), dense=0.85),
        keyword_score=5.0,
    )
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Wanneer wordt het rapport van de evaluatie inkoop verwacht?", "nl", resembling + [best_words])
    assert answer.answered
    assert "najaar van 2021" in answer.text
    assert "Uitgangspuntendocument" not in answer.text


def test_soon_answers_when_rather_than_a_date_of_something_else():
    poh = hit("poh", "De werving voor een praktijkondersteuner jeugd in Huizen start binnenkort.", section="Pilot",
              date=dt.date(2021, 11, 1), dense=0.91)
    join_us = hit("join", "In januari 2020 is het programma Join Us voor jeugd in Huizen gestart.", section="Join us",
                  date=dt.date(2021, 11, 1), dense=0.87)
    answer = ExtractiveAnswerer(None, 0.8).answer("Wanneer start de praktijkondersteuner jeugd in Huizen?", "nl", [poh, join_us])
    assert "binnenkort" in answer.text
    assert "januari 2020" not in answer.text


def test_a_passage_naming_the_person_asked_about_in_full_is_answered_from_however_unlike_the_question():
    web = hit("w", "Wendy van Neer geeft aan de hand van een presentatie een toelichting op de WEB-trajecten.",
              section="Stand zaken WEB", date=dt.date(2021, 3, 18), dense=0.79)
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie is Wendy van Neer?", "nl", [web])
    assert answer.answered
    assert "Wendy van Neer geeft" in answer.text
    unnamed = ExtractiveAnswerer(None, 0.8).answer("Wie is Jan de Vries?", "nl", [web])
    assert not unnamed.answered


TOMINGROEP = hit("t", "De wethouders wisselen kort af over de stand van zaken rondom de Tomingroep.",
                 section="Stand zaken Tomingroep", date=dt.date(2021, 3, 18), dense=0.85)


def test_a_person_asked_about_beside_another_name_must_stand_in_a_passage_naming_both():
    toming = TOMINGROEP
    havinga = hit("h", "Mirjam Havinga opent de vergadering. Mirjam Havinga vindt de routing van Zorgstart goed.",
                  section="Agenda en mededelingen", date=dt.date(2023, 2, 23), dense=0.84)
    answerer = ExtractiveAnswerer(None, 0.8)
    near_miss = answerer.answer("Wat vindt Mirjam Havinga van de Tomingroep?", "nl", [toming, havinga])
    assert not near_miss.answered
    assert "Mirjam Havinga" in near_miss.text
    both = answerer.answer("Wat vindt Mirjam Havinga van Zorgstart?", "nl", [havinga])
    assert both.answered and "routing van Zorgstart" in both.text


def test_how_long_needs_a_duration_in_a_passage_about_what_the_question_names():
    poh = hit("p", "De werving voor een praktijkondersteuner jeugd start binnenkort. "
              "De samenwerkingsovereenkomst gaat uit van een pilot voor 2 jaar.", section="Pilot",
              date=dt.date(2021, 11, 1), dense=0.9)
    join_us = hit("j", "In januari 2020 is de pilot Join Us in Huizen gestart. Nu lassen we een pauze in.",
                  section="Join us", date=dt.date(2021, 11, 1), dense=0.88)
    answerer = ExtractiveAnswerer(None, 0.8)
    answered = answerer.answer("Hoe lang duurt de pilot met de praktijkondersteuner?", "nl", [poh, join_us])
    assert answered.answered and "pilot voor 2 jaar" in answered.text and "januari 2020" not in answered.text
    other_pilot = answerer.answer("Hoe lang duurt de pilot Join Us?", "nl", [poh, join_us])
    assert not other_pilot.answered and "geen duur" in other_pilot.text


def test_a_short_sentence_opening_with_of_is_quoted_with_the_sentence_it_finishes():
    letter = hit("e1", "De huisarts kan een POH-er inschakelen. Dat kunnen gesprekken met de praktijkondersteuner zijn. "
                 "Of toch een verwijzing naar jeugdhulp.", section="Jeugdwet", date=dt.date(2021, 11, 1))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer("Komt er een verwijzing naar jeugdhulp?", "nl", [letter])
    lines = answer.text.splitlines()
    fragment = lines.index("- Of toch een verwijzing naar jeugdhulp. [1]")
    assert lines[fragment - 1] == "- Dat kunnen gesprekken met de praktijkondersteuner zijn. [1]"


def test_a_name_with_des_between_its_words_is_a_name():
    from regioassist.answer.question import FULL_NAME
    assert FULL_NAME.search("Begin 2022 zijn met het Leger des Heils afspraken gemaakt.").group() == "Leger des Heils"


def test_a_tables_header_cell_that_reads_as_a_short_question_is_never_quoted():
    table = hit("nm", "Normaliseren Wat doen we al? Scholen en jeugdhulp werken samen in de klas.", section="Normaliseren",
                date=dt.date(2022, 1, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat doen we al aan normaliseren?", "nl", [table])
    assert answer.answered and "Scholen en jeugdhulp" in answer.text and "Wat doen we al?" not in answer.text


def test_a_closing_verb_particle_is_no_part_of_the_topic():
    plan = hit("np", "Het nieuwe plan wordt besproken.", section="Overig", date=dt.date(2021, 3, 18))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(ALZHEIMER, plan))
    # "open" belongs to "gaat ... open": the topic is "nieuwe voetbalclub", and the documents never name it.
    answer = answerer.answer("Wanneer gaat de nieuwe voetbalclub open?", "nl", [ALZHEIMER, plan])
    assert not answer.answered and '"voetbalclub" komt in de documenten niet voor' in answer.text


def test_a_proposal_named_beside_another_document_is_answered_with_what_it_proposes():
    def as_proposal(passage: Hit) -> Hit:
        chunk = dataclasses.replace(
            passage.chunk, source="documents/voorstel.txt", doc_type=DocType.VOORSTEL, title="Voorstel lokale teams"
        )
        return dataclasses.replace(passage, chunk=chunk)

    programme = hit("prog", "Gemeenten ontwikkelen de lokale teams door.", section="Werken in lokale teams",
                    date=dt.date(2022, 3, 1))
    points, background = as_proposal(PROPOSAL_POINTS), as_proposal(PROPOSAL_BACKGROUND)
    question = "Hoe verhoudt het programma zich tot het latere voorstel over de lokale teams?"
    answer = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [programme, background, points])
    quoted = [line.split(" [")[0] for line in answer.text.splitlines() if line.startswith("- ")]
    assert quoted[0] == "- Gemeenten ontwikkelen de lokale teams door."
    assert quoted[1:3] == ["- Kennisnemen van het overzicht van de lokale teams.", "- Kennisnemen van de volgende twee opgaven:"]
    assert "sterk in ontwikkeling" not in answer.text
    # The points are read wherever retrieval ranked them, also below the passages read for a fact.
    others = [hit(f"p{i}", f"Onderdeel {i} van het programma.", section=f"Thema {i}", date=dt.date(2022, 3, 1))
              for i in range(4)]
    later = ExtractiveAnswerer(None, 0.8).answer(question, "nl", [programme, background, *others, points])
    assert "Kennisnemen van het overzicht van de lokale teams." in later.text


def test_a_name_that_says_which_document_is_meant_does_not_leave_the_other_documents_out():
    letter = hit("rib", "Huizen versterkt de lokale teams met een praktijkondersteuner.", section="Lokale teams",
                 date=dt.date(2021, 10, 1), domain="Sociaal Domein")
    letter = dataclasses.replace(letter, chunk=dataclasses.replace(letter.chunk, doc_type=DocType.RAADSINFORMATIEBRIEF))
    programme = hit("prog", "De lokale teams worden doorontwikkeld in lijn met landelijke afspraken.",
                    section="Werken in lokale teams", date=dt.date(2022, 3, 1))
    programme = dataclasses.replace(programme, chunk=dataclasses.replace(programme.chunk, doc_type=DocType.PROGRAMMA))
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer(
        "Wat zeggen de raadsinformatiebrief van Huizen en het programma over de lokale teams?", "nl", [letter, programme]
    )
    assert "praktijkondersteuner" in answer.text and "landelijke afspraken" in answer.text
    # A municipality asked about is still a topic: a document that never names it is left out.
    about = answerer.answer("Wat zeggen de raadsinformatiebrief en het programma over Huizen?", "nl", [letter, programme])
    assert "praktijkondersteuner" in about.text and "landelijke afspraken" not in about.text


def test_zitten_says_nothing_of_its_own_a_section_the_question_names_answers():
    team = hit("pt", "Programmamanager: de programmamanager is verantwoordelijk voor het programma. "
               "Beleidsregisseurs vanuit de gemeenten trekken elk project.",
               section="Samenstelling programmateam", date=dt.date(2022, 3, 1))
    other = hit("ex", "Het C&A team groeit door naar het Regionaal Expert Team.", section="Lokale teams",
                date=dt.date(2022, 3, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie zitten er in het programmateam?", "nl", [other, team])
    assert "Beleidsregisseurs" in answer.text and "Expert Team" not in answer.text


def test_who_holds_a_role_is_answered_by_a_sentence_that_names_the_role():
    chair = hit("vz", "Astrid Heijstee opent het overleg. Astrid Heijstee stemt als voorzitter van het overleg af.",
                section="Mededelingen", date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie is de voorzitter van het overleg?", "nl", [chair])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert quoted and all("voorzitter" in line for line in quoted)
    opens = hit("op", "Astrid Heijstee opent het overleg.", section="Mededelingen", date=dt.date(2021, 3, 18))
    assert not ExtractiveAnswerer(None, 0.8).answer("Wie is de voorzitter van het overleg?", "nl", [opens]).answered
    # ... or by its verb: "volgt op" names the opvolger.
    successor = hit("cs", "Carin Ogier stelt zich voor. Carin volgt Maarten Miner op.", section="Carin Ogier",
                    date=dt.date(2021, 3, 18))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wie is de opvolger van Maarten Miner?", "nl", [successor])
    assert answer.answered and "volgt Maarten Miner op" in answer.text


def test_a_date_asked_for_a_municipality_does_not_come_from_a_passage_that_only_lists_it():
    listing = hit("iza", "Op donderdag 26 januari is de bijeenkomst geweest. De gemeenten Blaricum, Huizen en Laren "
                  "werken samen in Gezond Gooi.", section="Integraal Zorgakkoord", date=dt.date(2023, 2, 23))
    centre = hit("pi", "De praktijkondersteuner werkt 1 dag per week in gezondheidscentrum Huizermaat in Huizen.",
                 section="Pilot", date=dt.date(2021, 10, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Wanneer opent het nieuwe gezondheidscentrum in Laren?", "nl", [listing, centre]
    )
    assert not answer.answered and "26 januari" not in answer.text


def test_besluiten_genomen_is_the_frame_of_the_question_not_its_topic():
    item = hit("iza", "Gemeenten hebben aangegeven dat het Integraal Zorgakkoord prioriteit moet krijgen. "
               "Hilversum is de gemandateerde gemeente voor het Regioplan. Hilversum levert twee dagen per week. "
               "Deze persoon trekt samen op met de Regio. Er komt een Regiopodium. De raden worden vroeg betrokken.",
               section="Inzet gemeentelijke capaciteit ten behoeve van het Integraal Zorgakkoord", date=dt.date(2023, 2, 23))
    elsewhere = hit("tb", "Het Regioplan komt voort uit het Integraal Zorgakkoord.",
                    section="Terugkoppeling uit de bestuurlijke overleggen", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Welke besluiten zijn er genomen over het Integraal Zorgakkoord?", "nl", [item, elsewhere]
    )
    assert "Inzet gemeentelijke capaciteit" in answer.text and "komt voort uit" not in answer.text


def test_a_compound_whose_parts_no_passage_brings_together_is_declined():
    seniors = hit("sn", "Senioren willen langer thuis wonen met hulp van de gemeente.", section="Wonen",
                  date=dt.date(2021, 3, 18))
    homes = hit("wo", "Er zijn te weinig woningen voor jongeren die uitstromen.", section="Uitstroom",
                date=dt.date(2021, 3, 18))
    question = "Wat is er gezegd over de seniorenwoningen?"
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(seniors, homes))
    answer = answerer.answer(question, "nl", [seniors, homes])
    assert not answer.answered and '"seniorenwoningen" komt in de documenten niet voor' in answer.text
    # Where one passage holds both parts, the question may be using its own word for what it says.
    both = hit("bo", "Voor senioren komen er extra woningen in de wijk.", section="Wonen", date=dt.date(2021, 3, 18))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(seniors, homes, both))
    assert answerer.answer(question, "nl", [both, seniors, homes]).answered


BAANTALENT = hit(
    "w1", "BaanTalent is een samenwerking van vier uitvoeringsorganisaties; WSP (Werkgevers Servicepunt), RMT, "
    "LWL (Leerwerkloket) en RBL (Regionaal Bureau Leerlingzaken). Het loopt vooruit op de business case.",
    section="BaanTalent", date=dt.date(2023, 2, 23), domain="Werk en Participatie", dense=0.79,
)
WEB = hit(
    "w2", "De uitvoering van de WEB kent een aantal knelpunten. Gemeenten willen actiever participeren.",
    section="Voortgang WEB (Wet Educatie Beroepsonderwijs)", date=dt.date(2023, 2, 23), domain="Werk en Participatie",
)


def test_an_abbreviation_is_answered_with_what_a_passage_writes_it_out_as():
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer("Waar staat WSP voor?", "nl", [WEB, BAANTALENT])
    assert answer.answered
    lead, quote = answer.text.split("\n\n")[0], answer.text.split("\n\n")[-1]
    assert lead == 'In de documenten staat WSP voor "Werkgevers Servicepunt":'
    # The sentence that writes it out, under its place, and not the one after it.
    assert quote.splitlines()[1].startswith("- BaanTalent is een samenwerking") and "business case" not in quote
    assert [c.agenda_item for c in answer.citations] == ["BaanTalent"]
    # Written out in an item's title: the title heads the quote of the item's first sentence.
    web = answerer.answer("Wat is de WEB?", "nl", [BAANTALENT, WEB])
    assert web.text.startswith('In de documenten staat WEB voor "Wet Educatie Beroepsonderwijs":')
    assert "- De uitvoering van de WEB kent een aantal knelpunten. [1]" in web.text
    assert "participeren" not in web.text
    english = answerer.answer("What does RBL stand for?", "en", [BAANTALENT])
    assert english.text.startswith('In the documents RBL stands for "Regionaal Bureau Leerlingzaken"')


def test_an_abbreviation_no_passage_writes_out():
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer("Waar staat RMT voor?", "nl", [BAANTALENT, WEB])
    assert not answer.answered and answer.citations == ()
    assert answer.text.endswith("ze schrijven RMT nergens voluit.")
    # "Wat is X?" asks more than the letters: the passages about it answer as usual.
    about = answerer.answer("Wat is de WEB?", "nl", [dataclasses.replace(WEB, chunk=dataclasses.replace(
        WEB.chunk, section="Stand zaken WEB"))])
    assert about.answered and about.text.startswith("Dit staat in de documenten:")


def test_a_decision_in_a_municipality_is_not_answered_by_sentences_that_only_name_the_place():
    """Found in a fresh batch: "Wat is er besloten over de kinderopvang in Huizen?" quoted what Huizen
    asked about dagbehandeling. The documents do use "kinderopvang", elsewhere."""
    dagbehandeling = hit(
        "k1", "Huizen vraagt om nog eens ambtelijk te dubbelchecken of het voorstel juridisch houdbaar is.",
        section="Dagbehandeling", date=dt.date(2021, 3, 18),
    )
    elsewhere = hit("k2", "De kinderopvang is een vindplaats voor signalen.", section="Programma", date=dt.date(2022, 1, 1))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(dagbehandeling, elsewhere))
    answer = answerer.answer("Wat is er besloten over de kinderopvang in Huizen?", "nl", [dagbehandeling])
    assert not answer.answered and answer.citations == ()
    assert answer.text.endswith("wat ze over Huizen zeggen, gaat niet over kinderopvang.")
    assert answerer.answer("Wat is er besloten over dagbehandeling in Huizen?", "nl", [dagbehandeling]).answered
    # Without a place, a word the documents use elsewhere must still stand in the passage quoted.
    unplaced = answerer.answer("Wat is er besloten over de kinderopvang?", "nl", [dagbehandeling])
    assert not unplaced.answered and "kinderopvang" in unplaced.text


def test_a_spanning_answer_quotes_first_what_each_document_says_about_the_topic():
    """The programme's best-ranked passage was a planning table whose rows share no word of the
    topic ("2024 Wachttijden ..."); its own sentence about the Toekomstscenario ranked lower."""
    rows = hit("t1", "2024 Wachttijden in het programma aanpakken. 2023 Analyses in het programma invoeren. "
                     "2025 Uitstroom in het programma meten.", section="Monitoring", date=dt.date(2022, 3, 1))
    resume = hit("t2", "Het Toekomstscenario biedt een duurzame aanpak.", section="Jeugdbescherming",
                 date=dt.date(2023, 2, 23))
    own = hit("t3", "Gezamenlijk aanstellen projectleider Toekomstscenario.", section="Lokale teams",
              date=dt.date(2022, 3, 1))
    programme = [dataclasses.replace(h, chunk=dataclasses.replace(h.chunk, source="documents/prog.txt",
                                                                  doc_type=DocType.PROGRAMMA)) for h in (rows, own)]
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Wat zeggen het programma en het resumé over het Toekomstscenario?", "nl", [programme[0], resume, programme[1]]
    )
    assert "projectleider Toekomstscenario" in answer.text and "duurzame aanpak" in answer.text


def test_a_url_on_a_line_of_its_own_is_no_part_of_the_decision_quoted():
    """"... positief over deze samenwerking. .\\n\\nhttp://...\\n De raden zijn ..." was quoted as one sentence."""
    text = ("De frontoffice kijkt welke vraag waar thuishoort. Het overleg is positief over deze samenwerking. .\n\n"
            "http://www.baantalentgv.nl/\n De raden zijn op 13 februari geïnformeerd. "
            "Afgesproken wordt om ook een raadsinformatiebrief te sturen.")
    item = hit("u1", text, section="BaanTalent", date=dt.date(2023, 2, 23),
               decisions=("Afgesproken wordt om ook een raadsinformatiebrief te sturen.",))
    answer = ExtractiveAnswerer(None, 0.8).answer("Wat is afgesproken over BaanTalent?", "nl", [item])
    assert "- Het overleg is positief over deze samenwerking. [1]" in answer.text
    assert "http" not in answer.text and "- De raden zijn op 13 februari geïnformeerd. [1]" in answer.text


def test_what_the_aldermen_think_is_answered_by_their_judgement_not_by_sentences_naming_the_thing():
    baantalent = hit(
        "o1", "De naam BaanTalent refereert aan het onbenutte talent. In november 2022 is BaanTalent gelanceerd. "
        "Het portefeuillehoudersoverleg is positief over deze samenwerking.", section="BaanTalent", date=dt.date(2023, 2, 23),
    )
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer("Wat vinden de portefeuillehouders van BaanTalent?", "nl", [baantalent])
    quotes = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert quotes[0] == "- Het portefeuillehoudersoverleg is positief over deze samenwerking. [1]"
    # "vinden" in the question asks for a judgement; the same word in a sentence does not give one.
    evaluatie = hit(
        "o2", "Op basis van de uitgangspunten die zij belangrijk vinden, wordt een voorstel uitgewerkt. "
        "De wethouders geven het volgende mee:\n- De wethouders willen een kleine evaluatie van de inkoop.",
        section="Evaluatie inkoop", date=dt.date(2021, 3, 18),
    )
    answer = answerer.answer("Wat vinden de wethouders van de evaluatie van de inkoop?", "nl", [evaluatie])
    assert "- De wethouders willen een kleine evaluatie van de inkoop. [1]" in answer.text
    assert "uitgangspunten" not in answer.text


def test_a_thing_the_question_names_is_answered_from_a_passage_that_names_it():
    """Found in a fresh batch: "Hoe staan de portefeuillehouders tegenover de Tomingroep?" quoted
    "Portefeuillehouders staan hier open voor." from announcements about another subject."""
    other = hit("n1", "De voorzitter van Alzheimer Nederland wil afstemmen. Portefeuillehouders staan hier open voor.",
                section="Mededelingen", date=dt.date(2021, 3, 18), dense=0.86)
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer("Hoe staan de portefeuillehouders tegenover de Tomingroep?", "nl", [other, TOMINGROEP])
    assert "rondom de Tomingroep" in answer.text and "open voor" not in answer.text
    # Quoted from passages that never name it, it is declined rather than answered beside the point.
    alone = answerer.answer("Hoe staan de portefeuillehouders tegenover de Tomingroep?", "nl", [other])
    assert not alone.answered and "Tomingroep" in alone.text


def test_an_abbreviation_with_a_suffix_or_an_ampersand():
    poh = hit("w3", "De vraag naar jeugdhulp groeit. Een POH-er heeft de kennis om te helpen.",
              section="Start Praktijkondersteuner huisartsen (POH-er)", date=dt.date(2021, 11, 1))
    answerer = ExtractiveAnswerer(None, 0.8)
    answer = answerer.answer("Waar staat POH voor?", "nl", [poh])
    assert answer.text.startswith('In de documenten staat POH voor "Praktijkondersteuner huisartsen":')
    assert "- Een POH-er heeft de kennis om te helpen. [1]" in answer.text  # the item's sentence that uses the letters
    assert answerer.answer("Wat betekent B&O?", "nl", [poh]).text.endswith("ze schrijven B&O nergens voluit.")


def test_each_domain_of_a_meeting_lists_its_own_mededelingen():
    """Found in a fresh batch: "Welke mededelingen waren er in februari 2023?" listed one domain's, as the
    "Mededelingen" of the meeting's domains were one item to the answerer (same document, same title)."""
    health = hit("m1", "De Regio Deal is niet gehonoreerd. Er komt een nieuwe subsidieronde. Hilversum deed mee met twee "
                 "projecten. De aanvraag miste samenhang met andere deals. Een nieuwe aanvraag kan later worden gedaan. "
                 "De regio Utrecht diende de aanvraag in.", section="Mededelingen",
                 date=dt.date(2023, 2, 23), domain="Gezondheid en Ondersteuning")
    work = hit("m2", "Mirjam Havinga heeft middelen voor Zorgstart vrijgegeven.", section="Mededelingen",
               date=dt.date(2023, 2, 23), domain="Werk en Participatie")
    work = dataclasses.replace(work, chunk=dataclasses.replace(work.chunk, source=health.chunk.source, start=500))
    answer = ExtractiveAnswerer(None, 0.8).answer("Welke mededelingen zijn er gedaan?", "nl", [health, work])
    assert "De Regio Deal is niet gehonoreerd." in answer.text
    assert "Mirjam Havinga heeft middelen voor Zorgstart vrijgegeven." in answer.text


def test_the_item_titled_with_the_questions_word_answers_not_one_sharing_its_other_words():
    verblijf = hit("v", "Op basis daarvan wordt een nieuwe inkoop uitgevoerd. De tarieven worden herzien.",
                   section="Verblijf", date=dt.date(2021, 3, 18))
    dyslexia = hit("d", "Uit onderzoek blijkt dat de instroom hoger is dan verwacht. Daarom worden voorstellen gedaan.",
                   section="Inkoop poortwachtersfunctie ernstige dyslexie", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer(
        "Waarom is er een nieuwe inkoop voor dyslexie nodig?", "nl", [verblijf, dyslexia]
    )
    assert "instroom hoger" in answer.text and "nieuwe inkoop uitgevoerd" not in answer.text


def test_what_a_programme_is_about_is_not_a_sentence_sharing_only_goes_about(real_embedder):
    # "gaat ... over" frames the question: with the programme's name in the passage's context, the
    # sentence closest in meaning answers, not "Normaliseren gaat ook over ...".
    programme = hit(
        "p", "Normaliseren gaat ook over het accepteren dat opgroeien met vallen en opstaan gaat. "
        "Met het programma willen we bereiken dat jeugdigen zich kunnen ontwikkelen en dat er passende jeugdzorg is.",
        section="Programma", date=dt.date(2022, 3, 1),
    )
    answer = ExtractiveAnswerer(real_embedder, 0.8, max_sentences=1).answer(
        "Waar gaat het programma Jeugd & Onderwijs over?", "nl", [programme]
    )
    assert "willen we bereiken" in answer.text and "Normaliseren" not in answer.text


def test_a_compound_known_only_in_parts_is_decided_on_where_its_parts_stand_together():
    # "ambulancevoorziening" is no word of the documents; the item with a decision shares only "regionaal".
    daycare = hit(
        "dag", "Er is een regionaal budget nodig voor de dagbesteding. Het PFHO stelt voorstel 1 en 2 vast.",
        section="Aanpak dagbesteding", date=dt.date(2023, 2, 23), decisions=("Het PFHO stelt voorstel 1 en 2 vast.",),
    )
    feedback = hit(
        "amb", "Regionale Ambulance Voorziening: er wordt onderzocht of de ambulancedienst nauwer gaat samenwerken.",
        section="Terugkoppeling uit de bestuurlijke overleggen", date=dt.date(2023, 2, 23),
    )
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(daycare, feedback))
    answer = answerer.answer("Wat heeft het PFHO besloten over de regionale ambulancevoorziening?", "nl", [daycare, feedback])
    assert "ambulancedienst" in answer.text and "voorstel 1 en 2" not in answer.text


def test_a_question_word_meets_the_compound_it_begins_though_the_rest_is_no_word_of_the_documents():
    # "toekomstbestendigheid" cannot be split ("bestendigheid" is no word here), yet it is about the toekomst.
    item = hit("hh", "Er wordt een overleg ingepland over de toekomstbestendigheid van de huishoudelijke hulp.",
               section="Toekomstbestendige huishoudelijke hulp", date=dt.date(2023, 2, 23))
    other = hit("ev", "Het gaat om de contracten voor hulp bij het huishouden en jeugdhulp.",
                section="Evaluatie inkoop", date=dt.date(2021, 11, 1))
    elsewhere = hit("tk", "Een toekomst met perspectief.", section="Inleiding", date=dt.date(2022, 3, 1))
    answerer = ExtractiveAnswerer(None, 0.8, max_sentences=1, splitter=lambda: splitter_of(item, other, elsewhere))
    answer = answerer.answer("Wat gebeurt er met de huishoudelijke hulp in de toekomst?", "nl", [item, other])
    assert "toekomstbestendigheid" in answer.text and "contracten" not in answer.text


def test_how_often_is_answered_by_a_frequency_or_declined():
    meeting = hit("o", "Het portefeuillehoudersoverleg is positief over BaanTalent. De raden zijn op 13 februari geïnformeerd.",
                  section="BaanTalent", date=dt.date(2023, 2, 23))
    declined = ExtractiveAnswerer(None, 0.8).answer("Hoe vaak vergadert het portefeuillehoudersoverleg?", "nl", [meeting])
    assert not declined.answered and "niet hoe vaak" in declined.text
    # "elke" alone is no frequency: "elke gemeente" says nothing of how often.
    each = hit("e", "De monitor beschermd wonen wordt in elke gemeente besproken.", section="Monitor",
               date=dt.date(2023, 2, 23))
    assert not ExtractiveAnswerer(None, 0.8).answer("Hoe vaak wordt de monitor besproken?", "nl", [each]).answered
    table = hit("t", "Overleg Toelichting Niveau Programmateamoverleg (driewekelijks) Bij alle trajecten wordt afgestemd.",
                section="Overleggen", date=dt.date(2022, 3, 1))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoe vaak komt het programmateamoverleg bij elkaar?", "nl", [table])
    assert answer.answered and "driewekelijks" in answer.text


def test_a_thing_the_documents_name_elsewhere_but_no_quoted_passage_names_is_declined():
    projects = hit("rd", "Hilversum participeerde in de Regio Deal met de bouw van projecten voor gezond isoleren.",
                   section="Mededelingen", date=dt.date(2023, 2, 23))
    elsewhere = hit("sc", "Scholen kunnen kiezen uit interventies. Elke nieuwe school krijgt een budget.",
                    section="Nationaal Programma Onderwijs", date=dt.date(2021, 3, 18))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(projects, elsewhere))
    question = "Hoe staat het met de bouw van de nieuwe school in Hilversum?"
    answer = answerer.answer(question, "nl", [projects])
    assert not answer.answered and "school" in answer.text
    building = hit("bw", "De bouw van de nieuwe school in Hilversum start in mei.", section="Huisvesting",
                   date=dt.date(2023, 2, 23))
    assert answerer.answer(question, "nl", [building]).answered


def test_a_group_after_onder_is_the_thing_and_an_adjective_before_a_noun_is_not():
    lonely = hit("ju", "Stichting Join Us helpt jongeren die eenzaam zijn.", section="Join us", date=dt.date(2021, 11, 1))
    parents = hit("ou", "De ouders van leerlingen krijgen een tijdelijk budget.", section="Enquête", date=dt.date(2021, 3, 18))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(lonely, parents))
    # "ouderen" is known in another form ("ouders"), but the passage on lonely young people never names it.
    elderly = answerer.answer("Wat wordt er gedaan aan eenzaamheid onder ouderen?", "nl", [lonely])
    assert not elderly.answered and "ouderen" in elderly.text
    assert answerer.answer("Wat wordt er gedaan aan eenzaamheid onder jongeren?", "nl", [lonely]).answered
    # "in de jeugdzorg" scopes the question; its thing is the wachttijden.
    waiting = hit("wt", "Inzicht krijgen in wachttijden van de jeugdhulp via een tool.", section="Monitoring",
                  date=dt.date(2022, 3, 1))
    care = hit("jz", "Er zijn wachtlijsten in de jeugdzorg.", section="Arbeidsmarkt", date=dt.date(2022, 3, 1))
    scoped = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(waiting, care))
    assert scoped.answer("Wat wordt er gedaan aan wachttijden in de jeugdzorg?", "nl", [waiting]).answered
    # "tijdelijke" describes the thing; it need not stand in the passage.
    support = hit("js", "De jeugdbeschermingsketen staat onder druk; er komt een impuls om de druk te verlichten.",
                  section="Jeugdbescherming", date=dt.date(2023, 2, 23))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(lonely, parents, support))
    assert answerer.answer("Waarom krijgt de jeugdbeschermingsketen een tijdelijke impuls?", "nl", [support]).answered


def test_across_times_a_passage_that_never_names_the_thing_asked_about_is_left_out():
    early = hit("v21", "De portefeuillehouders onderschrijven de lijn om verblijf nog 1 jaar te houden zoals het is.",
                section="Verblijf", date=dt.date(2021, 3, 18))
    rows = hit("row", "2024 Wachttijden aansluiten bij de landelijke aanpak wachttijden 2023.", section="Monitoring",
               date=dt.date(2022, 3, 1))
    late = hit("v23", "In 2023 kiezen de portefeuillehouders voor een aanpak in kleine stappen voor verblijf.",
               section="Jeugdhulp met verblijf", date=dt.date(2023, 2, 23))
    answerer = ExtractiveAnswerer(None, 0.8, splitter=lambda: splitter_of(early, rows, late))
    answer = answerer.answer("Wat is het verschil tussen 2021 en 2023 in de aanpak van verblijf?", "nl", [early, rows, late])
    assert "1 jaar" in answer.text and "kleine stappen" in answer.text and "Wachttijden" not in answer.text




def test_a_latin_plural_meets_its_singular():
    pilot = hit("pi", "De gemeente Huizen stelt een praktijkondersteuner aan bij de huisartsen. "
                "Hij werkt in gezondheidscentrum Huizermaat en in gezondheidscentrum Bovenmaat.",
                section="Pilot", date=dt.date(2021, 6, 1))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer("Welke gezondheidscentra zijn het?", "nl", [pilot])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(quoted) == 1 and "Huizermaat" in quoted[0]


def test_the_latest_date_asked_for_is_answered_by_the_sentence_with_a_date():
    plan = hit("rp", "Het Regioplan komt voort uit het Integraal Zorgakkoord en wordt door gemeenten en zorgverzekeraar opgesteld. "
               "Deadline voor het indienen van het plan is 31 december 2023.", section="Regioplan", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer(
        "Wat is de uiterste datum voor het Regioplan van gemeenten en zorgverzekeraar?", "nl", [plan])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(quoted) == 1 and "31 december 2023" in quoted[0]


def test_how_costs_are_split_is_answered_by_the_shares_not_an_amount():
    zorgstart = hit("zs", "Zij heeft de eerste € 100.000,- voor Zorgstart vrijgegeven. "
                    "Het idee is om de financiering met partners te delen; 1/3 Regio, 1/3 Regionaal Mobiliteitsteam, 1/3 partners.",
                    section="Mededelingen", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer(
        "Hoe wil de regio de kosten van Zorgstart verdelen?", "nl", [zorgstart])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(quoted) == 1 and "1/3 Regio" in quoted[0]


def test_time_asked_with_hoeveel_is_counted_in_days_or_hours():
    inzet = hit("iz", "Het Regioplan wordt in 2023 opgesteld. Hilversum levert een ambtelijke inzet van twee dagen per week.",
                section="Inzet gemeentelijke capaciteit", date=dt.date(2023, 2, 23))
    answer = ExtractiveAnswerer(None, 0.8).answer("Hoeveel werktijd gaat er naar het Regioplan?", "nl", [inzet])
    assert answer.answered and "twee dagen per week" in answer.text
    # A year is no amount of time.
    year_only = hit("yo", "Het Regioplan wordt in 2023 opgesteld door Hilversum.", section="Regioplan", date=dt.date(2023, 2, 23))
    assert not ExtractiveAnswerer(None, 0.8).answer("Hoeveel werktijd gaat er naar het Regioplan?", "nl", [year_only]).answered


def test_with_whom_an_agreement_was_made_is_answered_by_the_party_not_the_decisions():
    groep = hit("gg", "Begin 2022 zijn met het Leger des Heils aanvullende afspraken gemaakt over een gezinsgerichte groep. "
                "De evaluatie van deze groep is positief. Het PFHO stelt het voorstel vast.",
                section="Verlengen en uitbreiden gezinsgerichte groep", date=dt.date(2023, 2, 23),
                decisions=("Het PFHO stelt het voorstel vast.",))
    answer = ExtractiveAnswerer(None, 0.8, max_sentences=1).answer(
        "Met welke organisatie zijn afspraken gemaakt over de gezinsgerichte groep?", "nl", [groep])
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert answer.answered and "Leger des Heils" in quoted[0]
    assert not answer.text.startswith("Besluiten en afspraken")  # the party asked for, not a list of decisions
