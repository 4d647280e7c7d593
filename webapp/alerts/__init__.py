"""Veille by e-mail, the web app's side: what subscriptions mean (a thematic, a search, the
bulletin), the messages (confirmation, digest, newsletter), and the send run shared by
`fonds alert send` and the workspace. The pages are in the areas: webapp/sharing/alerts.py
(subscribe, confirm, unsubscribe) and webapp/workspace/subscribers.py (subscribers, newsletter).

The catalogue side (subscribers, tokens, the send ledger) is `library.alerts`; the SMTP client
is `webapp.mail`."""
