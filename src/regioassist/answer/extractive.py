"""The extractive answerer itself: which passages and sentences answer a question, or why none does."""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from regioassist.answer.citations import Citations, place_of
from regioassist.answer.decided import SHORT_ITEM, decisions_answer
from regioassist.answer.question import (
    ANSWER_CUES, CUE_WEIGHT, DATES, DAY_WORDS, DECISION_QUESTION, DOCUMENT_KINDS, FRAME_STEMS, FULL_NAME, GENERIC_STEMS,
    LIST_QUESTION, MIN_UNKNOWN_TOPIC_CHARS, MUNICIPALITIES, UNIT_SIGNS, AnswerCue, abbreviation_asked, asked_name,
    counted_words, name_covered, names_in, names_section, proposals_named, qualifies_document, question_parts,
    slot_words, spans_documents, topic_words, wanted_cues,
)
from regioassist.answer.sentences import (
    NEIGHBOUR_SHARE, RESTATES, announces, antecedent, continuation, gives_name, is_debris,
    list_in_next_chunk, list_lead, names_asked_year, on_topic, spelled_out,
)
from regioassist.compounds import CompoundSplitter
from regioassist.embedding import Embedder
from regioassist.models import Answer, DocType, Hit
from regioassist.prompts import DEFAULT_PHRASES, load_phrases
from regioassist.retrieval import asks_what_is_proposed, is_decision_heading
from regioassist.synonyms import Glossary, dutch_plurals
from regioassist.textutil import STOPWORDS, content_words, fold, infinitives, split_sentences, stems, words


FACT_PASSAGES = 5  # passages whose sentences compete to answer a factual question
_DOUBLED_END = re.compile(r"([bdfgklmnprst])\1$")  # "plann": Snowball undoubles only some consonants
INFLECTION_CHARS = 2  # letters an ending may add to a known stem ("plan" + "nen" is one letter more than "plann")
MIN_STEM_CHARS = 5  # a shorter stem is part of too many unrelated words ("sport" + "hal" is no inflection)
# An amount of time: "twee dagen", "6 uur", "3 weken".
_TIME_AMOUNT = re.compile(
    r"\b(?:\d+(?:[.,]\d+)?|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|half|halve|anderhalve?)\s+"
    r"(?:uur|uren|dag|dagen|dagdelen|week|weken|maand|maanden|jaar)\b"
)
_WITH_WHOM = re.compile(r"\s*(?:met|with)\s+(?:wie|welke|which|whom)\b", re.I)
# "aller-" raises a superlative ("allerjongste" is "jongste"); "allergie" and "allerlei" are no superlatives.
_ALLER_SUPERLATIVE = re.compile(r"aller(\w{2,}st(?:e|en)?)")
# "Wat is er besproken over X?" asks about all of X; "Met welke partij werd gesproken over X?" asks for a party.
_SAID_ABOUT = re.compile(
    r"^wat\b.*\b(?:gezegd|besproken|gesproken|vermeld|genoemd|zeggen|zegt|staat|staan)\b.*\bover\b", re.I
)
# "Wie is de voorzitter van ...?": a question for whoever holds a role.
_ASKS_ROLE = re.compile(r"^\s*wie\s+(?:is|was|zijn|waren)\s+(?:de|het)\s+([^\W\d_]+)", re.I)
# The particles a role noun may carry from its verb: "opvolger" of "(op)volgen".
_VERB_PREFIXES = ("op", "af", "aan", "in", "uit", "mee", "toe", "voor", "over", "door", "bij")
MIN_ROLE_VERB = 4  # "volg": a shorter verb stem starts too many words
# A plural written with an apostrophe ("boa's", "auto's", "pgb's") is a noun however short it is.
_APOSTROPHE_PLURAL = re.compile(r"\b([^\W\d_]{2,})['’]s\b")
# Verbs that say little of their own ("afspraken gemaakt"): their participles are not matched as verbs.
LIGHT_VERBS = frozenset("maken doen gaan komen laten krijgen hebben zijn worden houden geven nemen".split())
RANK_WEIGHT = 0.05  # per rank: a sentence of the best passage starts 0.2 ahead of one of the fifth
# A question that asks for several things (question.LIST_QUESTION: "Welke mededelingen werden er
# gedaan?") is answered with up to LIST_SENTENCES sentences instead of max_sentences.
LIST_SENTENCES = 5
STEM_CACHE = 100_000  # sentences whose stems the answerer keeps before it starts over


class Unanswered(Exception):
    """The passages hold the question's words but not its answer; ``key`` names the phrase that says why."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    def reason(self, phrases: dict[str, str]) -> str:
        return phrases[self.key]


class ExtractiveAnswerer:
    """Answers from retrieved hits by quoting them; needs no LLM.

    >>> # answerer = ExtractiveAnswerer(embedder, min_dense_score=0.8)
    >>> # answer = answerer.answer("Wat is besloten over verblijf?", "nl", hits)
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        min_dense_score: float = 0.80,
        max_sentences: int = 3,
        phrases: dict[str, dict[str, str]] | None = None,
        splitter: Callable[[], CompoundSplitter | None] | None = None,
        glossary: Glossary | None = None,
    ):
        self.embedder = embedder
        self.phrases = phrases or load_phrases(DEFAULT_PHRASES)
        self.min_dense_score = min_dense_score
        self.max_sentences = max_sentences
        # The index's compound splitter (its vocabulary is every word of the documents), looked up
        # per question: an upload brings new words.
        self._splitter = splitter or (lambda: None)
        # Dutch synonyms: a passage that says "schoolgaande kinderen" names the question's "leerlingen".
        self.glossary = glossary
        self._known_stems: tuple[CompoundSplitter, frozenset[str]] | None = None
        self._document_words: IndexedWords | None = None
        self._stems_of: tuple[CompoundSplitter | None, dict[str, frozenset[str]]] | None = None

    def is_relevant(self, hit: Hit) -> bool:
        return hit.dense_score is not None and hit.dense_score >= self.min_dense_score

    def relevant(self, question: str, hits: Sequence[Hit]) -> list[Hit]:
        """The hits similar enough to answer from, or naming someone the question names in full, in their order.

        A proposal's decision points ("Voorstel", "Beslispunten") also count for a question that
        asks what is proposed when another passage of that proposal is similar enough: a list of
        decision points resembles an English question less than the proposal's prose does.
        """
        # "Wie is Wendy van Neer?" resembles no passage (0.796), but the one naming her in full answers it.
        full_names = FULL_NAME.findall(question)
        similar = [self.is_relevant(h) or any(name in h.chunk.text for name in full_names) for h in hits]
        if not asks_what_is_proposed(question):
            return [h for h, ok in zip(hits, similar) if ok]
        sources = {h.chunk.source for h, ok in zip(hits, similar) if ok}
        return [
            h for h, ok in zip(hits, similar)
            if ok or (h.chunk.source in sources and is_decision_heading(h.chunk.section))
        ]

    def answer(self, question: str, language: str, hits: Sequence[Hit]) -> Answer:
        language = language if language in self.phrases else "nl"
        phrases = self.phrases[language]

        def declined(reason: str) -> Answer:
            return Answer(question, language, False, reason, (), tuple(hits), confidence=0.0)

        abbreviation = abbreviation_asked(question)
        if abbreviation:
            # A passage that writes the letters out answers, however little else it shares with the question.
            citations = Citations()
            text = self._spelled_out(abbreviation[0], language, list(hits), citations)
            if text is not None:
                confidence = max((h.dense_score or 0.0 for h in citations.hits), default=0.0)
                return Answer(question, language, True, text, citations.build(), tuple(hits), confidence=confidence)
            if abbreviation[1]:
                return declined(phrases["decline_spelled_out"].format(abbreviation=abbreviation[0]))
        relevant = self.relevant(question, hits)
        if not relevant:
            return declined(phrases["decline"])
        off = self.off_the_documents(question, language, relevant[:FACT_PASSAGES])
        if off:
            return declined(off)
        text, citations = None, Citations()
        # "Met welke organisatie zijn afspraken gemaakt over X?" asks for the other party, not for X's decisions.
        if DECISION_QUESTION.search(question) and not _WITH_WHOM.match(question):
            text = self._decisions(question, language, relevant, citations)
        if text is None:
            citations = Citations()
            try:
                text = self._facts(question, language, relevant, citations)
            except Unanswered as why:
                return declined(why.reason(phrases))
        if text is None:
            missing = [phrases[f"missing_{c}"] for c in wanted_cues(question) if ANSWER_CUES[c].required]
            if asked_name(question):
                missing.append(phrases["missing_name"])
            return declined(phrases["decline_missing"].format(missing=missing[0]) if missing else phrases["decline"])
        # The passages quoted must mention the municipality asked about, not merely some passage
        # retrieved: "Heeft Weesp ingestemd?" is not answered by an item where "most municipalities" agreed.
        passages = [fold(h.chunk.indexed_text) for h in citations.hits]
        quoted = " ".join(passages)
        for name in names_in(question):
            if fold(name) in MUNICIPALITIES and not spans_documents(question) and not name_covered(name, quoted):
                return declined(phrases["decline_name"].format(name=name))
        stranger = _person_not_beside(question, passages)
        if stranger:
            return declined(phrases["decline_name"].format(name=stranger))
        # Nor is a question about a thing it names ("de Tomingroep") answered from passages that never
        # name it; _choose quotes those only when no passage it read does.
        for name in _things_named(question, language):
            if not name_covered(name, quoted):
                return declined(phrases["decline_name"].format(name=name))
        unmentioned = self._place_without_topic(question, language, text, citations.hits)
        if unmentioned:
            return declined(phrases["decline_place_topic"].format(place=unmentioned[0], topic=unmentioned[1]))
        thing = self._thing_unquoted(question, language, quoted)
        if thing:
            return declined(phrases["decline_name"].format(name=thing))
        confidence = max(h.dense_score for h in relevant)
        return Answer(question, language, True, text, citations.build(), tuple(hits), confidence=confidence)

    # -- declining what the passages do not cover -------------------------------------------

    def off_the_documents(self, question: str, language: str, hits: Sequence[Hit]) -> str | None:
        """Why the passages cannot answer ``question`` although they resemble it, or None.

        - a name the question asks about that none of the passages mentions: "Wat heeft
          Blaricum besloten over ..." answered from a passage about Huizen;
        - (Dutch questions) a topic word that occurs nowhere in the documents, not even as
          part of a compound: "Wat is besloten over schuldhulpverlening in Eemnes?".
        """
        phrases = self.phrases[language]
        text = fold(" ".join(h.chunk.indexed_text for h in hits))
        splitter = self._splitter()
        for name in names_in(question):
            if stems(name) and stems(name) <= GENERIC_STEMS:
                continue  # the overleg itself ("PFHO") is named by every passage's context, or none
            # In an English question a capitalised word may be plain English ("Youth"): only a
            # name the documents use elsewhere, or a municipality, counts there.
            known = language == "nl" or fold(name) in MUNICIPALITIES or (
                splitter is not None and all(p in splitter.vocabulary for p in re.split(r"[\s'’-]+", fold(name)) if len(p) >= 3)
            )
            if known and not name_covered(name, text):
                return phrases["decline_name"].format(name=name)
        for word in self.foreign_words(question, language):
            return phrases["decline_unknown"].format(word=word)
        if language == "nl" and splitter is not None:
            for word in self.unjoined_compounds(question, splitter, [fold(h.chunk.indexed_text) for h in hits]):
                return phrases["decline_unknown"].format(word=word)
        return None

    def unjoined_compounds(self, question: str, splitter: CompoundSplitter, passages: Sequence[str]) -> list[str]:
        """The words of a decision question's "over X", or of "wat is er gezegd over X", that the
        documents only know in parts that no passage read brings together.

        "seniorenwoningen" is no word of the documents; "senioren" and "woningen" are, but never in
        one passage about the question, so the documents say nothing about seniorenwoningen. Where
        the parts meet ("inkoopaanpak": a passage on the inkoop and its aanpak) the question may be
        using its own word for what they say. ``passages`` are folded.
        """
        if not (DECISION_QUESTION.search(question) or _SAID_ABOUT.search(question)):
            return []  # only all of "over X" is the topic: "naar de gemeenteraadsleden" meets "naar de raadsleden"
        unjoined = []
        for word in words(topic_words(question)):
            folded = fold(word)
            if len(folded) < MIN_UNKNOWN_TOPIC_CHARS or folded in splitter.vocabulary:
                continue
            parts = splitter.split(folded)
            if len(parts) < 2:
                continue
            if not any(self._holds_parts(parts, text) for text in passages):
                unjoined.append(word)
        return unjoined

    def _names_slot(self, question: str, text: str) -> bool:
        """Does ``text`` (folded) name the thing ``question`` asks about: the longest of its slot words
        (``question.slot_words``), whole, stemmed or in all the parts of the compound?

        "praktijkondersteuner" is the thing in "Wat kost de praktijkondersteuner jeugd?";
        "gezondheidsregio" stands in a passage on the region's plan for health ("gezondheid",
        "regio") although the documents never join the two.
        """
        slot = sorted(words(slot_words(question)), key=len)[-1:]
        if not slot:
            return True
        word = slot[0]
        return not _names_a_thing(word) or self._mentions(word, text)

    def _thing_unquoted(self, question: str, language: str, quoted: str) -> str | None:
        """The thing a Dutch question asks about, when the documents use its word but no passage quoted does.

        "Hoe staat het met de bouw van de nieuwe school in Hilversum?" was answered from a passage on
        Hilversum's projects: the documents know "school", the passage never names it; "eenzaamheid onder
        ouderen" from a passage on lonely young people. The thing is the longest slot word
        (``question.slot_words``) but an inflected adjective before another ("nieuwe school" -> "school"), of
        MIN_UNKNOWN_TOPIC_CHARS letters or more; a word the documents never use, in any form, is left to
        the unknown-word rule, which a paraphrase may pass. ``quoted`` is the folded text of the passages
        quoted; the noun stands in it whole, stemmed or in all the parts of its compound.
        """
        splitter = self._splitter()
        if language != "nl" or splitter is None:
            return None
        slot = words(slot_words(question))
        # An inflected adjective before another word ("nieuwe school", "tijdelijke steun") is no thing.
        nouns = [w for i, w in enumerate(slot) if not (i + 1 < len(slot) and w.lower().endswith("e"))]
        noun = max(nouns, key=len, default="")
        if len(noun) < MIN_UNKNOWN_TOPIC_CHARS:
            return None
        if re.search(rf"\b(?:in|binnen)\s+(?:de|het)\s+(?:\w+\s+)?{re.escape(noun)}\b", question, re.I):
            return None  # "wachttijden in de jeugdzorg": a field the question is scoped to, not its thing
        if not _names_a_thing(noun):
            return None
        if fold(noun) not in splitter.vocabulary and not stems(noun) & self.known_stems(splitter):
            return None
        return None if self._mentions(noun, quoted) else noun

    def _place_without_topic(
        self, question: str, language: str, text: str, quoted_from: Sequence[Hit]
    ) -> tuple[str, str] | None:
        """The municipality and topic of a decision question scoped to it, when no quote mentions the topic.

        "Wat is er besloten over de kinderopvang in Huizen?" was answered with what Huizen asked about
        dagbehandeling: sentences that name the place, not the thing. The thing is the longest word of
        the topic (the head of "de nieuwe school"); a quoted sentence, or the title of the item it is
        quoted from (``quoted_from``), mentions it whole, stemmed or in all the parts of its compound.
        ``text`` is the answer, its quotes on lines of their own.
        """
        if language != "nl" or not DECISION_QUESTION.search(question):
            return None
        places = [name for name in names_in(question) if fold(name) in MUNICIPALITIES]
        if not places:
            return None
        topic = [
            word for word in words(topic_words(question))
            if fold(word) not in MUNICIPALITIES and fold(word) not in STOPWORDS and not stems(word) <= GENERIC_STEMS
        ]
        if not topic:
            return None
        head = max(topic, key=len)
        quoted = [fold(line) for line in text.splitlines() if line.startswith("- ")]
        quoted += [fold(f"{hit.chunk.parent or ''} {hit.chunk.section or ''}") for hit in quoted_from]
        return None if any(self._mentions(head, sentence) for sentence in quoted) else (places[0], head)

    def _mentions(self, word: str, text: str) -> bool:
        """Does ``text`` (folded) hold ``word``, whole, stemmed, in all the parts of its compound, or
        as a synonym of the glossary ("schoolgaande kinderen" for "leerlingen")?"""
        known = self._word_stems(text)
        if stems(word) <= known:
            return True
        splitter = self._splitter()
        parts = splitter.split(fold(word)) if splitter is not None else ()
        if len(parts) >= 2 and self._holds_parts(parts, text):
            return True
        synonyms = self.glossary.synonyms(word) if self.glossary is not None else ()
        # Each word of the synonym begins a word of the text ("kind" "kinderen") or shares its stem.
        return any(
            all(stems(w) & known or re.search(rf"\b{re.escape(w)}", text) for w in member.content_words())
            for member in synonyms
            if member.content_words()
        )

    def _holds_parts(self, parts: Sequence[str], text: str) -> bool:
        """Does ``text`` (folded) hold every one of a compound's ``parts``, as written or stemmed?"""
        known = self._word_stems(text)
        return all(part in text or stems(part) & known for part in parts)

    def foreign_words(self, question: str, language: str) -> list[str]:
        """The words of a Dutch question's topic that the indexed documents never use (see below)."""
        splitter = self._splitter()
        return self.unknown_topic_words(question, splitter) if language == "nl" and splitter is not None else []

    def unknown_topic_words(self, question: str, splitter: CompoundSplitter) -> list[str]:
        """Topic words of ``question`` that the documents never use, whole, stemmed or as compound parts.

        The topic is what a decision question, or one asking what was said about something, names
        ("besloten over X", "gezegd over X"), or else the one or two words after
        a question's last preposition or article (``question.slot_words``: "Wie is de voorzitter van
        de voetbalclub?", "Welke subsidie krijgt het theater?"). Elsewhere a question
        may well use its own words for what the documents say ("tieners" for "jongeren"): measured on
        eval/, checking every word of a question with a required cue declined 7 of 18 paraphrases.
        """
        topic = _topic(question)
        known = self.known_stems(splitter)
        nouns = {fold(m.group(1)): m.group(0) for m in _APOSTROPHE_PLURAL.finditer(topic)}
        unknown = []
        for word in words(topic):
            folded = fold(word)
            short = len(folded) < MIN_UNKNOWN_TOPIC_CHARS and folded not in nouns
            if short or folded in STOPWORDS or not folded.isalpha():
                continue
            if stems(word) & FRAME_STEMS or _documents_use(folded, splitter, known):
                continue
            unknown.append(nouns.get(folded, word))
        return unknown

    def document_words(self) -> IndexedWords | None:
        """The documents' words, as the glossary asks about them (``synonyms.py``); None without a vocabulary."""
        splitter = self._splitter()
        if splitter is None:
            return None
        cached = self._document_words
        if cached is None or cached.splitter is not splitter:
            cached = IndexedWords(splitter, self.known_stems(splitter))
            self._document_words = cached
        return cached

    def _word_stems(self, text: str) -> frozenset[str]:
        """The stems of ``text``'s words and of the parts of its compounds (kept per splitter: the
        same passages' sentences are scored again for every question)."""
        splitter = self._splitter()
        cached = self._stems_of
        if cached is None or cached[0] is not splitter or len(cached[1]) > STEM_CACHE:
            cached = (splitter, {})
            self._stems_of = cached
        found = cached[1].get(text)
        if found is None:
            found = frozenset(stems(splitter.expand(text) if splitter is not None else text) | self._verb_stems(text))
            if splitter is not None:
                # "toekomst" meets "toekomstbestendigheid", whose rest no word of the documents is.
                found |= stems(" ".join(p for word in words(fold(text)) for p in splitter.leading(word)))
            cached[1][text] = found
        return found

    def _verb_stems(self, text: str) -> set[str]:
        """The stems of the verbs ``text``'s past participles come from, where the documents use that
        verb's infinitive: "ingediend" meets "indienen", "meegegeven" "meegeven"."""
        splitter = self._splitter()
        if splitter is None:
            return set()
        verbs = [
            verb for word in content_words(text) for verb in infinitives(fold(word))
            if verb in splitter.vocabulary and verb not in LIGHT_VERBS
        ]
        return stems(" ".join(verbs)) if verbs else set()

    def known_stems(self, splitter: CompoundSplitter) -> frozenset[str]:
        """The stems of the documents' words, computed once per vocabulary."""
        cached = self._known_stems
        if cached is None or cached[0] is not splitter:
            cached = (splitter, frozenset(stems(" ".join(splitter.vocabulary))))
            self._known_stems = cached
        return cached[1]

    # -- "Waar staat WEB voor?" -----------------------------------------------------------

    def _spelled_out(self, abbreviation: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        """The passage that writes ``abbreviation`` out, under what it stands for; None when none does.

        It is written out in a sentence ("... onderzoek naar Ernstige Dyslexie (ED) ..."), quoted, or in
        an agenda item's title ("Voortgang WEB (Wet Educatie Beroepsonderwijs)"), which heads the quote
        of the item's first sentence that uses the letters ("Een POH-er heeft ..."), or else its first.
        Overlapping chunks may both hold it: the best-ranked is quoted.
        """
        per_hit = [split_sentences(hit.chunk.text) for hit in hits]
        for rank, (hit, sentences) in enumerate(zip(hits, per_hit)):
            quoted = [s for s in sentences if spelled_out(abbreviation, s)][:1]
            titles = (hit.chunk.section, hit.chunk.parent)
            heading = next((t for t in titles if t and spelled_out(abbreviation, t)), None)
            if not quoted and heading:
                prose = [s for s in sentences if not is_debris(s)]
                using = [s for s in prose if re.search(rf"\b{re.escape(abbreviation)}\b", s)]
                quoted = (using or prose)[:1]
            if not quoted:
                continue
            expansion = spelled_out(abbreviation, quoted[0] if heading is None else heading)
            lead = self.phrases[language]["spelled_out"].format(abbreviation=abbreviation, expansion=expansion)
            chosen = [(rank, hit, s) for s in quoted]
            # Asked by no words of a question: a quote is completed by its list, not by the sentence after it.
            return self._render(chosen, hits, per_hit, [""] * len(chosen), language, citations, lead=lead)
        return None

    # -- "wat is besloten over X" (decided.py) ----------------------------------------

    def _decisions(self, question: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        splitter = self._splitter()
        known = self.known_stems(splitter) if splitter is not None else frozenset()
        # A compound the documents only know in parts ("ambulancevoorziening": "Ambulance Voorziening")
        # is about an item that holds all its parts: the item's other words do not stand in for it.
        compounds = [
            word for word in words(topic_words(question))
            if splitter is not None and not stems(word) & known and len(splitter.split(fold(word))) >= 2
        ]

        def about(text: str) -> bool:
            return all(self._mentions(word, fold(text)) for word in compounds)

        return decisions_answer(question, language, hits, citations, self.phrases, known, about)

    # -- factual questions ----------------------------------------------------------------

    def _facts(self, question: str, language: str, hits: list[Hit], citations: Citations) -> str | None:
        """The best-answering sentences; None when none holds the kind of information asked for.

        A compound question ("Welke rol speelt X, en hoeveel geld is er voor vrijgegeven?") is
        answered part by part (question.question_parts), so the second part is not crowded out
        by the sentences that answer the first; a part no sentence answers is said to be open.
        """
        read = passages_read(hits)
        if spans_documents(question) and proposals_named(question):
            # _best_per_source answers for a proposal with its decision points: read them wherever they rank.
            read += [h for h in hits if _proposal_point(h) and all(h is not r for r in read)]
        hits = read + [h for h in hits if all(h is not r for r in read)]
        per_hit = [split_sentences(hit.chunk.text) for hit in read]
        # A run of URLs is never quoted, however well its year or words match.
        candidates = [(rank, hit, s) for rank, (hit, ss) in enumerate(zip(hits, per_hit)) for s in ss if not is_debris(s)]
        parts = question_parts(question)
        if len(parts) == 1:
            chosen = self._choose(question, language, hits, candidates)
            if not chosen:
                return None
            # "Welke mededelingen zijn er gedaan?": the items the question names, in the order of the minutes.
            in_text = LIST_QUESTION.search(question) is not None and all(_names_item(question, h) for _, h, _ in chosen)
            return self._render(chosen, hits, per_hit, [question] * len(chosen), language, citations, in_text)
        chosen, asked_by, open_parts = [], [], []
        for part in parts:
            try:
                picked = self._choose(part, language, hits, candidates)
            except Unanswered:
                picked = []
            fresh = [c for c in picked if c not in chosen]
            if not picked:
                open_parts.append(part)
            chosen += fresh
            asked_by += [part] * len(fresh)
        if not chosen:
            return None
        text = self._render(chosen, hits, per_hit, asked_by, language, citations)
        notes = [self.phrases[language]["part_unanswered"].format(part=part) for part in open_parts]
        return "\n\n".join([text] + notes)

    def _choose(
        self, question: str, language: str, hits: list[Hit], candidates: list[tuple[int, Hit, str]]
    ) -> list[tuple[int, Hit, str]]:
        """The candidate sentences that answer ``question``, best first; [] when none gives what it asks."""
        required = [ANSWER_CUES[c] for c in wanted_cues(question) if ANSWER_CUES[c].required]
        if "day" in wanted_cues(question) and language == "nl" and self._dated_by_month_only(question, candidates):
            return []
        if required:
            # An amount or a date only answers when it stands in a passage about the question's
            # topic: "Wat kost de nieuwe sporthal?" is not answered by the cost of dyslexia care.
            # Topic words of a question in another language cannot match the Dutch text, so
            # there the best-ranked passage is trusted too. So it is for an amount asked in wholly
            # other words than the documents use ("Hoeveel duurder wordt de toegangscontrole voor
            # kinderen met hardnekkige leesproblemen?" for "poortwachtersfunctie ernstige dyslexie"),
            # when no passage shares its topic and the first was found by meaning alone: a first
            # passage the keyword index also found shares only the question's other words ("kosten"
            # in "Hoeveel kost de renovatie van het gemeentehuis?"), and that does not make it about
            # the question. Not for a date: nearly every row of a planning table holds a year.
            # A municipality scopes the question rather than naming its topic: that it stands in a
            # passage (any list of the region's municipalities) does not make the passage about it.
            asked_names = names_in(question)
            places = [n for n in asked_names if fold(n) in MUNICIPALITIES]
            topic = stems(question) - FRAME_STEMS - stems(" ".join(places))
            giving = [c for c in candidates if all(cue.answers.search(c[2]) for cue in required)]
            candidates = [
                c for c in giving
                if not topic or topic & stems(c[1].chunk.indexed_text) or (language != "nl" and c[0] == 0)
            ]
            if language == "nl":
                # One shared word is not enough when the question names its thing: "Wat kost de
                # praktijkondersteuner jeugd?" shares "jeugd" with the cost of dyslexia care.
                candidates = [c for c in candidates if self._names_slot(question, fold(c[1].chunk.indexed_text))]
            if not candidates and language == "nl" and required == [ANSWER_CUES["money"]]:
                candidates = [c for c in giving if c[0] == 0 and c[1].keyword_score is None]
            if language == "nl":
                # ... and in one about what the question names: "Hoe lang duurt de pilot Join Us?" is not
                # answered by the two years of another pilot.
                names = [n for n in asked_names if fold(n) not in MUNICIPALITIES]
                candidates = [c for c in candidates if all(name_covered(n, fold(c[1].chunk.indexed_text)) for n in names)]
                # A municipality's own figure comes first: "Hoeveel signalen kwamen er uit Huizen?" is
                # answered by the row of Huizen, not by the region's total (answer() declines a
                # quote that does not name the place asked about).
                if places and not spans_documents(question):
                    text_of = {id(c): fold(c[1].chunk.indexed_text) for c in candidates}
                    local = [c for c in candidates if all(name_covered(n, text_of[id(c)]) for n in places)]
                    candidates = local or candidates
        candidates = [c for c in candidates if self._gives_what_is_asked(question, language, c[1], c[2])]
        named = _things_named(question, language)
        if named:
            # "Hoe staan de portefeuillehouders tegenover de Tomingroep?" is answered from a passage on the
            # Tomingroep, not by "Portefeuillehouders staan hier open voor." in another item's announcements.
            covering = [c for c in candidates if any(name_covered(n, fold(c[1].chunk.indexed_text)) for n in named)]
            candidates = covering or candidates
        candidates = _in_titled_items(question, language, candidates)
        if not candidates:
            return []
        many = LIST_QUESTION.search(question) is not None
        proposed = asks_what_is_proposed(question)
        topic = stems(topic_words(question)) - GENERIC_STEMS
        named = {
            id(h) for rank, h in enumerate(hits[:FACT_PASSAGES])
            if (many and _names_item(question, h))
            # a proposal's own decision points, when the proposal is about the question's topic
            or (proposed and is_decision_heading(h.chunk.section) and (rank == 0 or on_topic(topic, h.chunk.indexed_text)))
        }
        many = many or bool(named)
        whole = self._short_item_asked(question, hits, candidates) if not required else []
        if whole:
            return whole
        if named and not required:
            # "Welke mededelingen werden er gedaan?": the section the question names, read in order,
            # rather than the sentences that happen to share its words ("... kan een aanvraag worden gedaan").
            # So is a proposal's "Voorstel" section for "Wat wordt het PFHO gevraagd te besluiten?".
            candidates = [c for c in candidates if id(c[1]) in named and len(c[2]) >= 25]
            # Items of their own ("Carin Ogier", "KPMG-onderzoek" under "Mededelingen") each open with
            # what they announce: every item's first sentence comes before any item's second.
            # One document's domains each have their "Mededelingen": the domain tells them apart.
            def item(c: tuple[int, Hit, str]) -> tuple[str, str | None, str | None]:
                return c[1].chunk.source, c[1].chunk.domain, c[1].chunk.section

            opening: dict[tuple[str, str | None, str | None], str] = {}
            for c in sorted(candidates, key=lambda c: c[1].chunk.start):
                opening.setdefault(item(c), c[2])
            candidates.sort(key=lambda c: (opening[item(c)] != c[2], c[1].chunk.start, c[0]))
            scores = [1.0] * len(candidates)  # all equal: the first LIST_SENTENCES in that order
        else:
            scores = self._score_sentences(question, candidates)
        if not candidates:
            return []
        best = max(scores)
        limit, share = (LIST_SENTENCES, 0.75) if many else (self.max_sentences, 0.85)
        floor = best - (1 - share) * abs(best)
        eligible = [i for i, score in enumerate(scores) if score >= floor]
        if any(announces(question, candidates[i][1], candidates[i][2]) for i in eligible):
            raise Unanswered("decline_promised")
        if spans_documents(question):
            # "Wat zeggen het programma en het resumé over X?": the best sentences of each document,
            # not the five best of whichever document resembles the question most.
            # A name that says which document is meant ("de raadsinformatiebrief van Huizen") is no
            # topic the other documents must mention.
            topical = [name for name in names_in(question) if not qualifies_document(question, name)]
            if sum(bool(pattern.search(question)) for pattern, _ in DOCUMENT_KINDS) < 2:
                # Across times, not named documents: a passage that never names the thing asked about
                # says nothing about it ("... tussen 2021 en 2023 in de aanpak van verblijf?").
                head = sorted(words(topic_words(question) or slot_words(question)), key=len)[-1:]
                if head and not stems(head[0]) <= GENERIC_STEMS:
                    held = {id(c[1]) for c in candidates if self._mentions(head[0], fold(c[1].chunk.indexed_text))}
                    kept = [i for i, c in enumerate(candidates) if id(c[1]) in held]
                    if kept:
                        candidates, scores = [candidates[i] for i in kept], [scores[i] for i in kept]
            mentions = [bool(topic & self._word_stems(fold(c[2]))) for c in candidates]
            eligible = _best_per_source(candidates, scores, topical, proposals_named(question), mentions)
            limit = SENTENCES_PER_SOURCE * MAX_SOURCES
        chosen: list[int] = []
        seen: set[str] = set()
        for i in sorted(eligible, key=lambda i: -scores[i]):
            key = " ".join(words(candidates[i][2]))  # overlapping chunks hold the same sentence: quote it once
            if key not in seen and len(chosen) < limit:
                seen.add(key)
                chosen.append(i)
        return [candidates[i] for i in chosen]

    def _short_item_asked(
        self, question: str, hits: list[Hit], candidates: list[tuple[int, Hit, str]]
    ) -> list[tuple[int, Hit, str]]:
        """A short agenda item that a decision question names, quoted whole (as decided.py quotes one
        with a recorded decision): "Wat is er afgesproken over de relatie met aanbieders?" -> all four
        sentences of "Relatie met aanbieders", not the three most like the question."""
        topic = stems(topic_words(question)) - GENERIC_STEMS
        if not DECISION_QUESTION.search(question) or not topic or not hits:
            return []
        first = hits[0].chunk
        same_item = [h for h in hits if (h.chunk.source, h.chunk.section) == (first.source, first.section)]
        own = [c for c in candidates if c[0] == 0]
        if len(same_item) > 1 or not own or len(own) > SHORT_ITEM or not topic <= stems(first.section or ""):
            return []
        return own

    def _render(
        self, chosen: list[tuple[int, Hit, str]], hits: list[Hit], per_hit: list[list[str]], asked_by: list[str],
        language: str, citations: Citations, in_text: bool = False, lead: str | None = None,
    ) -> str:
        """The chosen sentences under their places, in passage order (``in_text``: in the order of
        each document), each with what completes it; under ``lead``, or else the usual "Dit staat in
        de documenten:"."""
        first_rank: dict[str, int] = {}  # in_text: each document where its best passage ranks
        for rank, hit, _ in sorted(chosen, key=lambda c: c[0]) if in_text else ():
            first_rank.setdefault(hit.chunk.source, rank)

        def place(i: int) -> tuple[int, int, int, int]:  # passage rank, then the order of the text
            rank, hit, sentence = chosen[i]
            sentences = per_hit[rank]
            at = sentences.index(sentence) if sentence in sentences else len(sentences)
            return (first_rank[hit.chunk.source], hit.chunk.start, at, i) if in_text else (rank, hit.chunk.start, at, i)

        order = sorted(range(len(chosen)), key=place)
        # Each sentence once, where it is first quoted: a list item chosen on its own but also
        # continuing the sentence before it ("... de volgende twee opgaven:") stays under that sentence.
        printed: set[str] = set()
        blocks: list[list[str]] = []
        current_place = None
        for i in order:
            rank, hit, sentence = chosen[i]
            # A list item chosen on its own is quoted with the sentence that announces its list.
            sentence = list_lead(sentence, per_hit[rank]) or sentence
            if " ".join(words(sentence)) in printed:
                continue
            place = place_of(hit.chunk, language, self.phrases)
            if place != current_place:
                blocks.append([f"{place}:"])
                current_place = place
            before = antecedent(sentence, per_hit[rank])
            listed = continuation(sentence, per_hit[rank], asked_by[i])
            after = [(hit, s) for s in listed] + list_in_next_chunk(sentence, listed, rank, hits, per_hit)
            for source, quoted in [(hit, s) for s in before + [sentence]] + after:
                key = " ".join(words(quoted))
                if key in printed:
                    continue
                printed.add(key)
                blocks[-1].append(f"- {quoted} [{citations.cite(source, quoted)}]")
        return "\n\n".join([lead or self.phrases[language]["found"]] + ["\n".join(b) for b in blocks])

    def _dated_by_month_only(self, question: str, candidates: list[tuple[int, Hit, str]]) -> bool:
        """Does the sentence most about the question date it by month or year only, and no sentence as much about it by day?

        "Op welke dag was het lanceringsevent van BaanTalent?" meets "In november 2022 is er een
        groot event geweest voor de lancering van BaanTalent.": the documents give the month,
        and a day elsewhere in the passage ("De website gaat 1 maart live") dates something else.
        """
        topic = self._word_stems(question) - FRAME_STEMS - DAY_WORDS
        if not topic:
            return False
        overlap = [len(topic & self._word_stems(s)) for _, _, s in candidates]
        day, when = ANSWER_CUES["day"].answers, ANSWER_CUES["when"].answers
        by_month = [n for n, (_, _, s) in zip(overlap, candidates) if when.search(s) and not day.search(s)]
        by_day = [n for n, (_, _, s) in zip(overlap, candidates) if day.search(s)]
        best_month = max(by_month, default=0)
        return best_month >= RESTATES * len(topic) and best_month > max(by_day, default=0)

    def _gives_what_is_asked(self, question: str, language: str, hit: Hit, sentence: str) -> bool:
        """Can ``sentence`` answer the specific thing asked: the decision dated, the name, what is counted?

        - the date of a decision ("Op welke datum heeft het PFHO het voorstel vastgesteld?")
          stands in a sentence that states a decision, not in "27/11/25 Directie-overleg Adviseren";
        - "Hoe heet de stichting?" needs a sentence that calls the stichting by a name;
        - "Hoeveel inwoners ...?" needs a sentence that says its number counts inwoners;
        - "Hoeveel banen zijn in 2024 gerealiseerd?" is not answered by the figure of 2023;
        - "Wie is de voorzitter van X?" needs a sentence that names someone as voorzitter.
        """
        role = _ASKS_ROLE.match(question)
        if role and language == "nl" and not self._names_role(fold(role.group(1)), sentence):
            return False
        asked = set(wanted_cues(question))
        if asked & {"when", "day"} and DECISION_QUESTION.search(question):
            if not ANSWER_CUES["decision"].answers.search(sentence):
                return False
        if asked & {"number", "money"} and not names_asked_year(question, sentence, hit.chunk.text):
            return False
        noun = asked_name(question)
        if noun and not gives_name(noun, sentence):
            return False
        return "number" not in asked or language != "nl" or self._counts_asked(question, sentence)

    def _names_role(self, role: str, sentence: str) -> bool:
        """Does ``sentence`` name the role ``role``, as a noun ("als voorzitter", "Programmamanager:")
        or by its verb ("Carin volgt Maarten Miner op" for "opvolger")?"""
        if stems(role) & self._word_stems(sentence):
            return True
        said = words(fold(sentence))
        # A separable verb's particle stands on its own in the sentence: "volgt ... op".
        particle = next((p for p in _VERB_PREFIXES if role.startswith(p) and p in said), "")
        verb = role[len(particle):-2] if role.endswith("er") else ""
        return len(verb) >= MIN_ROLE_VERB and any(word.startswith(verb) for word in said)

    def _counts_asked(self, question: str, sentence: str) -> bool:
        """Does ``sentence`` give a count of what "hoeveel" asks (its stem, a compound part or its sign)?

        "Hoeveel inwoners staan er op de wachtlijst?" is not answered by "de marge van 10 tot 40
        woningen": a number answers only when its sentence says what it counts, and a year or a
        date counts nothing.
        """
        if not ANSWER_CUES["number"].answers.search(DATES.sub(" ", sentence)):
            return False  # its only numbers are years and dates: "Datum: 8 oktober 2024"
        counted = counted_words(question)
        if not counted:
            return True
        folded = fold(sentence)
        if any(UNIT_SIGNS.get(word, "\0") in sentence or fold(word) in folded for word in counted):
            return True  # "75%" for "procent", "1fte" for "fte"
        if any(fold(word).endswith("tijd") for word in counted) and _TIME_AMOUNT.search(folded):
            return True  # "Hoeveel werktijd ...?" counts in days or hours: "twee dagen per week"
        return bool(stems(" ".join(counted)) & self._word_stems(sentence))

    def _score_sentences(self, question: str, candidates: list[tuple[int, Hit, str]]) -> list[float]:
        """Lexical overlap with the question, the sentence's similarity to it, and its passage's rank.

        score = overlap share + cosine(question, sentence) + 0.05 for the first passage;
        e.g. 2 of 3 question stems present (0.67) + cosine 0.86 + 0.05 = 1.58.
        """
        wanted = stems(question) - GENERIC_STEMS or stems(question)
        # A question word also meets a sentence through a compound part: "gemeenteraadsleden" ~ "raden".
        splitter = self._splitter()
        # So does a past participle through its verb: "ingediend" ~ "indienen".
        parts = {
            stem: stems(" ".join(splitter.split(fold(word)))) | self._verb_stems(word)
            for word in content_words(question) for stem in stems(word) if stem in wanted
        } if splitter is not None else {}
        lexical = []
        for _, hit, sentence in candidates:
            # Words the passage's context already answers ("februari 2023" for a passage of that
            # meeting) scope the question; the sentence must answer the rest. When the context
            # answers them all ("Wat is er besproken over de WEB?" in the item "Voortgang WEB"),
            # every sentence of the passage is as much about it, and the cues decide.
            own = wanted - stems(hit.chunk.context)
            if wanted and not own:
                lexical.append(1.0)
                continue
            said = self._word_stems(sentence) if parts else stems(sentence)
            met = sum(1 for stem in own if stem in said or parts.get(stem, set()) & said)
            lexical.append(met / len(own) if own else 0.0)
        dense = [0.0] * len(candidates)
        if self.embedder is not None and candidates:
            q = self.embedder.embed([question], kind="query")[0]
            vectors = self.embedder.embed([s for _, _, s in candidates], kind="passage")
            dense = [float(v) for v in np.asarray(vectors) @ q]
        wants = [ANSWER_CUES[name] for name in wanted_cues(question)]
        asked = frozenset(re.findall(r"\w+", fold(question)))
        question_stems = stems(question)

        def given(cue: AnswerCue, hit: Hit, sentence: str) -> float:
            if not _gives(cue, sentence, asked):
                return 0.0
            # A judgement counts in full only about the thing asked: a sentence that uses a word of the
            # question or stands in the item it names ("positief over deze samenwerking" under "BaanTalent"),
            # not a compliment on another subject in the same passage (the "Regio" of "Regio Gooi en
            # Vechtstreek" is no word of "Regioplan" here).
            title = stems(hit.chunk.section or "")
            about = bool(wanted & stems(sentence)) or (bool(title) and title <= question_stems)
            return cue.weight if about else min(cue.weight, CUE_WEIGHT)

        scores = [
            lex + cos + RANK_WEIGHT * (FACT_PASSAGES - rank) - (0.3 if len(s) < 15 else 0.0)
            + sum(given(cue, hit, s) for cue in wants)
            for (rank, hit, s), lex, cos in zip(candidates, lexical, dense)
        ]
        # The answer often stands in the sentence after the one that repeats the question's words
        # ("Een inwoner maakt gebruik van het spreekrecht. Hij vraagt aandacht voor overlast ...").
        for i in range(1, len(candidates)):
            if candidates[i][1] is candidates[i - 1][1] and lexical[i - 1] >= 0.5:
                scores[i] += NEIGHBOUR_SHARE * lexical[i - 1]
        return scores


def _topic(question: str) -> str:
    """What a question is about (see ``ExtractiveAnswerer.unknown_topic_words``)."""
    about = DECISION_QUESTION.search(question) or _SAID_ABOUT.search(question)
    return topic_words(question) if about else slot_words(question)


def _proposal_point(hit: Hit) -> bool:
    """Is ``hit`` a proposal's decision section ("Voorstel", "Beslispunten")?"""
    return hit.chunk.doc_type is DocType.VOORSTEL and is_decision_heading(hit.chunk.section)


def _gives(cue: AnswerCue, sentence: str, asked: frozenset[str]) -> bool:
    """Does ``sentence`` give what ``cue`` asks? A name the question's (folded) words already hold is
    no answer to "who": "Wie voert de methode van Join Us uit?" is not answered by "Stichting Join Us"."""
    if cue is not ANSWER_CUES["who"]:
        return cue.answers.search(sentence) is not None
    return any(
        not any(word in asked for word in re.findall(r"\w{3,}", fold(name)))
        for name in cue.answers.findall(sentence)
    )


class IndexedWords:
    """The indexed documents' words: which ones a question may use, and the form the documents write
    a word in. It is what the glossary reads a question against (``synonyms.DocumentWords``)."""

    def __init__(self, splitter: CompoundSplitter, known: frozenset[str]) -> None:
        self.splitter = splitter
        self.known = known

    def knows(self, word: str) -> bool:
        return _documents_use(word, self.splitter, self.known)

    def form(self, word: str, plural: bool) -> str | None:
        """``word`` as the documents write it: itself or a Dutch plural of it ("jongere" -> "jongeren",
        "adviesraad" -> "adviesraden", "eenheid" -> "eenheden"), the plural first when ``plural``;
        None when they write neither. A word that merely begins alike is another word ("ouders" is
        no form of "ouderen", "minister" none of "minima")."""
        forms = [f for f in dutch_plurals(word) if f in self.splitter.vocabulary]
        if word in self.splitter.vocabulary:
            forms = forms + [word] if plural else [word] + forms
        return forms[0] if forms else None


def _documents_use(folded: str, splitter: CompoundSplitter, known: frozenset[str]) -> bool:
    """Is ``folded`` a word of the documents, one of its forms (same stem, or an inflection the
    stemmer misses) or a compound of their words?"""
    if folded in splitter.vocabulary or stems(folded) & known:
        return True
    superlative = _ALLER_SUPERLATIVE.fullmatch(folded)
    if superlative:
        return _documents_use(superlative.group(1), splitter, known)
    return bool(splitter.split(folded)) or _inflects_known(folded, known)


def _inflects_known(folded: str, known: frozenset[str]) -> bool:
    """Is ``folded`` a form of a known stem that the stemmer does not reduce to it: "plannen" (stem
    "plann") of "plan", "doorontwikkeld" of "doorontwikkel"?

    >>> known = frozenset({"plan", "doorontwikkel", "sport"})
    >>> _inflects_known("plannen", known), _inflects_known("doorontwikkeld", known), _inflects_known("sporthal", known)
    (True, True, False)
    """
    if any(_DOUBLED_END.sub(r"\1", stem) in known for stem in stems(folded)):
        return True
    return any(folded[:cut] in known for cut in range(len(folded) - INFLECTION_CHARS, len(folded)) if cut >= MIN_STEM_CHARS)


def passages_read(hits: Sequence[Hit]) -> list[Hit]:
    """The passages whose sentences compete: the first FACT_PASSAGES, and the keyword index's best
    match wherever the fused ranking put it.

    The fused ranking leans on the dense similarity, which is flat across this corpus (0.83-0.89 for
    most passages). "Wanneer wordt het rapport van de evaluatie inkoop verwacht?" has the highest
    BM25 score by far in the passage that says "Het rapport van de evaluatie wordt in het najaar van
    2021 verwacht.", yet fusion ranked it sixth, and a year in another passage's document title answered.
    """
    read = list(hits[:FACT_PASSAGES])
    best = max(hits, key=lambda h: h.keyword_score or 0.0, default=None)
    if best is not None and best.keyword_score and all(best is not h for h in read):
        read.append(best)
    return read


def _names_a_thing(word: str) -> bool:
    """Can ``word`` name what a question asks about: more than frame or cue words, and no municipality (that scopes)?"""
    return bool(stems(word) - FRAME_STEMS) and fold(word) not in MUNICIPALITIES


def _things_named(question: str, language: str) -> list[str]:
    """The names a Dutch question asks about, other than a municipality and the overleg itself, when it
    asks about one document: a passage that answers names at least one of them."""
    if language != "nl" or spans_documents(question):
        return []
    return [
        name for name in names_in(question)
        if fold(name) not in MUNICIPALITIES and not (stems(name) and stems(name) <= GENERIC_STEMS)
    ]


def _in_titled_items(
    question: str, language: str, candidates: list[tuple[int, Hit, str]]
) -> list[tuple[int, Hit, str]]:
    """The candidates less their passages that another passage outdoes on the question's item words.

    A passage drops out when another holds as many of the question's words and more of those
    that title an item read: "Waarom is er een nieuwe inkoop voor dyslexie nodig?" read the item
    "Inkoop poortwachtersfunctie ernstige dyslexie"; an item on the inkoop of verblijf shares
    "nieuwe inkoop", but not "dyslexie".
    """
    if language != "nl" or spans_documents(question):
        return candidates
    topic = {s for s in stems(question) - FRAME_STEMS if len(s) >= 5}
    titled = {s for s in topic if any(s in stems(c[1].chunk.section or "") for c in candidates)}
    if not titled:
        return candidates
    held: dict[int, tuple[int, int]] = {}  # passage -> (question words it holds, title words it holds)
    for _, hit, _ in candidates:
        if id(hit) not in held:
            said = stems(hit.chunk.indexed_text)
            held[id(hit)] = (len(topic & said), len(titled & said))
    return [
        c for c in candidates
        if not any(shared >= held[id(c[1])][0] and titles > held[id(c[1])][1] for shared, titles in held.values())
    ]


def _person_not_beside(question: str, passages: list[str]) -> str | None:
    """The person a question names in full beside another name, when no quoted passage names both.

    "Wat vindt Mirjam Havinga van de Tomingroep?" is not answered by what she said about Zorgstart,
    nor by the Tomingroep item, which does not name her: like a municipality, a person asked about
    must stand in the passage that answers. ``passages`` are folded.
    """
    people = FULL_NAME.findall(question)
    others = [
        name for name in names_in(question)
        if fold(name) not in MUNICIPALITIES and not any(fold(name) in fold(person) for person in people)
    ]
    if not people or not others:
        return None
    if any(all(name_covered(name, text) for name in people + others) for text in passages):
        return None
    return people[0]


def _names_item(question: str, hit: Hit) -> bool:
    """Does the question name the passage's section, or the collecting heading it stands under
    ("Welke mededelingen ...?" for "Carin Ogier" under "Mededelingen")?"""
    return names_section(question, hit.chunk.section) or names_section(question, hit.chunk.parent)


SENTENCES_PER_SOURCE = 3
MAX_SOURCES = 3


def _best_per_source(
    candidates: list[tuple[int, Hit, str]], scores: list[float], names: list[str], proposals: bool = False,
    mentions: Sequence[bool] | None = None,
) -> list[int]:
    """The SENTENCES_PER_SOURCE best sentences of each of the MAX_SOURCES best-ranked documents.

    Within a document, the sentences that mention the topic (``mentions``, per candidate) come first:
    "Wat zeggen het programma en het resumé over het Toekomstscenario ...?" quoted a row of the
    programme's planning table ("2024 Wachttijden ...") from its best-ranked passage, whose links
    name the Toekomstscenario, rather than the programme's own sentences about it.

    When the question names something ("Hoe heeft de WEB zich ontwikkeld tussen 2021 en 2023?"),
    a document whose passages mention none of its names says nothing about it and is left out.
    When it names a proposal (``proposals``: "Hoe verhoudt het programma zich tot het latere voorstel
    over stevige lokale teams?"), what that proposal says is what it proposes: its decision points,
    in their order, come before its best-scoring sentences of the background.
    """
    by_source: dict[str, list[int]] = {}
    for i in sorted(range(len(candidates)), key=lambda i: candidates[i][0]):  # in passage rank order
        by_source.setdefault(candidates[i][1].chunk.source, []).append(i)
    sources = list(by_source.values())
    if names:
        passages = [fold(" ".join({id(candidates[i][1]): candidates[i][1].chunk.indexed_text for i in indices}.values()))
                    for indices in sources]
        sources = [ids for ids, text in zip(sources, passages) if any(name_covered(n, text) for n in names)] or sources
    mentioning = mentions if mentions is not None else [False] * len(candidates)
    picked = []
    for indices in sources[:MAX_SOURCES]:
        points = [
            i for i in sorted(indices, key=lambda i: (candidates[i][1].chunk.start, i))
            if proposals and _proposal_point(candidates[i][1])
        ]
        rest = sorted((i for i in indices if i not in points), key=lambda i: (not mentioning[i], -scores[i]))
        picked += (points + rest)[:SENTENCES_PER_SOURCE]
    return picked
