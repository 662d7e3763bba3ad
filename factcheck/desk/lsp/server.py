"""The server: pygls over stdio, wiring each protocol request to the plain function that
answers it (`diagnostics`, `completion`, `verdicts`, `definition`). An exception in one of
them never takes the server down: the request gets an empty answer (or the hover says why)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from factcheck.desk.lsp.completion import completions
from factcheck.desk.lsp.definition import definition
from factcheck.desk.lsp.diagnostics import diagnostics
from factcheck.desk.lsp.project import Project
from factcheck.desk.lsp.verdicts import hover

SERVER_NAME = "factcheck"
_KB_SUFFIXES = (".yaml", ".yml")


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def path_to_uri(path: str) -> str:
    return Path(os.path.abspath(path)).as_uri()


def main() -> int:
    """Serve over stdin/stdout until the client says exit."""
    build_server().start_io()
    return 0


def build_server():
    from pygls.lsp.server import LanguageServer

    from factcheck import __version__

    server = LanguageServer(SERVER_NAME, __version__)
    desk = _Desk(server)
    _serve_diagnostics(server, desk)
    _serve_completion(server, desk)
    _serve_hover(server, desk)
    _serve_definition(server, desk)
    return server


class _Desk:
    """What the handlers share: the server, and the project of each folder with a config."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.projects: dict[str, Project] = {}

    def project_of(self, path: str) -> Project:
        return Project.for_file(path, self.projects)

    def text(self, uri: str) -> str:
        return self.server.workspace.get_text_document(uri).source

    def publish(self, uri: str) -> None:
        """Check the document as the editor holds it and send its diagnostics."""
        from lsprotocol import types

        doc = self.server.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        try:
            project: Project | None = self.project_of(path)
        except Exception:  # noqa: BLE001
            project = None
        found = diagnostics(doc.source, path, project)
        self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=doc.version,
            diagnostics=[types.Diagnostic(
                range=types.Range(types.Position(p.line, p.start), types.Position(p.line, p.end)),
                message=p.message, source=SERVER_NAME,
                severity=types.DiagnosticSeverity.Error if p.kind == "error" else types.DiagnosticSeverity.Warning)
                for p in found]))


def _serve_diagnostics(server: Any, desk: _Desk) -> None:
    """Diagnostics on open, change and save; a saved KB or config checks every open file again."""
    from lsprotocol import types

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        desk.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        desk.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        saved = uri_to_path(params.text_document.uri)
        if saved.endswith(_KB_SUFFIXES) or os.path.basename(saved) == "pyproject.toml":
            desk.projects.clear()  # a KB or config changed: every open rule file is checked again
            for uri in list(server.workspace.text_documents):
                desk.publish(uri)
        else:
            desk.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                                diagnostics=[]))


def _serve_completion(server: Any, desk: _Desk) -> None:
    from lsprotocol import types

    kinds = {"predicate": types.CompletionItemKind.Function, "operator": types.CompletionItemKind.Operator,
             "entity": types.CompletionItemKind.Constant, "event": types.CompletionItemKind.Event,
             "keyword": types.CompletionItemKind.Keyword, "file": types.CompletionItemKind.File}

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["(", " ", "{", ",", '"']))
    def completion(ls, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        if path.endswith(_KB_SUFFIXES):
            return types.CompletionList(is_incomplete=False, items=[])
        text = desk.text(uri)
        try:
            items = completions(text, path, params.position.line, params.position.character, desk.project_of(path))
        except Exception:  # noqa: BLE001
            items = []
        return types.CompletionList(is_incomplete=False, items=[
            types.CompletionItem(label=i.label, kind=kinds.get(i.kind), detail=i.detail or None) for i in items])


def _serve_hover(server: Any, desk: _Desk) -> None:
    from lsprotocol import types

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        if path.endswith(_KB_SUFFIXES):
            return None
        text = desk.text(uri)
        try:
            shown = hover(text, path, params.position.line, desk.project_of(path))
        except Exception as exc:  # noqa: BLE001
            shown = f"factcheck could not show the verdicts: {type(exc).__name__}: {exc}"
        if shown is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown))


def _serve_definition(server: Any, desk: _Desk) -> None:
    from lsprotocol import types

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls, params: types.DefinitionParams) -> types.Location | None:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        text = desk.text(uri)
        try:
            place = definition(text, path, params.position.line, params.position.character, desk.project_of(path))
        except Exception:  # noqa: BLE001
            place = None
        if place is None:
            return None
        return types.Location(uri=path_to_uri(place.path), range=types.Range(
            types.Position(place.line, place.start), types.Position(place.line, place.end)))
