"""Plugins: hookspecs, the manager factory, entry points (good, broken, misspelt), enable and
disable, and that predicates, formats, extractors, linkers and source loaders from plugins
are what the runner, the reporters and the CLI use."""
from __future__ import annotations

import inspect
import json
import sys
import textwrap
from pathlib import Path

import pluggy
import pytest

from factcheck.run import reporting
from factcheck.extract import ExtractionRequest
from factcheck import cli, report
from factcheck.plugin import hookspecs
from factcheck.plugin import host as plugins
from factcheck.run import rules, runner
from factcheck.config import Config
from factcheck.errors import ConfigError
from factcheck.model import Entity, Fact, Run, Source, Subject
from factcheck.predicates import BUILTIN_PREDICATES

REPO = Path(__file__).resolve().parent.parent
WARNING = "factcheck: warning: plugin `{}` failed to load and is skipped: "

GOOD = '''
from factcheck import hookimpl
from factcheck.predicates import ENTITY, NUMBER, PredicateSpec

@hookimpl
def factcheck_predicates():
    return [PredicateSpec("casualties", ENTITY, NUMBER, origin="{name}", example="casualties(Tripoli) > 10")]

@hookimpl
def factcheck_report_formats():
    return {{"shout": lambda run, **options: "RESULTS: %d" % len(run.results)}}
'''


@pytest.fixture(autouse=True)
def fresh_managers():
    plugins.clear_cache()
    yield
    plugins.clear_cache()


def install(tmp_path: Path, monkeypatch, dist: str, entry_points: dict[str, str], modules: dict[str, str],
            version: str = "1.2.3") -> None:
    """A plugin distribution as pip would leave it: modules and a dist-info with entry points."""
    for name, code in modules.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    info = tmp_path / f"{dist}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    lines = "".join(f"{n} = {v}\n" for n, v in entry_points.items())
    (info / "entry_points.txt").write_text("[factcheck]\n" + lines, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in modules:
        monkeypatch.delitem(sys.modules, name, raising=False)


def only(*names: str) -> Config:
    return Config(plugins_enable=names)


# --------------------------------------------------------------------------- hookspecs


def test_every_hookspec_is_prefixed_typed_and_documented():
    specs = [(n, f) for n, f in vars(hookspecs).items() if callable(f) and hasattr(f, "factcheck_spec")]
    assert len(specs) >= 6
    for name, func in specs:
        assert name.startswith("factcheck_"), name
        assert (func.__doc__ or "").strip(), f"hookspec {name} has no docstring"
        assert inspect.signature(func).return_annotation is not inspect.Signature.empty, name
    names = {n for n, _ in specs}
    assert {"factcheck_predicates", "factcheck_extract", "factcheck_link", "factcheck_report_formats",
            "factcheck_load_source", "factcheck_comparators"} <= names


def test_the_docs_test_catches_an_undocumented_hook():
    marker = pluggy.HookspecMarker("factcheck")

    @marker
    def factcheck_nothing() -> None:
        pass

    assert hasattr(factcheck_nothing, "factcheck_spec") and not (factcheck_nothing.__doc__ or "").strip()


def test_manager_is_built_in_a_function_and_cached_per_selection():
    import factcheck.plugin.host as module

    assert not [v for v in vars(module).values() if isinstance(v, pluggy.PluginManager)]
    assert plugins.get_plugin_manager(Config()) is plugins.get_plugin_manager(None)
    first = plugins.get_plugin_manager(Config(plugins_enable=("quotes",)))
    assert first is plugins.get_plugin_manager(Config(plugins_enable=("quotes",), jobs=3))
    assert first is not plugins.get_plugin_manager(None)


def test_builtins_register_through_the_hooks():
    pm = plugins.get_plugin_manager(only("builtin"))
    assert pm.get_plugin("builtin") is not None and pm.get_plugin("custom") is not None
    assert plugins.predicates(pm) == BUILTIN_PREDICATES
    assert set(plugins.report_formats(pm)) == set(report.FORMATS)
    extractors = [i.plugin_name for i in pm.hook.factcheck_extract.get_hookimpls()]
    assert "builtin" in extractors
    assert rules.predicates_registry(None, only("builtin")) == BUILTIN_PREDICATES


# --------------------------------------------------------------------------- entry points


def test_entry_point_plugin_is_discovered_and_its_predicate_type_checks(tmp_path, monkeypatch):
    install(tmp_path, monkeypatch, "fc-good", {"goodone": "fc_good_mod"}, {"fc_good_mod": GOOD.format(name="goodone")})
    pm = plugins.get_plugin_manager(only("goodone"))
    assert pm.get_plugin("goodone") is not None
    info = {i.name: i for i in pm.infos}["goodone"]
    assert (info.version, info.status, info.predicates, info.formats) == ("1.2.3", "loaded", ("casualties",), ("shout",))
    rules = tmp_path / "r.fc"
    rules.write_text("casualties(Tripoli) > 10\n", encoding="utf-8")
    loaded = runner.load_rules([str(rules)], config=only("goodone"))
    assert loaded.predicates["casualties"].origin == "goodone"
    from factcheck.errors import RuleTypeError

    rules.write_text("casualties(Tripoli) includes Russia\n", encoding="utf-8")
    with pytest.raises(RuleTypeError):
        runner.load_rules([str(rules)], config=only("goodone"))


def test_plugin_report_format_is_rendered(tmp_path, monkeypatch):
    install(tmp_path, monkeypatch, "fc-fmt", {"fmtone": "fc_fmt_mod"}, {"fc_fmt_mod": GOOD.format(name="fmtone")})
    assert reporting.render(Run(), "shout", only("fmtone")) == "RESULTS: 0"
    with pytest.raises(KeyError):
        reporting.reporter("shout", only("builtin"))


def test_broken_plugin_is_skipped_with_one_line(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "fc-broken", {"broken": "fc_broken_mod", "fine": "fc_fine_mod"},
            {"fc_broken_mod": "import no_such_module_anywhere\n", "fc_fine_mod": GOOD.format(name="fine")})
    pm = plugins.get_plugin_manager(only("broken", "fine"))
    err = capsys.readouterr().err
    assert err.startswith(WARNING.format("broken") + "ModuleNotFoundError: No module named 'no_such_module_anywhere'")
    assert err.count("\n") == 1
    assert pm.get_plugin("broken") is None and pm.get_plugin("fine") is not None
    assert "casualties" in plugins.predicates(pm)
    assert {i.name: i.status for i in pm.infos}["broken"] == "failed"


def test_misspelt_hook_is_caught_by_check_pending(tmp_path, monkeypatch, capsys):
    code = '''
    from factcheck import hookimpl

    @hookimpl
    def factcheck_predicate():
        return []
    '''
    install(tmp_path, monkeypatch, "fc-typo", {"typo": "fc_typo_mod"}, {"fc_typo_mod": code})
    pm = plugins.get_plugin_manager(only("typo"))
    err = capsys.readouterr().err
    assert "plugin `typo` is skipped" in err and "factcheck_predicate" in err
    assert pm.get_plugin("typo") is None
    pm.check_pending()  # what is left is consistent


def test_enable_and_disable_by_name(tmp_path, monkeypatch):
    install(tmp_path, monkeypatch, "fc-two", {"one": "fc_one_mod", "two": "fc_two_mod"},
            {"fc_one_mod": GOOD.format(name="one"), "fc_two_mod": "X = 1\n"})
    pm = plugins.get_plugin_manager(Config(plugins_disable=("one",)))
    status = {i.name: i.status for i in pm.infos}
    assert status["one"] == "disabled" and status["two"] == "loaded"
    assert "casualties" not in plugins.predicates(pm)
    pm = plugins.get_plugin_manager(only("two"))
    assert {i.name: i.status for i in pm.infos}["one"] == "not enabled"
    with pytest.raises(ConfigError, match="unknown plugin `tow`") as exc:
        plugins.get_plugin_manager(only("tow"))
    assert "did you mean `two`" in str(exc.value.hint)
    with pytest.raises(ConfigError, match="cannot be disabled"):
        plugins.get_plugin_manager(Config(plugins_disable=("builtin",)))


def test_two_plugins_claiming_one_predicate_is_an_error():
    from factcheck.predicates import DATE, EVENT, PredicateSpec

    class Clash:
        @hookspecs.hookimpl
        def factcheck_predicates(self):
            return [PredicateSpec("date", EVENT, DATE, origin="clash")]

    pm = plugins.FactcheckPluginManager()
    pm.register(__import__("factcheck.plugin.builtin", fromlist=["x"]), name="builtin")
    pm.register(Clash(), name="clash")
    with pytest.raises(plugins.PluginError, match="`date` is defined twice: by builtin and by clash"):
        plugins.predicates(pm)


def test_factcheck_plugins_command_lists_versions_and_registrations(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "fc-list", {"listed": "fc_list_mod"}, {"fc_list_mod": GOOD.format(name="listed")})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.yaml").write_text("plugins: {enable: [listed]}\n", encoding="utf-8")
    assert cli.main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "listed 1.2.3 (fc_list_mod): loaded" in out
    assert "predicates: casualties" in out and "formats: shout" in out
    assert "builtin" in out and "predicates: date, start" in out
    assert "hooks: factcheck_predicates, factcheck_report_formats" in out


# --------------------------------------------------------------------------- other hooks


def test_link_hook_normalises_extracted_names():
    class Extractor:
        @hookspecs.hookimpl
        def factcheck_extract(self, doc, source):
            return [Fact("backers", Subject("entity", "Haftar"), Entity("Kremlin"), "s", 0, 1)]

    class Linker:
        @hookspecs.hookimpl
        def factcheck_link(self, name):
            return {"Kremlin": "Russia", "Haftar": "LNA"}.get(name)

    pm = plugins.FactcheckPluginManager()
    pm.register(Extractor(), name="extractor")
    source = Source("a.txt", "a.txt", "s")  # the evidence "s" stands at characters 0-1
    facts = plugins.extract(pm, None, source, None, None, frozenset())
    assert facts[0].value == Entity("Kremlin")
    pm.register(Linker(), name="linker")
    facts = plugins.extract(pm, None, source, None, None, frozenset())
    assert (facts[0].value, facts[0].subject.name) == (Entity("Russia"), "LNA")


def test_source_loader_hook_reads_new_kinds(tmp_path, monkeypatch):
    code = '''
    import json
    from factcheck import hookimpl
    from factcheck.model import Source

    @hookimpl
    def factcheck_load_source(path, meta):
        if not path.endswith(".json"):
            return None
        data = json.load(open(path, encoding="utf-8"))
        return Source(name=data["id"], path=path, text=data["body"], outlet=meta.get("outlet"))
    '''
    install(tmp_path, monkeypatch, "fc-json", {"jsonsrc": "fc_json_mod"}, {"fc_json_mod": code})
    (tmp_path / "a.json").write_text(json.dumps({"id": "wire-1", "body": "Talks ended."}), encoding="utf-8")
    (tmp_path / "b.txt").write_text("Plain text.\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("defaults: {outlet: Wire}\n", encoding="utf-8")
    found, _ = runner.read_sources([str(tmp_path / "a.json"), str(tmp_path / "b.txt")], only("jsonsrc"))
    assert [(s.name, s.text.strip(), s.outlet) for s in found] == [("wire-1", "Talks ended.", "Wire"),
                                                                    ("b.txt", "Plain text.", "Wire")]


@pytest.mark.nlp
def test_extractor_that_raises_loses_only_its_own_facts_on_that_source(tmp_path, monkeypatch, capsys):
    code = '''
    from factcheck import hookimpl

    @hookimpl
    def factcheck_extract(doc, source):
        if "boom" in source.text:
            raise RuntimeError("cannot read this one")
        return []
    '''
    install(tmp_path, monkeypatch, "fc-raise", {"raiser": "fc_raise_mod"}, {"fc_raise_mod": code})
    sources = [Source("ok.txt", "ok.txt", "Germany hosts the summit."), Source("bad.txt", "bad.txt", "Egypt: boom.")]
    facts, errors = runner.extract_all(sources, ExtractionRequest(runner.load_kb([]), "en_core_web_sm"), config=only("raiser"))
    assert list(facts) == ["ok.txt", "bad.txt"] and errors == {}
    assert any(f.predicate == "mentions" for f in facts["bad.txt"])  # the built-in facts stay
    assert capsys.readouterr().err == ("factcheck: warning: plugin `raiser`: factcheck_extract on bad.txt failed: "
                                       "RuntimeError: cannot read this one; its answer is ignored\n")


@pytest.mark.nlp
def test_extractor_with_misplaced_evidence_loses_its_facts_on_that_source(tmp_path, monkeypatch, capsys):
    """Evidence must quote the article at its offsets; a plugin that gets them wrong is caught."""
    code = '''
    from factcheck import hookimpl
    from factcheck.model import Entity, Fact, Subject

    @hookimpl
    def factcheck_extract(doc, source):
        if "Egypt" not in source.text:
            return []
        return [Fact("backers", Subject("entity", "LNA"), Entity("Egypt"), "Egypt backs the LNA.", 0, 5)]
    '''
    install(tmp_path, monkeypatch, "fc-off", {"offsets": "fc_off_mod"}, {"fc_off_mod": code})
    sources = [Source("ok.txt", "ok.txt", "Germany hosts the summit."), Source("bad.txt", "bad.txt", "Egypt backs the LNA.")]
    facts, errors = runner.extract_all(sources, ExtractionRequest(runner.load_kb([]), "en_core_web_sm"), config=only("offsets"))
    assert list(facts) == ["ok.txt", "bad.txt"] and errors == {}
    assert not [f for f in facts["bad.txt"] if (f.start, f.end) == (0, 5)]
    assert "plugin `offsets`: factcheck_extract on bad.txt gave evidence that is not at characters 0-5" in capsys.readouterr().err


# --------------------------------------------------------------------------- the predicate reference


def test_predicates_command_prints_the_reference_from_the_registry(tmp_path, monkeypatch, capsys):
    """Built-ins, a plugin's and a knowledge base's predicates, from the specs the engine uses."""
    install(tmp_path, monkeypatch, "fc-ref", {"refone": "fc_ref_mod"}, {"fc_ref_mod": GOOD.format(name="refone")})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.yaml").write_text("plugins: {enable: [refone]}\n", encoding="utf-8")
    (tmp_path / "kb.yaml").write_text(
        "predicates:\n  mediators:\n    argument: event\n    value_type: entities\n"
        "    description: who mediates talks\n    triggers: [mediate]\n    value:\n      - {dep: [nsubj]}\n",
        encoding="utf-8")
    assert cli.main(["predicates", "--entities", "kb.yaml"]) == 0
    out = capsys.readouterr().out
    for spec in BUILTIN_PREDICATES.values():
        assert f"{spec.name}({spec.argument.upper()}) -> {spec.value_type}" in out
        assert f"    example:   {spec.example}" in out and f"    {spec.description}" in out
    assert "date(EVENT) -> date\n    when an event takes place\n    argument:  an event\n" \
           "    operators: ==, !=, <, <=, >, >=, in\n" in out
    assert "duration(EVENT) -> quantity (time)" in out
    assert "mentions(THING) -> boolean" in out and "operators: none: it stands alone" in out
    assert "casualties(ENTITY) -> number" in out and "from:      refone" in out
    assert "mediators(EVENT) -> entities\n    who mediates talks" in out
    assert cli.main(["predicates", "--entities", "kb.yaml", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    names = [p["name"] for p in doc["predicates"]]
    assert names[: len(BUILTIN_PREDICATES)] == sorted(BUILTIN_PREDICATES)  # built-ins first
    assert {"casualties", "mediators"} <= set(names)
    date = next(p for p in doc["predicates"] if p["name"] == "date")
    assert date == {"name": "date", "argument": "event", "value_type": "date", "unit_kind": None,
                    "operators": ["==", "!=", "<", "<=", ">", ">=", "in"], "description": "when an event takes place",
                    "example": "date(Berlin summit) == 2020-01-19", "origin": "builtin"}
