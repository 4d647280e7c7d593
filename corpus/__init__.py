"""Sample funds: the hand-written one (`src/` rendered by `build.py` into `documents/`), the
synthetic ones (`synth/`, `fonds corpus generate`), and the one writer of sample files
(`files/`) they share with the tests and the benchmarks.

Nothing in `library` or `indexer` imports this package: it sits beside them, not under them.
"""
