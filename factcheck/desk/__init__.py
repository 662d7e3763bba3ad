"""The editor's desk: what sits around `check` in an editor's day.

`scaffold` writes a starter project (`factcheck init`), `watch` re-runs a check when a rule
file, knowledge base or source changes (`factcheck check --watch`), and `lsp` is a language
server for rule files and knowledge bases (`factcheck lsp`). This package is a shell like
`factcheck.cli`: it may use the runner and everything under it; nothing under it uses it.
"""
