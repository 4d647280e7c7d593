"""The read-only JSON API (`/api/…`)."""
