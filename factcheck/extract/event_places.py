"""Where an event takes place, read off the words around its noun: in its own phrase ("the
Berlin conference", "talks in Moscow", "the Libyan capital"), on the verb it is an argument
of ("could be held in Berlin", "flew to Ankara for talks"), or through its host ("a summit
which Germany is hosting", "Germany held a summit")."""
from __future__ import annotations

from spacy.tokens import Token

from factcheck.kb import gazetteer
from factcheck.extract.lexicon import Lexicon
from factcheck.extract.mentions import Mentions
from factcheck.kb.names import fold
from factcheck.kb.store import KnowledgeBase


class EventPlaces:
    """The canonical places (cities, countries, venues a KB event names) of one document's event nouns."""

    def __init__(self, mentions: Mentions, kb: KnowledgeBase, lex: Lexicon, venues: dict[str, str]):
        self.mentions, self.kb, self.lex = mentions, kb, lex
        self._venues = venues  # folded venue of a KB event -> the venue

    def of(self, tok: Token) -> tuple[str, ...]:
        """Canonical places qualifying an event noun, in its phrase, on its verb, or as its host."""
        found: list[str] = []
        for child in tok.children:
            if child.dep_ in ("compound", "amod", "nmod", "poss") and child.i < tok.i:
                found += self.names(child)
            elif child.dep_ == "prep" and child.lower_ in self.lex.locative_preps:
                found += [p for obj in _objects(child) for p in self.names(obj)]
            elif child.dep_ in ("relcl", "acl"):  # "a summit which Germany hosts", "the talks, held in Astana"
                if child.lemma_ in self.lex.host_verbs:
                    found += [p for s in child.children if s.dep_ in ("nsubj", "agent") for p in self._host_names(s)]
                found += [p for c in child.children if c.dep_ == "prep" and c.lower_ in self.lex.locative_preps
                          for obj in _objects(c) for p in self.names(obj)]
        verb = tok.head if tok.dep_ in ("nsubj", "nsubjpass", "dobj") else (tok.head.head if tok.dep_ == "pobj" else None)
        if verb is not None and tok.dep_ == "dobj" and verb.lemma_.lower() in self.lex.host_verbs:
            doer = verb  # "Germany held a summit", "Germany plans to hold a summit"
            while not any(c.dep_ == "nsubj" for c in doer.children) and doer.dep_ in ("xcomp", "conj") and doer.head is not doer:
                doer = doer.head
            found += [p for s in doer.children if s.dep_ == "nsubj" for p in self._host_names(s)]
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            preps = self.lex.locative_preps | (self.lex.motion_preps if verb.lemma_.lower() in self.lex.motion_verbs else frozenset())
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in preps and child.i != tok.head.i:
                    found += [p for obj in _objects(child) for p in self.names(obj)]
        return tuple(dict.fromkeys(found))

    def _host_names(self, tok: Token) -> list[str]:
        if tok.dep_ == "agent":
            return [p for obj in _objects(tok) for p in self.names(obj)]
        return self.names(tok)

    def names(self, tok: Token) -> list[str]:
        """The places a word and its conjuncts name: a city, a country, a venue a KB event
        names, or a capital ("the Libyan capital")."""
        out: list[str] = []
        for t in [tok] + [c for c in tok.conjuncts]:
            city = self.mentions.city_at(t)
            name = self.mentions.entity_at(t)
            if t.lemma_.lower() == "capital":  # "the Libyan capital", "the Russian capital"
                for mod in t.children:
                    country = self.mentions.entity_at(mod)
                    if country:
                        cap = gazetteer.capital_of(country) or gazetteer.capital_of(_country_name(mod))
                        if cap:
                            out += [cap, self.kb.canonical(cap)]
                continue
            if city:
                out.append(city)
            if name and (city or _is_place(name) or fold(name) in self._venues):
                out.append(name)  # a city, a country, or a venue a KB event names ("the White House")
        return [o for o in out if o]


def _objects(prep: Token) -> list[Token]:
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return objs + [c for o in objs for c in o.conjuncts]


def _is_place(name: str) -> bool:
    return gazetteer.is_country(name) or gazetteer.is_city(name)


def _country_name(tok: Token) -> str:
    return gazetteer.country_for(tok.text) or tok.text
