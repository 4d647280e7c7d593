"""Synthetic documents for tests and benchmarks.

- `pdf.write_pdf`: a small deterministic PDF writer (test fixtures, sample documents).
- `records.generate_records(n, seed)`: the documents of a synthetic fund, with their texts,
  without files (a benchmark can load them straight into a catalogue: `.to_record()`, `.text`).
- `fund.generate_fund(folder, n, seed)`: the same fund written as files, `catalogue.csv` and
  `labels.csv` (`fonds corpus generate`).

Nothing is imported here, so that using the PDF writer does not load the phrase banks.
"""
