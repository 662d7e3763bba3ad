"""factcheck under pytest: `pytest_plugin` (the hooks: each assertion on each source is a test
item), `nodes` (the collectors and items), `session` (what a session computes once),
`messages` (the words of failures, skips and xfails) and `rulestests` (rule-test files: an
assertion, a sentence, the verdict it must get)."""
