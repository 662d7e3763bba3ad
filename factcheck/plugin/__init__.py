"""The plugin host: `hookspecs` (the contract), `host` (the manager: loading, isolation, calls),
`builtin` (factcheck's own hook implementations) and `yaml_predicates` (the knowledge base's
predicates, served through the same hooks). Only the run layer calls hooks."""
