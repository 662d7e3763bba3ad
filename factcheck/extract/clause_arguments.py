"""Who does what in a clause: a verb's agents and patients, read the same way for every relation.

Active "A backs X", passive "X is backed by A", participle "X, backed by A", relative clause
"X, who is backed by A" / "A, who heads X", control "A is suspected of backing X" / "A is
planning to host X" / "convince A to sign", hyphenated "the Iran-backed Houthis", and
co-agents "A, together with B, signed".
"""
from __future__ import annotations

from spacy.tokens import Token

from factcheck.extract.lexicon import Relation, lexicon
from factcheck.extract.relation_reader import RELATIVE_PRONOUNS, Reader, relative_antecedent

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})


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


def is_passive(verb: Token) -> bool:
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


def verb_agents(verb: Token) -> list[Token]:
    if is_passive(verb):
        by = [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
        return by
    subj = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subj:
        s = subj[0]
        if s.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return [relative_antecedent(s)]
        return [s]
    if verb.dep_ == "acl" and verb.tag_ == "VBG":  # "Russia, backing Haftar, ..."
        return [verb.head]
    if verb.dep_ == "conj":
        return verb_agents(verb.head)
    c = _controller(verb)
    return [c] if c is not None else []


def verb_patients(verb: Token, rel: Relation) -> list[Token]:
    if is_passive(verb):
        subj = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        if subj:
            s = subj[0]
            return [relative_antecedent(s)] if s.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else [s]
        if verb.dep_ in ("acl", "amod", "relcl"):
            return [verb.head]
        return []
    objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    if objs:
        o = objs[0]
        return [relative_antecedent(o)] if o.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else [o]
    preps = rel.prep_verbs.get(verb.lemma_.lower(), frozenset())
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            return [o for o in c.children if o.dep_ == "pobj"]
    if verb.dep_ == "relcl" and not any(c.dep_ in OBJECT_DEPS for c in verb.children):
        rel_pron = [c for c in verb.children if c.lower_ in RELATIVE_PRONOUNS and c.dep_ in ("dobj", "pobj")]
        if rel_pron:
            return [verb.head]
    return []


def names_people(tok: Token, reader: Reader) -> bool:
    """Does an object name people (leaders, delegations, a named party) rather than a thing?"""
    lemma = tok.lemma_.lower()
    return (lemma in reader.lex.group_nouns or lemma in reader.lex.relation_nouns or lemma in reader.lex.role_nouns
            or reader.mentions.entity_at(tok) is not None)


def is_person(tok: Token, name: str, reader: Reader) -> bool:
    """A person, not a country or an organisation: "signed the accord with Londono" (a
    co-signer), unlike "signed an agreement with the UAE" (a counterpart)."""
    return tok.ent_type_ == "PERSON" or reader.person_like(tok, name) and tok.ent_type_ == ""


def hyphen_agent(verb: Token) -> Token | None:
    """"the Iran-backed Houthis": the word hyphenated before the participle is its agent."""
    if verb.dep_ not in ("amod", "compound") or verb.i < 2 or verb.doc[verb.i - 1].text != "-":
        return None
    left = verb.doc[verb.i - 2]
    return left if left.head.i == verb.i or left.head.i == verb.head.i else None


def co_agents(toks: list[Token], reader: Reader) -> list[str]:
    """"A backs X along with B and C", "A, together with B, signed": B and C act too."""
    out: list[str] = []
    for t in toks:
        for c in t.children:
            if c.lower_ in ("along", "together"):
                out += [p for w in c.children if w.lower_ == "with" for o in w.children if o.dep_ == "pobj"
                        for p in reader.parties(o)]
    return out
