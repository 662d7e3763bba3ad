"""`factcheck lsp`: a real server process driven over stdio by pygls's language client."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from factcheck import cli
from factcheck.desk.lsp.project import Project
from factcheck.desk.lsp.verdicts import hover

PY = sys.executable
THREE_MISTAKES = """\
use "port.entities.yaml"

datee(Rotterdam talks) == 2024-03-11

test "Who signed":
    signed(wage deal) includes 2011
    leader(Dockers Union) = Anna Lind
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "desk"
    assert cli.main(["init", str(root)]) == 0
    return root


class Session:
    """A language client talking to `python -m factcheck.cli lsp` in `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("factcheck-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.arrived = asyncio.Condition()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(ls, params: types.PublishDiagnosticsParams) -> None:
            async with self.arrived:
                self.diagnostics.setdefault(params.uri, []).append(params.diagnostics)
                self.arrived.notify_all()

    async def __aenter__(self) -> "Session":
        await self.client.start_io(PY, "-m", "factcheck.cli", "lsp", cwd=str(self.root))
        uri = self.root.as_uri()
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name="desk")]))
        self.client.initialized(types.InitializedParams())
        return self

    async def __aexit__(self, *exc) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), 30)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), 30)

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=uri, language_id="factcheck", version=1,
            text=path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def wait_diagnostics(self, uri: str, count: int = 1) -> list[types.Diagnostic]:
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: len(self.diagnostics.get(uri, [])) >= count), 60)
        return self.diagnostics[uri][count - 1]

    def where(self, uri: str, line: int, character: int) -> dict:
        return {"text_document": types.TextDocumentIdentifier(uri=uri),
                "position": types.Position(line=line, character=character)}


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 180))


def spans(diags: list[types.Diagnostic]) -> list[tuple[int, int, int, int]]:
    return [(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in diags]


def test_three_mistakes_three_diagnostics_then_fixed(project):
    async def go():
        async with Session(project) as s:
            bad = project / "rules" / "bad.fc"
            bad.write_text(THREE_MISTAKES, encoding="utf-8")
            uri = s.open(bad)
            diags = await s.wait_diagnostics(uri)
            assert spans(diags) == [(2, 0, 2, 5), (5, 31, 5, 35), (6, 26, 6, 27)]
            assert "unknown predicate `datee`; did you mean `date`?" in diags[0].message
            assert "`2011` is a number" in diags[1].message
            assert "did you mean `==`?" in diags[2].message
            assert all(d.severity == types.DiagnosticSeverity.Error and d.source == "factcheck" for d in diags)
            # fixed as it is typed: the next change clears them
            fixed = THREE_MISTAKES.replace("datee", "date").replace("2011", "Anna Lind").replace(" = ", " == ")
            s.change(uri, fixed, 2)
            assert list(await s.wait_diagnostics(uri, 2)) == []
    run(go())


def test_completion_of_kb_names_operators_and_predicates(project):
    async def go():
        async with Session(project) as s:
            fc = project / "rules" / "port.fc"
            text = fc.read_text(encoding="utf-8") + "\nsigned(\n"
            uri = s.open(fc, text)
            last = len(text.splitlines()) - 1
            got = await s.client.text_document_completion_async(types.CompletionParams(**s.where(uri, last, 7)))
            labels = {i.label: i for i in got.items}
            assert {"Rotterdam talks", "wage deal", "terminal strike"} <= set(labels)  # events, for `signed`
            assert "Anna Lind" not in labels and labels["wage deal"].kind == types.CompletionItemKind.Event
            s.change(uri, text.replace("\nsigned(\n", "\nleader(Dockers Union) includes \n"), 2)
            got = await s.client.text_document_completion_async(types.CompletionParams(**s.where(uri, last, 32)))
            assert {"Anna Lind", "Tom Berg", "Port Authority"} <= {i.label for i in got.items}
            s.change(uri, text.replace("\nsigned(\n", "\nduration(terminal strike) \n"), 3)
            got = await s.client.text_document_completion_async(types.CompletionParams(**s.where(uri, last, 26)))
            assert {i.label for i in got.items} == {"==", "!=", "<", "<=", ">", ">=", "in"}
            s.change(uri, text.replace("\nsigned(\n", "\n\n"), 4)
            got = await s.client.text_document_completion_async(types.CompletionParams(**s.where(uri, last, 0)))
            assert {"date", "backers", "signed", "test", "use", "consistent"} <= {i.label for i in got.items}
            s.change(uri, text.replace("\nsigned(\n", '\nuse "\n'), 5)
            got = await s.client.text_document_completion_async(types.CompletionParams(**s.where(uri, last, 5)))
            assert [(i.label, i.kind) for i in got.items] == [("port.entities.yaml", types.CompletionItemKind.File)]
    run(go())


def test_definition_goes_to_the_kb_entry(project):
    async def go():
        async with Session(project) as s:
            fc = project / "rules" / "port.fc"
            uri = s.open(fc)
            lines = fc.read_text(encoding="utf-8").splitlines()
            row = next(i for i, ln in enumerate(lines) if "leader(Dockers Union)" in ln)
            got = await s.client.text_document_definition_async(types.DefinitionParams(
                **s.where(uri, row, lines[row].index("Dockers") + 2)))
            kb = project / "rules" / "port.entities.yaml"
            kb_lines = kb.read_text(encoding="utf-8").splitlines()
            assert got.uri == kb.as_uri()
            assert kb_lines[got.range.start.line].strip() == "Dockers Union:"
            # a value, and an event
            row = next(i for i, ln in enumerate(lines) if "includes Anna Lind" in ln)
            got = await s.client.text_document_definition_async(types.DefinitionParams(
                **s.where(uri, row, lines[row].index("Anna") + 1)))
            assert kb_lines[got.range.start.line].strip() == "Anna Lind:"
            got = await s.client.text_document_definition_async(types.DefinitionParams(
                **s.where(uri, row, lines[row].index("wage") + 1)))
            assert kb_lines[got.range.start.line].strip() == "wage deal:"
    run(go())


def test_a_broken_kb_is_a_diagnostic_not_a_crash(project):
    async def go():
        async with Session(project) as s:
            kb = project / "rules" / "port.entities.yaml"
            good = kb.read_text(encoding="utf-8")
            broken = good.replace("    aliases: [pay deal, wage agreement]", "    aliasez: [pay deal, wage agreement]")
            uri = s.open(kb, broken)
            diags = await s.wait_diagnostics(uri)
            row = broken.splitlines().index("    aliasez: [pay deal, wage agreement]")
            assert spans(diags) == [(row, 4, row, 11)] and "did you mean `aliases`?" in diags[0].message
            s.change(uri, "entities:\n  A: [\n", 2)  # not even YAML
            diags = await s.wait_diagnostics(uri, 2)
            assert len(diags) == 1 and "invalid YAML" in diags[0].message
            # saved broken: the rule file that uses it says so on its `use` line, and the server lives on
            kb.write_text(broken, encoding="utf-8")
            fc_uri = s.open(project / "rules" / "port.fc")
            diags = await s.wait_diagnostics(fc_uri)
            use_row = (project / "rules" / "port.fc").read_text(encoding="utf-8").splitlines().index(
                'use "port.entities.yaml"')
            assert len(diags) == 1 and diags[0].range.start.line == use_row
            assert "the knowledge base does not load" in diags[0].message and "aliasez" in diags[0].message
            s.change(uri, good, 3)
            assert list(await s.wait_diagnostics(uri, 3)) == []
    run(go())


@pytest.mark.nlp
def test_hover_shows_the_cached_verdicts(project):
    root = project
    fc = root / "rules" / "port.fc"
    # nothing in the cache yet: the hover says so rather than reading the article
    text = hover(fc.read_text(encoding="utf-8"), str(fc), 4, Project.for_file(str(fc), {}))
    assert "| Harbour Gazette, 2024-03-13 | not checked |" in text
    assert subprocess.run([PY, "-m", "factcheck.cli", "check", "-q"], cwd=root, capture_output=True).returncode == 0

    async def go():
        async with Session(root) as s:
            lines = fc.read_text(encoding="utf-8").splitlines()
            uri = s.open(fc)
            row = next(i for i, ln in enumerate(lines) if ln.startswith("date(Rotterdam talks)"))
            got = await s.client.text_document_hover_async(types.HoverParams(**s.where(uri, row, 3)))
            value = got.contents.value
            assert "`date(Rotterdam talks) == 2024-03-11`" in value
            assert "| Harbour Gazette, 2024-03-13 | pass | Found 2024-03-11. |" in value
            # edited in the editor, not saved: the hover evaluates the cached facts against the new text
            s.change(uri, fc.read_text(encoding="utf-8").replace("2024-03-11", "2024-03-12"), 2)
            got = await s.client.text_document_hover_async(types.HoverParams(**s.where(uri, row, 3)))
            assert "| Harbour Gazette, 2024-03-13 | fail | Expected == 2024-03-12, found 2024-03-11. |" in got.contents.value
            row = next(i for i, ln in enumerate(lines) if not ln.strip())
            assert await s.client.text_document_hover_async(types.HoverParams(**s.where(uri, row, 0))) is None
            # a `consistent` assertion typed in the editor: its consensus over the cached facts
            s.change(uri, fc.read_text(encoding="utf-8") + "consistent date(Rotterdam talks)\n", 3)
            got = await s.client.text_document_hover_async(types.HoverParams(**s.where(uri, len(lines), 3)))
            assert "Consensus: **2024-03-11**; dissenters: none." in got.contents.value
    run(go())
