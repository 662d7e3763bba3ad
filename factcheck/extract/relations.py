"""Relations between parties and events: backers, leader, signed, hosts, attendees.

Which words trigger a relation is data (`patterns.yaml`); this module reads the dependency
structure around them, the same way for every relation:
- active "A backs X", passive "X is backed by A", participle "X, backed by A, B and C",
  relative clause "X, who is backed by A" / "A, who heads X" / "a summit which A is hosting";
- control: "A is suspected of backing X", "A is planning to host X", "convince A to sign";
- coordination: "backed by A, B and C" gives three facts;
- nominal: "A is the main backer of X", "A, head of X", "the commander of X, A", "X leader A",
  "Turkish President A";
- an implicit patient ("left without signing") is the salient event of the relation's family.
Noun phrases resolve to parties through `Mentions`, group nouns ("Haftar's forces",
"Russian mercenaries", "officials from Egypt") and role nouns ("Haftar's rival, Serraj").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from spacy.tokens import Token

from factcheck.kb import gazetteer
from factcheck.extract.events import EventIndex
from factcheck.extract.lexicon import Lexicon, Relation, lexicon, singular
from factcheck.extract.mentions import Mentions
from factcheck.extract.polarity import hedged, polarity, unrealized
from factcheck.model import Subject

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
PERSONAL_PRONOUNS = frozenset({"he", "she"})


@dataclass(frozen=True, slots=True)
class RelationHit:
    predicate: str
    subject: Subject  # the party (entity) or the event the fact is about
    value: str  # the canonical party that is the fact's value
    polarity: bool
    hedged: bool
    trigger: Token


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
                  and self._person_like(t, n)}
        return people.pop() if len(people) == 1 else None

    def _person_like(self, tok: Token, name: str) -> bool:
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
            return self.party(_antecedent(tok), depth + 1)
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


def _antecedent(pronoun: Token) -> Token:
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


def _co_agents(toks: list[Token], reader: Reader) -> list[str]:
    """"A backs X along with B and C", "A, together with B, signed": B and C act too."""
    out: list[str] = []
    for t in toks:
        for c in t.children:
            if c.lower_ in ("along", "together"):
                out += [p for w in c.children if w.lower_ == "with" for o in w.children if o.dep_ == "pobj"
                        for p in reader.parties(o)]
    return out


def verb_lemmas(tok: Token) -> list[str]:
    """The verb's lemma, then the base forms its spelling allows: the small model's lemmatizer
    gives "stag" for "staged" and "cohoste" for "cohosted"."""
    low = tok.lower_
    out = [tok.lemma_.lower()]
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("es", ""),
                         ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            out.append(low[: -len(suffix)] + repl)
    return list(dict.fromkeys(out))


def extract_relations(sent, reader: Reader, lex: Lexicon, relations: "Sequence[Relation] | None" = None) -> Iterator[RelationHit]:
    """Every relation hit of the sentence, for the built-in relations or the `relations` given
    (editors' predicates written in the same vocabulary)."""
    rels = lex.relations if relations is None else relations
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            for rel in rels:
                found = next((form for form in verb_lemmas(tok) if rel.triggers(form)), None)
                if found is not None:
                    yield from _verb_relation(tok, rel, reader, lex, found)
            if lemma in lex.pro_verbs and any(c.lower_ == "so" for c in tok.children):
                yield from _pro_verb(tok, reader, lex)
        if tok.pos_ == "ADJ" and tok.dep_ == "acomp":
            for rel in rels:
                if rel.adjectives and lemma in rel.adjectives:
                    yield from _adjective_relation(tok, rel, reader, lex)
        if tok.pos_ in ("NOUN", "PROPN"):
            for rel in rels:
                if lemma in rel.nouns or _compound_title(tok) in rel.nouns:
                    for hit in _noun_relation(tok, rel, reader, lex):
                        if rel.titles and hit.polarity and not hit.hedged:
                            reader.remember_role(lemma, hit.subject.name, hit.value)
                        yield hit
                if lemma in rel.action_nouns:
                    yield from _action_noun(tok, rel, reader, lex)


def _org_then_person(of_objs: list[Token], reader: Reader) -> tuple[str, str] | None:
    """An organisation named inside a person's phrase: "of the LNA Field Marshal Haftar"."""
    for o in of_objs:
        person = reader.mentions.entity_at(o)
        if person is None or o.ent_type_ not in ("PERSON", "") or o.pos_ != "PROPN":
            continue
        own = reader.mentions.by_token[o.i]
        for left in o.doc[o.left_edge.i:own.start]:
            org = reader.mentions.entity_at(left)
            if org and org != person and left.ent_type_ != "PERSON":
                return org, person
    return None


def _compound_title(tok: Token) -> str:
    """"Prime Minister" -> prime-minister, "Secretary General" -> secretary-general."""
    prev = [c for c in tok.children if c.dep_ == "compound" and c.i == tok.i - 1]
    if prev:
        return f"{prev[0].lower_}-{tok.lower_}"
    return ""


# ------------------------------------------------------------------ verbs


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" or c.dep_ == "agent" for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") and not any(c.dep_ == "aux" for c in verb.children)


def _controller(verb: Token) -> Token | None:
    """The understood subject of a verb without one: "suspected of backing", "planning to host"."""
    cur = verb
    for _ in range(4):
        head = cur.head
        if head is cur:
            return None
        if head.dep_ == "prep" or head.pos_ == "ADP":
            cur = head
            continue
        if cur.dep_ in ("xcomp", "advcl", "ccomp") and head.lemma_.lower() in lexicon().object_control:
            objs = [c for c in head.children if c.dep_ in OBJECT_DEPS]
            if objs:
                return objs[0]
        subj = [c for c in head.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
        if subj:
            return subj[0]
        if head.dep_ in ("acl", "relcl") and head.head is not head:
            return head.head
        if cur.dep_ not in ("xcomp", "pcomp", "pobj", "advcl", "conj", "acomp", "prep", "ccomp"):
            return None
        cur = head
    return None


def _agents(verb: Token) -> list[Token]:
    if _is_passive(verb):
        by = [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
        return by
    subj = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subj:
        s = subj[0]
        if s.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return [_antecedent(s)]
        return [s]
    if verb.dep_ == "acl" and verb.tag_ == "VBG":  # "Russia, backing Haftar, ..."
        return [verb.head]
    if verb.dep_ == "conj":
        return _agents(verb.head)
    c = _controller(verb)
    return [c] if c is not None else []


def _patients(verb: Token, rel: Relation) -> list[Token]:
    if _is_passive(verb):
        subj = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        if subj:
            s = subj[0]
            return [_antecedent(s)] if s.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else [s]
        if verb.dep_ in ("acl", "amod", "relcl"):
            return [verb.head]
        return []
    objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    if objs:
        o = objs[0]
        return [_antecedent(o)] if o.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else [o]
    preps = rel.prep_verbs.get(verb.lemma_.lower(), frozenset())
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            return [o for o in c.children if o.dep_ == "pobj"]
    if verb.dep_ == "relcl" and not any(c.dep_ in OBJECT_DEPS for c in verb.children):
        rel_pron = [c for c in verb.children if c.lower_ in RELATIVE_PRONOUNS and c.dep_ in ("dobj", "pobj")]
        if rel_pron:
            return [verb.head]
    return []


def _people(tok: Token, reader: Reader) -> bool:
    """Does an object name people (leaders, delegations, a named party) rather than a thing?"""
    lemma = tok.lemma_.lower()
    return (lemma in reader.lex.group_nouns or lemma in reader.lex.relation_nouns or lemma in reader.lex.role_nouns
            or reader.mentions.entity_at(tok) is not None)


def _person(tok: Token, name: str, reader: Reader) -> bool:
    """A person, not a country or an organisation: "signed the accord with Londono" (a
    co-signer), unlike "signed an agreement with the UAE" (a counterpart)."""
    return tok.ent_type_ == "PERSON" or reader._person_like(tok, name) and tok.ent_type_ == ""


def _hyphen_agent(verb: Token) -> Token | None:
    """"the Iran-backed Houthis": the word hyphenated before the participle is its agent."""
    if verb.dep_ not in ("amod", "compound") or verb.i < 2 or verb.doc[verb.i - 1].text != "-":
        return None
    left = verb.doc[verb.i - 2]
    return left if left.head.i == verb.i or left.head.i == verb.head.i else None


def _verb_relation(verb: Token, rel: Relation, reader: Reader, lex: Lexicon, lemma: str) -> Iterator[RelationHit]:
    if rel.predicate != "hosts" and unrealized(verb, lex):
        return  # "X may sign", "once it is signed by X", "X plans to back Y": nothing happened yet
    pol, hed = polarity(verb, lex), hedged(verb, lex)
    if lemma in rel.negative_verbs:  # "A boycotted the summit": A did not attend it
        pol = not pol
    agent = _hyphen_agent(verb) if lemma in rel.verbs else None
    if agent is not None:
        values = reader.parties(agent, expand=False)
        if values:
            yield from _emit(rel, values, [verb.head], verb, pol, hed, reader)
        return
    if lemma in rel.passive_value_verbs and _is_passive(verb):
        values = [p for s in _patients(verb, rel) for p in reader.group_members(s)]
        targets = [o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "for") for o in c.children if o.dep_ == "pobj"]
    elif lemma in rel.inverse_verbs:
        objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
        values = [p for o in objs for t in [o] + list(o.conjuncts) for p in reader.group_members(t)]
        targets = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    elif lemma in rel.verbs or lemma in rel.prep_verbs or lemma in rel.negative_verbs:
        if lemma in rel.prep_verbs and lemma not in rel.verbs and not _patients(verb, rel) and rel.prep_verbs[lemma]:
            return
        values = [p for a in _agents(verb) for p in reader.parties(a)]
        targets = _patients(verb, rel)
        for c in verb.children:  # "A attended, as did B and C"; "signed by A, and by B"
            if c.dep_ == "advcl" and c.lemma_.lower() in lex.pro_verbs and any(m.lower_ == "as" for m in c.children):
                values += [p for s in c.children if s.dep_ in SUBJECT_DEPS for p in reader.parties(s) if p not in values]
            if c.dep_ == "conj" and c.lower_ == "by" and _is_passive(verb):
                values += [p for o in c.children if o.dep_ == "pobj" for p in reader.parties(o) if p not in values]
        naming = [c for c in verb.children if c.dep_ == "ccomp" and c.lemma_.lower() in lex.naming_verbs]
        if not targets and naming:  # "signed what is called the Abraham Accord"
            targets = [o for c in naming for o in c.children if o.dep_ in ("oprd", "attr", "dobj") and o.lower_ != "what"]
        joined = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ == "in" else None
        if joined is not None and joined.lemma_.lower() in lex.joining_verbs:  # "A joined B and C in signing X"
            values += [p for o in joined.children if o.dep_ in OBJECT_DEPS for p in reader.parties(o) if p not in values]
        if values:
            values += [p for p in _co_agents([verb, *targets, *naming], reader) if p not in values]
        if values and rel.co_agent_preps and lemma in rel.verbs:  # "A signed the accord with B": B signed too
            values += [p for t in [verb, *targets, *naming] for c in t.children if c.dep_ == "prep" and c.lower_ in rel.co_agent_preps
                       for o in c.children if o.dep_ == "pobj" for p in reader.parties(o)
                       if reader.mentions.by_token.get(o.i) is not None and _person(o, p, reader)]
    elif lemma in rel.light_verbs:  # "A took part in X": the noun is the verb's object, X after the preposition
        noun, preps = rel.light_verbs[lemma]
        objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.lemma_.lower() == noun]
        if not objs:
            return
        values = [p for a in _agents(verb) for p in reader.parties(a)]
        targets = [o for t in (verb, objs[0]) for c in t.children if c.dep_ == "prep" and c.lower_ in preps
                   for o in c.children if o.dep_ == "pobj"]
    elif lemma in rel.kind_verbs:  # "Germany held a summit": only with an object of the right kind
        targets = [t for t in _patients(verb, rel) if singular(t.lemma_.lower()) in rel.kind_verbs[lemma]]
        if not targets:
            return
        values = [p for a in _agents(verb) for p in reader.parties(a)]
    else:
        return
    if not values:
        return
    yield from _emit(rel, values, targets, verb, pol, hed, reader)


def _emit(rel: Relation, values: list[str], targets: list[Token], trigger: Token, pol: bool, hed: bool,
          reader: Reader) -> Iterator[RelationHit]:
    subjects: list[Subject] = []
    if rel.argument == "event":
        for t in targets:
            for tt in [t] + list(t.conjuncts):
                s = reader.event(tt, rel.family)
                if s is not None:
                    subjects.append(s)
        if targets and not subjects and trigger.pos_ in ("VERB", "AUX"):  # "hosted leaders for a summit"
            for c in trigger.children:
                if c.dep_ == "prep" and c.lower_ in ("for", "at"):
                    subjects += [s for o in c.children if o.dep_ == "pobj" and (s := reader.event(o, rel.family))]
            if not subjects and rel.family and all(_people(t, reader) for t in targets):
                m = reader.events.salient(trigger.i, rel.family)  # "Merkel hosted leaders of 11 countries"
                if m is not None:
                    subjects.append(m.subject)
        if not targets and rel.family:
            m = reader.events.salient(trigger.i, rel.family)
            if m is not None:
                subjects.append(m.subject)
    else:
        subjects = [Subject("entity", p) for t in targets for p in reader.parties(t)]
    for subject in subjects:
        for value in values:
            if rel.argument == "entity" and value == subject.name:
                continue
            yield RelationHit(rel.predicate, subject, value, pol, hed, trigger)


def _pro_verb(verb: Token, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"A signed the text, but B left without doing so": B's act is the earlier verb's."""
    previous = [t for t in verb.sent if t.i < verb.i and t.pos_ == "VERB"]
    for earlier in reversed(previous):
        for rel in lex.relations:
            if earlier.lemma_.lower() in rel.verbs:
                agents = [p for a in _agents(verb) for p in reader.parties(a)]
                if agents:
                    yield from _emit(rel, agents, _patients(earlier, rel), verb, polarity(verb, lex), hedged(verb, lex), reader)
                return


def _adjective_relation(adj: Token, rel: Relation, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"A was present at the summit": the copula's subject, the adjective's preposition's object."""
    verb = adj.head
    if unrealized(verb, lex):
        return
    values = [p for s in verb.children if s.dep_ in SUBJECT_DEPS for p in reader.parties(s)]
    targets = [o for t in (adj, verb) for c in t.children if c.dep_ == "prep" and c.lower_ in rel.adjectives[adj.lemma_.lower()]
               for o in c.children if o.dep_ == "pobj"]
    if values and targets:
        yield from _emit(rel, values, targets, adj, polarity(verb, lex), hedged(verb, lex), reader)


# ------------------------------------------------------------------ nouns


def _action_noun(noun: Token, rel: Relation, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"Turkish support for the GNA", "Iran's backing of the rebels", "support for X from A"."""
    agents: list[str] = []
    patients: list[Token] = []
    holder = noun.head if noun.dep_ == "dobj" and noun.head.lemma_.lower() in lex.receiving_verbs else None
    if holder is not None:  # "X receives support from A", "X has the backing of A and B": X is backed
        patients = [c for c in holder.children if c.dep_ in SUBJECT_DEPS]
    for c in noun.children:
        if c.dep_ in ("amod", "poss", "compound", "nmod") and c.i < noun.i:
            agents += reader.parties(c, expand=False)
        elif c.dep_ == "prep" and (c.lower_ in ("from", "by") or (c.lower_ == "of" and (holder is not None
                                                                                       or rel.argument == "event"))):
            agents += [p for o in c.children if o.dep_ == "pobj" for p in reader.parties(o)]
        elif c.dep_ == "prep" and c.lower_ in ("for", "of", "to"):
            patients += [o for o in c.children if o.dep_ == "pobj"]
    if holder is not None:
        agents += [p for c in holder.children if c.dep_ == "prep" and c.lower_ == "from"
                   for o in c.children if o.dep_ == "pobj" for p in reader.parties(o)]
    if rel.argument == "event" and agents:
        patients += [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "on" for o in c.children
                     if o.dep_ == "pobj"]  # "X's signature on the accord"
        if not patients:  # "at the invitation of X, leaders met for a summit": the clause's event
            clause = noun.head.head if noun.dep_ == "pobj" else noun.head
            patients = [t for t in clause.subtree if reader.events.at(t) is not None and t.i != noun.i][:1]
            if not patients and rel.family and reader.events.salient(noun.i + 1, rel.family) is not None:
                yield from _emit(rel, agents, [], noun, True, hedged(noun, lex), reader)  # the salient one
                return
    if agents and patients:
        yield from _emit(rel, agents, patients, noun, polarity(noun.head, lex) if noun.head.pos_ == "VERB" else True,
                         hedged(noun, lex), reader)


def _noun_relation(noun: Token, rel: Relation, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"A is the main backer of X", "A, head of X", "the leader of X, A", "X leader A", "Turkish President A";
    for an event relation, "A is the main mediator of the talks"."""
    left = noun.doc[max(noun.left_edge.i, noun.i - 3):noun.i]
    if any(t.lower_.rstrip("-") in lex.non_holders for t in left):
        return  # "deputy head of", "a former president of", "the acting head of": not who holds the role
    plural = noun.tag_ in ("NNS", "NNPS")
    owners: list[str] = []
    of_objs = [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    split = _org_then_person(of_objs, reader) if rel.titles else None
    if split is not None:  # "the commander of the Libyan National Army Field Marshal Khalifa Haftar"
        target, owner = split
        yield RelationHit(rel.predicate, Subject("entity", target), owner, polarity(noun, lex), hedged(noun, lex), noun)
        return
    if rel.argument == "event":
        events = [o for o in of_objs if reader.event(o, rel.family) is not None]
        owners = [p for c in noun.head.children if noun.dep_ == "attr" and c.dep_ in SUBJECT_DEPS
                  for p in reader.parties(c)] or (reader.parties(noun.head, expand=plural) if noun.dep_ == "appos" else [])
        if events and owners:
            yield from _emit(rel, owners, events, noun, polarity(noun.head if noun.dep_ == "attr" else noun, lex),
                             hedged(noun, lex), reader)
        return
    targets = [p for o in of_objs for p in reader.parties(o, expand=False)]
    # "Y's leader", "the LNA leader", "Turkish President": the organisation before the noun
    if not targets:
        for c in noun.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < noun.i:
                n = reader.mentions.entity_at(c)
                if c.lower_ == "whose" and noun.head.dep_ == "relcl":  # "Hezbollah, whose leader is ..."
                    n = reader.party(noun.head.head)
                if n:
                    targets.append(n)
    if not targets:
        return
    # who holds the role
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":  # "X, whose leader is A", "X's leader is A"
        owners = [p for s in noun.head.children if s.dep_ == "attr" for p in reader.parties(s, expand=plural)]
    elif noun.dep_ == "nsubj" and noun.head.lemma_ in ("include", "comprise"):  # "Haftar's backers include A and B"
        owners = [p for s in noun.head.children if s.dep_ in ("dobj", "attr") for p in reader.parties(s)]
    elif noun.dep_ == "attr":  # "A is the main backer of X"
        owners = [p for s in noun.head.children if s.dep_ in SUBJECT_DEPS for p in reader.parties(s)]
    elif noun.dep_ == "appos":  # "A, head of X"
        owners = reader.parties(noun.head, expand=plural)
    elif noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in ("one", "among"):
        one = noun.head.head  # "A, one of X's main backers", "A is one of the backers of X"
        if one.dep_ == "appos":
            owners = reader.parties(one.head, expand=False)
        elif one.dep_ == "attr":
            owners = [p for c in one.head.children if c.dep_ in SUBJECT_DEPS for p in reader.parties(c)]
    elif noun.dep_ == "compound" and rel.titles:  # "GNA leader A", "Turkish President A"
        owners = reader.parties(noun.head, expand=False)
    if not owners:  # "the leader of X, A" (the first apposition that is not X itself: "X (GNA) A")
        for a in (c for c in noun.children if c.dep_ == "appos"):
            owners = [p for p in reader.parties(a, expand=plural) if p not in targets]
            if owners:
                break
    if not owners:  # "the head of X (PNS) Fayez Saraj": a person in apposition inside the phrase
        for o in of_objs:
            for t in o.subtree:
                if t.dep_ == "appos" and t.ent_type_ == "PERSON":
                    n = reader.party(t)
                    if n and n not in targets:
                        owners = [n]
                        break
    if not owners and rel.titles:  # "the commander of X Field Marshal A", "head of X (GNA) A": a name right after
        doc, end = noun.doc, noun.sent.end
        right = max([noun.right_edge.i] + [reader.mentions.by_token[o.i].end - 1 for o in of_objs
                                           if o.i in reader.mentions.by_token]) + 1
        if right < end and doc[right].text == "(":  # an abbreviation in brackets
            close = next((t.i for t in doc[right:min(end, right + 6)] if t.text == ")"), None)
            right = close + 1 if close is not None else right
        while right < end and doc[right].dep_ == "compound" and doc[right].pos_ != "PROPN":
            right += 1
        n = reader.mentions.entity_at(doc[right]) if right < end else None
        if n and n not in targets:
            owners = [n]
    pol, hed = polarity(noun.head if noun.dep_ == "attr" else noun, lex), hedged(noun, lex)
    if rel.titles and noun.dep_ == "compound" and len(owners) == 1:  # "the government of Prime Minister A"
        holder = noun.head
        if holder.dep_ == "pobj" and holder.head.lower_ == "of":
            org = reader.mentions.entity_at(holder.head.head)
            if org and org != owners[0] and org not in targets:
                targets = targets + [org]
    for target in targets:
        for owner in owners:
            if owner != target:
                yield RelationHit(rel.predicate, Subject("entity", target), owner, pol, hed, noun)


__all__ = ["Reader", "RelationHit", "extract_relations", "singular"]
