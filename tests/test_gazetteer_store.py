"""The city table is built once per installation and kept in a file (issue 18: loading the
gazetteer dominated a fully cached run): a later process reads it back and answers the
same; a damaged or foreign file is ignored and rebuilt; `FACTCHECK_DATA_CACHE=off` keeps
nothing."""
from __future__ import annotations

import json
import subprocess
import sys

ASK = """
import json, time
from factcheck.kb import gazetteer as g, gazetteer_cities
started = time.perf_counter()
cities = gazetteer_cities.cities()
took = time.perf_counter() - started
print(json.dumps([took, g.city_country("Tripoli"), g.city_name("Kiev"), g.is_city("Benghazi"),
                  g.is_city("Notacityatall"), len(list(g.city_forms())),
                  isinstance(next(iter(cities.primary.values())), list)]))
"""


def _ask(folder) -> list:
    """The answers of a fresh process whose data cache is `folder`."""
    import os

    env = {**os.environ, "FACTCHECK_DATA_CACHE": str(folder)}
    done = subprocess.run([sys.executable, "-c", ASK], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_city_table_is_kept_and_read_back_with_the_same_answers(tmp_path):
    built = _ask(tmp_path)
    files = list(tmp_path.glob("gazetteer-cities-*.json"))
    assert len(files) == 1
    read = _ask(tmp_path)
    assert built[1:6] == read[1:6] == ["Libya", "Kyiv", True, False, read[5]]
    assert read[6] is True and built[6] is False  # rows as read back, City objects as built


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path):
    _ask(tmp_path)
    [path] = list(tmp_path.glob("gazetteer-cities-*.json"))
    for junk in ("not json", json.dumps({"digest": "another", "table": {}}), json.dumps([1, 2])):
        path.write_text(junk, encoding="utf-8")
        got = _ask(tmp_path)
        assert got[1:5] == ["Libya", "Kyiv", True, False] and got[6] is False  # rebuilt
        assert json.loads(path.read_text(encoding="utf-8"))["table"]["primary"]


def test_off_keeps_nothing(tmp_path):
    got = _ask("off")
    assert got[1] == "Libya"
    assert not list(tmp_path.glob("*"))


COUNTRIES = """
import json
from factcheck.kb import gazetteer_countries as gc
t = gc.country_table()
print(json.dumps([sorted((c.code, c.name, c.alt_names, c.abbreviations, c.demonyms, c.capital, c.population)
                         for c in t.countries.values()), sorted(t.forms.items()), sorted(t.abbrevs.items())]))
"""


def test_the_country_table_is_kept_and_read_back_whole(tmp_path):
    """Built in the first process and kept; read back in the next one, equal field by field;
    a file of another shape is ignored (the table is built again)."""
    import os

    def table() -> list:
        env = {**os.environ, "FACTCHECK_DATA_CACHE": str(tmp_path)}
        done = subprocess.run([sys.executable, "-c", COUNTRIES], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    built = table()
    [path] = list(tmp_path.glob("gazetteer-countries-*.json"))
    assert table() == built and len(built[0]) > 200
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({"digest": kept["digest"], "table": {"countries": 3}}), encoding="utf-8")
    assert table() == built
