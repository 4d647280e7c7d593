"""Sharing the fund with other software and readers: exports and the bibliography,
OAI-PMH, RSS/Atom feeds and the bulletin."""
