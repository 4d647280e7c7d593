"""The public site, read-only: the search page (`/`), record pages and their downloads."""
