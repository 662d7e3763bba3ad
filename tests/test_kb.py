"""Knowledge base loading and checking, gazetteer, linking, event specs and the Linker
protocol (factcheck.kb.store, factcheck.kb.loader, factcheck.kb.gazetteer, factcheck.kb.kinds). No spaCy."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from factcheck.kb import gazetteer
from factcheck.errors import KnowledgeBaseError
from factcheck.kb.store import KnowledgeBase, load_kb
from factcheck.kb.kinds import kind_key, synonyms
from factcheck.model import Subject
from factcheck.predicates import BUILTIN_PREDICATES

ROOT = Path(__file__).resolve().parent.parent
LIBYA = str(ROOT / "rules" / "libya.entities.yaml")
DATE, BACKERS, SIGNED, MENTIONS, DURATION = (
    BUILTIN_PREDICATES[n] for n in ("date", "backers", "signed", "mentions", "duration"))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb([LIBYA])


def write(tmp_path: Path, text: str, name: str = "kb.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load_error(tmp_path: Path, text: str) -> KnowledgeBaseError:
    path = write(tmp_path, text)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb([path])
    assert info.value.file == path
    return info.value


# --------------------------------------------------------------------------- loading


def test_loads_the_sample_knowledge_base(kb: KnowledgeBase) -> None:
    assert {"LNA", "Haftar", "GNA", "Serraj", "Russia", "Turkey", "UAE"} <= set(kb.entities)
    assert kb.entities["Haftar"].part_of == ("LNA",)
    assert "Hifter" in kb.entities["Haftar"].aliases
    assert kb.events["Berlin summit"].kind == "summit"
    assert kb.events["Berlin summit"].place == "Berlin"
    assert kb.files == (LIBYA,)
    assert kb.entities["Haftar"].file == LIBYA


def test_empty_file_and_empty_kb(tmp_path: Path) -> None:
    kb = load_kb([write(tmp_path, "")])
    assert kb.entities == {} and kb.events == {}
    empty = KnowledgeBase()
    assert empty.link("Hifter") is None
    assert empty.link("Emiratis") == "United Arab Emirates"  # the gazetteer still links
    assert empty.canonical("Fayez Saraj") == "Fayez Saraj"


def test_pickles_without_its_memo_tables(kb: KnowledgeBase) -> None:
    kb.link("Hifter")
    copy = pickle.loads(pickle.dumps(kb))
    assert copy.link("Hifter") == "Haftar"
    assert copy.digest() == kb.digest()


def test_files_merge(tmp_path: Path) -> None:
    a = write(tmp_path, "entities:\n  Haftar:\n    aliases: [Hifter]\n  LNA: {}\n", "a.yaml")
    b = write(tmp_path, "entities:\n  Haftar:\n    aliases: [Khalifa Haftar]\n    part_of: [LNA]\n", "b.yaml")
    kb = load_kb([a, b])
    assert kb.entities["Haftar"].aliases == ("Hifter", "Khalifa Haftar")
    assert kb.link("Khalifa Hifter") == "Haftar"
    assert kb.ancestors("Hifter") == frozenset({"LNA"})
    assert kb.files == (a, b)


def test_part_of_may_name_an_alias(tmp_path: Path) -> None:
    kb = load_kb([write(tmp_path, "entities:\n  LNA:\n    aliases: [Libyan National Army]\n"
                                  "  Haftar:\n    part_of: [Libyan National Army]\n")])
    assert kb.entities["Haftar"].part_of == ("LNA",)


def test_predicates_are_kept_raw_with_their_file(tmp_path: Path) -> None:
    path = write(tmp_path, "predicates:\n  casualties:\n    argument: event\n")
    kb = load_kb([path])
    assert [(p.file, p.data) for p in kb.predicate_defs] == [(path, {"casualties": {"argument": "event"}})]


def test_digest_follows_content_not_paths(tmp_path: Path) -> None:
    text = "entities:\n  Haftar:\n    aliases: [Hifter]\n"
    a = load_kb([write(tmp_path, text, "a.yaml")])
    b = load_kb([write(tmp_path, text, "b.yaml")])
    c = load_kb([write(tmp_path, text.replace("Hifter", "Hafter"), "c.yaml")])
    assert a.digest() == b.digest() != c.digest()
    assert len(a.digest()) == 64


@pytest.mark.parametrize(
    "text, message, hint, line, column",
    [
        ("entities:\n  Haftar:\n    alias: [Hifter]\n",
         "unknown key `entities.Haftar.alias`", "did you mean `aliases`?", 3, 5),
        ("entities:\n  Haftar:\n    aliases: Hifter\n",
         "entities.Haftar.aliases must be a list of names", "write `aliases:", 3, 14),
        ("entities:\n  Haftar:\n    aliases: [Hifter, 12]\n",
         "entities.Haftar.aliases must be a list of names", "item 2 is 12", 3, 23),
        ("entitys:\n  Haftar: {}\n", "unknown key `entitys`", "did you mean `entities`?", 1, 1),
        ("entities:\n  Haftar:\n    part_of: [LAN]\n  LNA: {}\n",
         "entities.Haftar.part_of names unknown entity `LAN`", "did you mean `LNA`?", 3, 15),
        ("entities:\n  A:\n    part_of: [B]\n  B:\n    part_of: [A]\n",
         "part_of cycle: A -> B -> A", "cannot be part of itself", 3, 14),
        ("entities:\n  Russia:\n    aliases: [Moscow]\n  Moskva:\n    aliases: [moscow]\n",
         "alias `moscow` of entities.Moskva also names entities.Russia", "one entry only", 5, 15),
        ("entities:\n  Russia: {}\n  Moskva:\n    aliases: [Russia]\n",
         "alias `Russia` of entities.Moskva also names entities.Russia", "one entry only", 4, 15),
        ("entities:\n  X:\n    type: persn\n",
         "entities.X.type must be one of person, organisation, country, place, group",
         "did you mean `person`?", 3, 11),
        ("entities:\n  Haftar: [Hifter]\n",
         "entities.Haftar must be a mapping with aliases, part_of, type", "write `Haftar:", 2, 11),
        ("entities:\n  NO: {}\n", "entities: the name False is not text", "quote names", 2, 3),
        ("entities: [Haftar]\n", "entities must be a mapping of names to their entries", None, 1, 11),
        ("- Haftar\n", "a knowledge base must be a mapping with `entities`, `events` or `predicates`", None, 1, 1),
        ("events:\n  Berlin summit:\n    kind: [summit]\n",
         "events.Berlin summit.kind must be a name, not ['summit']", None, 3, 11),
        ("events:\n  Berlin summit:\n    knd: summit\n",
         "unknown key `events.Berlin summit.knd`", "did you mean `kind`?", 3, 5),
        ("events:\n  truce: {}\n  ceasefire:\n    aliases: [Truce]\n",
         "alias `Truce` of events.ceasefire also names events.truce", "one entry only", 4, 15),
    ],
)
def test_errors_name_file_key_path_and_position(tmp_path: Path, text: str, message: str, hint: str | None,
                                                 line: int, column: int) -> None:
    error = load_error(tmp_path, text)
    assert error.message == message
    if hint is None:
        assert error.hint is None
    else:
        assert hint in (error.hint or "")
    assert (error.line, error.column) == (line, column)
    assert error.context and error.context.endswith("^")
    assert error.headline().startswith(f"{error.file}:{line}:{column}: {message}")


def test_malformed_yaml_gives_line_and_column(tmp_path: Path) -> None:
    error = load_error(tmp_path, "entities:\n  Haftar:\n    aliases: [Hifter\n  LNA: {}\n")
    assert error.message.startswith("invalid YAML: ")
    assert error.line is not None and error.column is not None


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="cannot read knowledge base"):
        load_kb([str(tmp_path / "missing.yaml")])
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00entities")
    with pytest.raises(KnowledgeBaseError, match="not UTF-8"):
        load_kb([str(binary)])


def test_conflicting_merge_is_an_error(tmp_path: Path) -> None:
    a = write(tmp_path, "entities:\n  Jordan:\n    type: country\n", "a.yaml")
    b = write(tmp_path, "entities:\n  Jordan:\n    type: person\n", "b.yaml")
    with pytest.raises(KnowledgeBaseError, match="entities.Jordan.type is `person` here but `country`"):
        load_kb([a, b])


# --------------------------------------------------------------------------- gazetteer


@pytest.mark.parametrize(
    "surface, country",
    [
        ("Russian", "Russia"), ("Russians", "Russia"), ("Emirati", "United Arab Emirates"),
        ("Emiratis", "United Arab Emirates"), ("Turkish", "Turkey"), ("Turks", "Turkey"),
        ("Egyptian", "Egypt"), ("Egyptians", "Egypt"), ("British", "United Kingdom"),
        ("Britain", "United Kingdom"), ("Great Britain", "United Kingdom"), ("UK", "United Kingdom"),
        ("American", "United States"), ("Americans", "United States"), ("U.S.", "United States"),
        ("US", "United States"), ("United States", "United States"), ("USA", "United States"),
        ("UAE", "United Arab Emirates"), ("Moscow", "Russia"), ("Ankara", "Turkey"), ("Cairo", "Egypt"),
        ("Libyan", "Libya"), ("Iraqis", "Iraq"), ("Saudis", "Saudi Arabia"), ("French", "France"),
        ("Jordanian", "Jordan"), ("Qatari", "Qatar"), ("Sudanese", "Sudan"), ("Türkiye", "Turkey"),
        ("Czechs", "Czechia"), ("Dutch", "Netherlands"), ("Kazakh", "Kazakhstan"),
    ],
)
def test_country_for(surface: str, country: str) -> None:
    assert gazetteer.country_for(surface) == country


@pytest.mark.parametrize("surface", ["us", "IT", "CAN", "Island", "Victoria", "Munich", "Hifter", "Sedan", ""])
def test_country_for_rejects(surface: str) -> None:
    assert gazetteer.country_for(surface) is None


def test_gazetteer_cities_and_capitals() -> None:
    assert gazetteer.city_country("Berlin") == "Germany"
    assert gazetteer.city_country("Tripoli") == "Libya"  # not Tripoli, Lebanon
    assert gazetteer.city_country("Abu Dhabi") == "United Arab Emirates"
    assert gazetteer.city_country("Istanbul") == "Turkey"
    assert gazetteer.city_country("Kiev") == "Ukraine" and gazetteer.city_name("Kiev") == "Kyiv"
    assert gazetteer.city_country("Gondor") is None
    assert gazetteer.capital_of("Libya") == "Tripoli"
    assert gazetteer.capital_of("Libyan") == "Tripoli"
    assert gazetteer.capital_of("Nowhere") is None
    assert gazetteer.is_country("Libya") and gazetteer.is_country("UAE")
    assert not gazetteer.is_country("Libyan") and not gazetteer.is_country("Tripoli")
    assert gazetteer.is_city("Munich") and not gazetteer.is_city("Hifter")


def test_gazetteer_surface_forms() -> None:
    forms = dict(gazetteer.surface_forms())
    assert forms["Emiratis"] == "United Arab Emirates"
    assert forms["Moscow"] == "Russia"
    assert forms["U.S."] == "United States"
    assert forms["UAE"] == "United Arab Emirates"
    assert "US" not in forms and "IT" not in forms  # two-letter codes only dotted
    cities = dict(gazetteer.city_forms())
    assert cities["Benghazi"] == "Benghazi" and "Berlin" in cities


# --------------------------------------------------------------------------- linking


@pytest.mark.parametrize(
    "surface, name",
    [
        ("Erdoğan", "Erdogan"), ("Recep Tayyip Erdoğan", "Erdogan"), ("President Erdogan", "Erdogan"),
        ("al-Sarraj", "Serraj"), ("Al-Sarraj", "Serraj"), ("al Sarraj", "Serraj"), ("Saraj", "Serraj"),
        ("Sarraj", "Serraj"), ("Fayez Saraj", "Serraj"), ("Fayez al-Sarraj", "Serraj"),
        ("Hifter", "Haftar"), ("Hafter", "Haftar"), ("Haftar's forces", "Haftar"),
        ("pro-Haftar fighters", "Haftar"), ("Moscow", "Russia"), ("Kremlin", "Russia"),
        ("the Kremlin", "Russia"), ("Emiratis", "UAE"), ("U.A.E.", "UAE"), ("Abu Dhabi", "UAE"),
        ("Russian", "Russia"), ("Russian mercenaries", "Russia"), ("Turkish", "Turkey"),
        ("Turkish troops", "Turkey"), ("Ankara", "Turkey"), ("Egyptians", "Egypt"), ("France", "France"),
        ("Berlin", "Germany"), ("the Libyan National Army", "LNA"), ("Tripoli-based government", "GNA"),
        ('"Hifter"', "Haftar"),
    ],
)
def test_link(kb: KnowledgeBase, surface: str, name: str) -> None:
    assert kb.link(surface) == name


@pytest.mark.parametrize("surface", ["Munich", "Wagner", "Putin", "Haftar's backers", "", "Army"])
def test_link_unknown(kb: KnowledgeBase, surface: str) -> None:
    assert kb.link(surface) is None


def test_canonical_and_ancestors(kb: KnowledgeBase) -> None:
    assert kb.canonical("Sarraj") == "Serraj"
    assert kb.canonical(" the Wagner Group's ") == "Wagner Group"
    assert kb.ancestors("Hifter") == frozenset({"LNA"})
    assert kb.ancestors("LNA") == frozenset()
    assert kb.ancestors("Nobody") == frozenset()


def test_ancestors_are_transitive(tmp_path: Path) -> None:
    kb = load_kb([write(tmp_path, "entities:\n  A: {part_of: [B]}\n  B: {part_of: [C]}\n  C: {}\n")])
    assert kb.ancestors("A") == frozenset({"B", "C"})


def test_country_canonical_prefers_kb_names(tmp_path: Path) -> None:
    kb = load_kb([write(tmp_path, "entities:\n  Emirates:\n    aliases: [Abu Dhabi]\n  USA: {}\n")])
    assert kb.link("Emiratis") == "Emirates"  # through the capital alias
    assert kb.link("Americans") == "USA"  # through an abbreviation of the country


def test_places(kb: KnowledgeBase) -> None:
    assert kb.canonical_place("Berlin") == "Berlin"  # a city stays a city
    assert kb.canonical_place("Moscow") == "Russia"  # the KB says Moscow is Russia
    assert kb.canonical_place("the Libyan capital") == "Tripoli"
    assert kb.canonical_place("Kiev") == "Kyiv"
    assert kb.country_of("Berlin") == "Germany"
    assert kb.country_of("Abu Dhabi") == "UAE"
    assert kb.country_of("Russia") == "Russia"
    assert kb.country_of("Haftar") is None


# --------------------------------------------------------------------------- kinds and events


def test_kinds() -> None:
    assert kind_key("Talks") == kind_key("talk") == "talk"
    assert kind_key("cease-fires") == "ceasefire"
    assert {"conference", "meeting", "talks", "negotiations"} <= synonyms("summit")
    assert {"truce", "ceasefire", "accord", "pact", "treaty", "armistice", "deal"} <= synonyms("agreement")
    assert "memorandum" not in synonyms("agreement")
    assert {"campaign", "assault", "fighting"} <= synonyms("offensive")
    assert {"vote", "ballot"} <= synonyms("election")
    assert "strike" in synonyms("attack")
    assert synonyms("flotilla") == frozenset({"flotilla"})


def test_event_spec_from_the_kb(kb: KnowledgeBase) -> None:
    spec = kb.event_spec("Berlin summit")
    assert spec.key == "Berlin summit"
    assert {"summit", "conference", "talks"} <= spec.kinds
    assert (spec.place, spec.place_country) == ("Berlin", "Germany")
    truce = kb.event_spec("the truce")  # an alias
    assert truce.key == "ceasefire" and "agreement" in truce.kinds and truce.place == ""
    assert "truce proposal" in truce.aliases
    assert kb.event_spec("cease fire").key == "ceasefire"
    offensive = kb.event_spec("Tripoli offensive")
    assert (offensive.place, offensive.place_country) == ("Tripoli", "Libya")


def test_event_spec_from_free_text(kb: KnowledgeBase) -> None:
    spec = kb.event_spec("Paris conference")
    assert spec.key == "" and "summit" in spec.kinds
    assert (spec.place, spec.place_country) == ("Paris", "France")
    spec = kb.event_spec("talks in Abu Dhabi")
    assert "talks" in spec.kinds and (spec.place, spec.place_country) == ("Abu Dhabi", "UAE")
    spec = kb.event_spec("the January election")
    assert "ballot" in spec.kinds and spec.place == ""
    spec = kb.event_spec("Haftar's offensive")  # a party is not a place
    assert "campaign" in spec.kinds and spec.place == ""


def event(head: str, *places: str, name: str = "", text: str = "") -> Subject:
    return Subject("event", name, head, places, text)


@pytest.mark.parametrize(
    "argument, subject, expected",
    [
        ("Berlin summit", event("summit", "Berlin"), True),
        ("Berlin summit", event("summit", "Germany"), True),  # "a summit which Germany is hosting"
        ("Berlin summit", event("conference"), False),  # unplaced, fits the Moscow talks too: no guess
        ("ceasefire", event("deal"), True),  # the only agreement of the KB
        ("Moscow talks", event("talks", "Istanbul", "Russia"), False),  # another city is another venue
        ("Berlin summit", event("summit", "Berlin", "Germany"), True),
        ("Berlin summit", event("summit", "Munich"), False),
        ("Berlin summit", event("summit", "Germany", "Munich"), False),
        ("Berlin summit", event("summits", "Berlin"), True),
        ("Berlin summit", event("agreement", "Berlin"), False),
        ("Berlin summit", event("talks", "Moscow", name="Moscow talks"), False),
        ("Berlin summit", event("summit", "Berlin", name="Berlin summit"), True),
        ("Moscow talks", event("meeting", "Abu Dhabi"), False),
        ("Moscow talks", event("talk", "Moscow"), True),
        ("Moscow talks", event("negotiations", "Russia"), True),
        ("ceasefire", event("agreement"), True),
        ("ceasefire", event("truce", "Libya"), True),
        ("ceasefire", event("memorandum"), False),
        ("ceasefire", event("proposal", text="the truce proposal"), True),  # by alias
        ("Tripoli offensive", event("campaign", "Tripoli"), True),
        ("Tripoli offensive", event("campaign", "Benghazi"), False),
        ("Tripoli offensive", event("campaign", "Libya"), True),
        ("Berlin conference", event("summit", "Berlin", name="Berlin summit"), True),
        ("Paris conference", event("meeting", "Paris"), True),
        ("Paris conference", event("meeting", "Marseille"), False),
    ],
)
def test_subject_matches_events(kb: KnowledgeBase, argument: str, subject: Subject, expected: bool) -> None:
    assert kb.subject_matches(DATE, argument, subject) is expected


@pytest.mark.parametrize(
    "argument, name, expected",
    [
        ("LNA", "LNA", True),
        ("LNA", "Haftar", True),  # part_of: facts about Haftar count for the LNA
        ("Libyan National Army", "Haftar", True),
        ("Haftar", "LNA", False),
        ("GNA", "Serraj", True),
        ("Sarraj", "Serraj", True),
        ("Russia", "Moscow", True),
        ("LNA", "GNA", False),
        ("France", "France", True),
        ("France", "", False),
    ],
)
def test_subject_matches_entities(kb: KnowledgeBase, argument: str, name: str, expected: bool) -> None:
    assert kb.subject_matches(BACKERS, argument, Subject("entity", name)) is expected


def test_subject_kinds_must_fit_the_predicate(kb: KnowledgeBase) -> None:
    assert not kb.subject_matches(BACKERS, "LNA", event("summit"))
    assert not kb.subject_matches(DATE, "Berlin summit", Subject("entity", "Berlin"))
    assert kb.subject_matches(MENTIONS, "Jordan", Subject("entity", "Jordan"))
    assert kb.subject_matches(MENTIONS, "Berlin summit", event("summit", "Berlin"))
    assert not kb.subject_matches(MENTIONS, "Berlin summit", Subject("entity", "Berlin"))


def test_value_matches(kb: KnowledgeBase) -> None:
    assert kb.value_matches("Russia", "Russia")
    assert kb.value_matches("Emiratis", "UAE")
    assert kb.value_matches("Sarraj", "Serraj")
    assert kb.value_matches("LNA", "Haftar")  # Haftar is part of the LNA
    assert not kb.value_matches("Haftar", "LNA")
    assert not kb.value_matches("Egypt", "UAE")


def test_surface_forms(kb: KnowledgeBase) -> None:
    forms = kb.surface_forms()
    assert ("Hifter", "Haftar", "entity") in forms
    assert ("LNA", "LNA", "entity") in forms
    assert ("truce", "ceasefire", "event") in forms
    assert ("Berlin summit", "Berlin summit", "event") in forms
