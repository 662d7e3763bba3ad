"""Reads a document's tokens as the parties and events the relation extractors speak of.

A noun phrase resolves to parties through `Mentions`, coordination ("A, B and C"), group
nouns ("Haftar's forces", "Russian mercenaries", "officials from Egypt"), role nouns
("Haftar's rival, Serraj"), pronouns (bounded: "he" is the one person who was a subject just
before) and roles the article named ("the president of Chile" after "Chilean President Soto").
A token resolves to an event through the document's `EventIndex`.
"""
from __future__ import annotations

from spacy.tokens import Token

from factcheck.kb import gazetteer
from factcheck.extract.events import EventIndex
from factcheck.extract.lexicon import Lexicon
from factcheck.extract.mentions import Mentions
from factcheck.model import Subject

RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
PERSONAL_PRONOUNS = frozenset({"he", "she"})


class Reader:
    """Resolves tokens of one document to parties and events."""

    def __init__(self, mentions: Mentions, events: EventIndex, lex: Lexicon):
        self.mentions, self.events, self.lex = mentions, events, lex
        self.roles: dict[tuple[str, str], set[str]] = {}  # (title, organisation) -> who the article said holds it

    def remember_role(self, title: str, organisation: str, person: str) -> None:
        """"Chilean President Ana Soto": later, "the president of Chile" is Ana Soto."""
        self.roles.setdefault((title, organisation), set()).add(person)

    def role_holder(self, tok: Token) -> list[str]:
        """"the president of Chile", "the Chilean president", "the presidents of Chile and Peru":
        the people the article named in those roles before, never a guess (one each)."""
        title = tok.lemma_.lower()
        if not any(t == title for t, _ in self.roles):
            return []
        orgs = [n for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children
                if o.dep_ == "pobj" for n in self.parties(o)]
        orgs += [n for c in tok.children if c.dep_ in ("amod", "compound", "poss") and (n := self.mentions.entity_at(c))]
        holders = [next(iter(self.roles[(title, org)])) for org in orgs if len(self.roles.get((title, org), ())) == 1]
        return list(dict.fromkeys(holders))

    # --------------------------------------------------------------- parties

    def parties(self, tok: Token, expand: bool = True) -> list[str]:
        """The parties a noun phrase (and its coordinated siblings) names."""
        toks = [tok] + (list(tok.conjuncts) if expand else [])
        if expand and tok.lemma_.lower() in self.lex.role_nouns:  # "its rivals, the UAE and Egypt"
            for a in self._right_apposition(tok):
                toks += [a] + [c for c in a.conjuncts if c not in toks]
        if expand:  # "the United States, Russia, Britain and France": the parser hangs the list on an apposition
            for t in list(toks):
                for a in t.children:
                    if a.dep_ == "appos" and a.pos_ == "PROPN" and self.mentions.entity_at(a) and all(
                            x.is_punct or x.dep_ == "det" for x in t.doc[t.i + 1:a.left_edge.i]):
                        toks += [a] + [c for c in a.conjuncts if c not in toks]
        out: list[str] = []
        holders = self.role_holder(tok) if expand else []
        if len(holders) > 1:  # "the presidents of Chile and Peru"
            return holders
        for t in toks:
            name = self.party(t)
            names = [name] if name else []
            if name and expand and self._is_group(t):  # "Russian and Ukrainian officials": each modifier
                names += [n for c in t.children if c.dep_ == "amod" for cc in c.conjuncts
                          if (n := self.mentions.entity_at(cc))]
            for n in names:
                if n not in out:
                    out.append(n)
        return out

    def antecedent(self, pronoun: Token) -> str | None:
        """"He signed ...": the one person who is a subject earlier in this sentence or in the
        sentence before it (same paragraph). Two candidates, or none: no guess."""
        doc, sent = pronoun.doc, pronoun.sent
        window = [t for t in sent if t.i < pronoun.i]
        if sent.start > 0:
            before = doc[sent.start - 1].sent
            if self.events.paragraph_of[before.start] == self.events.paragraph_of[pronoun.i]:
                window = list(before) + window
        people = {n for t in window if t.dep_ in ("nsubj", "nsubjpass") and (n := self.mentions.entity_at(t))
                  and self.person_like(t, n)}
        return people.pop() if len(people) == 1 else None

    def person_like(self, tok: Token, name: str) -> bool:
        """Could "he" or "she" stand for this subject? Not a place, a country or a group."""
        if tok.ent_type_ in ("GPE", "LOC", "NORP", "FAC", "ORG") or name.isupper() or gazetteer.is_country(name) or gazetteer.is_city(name):
            return False
        entry = getattr(self.events.kb, "entities", {}).get(name)
        kind = getattr(entry, "type", None) if entry is not None else None
        return kind in (None, "person") and not self._is_group(tok)

    def _is_group(self, tok: Token) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in self.lex.group_nouns or tok.lower_ in self.lex.group_nouns)

    def party(self, tok: Token, depth: int = 0) -> str | None:
        if depth > 3:
            return None
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            return self.party(relative_antecedent(tok), depth + 1)
        if tok.lower_ in PERSONAL_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
            return self.antecedent(tok)
        name = self.mentions.entity_at(tok)
        if name:
            return name
        if tok.dep_ == "compound" and tok.pos_ == "PROPN" and tok.head.i > tok.i:
            return self.party(tok.head, depth + 1)  # "Vladimir" in "Vladimir Putin"
        if tok.pos_ == "PROPN":  # "Sheikh Abdullah bin Zayed al-Nahyan": a known name, then more of it
            for left in reversed(tok.doc[tok.left_edge.i:tok.i]):
                if left.head.i != tok.i and left.dep_ != "punct" and left.head.head.i != tok.i:
                    break
                m = self.mentions.by_token.get(left.i)
                if m is not None and m.kind == "entity" and left.ent_type_ == tok.ent_type_ == "PERSON":
                    return m.name
        lemma = tok.lemma_.lower()
        if tok.dep_ == "appos" and (lemma in self.lex.role_nouns or lemma in self.lex.relation_nouns) and (
                named := self.mentions.entity_at(tok.head)):
            return named  # "who leads the council" in "Doumbia, the strongman who leads it"
        appos = [c for c in tok.children if c.dep_ == "appos"] or self._right_apposition(tok)
        if appos and (lemma in self.lex.role_nouns or lemma in self.lex.relation_nouns):
            return self.party(appos[0], depth + 1)  # "Haftar's rival, Serraj"
        holders = self.role_holder(tok) if tok.pos_ in ("NOUN", "PROPN") else []
        if len(holders) == 1:
            return holders[0]
        if self._is_group(tok):
            for dep in ("compound", "poss", "amod", "nmod"):
                for c in tok.children:
                    if c.dep_ == dep:
                        n = self.mentions.entity_at(c) or (self.party(c, depth + 1) if dep == "poss" else None)
                        if n:
                            return n
            for c in tok.children:  # "officials from Egypt", "forces of Haftar"
                if c.dep_ == "prep" and c.lower_ in ("from", "of"):
                    for o in c.children:
                        if o.dep_ == "pobj":
                            n = self.party(o, depth + 1)
                            if n:
                                return n
        return None

    def _right_apposition(self, tok: Token) -> list[Token]:
        """"the backing of Turkey's rivals, the UAE and Egypt": an apposition the parser hung
        elsewhere, read off the words: a comma right after the phrase, then a named party."""
        doc, i = tok.doc, tok.right_edge.i + 1
        if i >= tok.sent.end - 1 or doc[i].text != ",":
            return []
        j = i + 1
        while j < tok.sent.end and doc[j].dep_ in ("det", "compound") and self.mentions.entity_at(doc[j]) is None:
            j += 1
        m = self.mentions.by_token.get(j) if j < tok.sent.end else None
        if m is None or m.kind != "entity":
            return []
        return [doc[m.end - 1]]

    def group_members(self, tok: Token, depth: int = 0) -> list[str]:
        """"officials from A, B and C", "representatives of A and B", "11 countries, including
        A and B": every party named, else the phrase's own party."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "of", "including"):
                objs = [o for o in c.children if o.dep_ == "pobj"]
                if objs:
                    found = self.parties(objs[0])
                    return found or (self.group_members(objs[0], depth + 1) if depth < 2 else [])
        return self.parties(tok)

    # --------------------------------------------------------------- events

    def event(self, tok: Token, family: str | None) -> Subject | None:
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            tok = tok.head.head
        m = self.events.at(tok)
        if m is not None:
            return m.subject
        named = self.events.named_for(tok)  # "witnessed the signing": the KB's signing ceremony
        if named is not None:
            return named
        if tok.pos_ == "PRON" and tok.lower_ in ("it", "this", "that") and family:
            s = self.events.salient(tok.i, family)  # "without signing it"
            return s.subject if s else None
        for c in tok.children:  # "the ceasefire proposal", "a truce deal": a compound event word
            if c.dep_ == "compound":
                m = self.events.at(c)
                if m is not None:
                    return m.subject
        return None


def relative_antecedent(pronoun: Token) -> Token:
    """What "which"/"who" stands for: the noun its clause hangs on, or, when that noun heads a
    list ("Ankara and Moscow, which is accused of ..."), the member of the list nearest before
    the pronoun."""
    clause = pronoun.head
    head = clause.head
    plural = any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("have", "are", "were") for c in clause.children) or (
        clause.tag_ == "VBP" and clause.lemma_ != "be")
    if plural and head.tag_ in ("NNP", "NN") and head.dep_ == "pobj" and head.head.head.tag_ in ("NNS", "NNPS"):
        return head.head.head  # "Haftar's forces from eastern Libya, which have been supported by ...": the forces
    before = [t for t in (head, *head.conjuncts) if t.i < pronoun.i]
    return max(before, key=lambda t: t.i) if before else head
