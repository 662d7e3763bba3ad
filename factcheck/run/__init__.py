"""One run: `runner` (rules, plan, evaluation: what the CLI and the pytest plugin call),
`backends` (extraction in process, in a process pool or on Dask) and `cache` (facts per
source in SQLite)."""
