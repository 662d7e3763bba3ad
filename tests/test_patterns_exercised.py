"""Every word of the built-in relation patterns (`factcheck/extract/patterns.yaml`) is
exercised: for each trigger word a sentence written for this test, about a story of its own
(a Lake Chad desk), and the fact an editor reads off it. A word added to the data without a
sentence here fails `test_every_pattern_word_has_a_sentence`; a sentence whose fact is not
read fails `test_the_sentence_gives_its_fact`.
"""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from factcheck.extract import ExtractionRequest
from factcheck.extract.pipeline import extract_many
from factcheck.plugin.host import extractor
from factcheck.extract.lexicon import PATTERNS_FILE
from factcheck.kb.store import KnowledgeBase, load_kb
from factcheck.model import Entity, Source
from factcheck.predicates import BUILTIN_PREDICATES

pytestmark = pytest.mark.nlp  # imports the extraction modules, which import spaCy

KB = """\
entities:
  Front: {aliases: [Sahel Front, Front for the Sahel], type: group}
  Kone: {aliases: [Amadou Kone], part_of: [Front], type: person}
  Deby: {aliases: [Mahamat Deby], part_of: [Chad], type: person}
  Bello: {aliases: [Aisha Bello], part_of: [Nigeria], type: person}
  Chad: {aliases: [N'Djamena government]}
  Nigeria: {}
events:
  Ndjamena summit: {kind: summit, place: N'Djamena, aliases: [Lake Chad summit]}
  Ndjamena accord: {kind: agreement, place: N'Djamena, aliases: [Lake Chad accord]}
  Lagos talks: {kind: talks, place: Lagos}
"""
PUBLISHED = dt.date(2024, 5, 10)

# (relation, word, sentence, subject the fact is about, value)
CATALOGUE = [
    # backers: verbs, a verb with its preposition, relational nouns, action nouns
    ("backers", "back", "Qatar backs the Sahel Front.", "Front", "Qatar"),
    ("backers", "support", "Turkey supports the Sahel Front.", "Front", "Turkey"),
    ("backers", "arm", "Qatar arms the Sahel Front.", "Front", "Qatar"),
    ("backers", "fund", "Qatar funds the Sahel Front.", "Front", "Qatar"),
    ("backers", "finance", "Qatar finances the Sahel Front.", "Front", "Qatar"),
    ("backers", "sponsor", "Qatar sponsors the Sahel Front.", "Front", "Qatar"),
    ("backers", "bankroll", "Qatar bankrolls the Sahel Front.", "Front", "Qatar"),
    ("backers", "prop", "Qatar props up the Sahel Front.", "Front", "Qatar"),
    ("backers", "champion", "Qatar champions the Sahel Front.", "Front", "Qatar"),
    ("backers", "equip", "Qatar equips the Sahel Front.", "Front", "Qatar"),
    ("backers", "side", "Qatar sided with the Sahel Front.", "Front", "Qatar"),
    ("backers", "backer", "Qatar is the main backer of the Sahel Front.", "Front", "Qatar"),
    ("backers", "supporter", "Qatar is a loyal supporter of the Sahel Front.", "Front", "Qatar"),
    ("backers", "sponsor", "Qatar is the chief sponsor of the Sahel Front.", "Front", "Qatar"),
    ("backers", "patron", "Qatar is the patron of the Sahel Front.", "Front", "Qatar"),
    ("backers", "benefactor", "Qatar is a generous benefactor of the Sahel Front.", "Front", "Qatar"),
    ("backers", "ally", "Qatar, a close ally of the Sahel Front, sent money.", "Front", "Qatar"),
    ("backers", "support", "Qatari support for the Sahel Front grew last year.", "Front", "Qatar"),
    ("backers", "backing", "Qatar's backing of the Sahel Front grew last year.", "Front", "Qatar"),
    ("backers", "sponsorship", "Qatar's sponsorship of the Sahel Front grew last year.", "Front", "Qatar"),
    ("backers", "funding", "Qatari funding for the Sahel Front grew last year.", "Front", "Qatar"),
    ("backers", "financing", "Qatari financing of the Sahel Front grew last year.", "Front", "Qatar"),
    # leader: verbs, relational nouns and titles
    ("leader", "lead", "Amadou Kone leads the Sahel Front.", "Front", "Kone"),
    ("leader", "head", "Amadou Kone heads the Sahel Front.", "Front", "Kone"),
    ("leader", "command", "Amadou Kone commands the Sahel Front.", "Front", "Kone"),
    ("leader", "chair", "Amadou Kone chairs the Sahel Front.", "Front", "Kone"),
    ("leader", "run", "Amadou Kone runs the Sahel Front.", "Front", "Kone"),
    ("leader", "rule", "Mahamat Deby has ruled Chad since 2021.", "Chad", "Deby"),
    ("leader", "helm", "Amadou Kone has helmed the Sahel Front since 2019.", "Front", "Kone"),
    ("leader", "leader", "Sahel Front leader Amadou Kone spoke on Monday.", "Front", "Kone"),
    ("leader", "head", "Amadou Kone, head of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    ("leader", "chief", "Amadou Kone, chief of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    ("leader", "commander", "Amadou Kone, commander of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    ("leader", "president", "Chadian President Mahamat Deby spoke on Monday.", "Chad", "Deby"),
    ("leader", "chairman", "Amadou Kone, chairman of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    ("leader", "chairwoman", "Aisha Bello, chairwoman of the Sahel Front, spoke on Monday.", "Front", "Bello"),
    ("leader", "chairperson", "Aisha Bello, chairperson of the Sahel Front, spoke on Monday.", "Front", "Bello"),
    ("leader", "premier", "Mahamat Deby, premier of Chad, spoke on Monday.", "Chad", "Deby"),
    ("leader", "strongman", "Mahamat Deby, the strongman of Chad, spoke on Monday.", "Chad", "Deby"),
    ("leader", "king", "Mahamat Deby, king of Chad in all but name, spoke on Monday.", "Chad", "Deby"),
    ("leader", "emir", "Amadou Kone, emir of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    ("leader", "chancellor", "Mahamat Deby, chancellor of Chad, spoke on Monday.", "Chad", "Deby"),
    ("leader", "prime-minister", "Chadian Prime Minister Mahamat Deby spoke on Monday.", "Chad", "Deby"),
    ("leader", "secretary-general", "Amadou Kone, Secretary General of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    ("leader", "ruler", "Mahamat Deby, the ruler of Chad, spoke on Monday.", "Chad", "Deby"),
    ("leader", "boss", "Amadou Kone, the boss of the Sahel Front, spoke on Monday.", "Front", "Kone"),
    # signed
    ("signed", "sign", "Amadou Kone signed the Lake Chad accord on Monday.", "Ndjamena accord", "Kone"),
    ("signed", "pen", "Amadou Kone penned the Lake Chad accord on Monday.", "Ndjamena accord", "Kone"),
    ("signed", "ink", "Amadou Kone inked the Lake Chad accord on Monday.", "Ndjamena accord", "Kone"),
    ("signed", "initial", "Amadou Kone initialed the Lake Chad accord on Monday.", "Ndjamena accord", "Kone"),
    ("signed", "countersign", "Amadou Kone countersigned the Lake Chad accord on Monday.", "Ndjamena accord", "Kone"),
    ("signed", "signature", "Amadou Kone's signature on the Lake Chad accord surprised diplomats.", "Ndjamena accord", "Kone"),
    # hosts
    ("hosts", "host", "Chad hosted the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "cohost", "Chad cohosted the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "organize", "Chad organized the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "organise", "Chad organised the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "stage", "Chad staged the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "convene", "Chad convened the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "preside", "The Lake Chad summit, presided over by Mahamat Deby, opened on Monday.", "Ndjamena summit", "Deby"),
    ("hosts", "chair", "Mahamat Deby chaired the Lake Chad summit on Monday.", "Ndjamena summit", "Deby"),
    ("hosts", "invitation", "Envoys came to the Lake Chad summit at the invitation of Mahamat Deby.", "Ndjamena summit", "Deby"),
    ("hosts", "play", "Chad played host to the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    ("hosts", "hold", "Chad held the Lake Chad summit on Monday.", "Ndjamena summit", "Chad"),
    # attendees
    ("attendees", "attend", "Nigeria attended the Lake Chad summit on Monday.", "Ndjamena summit", "Nigeria"),
    ("attendees", "witness", "Aisha Bello witnessed the Lake Chad summit on Monday.", "Ndjamena summit", "Bello"),
    ("attendees", "boycott", "Nigeria boycotted the Lake Chad summit on Monday.", "Ndjamena summit", "not Nigeria"),
    ("attendees", "snub", "Nigeria snubbed the Lake Chad summit on Monday.", "Ndjamena summit", "not Nigeria"),
    ("attendees", "skip", "Nigeria skipped the Lake Chad summit on Monday.", "Ndjamena summit", "not Nigeria"),
    ("attendees", "shun", "Nigeria shunned the Lake Chad summit on Monday.", "Ndjamena summit", "not Nigeria"),
    ("attendees", "present", "Aisha Bello was present at the Lake Chad summit.", "Ndjamena summit", "Bello"),
    ("attendees", "participate", "Nigeria participated in the Lake Chad summit on Monday.", "Ndjamena summit", "Nigeria"),
    ("attendees", "join", "Nigeria joined the Lake Chad summit on Monday.", "Ndjamena summit", "Nigeria"),
    ("attendees", "take", "Nigeria took part in the Lake Chad summit on Monday.", "Ndjamena summit", "Nigeria"),
    ("attendees", "hold", "Nigeria and Chad held talks in Lagos on Monday.", "Lagos talks", "Nigeria"),
    ("attendees", "involve", "The Lake Chad summit will involve Nigeria and Chad.", "Ndjamena summit", "Nigeria"),
    ("attendees", "gather", "The Lake Chad summit gathered the governments of Nigeria, Niger and Cameroon.", "Ndjamena summit", "Cameroon"),
    ("attendees", "bring", "The Lake Chad summit brought together Nigeria and Cameroon.", "Ndjamena summit", "Cameroon"),
    ("attendees", "invite", "Nigeria and Cameroon were invited to the Lake Chad summit.", "Ndjamena summit", "Cameroon"),
]


def _pattern_words() -> set[tuple[str, str]]:
    """(relation, trigger word) for every word the data lists."""
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    out = set()
    for name, spec in data["relations"].items():
        for key in ("verbs", "nouns", "action_nouns", "inverse_verbs", "passive_value_verbs", "negative_verbs"):
            out |= {(name, w.lower()) for w in spec.get(key, [])}
        for key in ("prep_verbs", "kind_verbs", "adjectives"):
            out |= {(name, w.lower()) for w in (spec.get(key) or {})}
        out |= {(name, w.split()[0].lower()) for w in (spec.get("light_verbs") or {})}
    return out


def test_every_pattern_word_has_a_sentence():
    covered = {(relation, word) for relation, word, *_ in CATALOGUE}
    assert sorted(_pattern_words() - covered) == []


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> tuple[KnowledgeBase, dict[str, list]]:
    path = tmp_path_factory.mktemp("kb") / "chad.entities.yaml"
    path.write_text(KB, encoding="utf-8")
    kb = load_kb([str(path)])
    sources = [Source(f"{i:03d}.txt", f"{i:03d}.txt", text, published=PUBLISHED) for i, (_, _, text, _, _) in enumerate(CATALOGUE)]
    return kb, {s.name: got for s, got in extract_many(sources, ExtractionRequest(kb), extractor())}


@pytest.mark.parametrize("i", range(len(CATALOGUE)), ids=[f"{r}:{w}:{i}" for i, (r, w, *_) in enumerate(CATALOGUE)])
def test_the_sentence_gives_its_fact(facts, i):
    kb, found = facts
    relation, word, text, subject, value = CATALOGUE[i]
    spec = BUILTIN_PREDICATES[relation]
    positive = not value.startswith("not ")
    name = value.removeprefix("not ")
    got = [f for f in found[f"{i:03d}.txt"] if f.predicate == relation and kb.subject_matches(spec, subject, f.subject)]
    assert any(isinstance(f.value, Entity) and kb.value_matches(name, f.value.name) and f.polarity == positive for f in got), (
        f"{text!r}: wanted {relation}({subject}) = {value}, read {[(str(f.subject.name or f.subject.text), f.value, f.polarity) for f in got]}")


@pytest.mark.parametrize("change, message", [
    (("    verbs: [back,", "    verbz: [back,"), "relations.backers.verbz: unknown key"),
    (("    action_nouns: [signature]", "    action_nouns: signature"), "relations.signed.action_nouns: must be a list of words"),
    (('    light_verbs: {"take part": [in]}', '    light_verbs: {"take": [in]}'), 'relations.attendees.light_verbs: each key'),
])
def test_a_mistake_in_the_pattern_data_is_located(tmp_path, monkeypatch, change, message):
    import importlib

    lexicon_mod = importlib.import_module("factcheck.extract.lexicon")
    text = PATTERNS_FILE.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "patterns.yaml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    line = text[:text.index(change[0])].count("\n") + 1
    monkeypatch.setattr(lexicon_mod, "PATTERNS_FILE", broken)
    lexicon_mod.lexicon.cache_clear()
    try:
        with pytest.raises(lexicon_mod.PatternError) as err:
            lexicon_mod.lexicon()
    finally:
        lexicon_mod.lexicon.cache_clear()
    assert str(err.value).startswith(f"patterns.yaml:{line}:5: ") and message in str(err.value)
