import datetime as dt

import numpy as np
import pytest

from regioassist.keyword import KeywordIndex
from regioassist.models import Chunk, DocType
from regioassist.retrieval import (
    HybridRetriever,
    SectionTitles,
    asks_what_is_proposed,
    decision_sections_first,
    is_decision_heading,
    reciprocal_rank_fusion,
    score_fusion,
)
from regioassist.store import Filters, MemoryStore

pytestmark = pytest.mark.unit


def test_rrf_worked_example():
    # k = 60. dense: a(1) b(2); keyword: b(1) c(2).
    # a = 1/61 = 0.016393; b = 1/62 + 1/61 = 0.032522; c = 1/62 = 0.016129
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=60))
    assert list(fused) == ["b", "a", "c"]
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(0.016393, abs=1e-6)
    assert fused["c"] == pytest.approx(0.016129, abs=1e-6)


def test_rrf_ties_keep_first_seen_order():
    # x and y both 1/(1+1) = 0.5 -> x was seen first.
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"]], k=1)] == ["x", "y"]


def test_rrf_empty():
    assert reciprocal_rank_fusion([[], []]) == []


def test_score_fusion_worked_example():
    # w = 0.7. dense cosines a 0.90, b 0.85, c 0.80 -> min-max 1.0, 0.5, 0.0; BM25 c 6.0, d 3.0 -> 1.0, 0.5.
    # a = 0.7 * 1.0 = 0.70; b = 0.7 * 0.5 = 0.35; c = 0.7 * 0 + 0.3 * 1.0 = 0.30; d = 0.3 * 0.5 = 0.15
    fused = score_fusion({"a": 0.90, "b": 0.85, "c": 0.80}, {"c": 6.0, "d": 3.0}, dense_weight=0.7)
    assert [cid for cid, _ in fused] == ["a", "b", "c", "d"]
    assert [s for _, s in fused] == pytest.approx([0.70, 0.35, 0.30, 0.15])


def test_score_fusion_keeps_a_clear_dense_first_above_a_shared_middling_chunk():
    # Under RRF (k=60) "m", 15th in both lists, scores 2/75 = 0.0267 against 1/61 = 0.0164 for the
    # dense first "d". By score: d = 0.7 * 1.0 = 0.70; m = 0.7 * 0.5 + 0.3 * 0.5 = 0.50.
    fused = dict(score_fusion({"d": 0.90, "m": 0.85, "z": 0.80}, {"k": 4.0, "m": 2.0}, dense_weight=0.7))
    assert max(fused, key=fused.get) == "d"
    assert fused["m"] == pytest.approx(0.50)


def test_score_fusion_edge_cases():
    assert score_fusion({}, {}) == []
    # one dense candidate scales to 1.0; BM25 scores of 0 add nothing
    assert score_fusion({"a": 0.8}, {"b": 0.0}, dense_weight=0.7) == [("a", pytest.approx(0.7)), ("b", 0.0)]


# --- agenda items named in the question ---------------------------------------------------------

DYSLEXIE = "Inkoop poortwachtersfunctie ernstige dyslexie"
QUESTION = f"Wat is er gezegd over {DYSLEXIE}?"


def test_titles_named_whole_after_folding_case_accents_and_punctuation():
    titles = SectionTitles({"d1": DYSLEXIE, "d2": DYSLEXIE, "c": "Aanpak borging continuïteit dagbesteding"})
    assert titles.named_in(QUESTION) == ["d1", "d2"]
    assert titles.named_in("Wat is besloten over de AANPAK borging continuiteit dagbesteding!") == ["c"]
    # every word of the title, in order, as whole words
    assert titles.named_in("Wat is er gezegd over inkoop van ernstige dyslexie?") == []
    assert titles.named_in("Inkoop poortwachtersfunctie ernstige dyslexieën") == []


def test_short_or_generic_titles_name_nothing():
    # one content word under 12 letters ("Proces", "Hoe nu verder?": hoe/nu are stop words) is too vague;
    # one long word ("Arbeidsmarktkrapte", 18 letters) or two content words name an item
    titles = SectionTitles({"p": "Proces", "h": "Hoe nu verder?", "a": "Arbeidsmarktkrapte", "e": "Evaluatie inkoop"})
    assert titles.named_in("Hoe nu verder met het proces?") == []
    assert titles.named_in("Wat staat er over arbeidsmarktkrapte?") == ["a"]
    assert titles.named_in("Wat kwam er uit de evaluatie inkoop?") == ["e"]


def test_only_the_longest_named_title_counts_and_filters_apply():
    titles = SectionTitles({"short": "Evaluatie inkoop", "long": "Evaluatie inkoop sociaal domein", "x": None})
    assert titles.named_in("Hoe loopt de evaluatie inkoop sociaal domein?") == ["long"]
    assert titles.named_in("Hoe loopt de evaluatie inkoop?") == ["short"]
    assert titles.named_in("Hoe loopt de evaluatie inkoop sociaal domein?", allowed={"short"}) == []


class QueryVector:
    """Embeds every query as one fixed vector; passage vectors are given to the store directly."""

    dim = 2

    def __init__(self, vector):
        self.vector = np.asarray(vector, dtype=np.float32)

    def embed(self, texts, *, kind):
        return np.stack([self.vector for _ in texts])


def chunk(cid, source, section, text, date=dt.date(2023, 2, 23)):
    context = f"Resumé\n{section}"
    return Chunk(id=cid, source=source, doc_hash=source, title="Resumé", doc_type=DocType.RESUME,
                 text=text, context=context, date=date, section=section, section_kind="agenda_item")


def dyslexia_retriever():
    """The named item against a passage of another document that resembles the question more.

    dense: the query vector (1, 0) has cosine 1.0 with the decoy, 0.6 with the item, 0.0 with the rest;
    BM25: the decoy repeats "inkoop", "ernstige dyslexie" and "gezegd", the item names them once.
    """
    item = chunk("item", "000.txt", DYSLEXIE, "De structurele kosten stijgen met € 30.000 per jaar.")
    decoy = chunk(
        "decoy", "002.txt", "Leesproblemen",
        "Er is gezegd dat de inkoop bij ernstige dyslexie en de inkoop van hulp bij ernstige dyslexie "
        "in de regio gezegd en besproken is.", date=dt.date(2022, 1, 1),
    )
    other = chunk("other", "000.txt", "Rondvraag", "Geen vragen.")
    store = MemoryStore()
    store.upsert("000.txt", [item, other], np.array([[0.6, 0.8], [0.0, 1.0]], dtype=np.float32))
    store.upsert("002.txt", [decoy], np.array([[1.0, 0.0]], dtype=np.float32))
    chunks = store.all_chunks()
    keyword = KeywordIndex.build([c.id for c in chunks], [c.indexed_text for c in chunks])
    return HybridRetriever(store, keyword, QueryVector([1.0, 0.0]))


def test_named_agenda_item_ranks_above_a_similar_passage():
    retriever = dyslexia_retriever()
    # Without the title in the question the decoy leads both scores:
    # dense min-max decoy 1.0, item 0.6, other 0.0; BM25 / its best: decoy 1.0, item below 1.
    # decoy = 0.7 * 1.0 + 0.3 * 1.0 = 1.0 > item = 0.7 * 0.6 + 0.3 * x = 0.42 + 0.3x.
    plain = retriever.retrieve("Wat is er gezegd over inkoop bij ernstige dyslexie?", top_k=3)
    assert [h.chunk.id for h in plain][:2] == ["decoy", "item"]
    assert plain[0].score == pytest.approx(1.0)
    # Naming the item adds NAMED_TITLE_BONUS (1.0) to its fused score: 1.42 + 0.3x > 1.0.
    named = retriever.retrieve(QUESTION, top_k=3)
    assert [h.chunk.id for h in named][:2] == ["item", "decoy"]
    assert named[0].score > 1.42


def test_reciprocal_rank_fusion_is_still_available():
    retriever = dyslexia_retriever()
    retriever.dense_weight = None
    # decoy = 1/61 + 1/61 = 0.0328; item = 1/62 + 1/62 (+ 1/61 when named) = 0.0323 (0.0486)
    plain = retriever.retrieve("Wat is er gezegd over inkoop bij ernstige dyslexie?", top_k=3)
    assert [h.chunk.id for h in plain][:2] == ["decoy", "item"]
    named = retriever.retrieve(QUESTION, top_k=3)
    assert [h.chunk.id for h in named][:2] == ["item", "decoy"]
    assert named[0].score == pytest.approx(2 / 62 + 1 / 61)


def test_named_item_outside_the_filters_is_not_boosted():
    retriever = dyslexia_retriever()
    hits = retriever.retrieve(QUESTION, top_k=3, filters=Filters(date_to=dt.date(2022, 12, 31)))
    assert [h.chunk.id for h in hits] == ["decoy"]


def test_titles_follow_a_rebuilt_keyword_index():
    # The chat swaps in a new keyword index after an upload; the titles are read again then.
    store = MemoryStore()
    first = chunk("a", "000.txt", "Rondvraag", "Geen vragen.")
    store.upsert("000.txt", [first], np.array([[0.0, 1.0]], dtype=np.float32))
    current = {"index": KeywordIndex.build(["a"], [first.indexed_text])}
    retriever = HybridRetriever(store, lambda: current["index"], QueryVector([1.0, 0.0]))
    assert retriever.section_titles(retriever.keyword).named_in(QUESTION) == []

    item = chunk("item", "001.txt", DYSLEXIE, "De kosten stijgen.")
    store.upsert("001.txt", [item], np.array([[0.6, 0.8]], dtype=np.float32))
    current["index"] = KeywordIndex.build(["a", "item"], [first.indexed_text, item.indexed_text])
    assert [h.chunk.id for h in retriever.retrieve(QUESTION, top_k=1)] == ["item"]


# --- a proposal's decision section, for a question on what is proposed ---------------------------

def proposal_retriever(query_vector=(1.0, 0.0)):
    """A proposal (Behandeling, Voorstel, Toelichting) and a resumé item between them in rank.

    dense cosines with (1, 0): procedure table 1.0, resumé item 0.8, Voorstel 0.6, Toelichting 0.0.
    """
    proposal = [
        chunk("table", "003.txt", "Behandeling", "Datum Overleg Doel Conclusie Vaststellen lokale teams"),
        chunk("decide", "003.txt", "Voorstel", "Voorstel 1. Kennisnemen van het overzicht van de lokale teams."),
        chunk("explain", "003.txt", "Toelichting", "De gemeenten werken aan lokale teams."),
    ]
    item = chunk("item", "000.txt", "Mededelingen", "Het overleg bespreekt de lokale teams.")
    store = MemoryStore()
    store.upsert("003.txt", proposal, np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32))
    store.upsert("000.txt", [item], np.array([[0.8, 0.6]], dtype=np.float32))
    chunks = store.all_chunks()
    keyword = KeywordIndex.build([c.id for c in chunks], [c.indexed_text for c in chunks])
    return HybridRetriever(store, keyword, QueryVector(list(query_vector)))


def test_a_question_on_what_is_proposed_puts_the_decision_section_first():
    retriever = proposal_retriever()
    for question in ("Wat wordt het PFHO gevraagd te besluiten over de lokale teams?",
                     "What is the PFHO asked to agree to in the proposal on local teams?"):
        ranked = [h.chunk.id for h in retriever.retrieve(question, top_k=4)]
        # "decide" leads its own document; the resumé item stays between the proposal's other chunks
        assert ranked == ["decide", "table", "item", "explain"], question


def test_other_questions_on_a_proposal_keep_the_retrieved_order():
    retriever = proposal_retriever()
    question = "Wanneer adviseerde het directieoverleg over de lokale teams?"
    assert [h.chunk.id for h in retriever.retrieve(question, top_k=4)] == ["table", "item", "decide", "explain"]


def test_the_decision_section_does_not_jump_a_better_document():
    # query (1, 0.4): dense item 1.04, table 1.0, decide 0.92. The resumé item keeps the lead;
    # the Voorstel moves up only within its own document, above the procedure table.
    retriever = proposal_retriever(query_vector=(1.0, 0.4))
    question = "Wat wordt het PFHO gevraagd te besluiten over de lokale teams?"
    assert [h.chunk.id for h in retriever.retrieve(question, top_k=4)] == ["item", "decide", "table", "explain"]
    plain = "Wat is er gezegd over de lokale teams?"
    assert [h.chunk.id for h in retriever.retrieve(plain, top_k=4)] == ["item", "table", "decide", "explain"]


def test_proposal_questions_and_decision_headings():
    assert asks_what_is_proposed("Wat wordt er voorgesteld over de inkoop?")
    assert asks_what_is_proposed("Wat houdt het voorstel in?")
    assert asks_what_is_proposed("Het PFHO wordt gevraagd in te stemmen met wat?")
    assert asks_what_is_proposed("What is proposed for the local teams?")
    assert not asks_what_is_proposed("Wat was de conclusie van het Regieteam over het voorstel over de teams?")
    assert not asks_what_is_proposed("Hoe wordt voorstel 3 gefinancierd?")
    assert not asks_what_is_proposed("What did the proposal cost?")
    assert [is_decision_heading(h) for h in ("Voorstel", "Beslispunten", "2. Voorgesteld besluit:", "Te besluiten")] == [
        True] * 4
    assert [is_decision_heading(h) for h in ("Behandeling", "Raadvoorstel", "Voorstel aanbesteding", None)] == [False] * 4
    assert SectionTitles({"a": "Voorstel", "b": "Behandeling", "c": None}).decisions == {"a"}


def test_decision_sections_first_keeps_named_chunks_in_place():
    fused = [("n", 1.9), ("a1", 0.9), ("a2", 0.5)]
    sources = {"n": "a", "a1": "a", "a2": "a"}
    # "n" (a named item's chunk) keeps the lead; the decision chunk moves above "a1" only
    assert decision_sections_first(fused, {"a2"}, sources, fixed={"n"}) == [("n", 1.9), ("a2", 0.9), ("a1", 0.9)]
    # a decision chunk that is already its document's first stays; an unknown source changes nothing
    assert decision_sections_first(fused, {"n"}, sources) == fused
    assert decision_sections_first(fused, {"a2"}, {}) == fused
