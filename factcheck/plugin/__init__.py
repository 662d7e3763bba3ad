"""The plugin host: `hookspecs` (the contract), `host` (what the run layer calls: the manager
and what the hooks give), `loading` (building the manager from the built-ins and the entry
points a config selects), `manager` (the manager and its record of plugins), `calls`
(calling a hook one plugin at a time, kept apart from the run), `builtin` (factcheck's own
hook implementations) and `yaml_predicates` (the knowledge base's predicates, served through
the same hooks). Only the run layer calls hooks."""
