"""The extractors' word lists and relation patterns, loaded from YAML next to this file.

`patterns.yaml` holds every lexical choice (which verbs report backing, which nouns are
titles, which words negate or hedge); `kb/data/kinds.yaml` the event families. Both are read
by `factcheck.kb.vocabulary` and validated on load, so a typo fails loudly, at its line.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from factcheck.kb.kinds import families as kind_families, kind_key
from factcheck.kb.patterns import Relation, relation_from_spec
from factcheck.kb.vocabulary import word_lists
from factcheck.kb.vocabulary import PatternProblem, VocabularyError, load, section, word_list, word_set as _set

HERE = Path(__file__).parent
PATTERNS_FILE = HERE / "patterns.yaml"




@dataclass(frozen=True, slots=True)
class Lexicon:
    relations: tuple[Relation, ...]
    group_nouns: frozenset[str]
    role_nouns: frozenset[str]
    negators: frozenset[str]
    negative_governors: frozenset[str]
    persuasion_verbs: frozenset[str]
    negative_preps: frozenset[str]
    possibility_aux: frozenset[str]  # "may sign": a possibility states nothing
    condition_marks: frozenset[str]  # "once X signs", "if X signs": a condition states nothing
    intention_governors: frozenset[str]  # "plans to sign", "is expected to sign": an intention states nothing
    hedge_governors: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_phrases: tuple[str, ...]
    start_verbs: frozenset[str]
    start_phrases: tuple[tuple[str, ...], ...]
    restart_adverbs: frozenset[str]
    duration_verbs: frozenset[str]
    running_total_words: tuple[str, ...]  # "so far": a length still growing is not the whole length
    part_words: frozenset[str]  # "the first 21 months of": a part, not the whole
    pro_verbs: frozenset[str]
    dating_verbs: dict[str, frozenset[str]]  # family -> verbs whose date is the event's date
    anaphoric_nouns: dict[str, str]  # noun -> family it refers back to
    locative_preps: frozenset[str]
    motion_verbs: frozenset[str]  # "flew to Ankara for talks": the destination is the event's place
    motion_preps: frozenset[str]
    non_event_modifiers: frozenset[str]  # "a news conference", "a press meeting": not the event kind
    reporting_verbs: frozenset[str]  # "X said on Monday": a date of the saying, never of an event
    relation_nouns: frozenset[str]  # every relation's nouns: "head", "backer", ... (a role noun with an apposition)
    host_verbs: frozenset[str]  # the subject hosts the object ("Germany held a summit"): a place for it
    sub_event_nouns: frozenset[str]  # "the signing of X", "X's ceremony": what dates them dates X
    non_holders: frozenset[str]  # "deputy head", "former president": not who holds the role
    naming_verbs: frozenset[str]  # "signed what is called X": the named thing is the object
    joining_verbs: frozenset[str]  # "A joined B in signing X": B signed too
    on_behalf: frozenset[str]  # relations a leader performs for what they lead ("Merkel hosted" -> Germany)
    object_control: frozenset[str]  # "urged Turkey to attend": the object is the one who attends
    time: "TimeWords"
    approx_words: frozenset[str]  # "about 300"
    min_phrases: tuple[str, ...]  # "at least three years": a lower bound
    max_phrases: tuple[str, ...]  # "within two weeks": an upper bound
    receiving_verbs: frozenset[str]  # "X receives support from A", "X has the backing of A"
    act_nouns: dict[str, str]  # verb -> the noun of its act: sign -> signing ("the signing ceremony")
    neutral_modifiers: frozenset[str]  # "a historic deal": words that praise an event, not set it apart
    distinct_markers: frozenset[str]  # "another deal", "a second agreement": not the event already known
    families: dict[str, frozenset[str]]  # family name -> words
    kind_words: frozenset[str]

    def starts(self, verb) -> bool:
        """Is this verb token a start verb ("begin"), or the head of a start phrase ("take effect")?
        Not when it starts again ("erupted again")."""
        lemma = verb.lemma_.lower()
        if any(c.lower_ in self.restart_adverbs for c in verb.children):
            return False
        if lemma in self.start_verbs:
            return True
        following = [t.lower_ for t in verb.doc[verb.i + 1: verb.i + 4]]
        return any(p[0] == lemma and following[: len(p) - 1] == list(p[1:]) for p in self.start_phrases)

    def dates_event(self, verb_lemma: str, family: frozenset[str]) -> bool:
        """Does a date on this verb date an event of this family? ("signed the truce on X": yes;
        "pulled out of the deal on X": no)."""
        return all(verb_lemma in verbs for fam, verbs in self.dating_verbs.items() if fam in family)

    def verb_family(self, lemma: str) -> str | None:
        """The event family a relation verb acts on: sign -> agreement, host -> summit."""
        for rel in self.relations:
            if rel.family and (lemma in rel.verbs or lemma in rel.prep_verbs):
                return rel.family
        return None

    def family_of(self, word: str) -> set[str]:
        return {name for name, words in self.families.items() if word in words}


def singular(word: str) -> str:
    """The comparison form of an event noun, the same the knowledge base uses
    (`kinds.kind_key`): talks -> talk, cease-fires -> ceasefire, crisis stays crisis."""
    return kind_key(word)


@dataclass(frozen=True, slots=True)
class TimeWords:
    """Words that decide which way a relative date lies (the `time` section of patterns.yaml)."""

    future_aux: frozenset[str]
    modal_aux: frozenset[str]
    future_governors: frozenset[str]  # "plans to host": future intent
    prospective_verbs: frozenset[str]  # "invited to the conference on Sunday": a later event
    forward_preps: frozenset[str]  # "before Sunday's vote"
    forward_heads: frozenset[str]  # "ahead of Sunday's conference"
    backward_preps: frozenset[str]  # "after Monday's talks"
    other_time_preps: frozenset[str]  # "the day before the summit": another time
    other_time_heads: frozenset[str]
    date_words: frozenset[str]  # "that day", "the same week"


PatternError = VocabularyError  # a mistake in patterns.yaml: `patterns.yaml:12:5: relations.x.verbs ...`


@functools.cache
def lexicon() -> Lexicon:
    """The patterns, validated: a mistake is a PatternError with file, line and column."""
    return load(PATTERNS_FILE.read_text(encoding="utf-8"), PATTERNS_FILE.name, _lexicon)


def _lexicon(data: dict) -> Lexicon:
    relations = [relation_from_spec(name, spec, f"relations.{name}") for name, spec in data["relations"].items()]
    families, kind_words = _families(data, relations)
    pol, hedge = data["polarity"], data["hedging"]
    return Lexicon(
        relations=tuple(relations),
        group_nouns=word_lists().group_nouns,
        role_nouns=_set(data, "role_nouns", "patterns"),
        negators=_set(pol, "negators", "polarity"),
        negative_governors=_set(pol, "negative_governors", "polarity"),
        persuasion_verbs=_set(pol, "persuasion_verbs", "polarity"),
        negative_preps=_set(pol, "negative_preps", "polarity"),
        hedge_governors=_set(hedge, "governors", "hedging"),
        possibility_aux=_set(data["factuality"], "possibility_aux", "factuality"),
        condition_marks=_set(data["factuality"], "condition_marks", "factuality"),
        intention_governors=_set(data["factuality"], "intention_governors", "factuality"),
        hedge_adverbs=_set(hedge, "adverbs", "hedging"),
        hedge_phrases=tuple(hedge.get("phrases", [])),
        start_verbs=_set(data["events"], "start_verbs", "events"),
        restart_adverbs=_set(data["events"], "restart_adverbs", "events"),
        start_phrases=tuple(tuple(p.lower().split()) for p in data["events"].get("start_phrases", [])),
        duration_verbs=_set(data["events"], "duration_verbs", "events"),
        running_total_words=tuple(data["events"].get("running_total_words", [])),
        part_words=_set(data["events"], "part_words", "events"),
        pro_verbs=_set(data["events"], "pro_verbs", "events"),
        dating_verbs={k: frozenset(v) for k, v in (data["events"].get("dating_verbs") or {}).items()},
        anaphoric_nouns={k.lower(): v for k, v in data["events"]["anaphoric_nouns"].items()},
        locative_preps=_set(data["events"], "locative_preps", "events"),
        motion_verbs=_set(data["events"], "motion_verbs", "events"),
        motion_preps=_set(data["events"], "motion_preps", "events"),
        non_event_modifiers=_set(data["events"], "non_event_modifiers", "events"),
        distinct_markers=_set(data["events"], "distinct_markers", "events"),
        neutral_modifiers=_set(data["events"], "neutral_modifiers", "events"),
        receiving_verbs=_set(data, "receiving_verbs", "patterns"),
        on_behalf=_set(data, "on_behalf", "patterns"),
        object_control=_set(data, "object_control"),
        time=TimeWords(**{f: _set(section(data, "time"), f, "time") for f in TimeWords.__dataclass_fields__}),
        approx_words=_set(section(data, "quantities"), "approx_words", "quantities"),
        min_phrases=word_list(section(data, "quantities"), "min_phrases", "quantities"),
        max_phrases=word_list(section(data, "quantities"), "max_phrases", "quantities"),
        naming_verbs=_set(data, "naming_verbs", "patterns"),
        non_holders=_set(data, "non_holders", "patterns"),
        joining_verbs=_set(data, "joining_verbs", "patterns"),
        act_nouns={k.lower(): v.lower() for k, v in (data["events"].get("act_nouns") or {}).items()},
        sub_event_nouns=_set(data["events"], "sub_event_nouns", "events"),
        reporting_verbs=_set(data["events"], "reporting_verbs", "events"),
        relation_nouns=frozenset(n for r in relations for n in r.nouns),
        host_verbs=frozenset(v for r in relations if r.predicate == "hosts" for v in (*r.verbs, *r.kind_verbs)),
        families=families,
        kind_words=kind_words,
    )


def _families(data: dict, relations: list[Relation]) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The event families (kinds.yaml, with both forms of each word) plus the `family_extras`
    of patterns.yaml, and the event kind words (kinds.yaml's only); every family a pattern
    names must be one of them."""
    families: dict[str, frozenset[str]] = {
        name: frozenset(singular(w) for w in words) | frozenset(words) for name, words in kind_families().items()}
    kind_words = frozenset(w for ws in families.values() for w in ws)
    for name in (data.get("family_extras") or {}):
        _known_family(name, f"family_extras.{name}", families)
        families[name] = families[name] | _set(data["family_extras"], name, "family_extras")
    for r in relations:
        if r.family is not None:
            _known_family(r.family, f"relations.{r.predicate}.family", families)
    for noun, family in (data["events"].get("anaphoric_nouns") or {}).items():
        _known_family(family, f"events.anaphoric_nouns.{noun}", families)
    for family in (data["events"].get("dating_verbs") or {}):
        _known_family(family, f"events.dating_verbs.{family}", families)
    return families, kind_words


def _known_family(name: str, path: str, families: dict[str, frozenset[str]]) -> None:
    if name not in families:
        raise PatternProblem(path, f"`{name}` is not an event family of kinds.yaml ({', '.join(families)})")
