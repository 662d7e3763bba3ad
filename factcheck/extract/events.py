"""Event mentions: which nouns name an event, where it takes place, and what "the text" means.

An event mention is a KB event alias ("truce proposal"), or a noun whose lemma is a known
event kind (summit, talks, agreement, campaign...; see `kb/data/kinds.yaml`), or an extra
head word the rule files ask for. Each gets a `model.Subject`: its KB key (when an alias
matched), its head lemma, and the places that qualify it:
- inside its own phrase: "the Berlin conference", "talks in Moscow", "the Libyan capital";
- on the verb it is an argument of: "could be held in Berlin";
- through its host: "a summit which Germany is hosting" (Germany; Berlin lies in Germany).

Anaphora (bounded, documented): a definite mention without a place or KB key of its own
("the agreement", "the text", "the meeting"), and an implicit patient ("left without
signing"), refers to the most recent event mention of the same family in the same
paragraph or the two before it. Nothing further back is considered.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from factcheck.extract.event_places import EventPlaces
from factcheck.extract.lexicon import Lexicon, singular
from factcheck.extract.mentions import Mentions
from factcheck.kb.store import KnowledgeBase
from factcheck.kb.names import fold
from factcheck.model import EXACT_KIND, SALIENT_EVENT, Subject

ANAPHORA_PARAGRAPHS = 2  # how many paragraphs back a definite mention may look


@dataclass(frozen=True, slots=True)
class EventMention:
    token: int  # head token index
    subject: Subject
    paragraph: int
    family: frozenset[str]
    own: bool  # True when the mention names its event itself (KB key or a place), not by anaphora


class EventIndex:
    """The event mentions of one document, in order, with anaphora resolved."""

    def __init__(self, doc: Doc, mentions: Mentions, kb: KnowledgeBase, lex: Lexicon, paragraphs: list[int],
                 extra_heads: frozenset[str] = frozenset()):
        self.doc, self.mentions, self.kb, self.lex = doc, mentions, kb, lex
        self.paragraph_of = paragraphs  # token index -> paragraph number
        self.extra_heads = frozenset(singular(h) for h in extra_heads)
        self.by_token: dict[int, EventMention] = {}
        self.order: list[EventMention] = []
        self._kb_kinds = {singular(e.kind): e for e in getattr(kb, "events", {}).values() if getattr(e, "kind", None)}
        self._venues = {fold(e.place): e.place for e in getattr(kb, "events", {}).values() if getattr(e, "place", None)}
        self.places = EventPlaces(mentions, kb, lex, self._venues)
        self._kb_words: dict[str, set[str]] = {}  # word of a KB event's name or alias -> those events
        for key, e in getattr(kb, "events", {}).items():
            for form in (key, *getattr(e, "aliases", ())):
                for word in form.lower().split():
                    self._kb_words.setdefault(word, set()).add(key)
        for sent in doc.sents:
            for tok in sent:
                m = self._detect(tok)
                if m is not None:
                    self.by_token[tok.i] = m
                    self.order.append(m)
        self.verbal: dict[int, EventMention] = {}  # "Trump announced on Friday that ...": an announcement
        for tok in doc:
            m = self._verbal(tok)
            if m is not None:
                self.verbal[tok.i] = m
        self._resolve()

    def _verbal(self, tok: Token) -> EventMention | None:
        """A verb whose act is an event kind the rules or the KB speak of ("announce" ->
        announcement, "annex" -> annexation), as an event mention of that kind: placed by its
        clause, with the parties its clause names ("announced that Sudan and Israel had
        agreed": Sudan, Israel)."""
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        noun = self.lex.act_nouns.get(tok.lemma_.lower()) or self.lex.act_nouns.get(tok.lower_)
        if not noun or not (noun in self.extra_heads or noun in self._kb_kinds):
            return None
        clause = tok.head if tok.pos_ == "AUX" and tok.dep_ == "aux" else tok  # "to annex occupied territories", misparsed
        parties = tuple(dict.fromkeys(n for t in clause.subtree if (n := self.mentions.entity_at(t))))
        objects = [t for c in clause.children if c.dep_ in ("dobj", "obj", "prep") for t in c.subtree]  # "annex parts of the West Bank"
        said = f" {fold(' '.join(t.text for t in objects))} "
        venues = [v for f, v in self._venues.items() if f" {f} " in said]  # a venue no gazetteer knows: "the West Bank"
        places = tuple(dict.fromkeys([*self.places.of(clause), *(p for t in objects for p in self.places.names(t)), *venues]))
        subject = Subject("event", "", noun, places, tok.text, True, parties)  # its place or parties must say which
        return EventMention(tok.i, subject, self.paragraph_of[tok.i], frozenset(self.lex.family_of(noun)), False)

    def named_for(self, tok: Token) -> Subject | None:
        """A sub-event noun ("the signing", "the ceremony") standing for the one KB event whose
        name holds that word ("signing ceremony"), when it has no event mention of its own."""
        noun = tok.lemma_.lower()
        key = self._kb_event_named(noun) if tok.pos_ == "NOUN" and noun in self.lex.sub_event_nouns else None
        return Subject("event", key, noun, self.places.of(tok), _phrase(tok), how=f"the {noun} the KB names") if key else None

    def _kb_event_named(self, word: str) -> str | None:
        """The one KB event whose name or an alias holds `word` ("signing ceremony"), or None."""
        keys = self._kb_words.get(word, ())
        return next(iter(keys)) if len(keys) == 1 else None

    def act_event(self, verb: Token) -> Subject | None:
        """The KB event that is this verb's act: "signed ... on Tuesday" dates the "signing
        ceremony" (a KB event whose name holds the verb's noun, `act_nouns`), when the KB has
        exactly one such event."""
        noun = self.lex.act_nouns.get(verb.lemma_.lower())
        key = self._kb_event_named(noun) if noun else None
        if noun is None or key is None:
            return None
        places = self.places.of(verb)
        venue = getattr(self.kb.events[key], "place", None)
        said = f" {fold(verb.sent.text)} "
        if not (self.kb.placed_at(key, places) or (venue and f" {fold(venue)} " in said)):
            return None  # only where the act took place: "signed ... at the White House on Tuesday"
        return Subject("event", key, noun, places, verb.text, how=f"the {noun} took place at its venue")

    # ------------------------------------------------------------------ resolution

    def _resolve(self) -> None:
        """One event model per article: every mention that names no KB event itself is
        resolved to at most one, by best fit. Candidates are the KB events its kind and
        places fit; then, in turn, a place it states and the event has, the event the
        article is about (its KB mentions, the headline and lead counting three times) by
        a clear margin, and the kind named exactly decide. A tie stays unresolved. An
        indefinite mention ("an agreement") links only when exactly one event fits and
        none of its words says it is another one."""
        events = list(getattr(self.kb, "events", {}))
        if not events or not self.order:
            return
        weight = {k: 0 for k in events}

        def count(token: int) -> int:  # the headline and the lead say what the article is about
            return 3 if self.paragraph_of[token] <= 1 else 1

        for m in self.order:
            if m.subject.name in weight and m.own:
                weight[m.subject.name] += count(m.token)
        # "Haftar left Moscow": the city of an event is news of it (a country is named too often)
        cities = {k: fold(p) for k in events if (p := getattr(self.kb.events[k], "place", None))}
        for mention in self.mentions.spans:
            for k, city in cities.items():
                if mention.city and fold(mention.city) == city:
                    weight[k] += count(mention.start)
        def resolved(m: EventMention) -> EventMention:
            if m.subject.name or m.subject.kind != "event":
                return m
            key, how = self._same_as(self.doc[m.token])
            if not key:
                key, how = self._best_event(m, events, weight)
            if not key:
                return m
            return EventMention(m.token, replace(m.subject, name=key, generic=False, how=how), m.paragraph,
                                m.family | {"kb"}, m.own)

        for i, m in enumerate(self.order):  # in order: a later apposition may lean on an earlier one
            self.order[i] = self.by_token[m.token] = resolved(m)
        self.verbal = {i: resolved(m) for i, m in self.verbal.items()}

    def _same_as(self, tok: Token) -> tuple[str | None, str]:
        """Two mentions of one event side by side: an apposition ("the deal, the Abraham
        Accords, ...") or a name given to it ("a deal known as the Abraham Accords")."""
        near = [c for c in tok.children if c.dep_ == "appos"] + ([tok.head] if tok.dep_ == "appos" else [])
        for c in tok.children:
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in self.lex.naming_verbs:
                near += [x for x in c.children if x.dep_ in ("oprd", "attr")]
                near += [o for x in c.children if x.dep_ == "prep" and x.lower_ == "as" for o in x.children
                         if o.dep_ == "pobj"]
        for t in near:
            m = self.by_token.get(t.i)
            if m is not None and m.subject.name and m.own:
                return m.subject.name, "named in the same phrase"
        return None, ""

    def _best_event(self, m: EventMention, events: list[str], weight: dict[str, int]) -> tuple[str | None, str]:
        """(KB event key or None, why)."""
        subject = m.subject
        if subject.generic and not self._may_be_known(self.doc[m.token]):
            return None, ""
        fits = {k: f for k in events if (f := self.kb.event_fit(k, subject, generic_too=True))[0]}
        if subject.generic:  # "an agreement ... in Manama": a place of its own must be the event's
            keys = [k for k in fits if fits[k][1]] if subject.places else list(fits)
            return (keys[0], "kind + place" if subject.places else "the only event of its kind") if len(keys) == 1 else (None, "")
        if len(fits) == 1 and next(iter(fits.values()))[1]:  # the only one, and its place says so
            return next(iter(fits)), "kind + place"
        if len(fits) <= 1:  # none, or the only one by kind alone: left to the KB's matching, as a mention it may mean
            return None, ""
        keys = list(fits)
        placed = [k for k in keys if fits[k][1]]
        if len(placed) == 1:
            return placed[0], "kind + place"
        if placed:
            keys = placed
        if len(keys) < 2:
            return None, ""
        ranked = sorted(keys, key=lambda k: -weight[k])
        if weight[ranked[0]] >= 2 * max(weight[ranked[1]], 1):
            return ranked[0], SALIENT_EVENT
        exact = [k for k in keys if fits[k][2]]
        return (exact[0], EXACT_KIND) if len(exact) == 1 else (None, "")

    def _may_be_known(self, tok: Token) -> bool:
        """An indefinite mention may be a KB event unless a word of its phrase sets it apart:
        "another", "a second", "separate", "earlier", a number, or a qualifier ("a maritime
        deal") that no KB event's name or aliases use."""
        for c in tok.children:
            if c.dep_ == "nummod" or c.lower_ in self.lex.distinct_markers:
                return False
            if c.dep_ in ("amod", "compound") and c.lower_ not in self._kb_words and not self.mentions.entity_at(c) \
                    and c.lower_ not in self.lex.neutral_modifiers and c.tag_ != "VBN":
                return False  # "a maritime deal"; not "a historic deal", "a U.S.-brokered deal"
        return True

    # ------------------------------------------------------------------ detection

    def is_event_word(self, tok: Token) -> bool:
        low = tok.lower_
        lemma = singular(tok.lemma_.lower())
        if tok.pos_ in ("NOUN", "PROPN"):
            return lemma in self.lex.kind_words or low in self.lex.kind_words or lemma in self.extra_heads or lemma in self._kb_kinds
        return False

    def _detect(self, tok: Token) -> EventMention | None:
        kb_mention = self.mentions.event_at(tok)
        if kb_mention is not None:
            span_root = self.doc[kb_mention.start:kb_mention.end].root
            if tok.i != span_root.i:
                return None
            if kb_mention.end - kb_mention.start == 1 and tok.dep_ == "amod":
                return None  # "all fighting parties": a modifier, not the event
            if tok.dep_ == "compound" and self.is_event_word(tok.head) and not self._same_family(span_root, tok.head):
                return None  # "ceasefire talks" are talks: the head names the event
            head = singular(span_root.lemma_.lower())
            subject = Subject("event", kb_mention.name, head, self.places.of(tok), self.doc[kb_mention.start:kb_mention.end].text,
                              how="KB alias")
            family = frozenset(self.lex.family_of(head) | self._kb_family(kb_mention.name) | {"kb"})
            return EventMention(tok.i, subject, self.paragraph_of[tok.i], family, True)
        refers_to = self._anaphoric_family(tok)
        if not self.is_event_word(tok) and refers_to is None:
            return None
        if self.mentions.entity_at(tok) is not None:
            return None  # "Government of National Accord": part of a name, not an accord
        if tok.dep_ == "compound" and self.is_event_word(tok.head):
            return None  # "peace talks", "ceasefire deal": the head speaks for the phrase
        if any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in self.lex.non_event_modifiers for c in tok.children):
            return None  # "a news conference in Moscow" is not the Moscow talks
        head = singular(tok.lemma_.lower())
        places = self.places.of(tok)
        family = frozenset(self.lex.family_of(head))
        for c in tok.children:  # "an armistice agreement": the KB alias in the compound names it
            named = self.mentions.event_at(c) if c.dep_ == "compound" else None
            if named is not None and self._same_family(c, tok):
                subject = Subject("event", named.name, head, places, _phrase(tok), how="KB alias in the phrase")
                return EventMention(tok.i, subject, self.paragraph_of[tok.i], family | {"kb"}, True)
        if not places and refers_to is not None:
            antecedent = self.salient(tok.i, refers_to)
            if antecedent is not None:
                subject = replace(antecedent.subject, text=_phrase(tok))
                return EventMention(tok.i, subject, self.paragraph_of[tok.i], family | antecedent.family, False)
        if not self.is_event_word(tok):
            return None  # "the text" with nothing to refer to
        subject = Subject("event", "", head, places, _phrase(tok), self._indefinite(tok), self.parties(tok))
        return EventMention(tok.i, subject, self.paragraph_of[tok.i], family, bool(places))

    def parties(self, tok: Token) -> tuple[str, ...]:
        """Parties named in an event noun's own phrase, not in clauses hanging from it:
        "Bahrain's announcement", "the Israel-UAE deal", "the announcement of a deal between
        Israel and the UAE" (through `of`/`between`/`with`/`among`, two nouns deep)."""
        found: list[str] = []
        stack = [(tok, 0)]
        while stack:
            t, depth = stack.pop()
            for c in t.children:
                if c.pos_ in ("VERB", "AUX") or c.dep_ in ("relcl", "acl", "conj", "cc"):
                    continue
                if c.dep_ == "appos" and c.pos_ == "NOUN" and depth < 2:  # the parser's "announcement ... relations"
                    stack.append((c, depth + 1))
                    continue
                if c.dep_ in ("poss", "compound", "amod", "nmod", "pobj") and (name := self.mentions.entity_at(c)):
                    found += [name] + [n for cc in c.conjuncts if (n := self.mentions.entity_at(cc))]
                elif c.dep_ == "prep" and c.lower_ in ("of", "between", "with", "among") and depth < 2:
                    stack.append((c, depth + 1))
                elif c.dep_ == "pobj" and depth < 3:
                    stack.append((c, depth + 1))
        return tuple(dict.fromkeys(found))

    @staticmethod
    def _indefinite(tok: Token) -> bool:
        """"a deal", "two separate agreements", "new talks": introduces an event rather than naming one."""
        for c in tok.children:
            if c.dep_ == "det" and c.lower_ in ("a", "an", "another", "some", "any"):
                return True
            if c.dep_ == "nummod" or (c.dep_ == "amod" and c.lower_ in ("separate", "new", "another", "other", "several")):
                return True
        return False

    def _anaphoric_family(self, tok: Token) -> str | None:
        """The family a definite noun refers back to ("the text" -> agreement), else None."""
        if tok.pos_ != "NOUN" or not self._definite(tok):
            return None
        return self.lex.anaphoric_nouns.get(tok.lower_) or self.lex.anaphoric_nouns.get(singular(tok.lemma_.lower()))

    def _kb_family(self, key: str) -> set[str]:
        """The families of a KB event's kind: the "grain deal" (kind agreement) is an agreement."""
        entry = getattr(self.kb, "events", {}).get(key)
        kind = getattr(entry, "kind", None) if entry is not None else None
        return self.lex.family_of(singular(kind)) | self.lex.family_of(kind.lower()) if kind else set()

    def _same_family(self, modifier: Token, head: Token) -> bool:
        """"armistice agreement", "truce proposal": the modifier names the head's event;
        "ceasefire talks": it does not (talks about a ceasefire are talks)."""
        head_word = singular(head.lemma_.lower())
        if not self.is_event_word(head) or head_word not in self.lex.kind_words:
            return True  # "truce proposal", "ceasefire text": the head is no event kind of its own
        named = self.mentions.event_at(modifier)
        kinds = {singular(modifier.lemma_.lower())}
        entry = getattr(self.kb, "events", {}).get(named.name) if named is not None else None
        if entry is not None and getattr(entry, "kind", None):
            kinds.add(singular(entry.kind))
        return any(self.lex.family_of(k) & self.lex.family_of(head_word) for k in kinds)

    @staticmethod
    def _definite(tok: Token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in tok.children) or any(
            c.dep_ == "poss" for c in tok.children
        )

    # ------------------------------------------------------------------ anaphora

    def salient(self, before: int, family: str | None) -> EventMention | None:
        """The most recent event mention of `family` before token `before`, within the window."""
        if family is None:
            return None
        para = self.paragraph_of[before] if before < len(self.paragraph_of) else 0
        for m in reversed(self.order):
            if m.token >= before:
                continue
            if para - m.paragraph > ANAPHORA_PARAGRAPHS:
                break
            if family in m.family or family in self.lex.family_of(m.subject.head):
                return m
        return None

    def at(self, tok: Token) -> EventMention | None:
        return self.by_token.get(tok.i)


def _phrase(tok: Token) -> str:
    left = tok.left_edge.i
    span = tok.doc[left: tok.i + 1]
    return span.text


def paragraphs_of(doc: Doc) -> list[int]:
    """Paragraph number of every token: a new paragraph after a blank line, or after every line
    break in a text that has no blank lines (one paragraph per line)."""
    breaks = 2 if "\n\n" in doc.text else 1
    out, para = [], 0
    for tok in doc:
        out.append(para)
        if tok.text_with_ws.count("\n") >= breaks:
            para += 1
    return out