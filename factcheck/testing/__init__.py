"""factcheck under pytest: `pytest_plugin` (each assertion on each source is a test item) and
`rulestests` (rule-test files: an assertion, a sentence, the verdict it must get)."""
