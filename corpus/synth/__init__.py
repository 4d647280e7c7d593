"""Synthetic funds for tests and benchmarks, of any size, seeded.

- `records.generate_records(n, seed)`: the documents of a synthetic fund, with their texts,
  without files (a benchmark can load them straight into a catalogue: `.to_record()`, `.text`).
- `fund.generate_fund(folder, n, seed)`: the same fund written as files (through
  `corpus.files`), `catalogue.csv` and `labels.csv` (`fonds corpus generate`).

The prose (phrase banks) and the name tables are data, in `data/`, read by `banks.py` and
`places.py`. Nothing is imported here, so that importing one module does not load the banks.
"""
