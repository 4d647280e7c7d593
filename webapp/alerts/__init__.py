"""Veille by e-mail, the web app's side: what subscriptions mean (a thematic, a search, the
bulletin), the messages (confirmation, digest, newsletter), the send run shared by
`fonds alert send` and the workspace, and the pages (public subscription, confirmation,
unsubscription; workspace subscribers and newsletter).

The catalogue side (subscribers, tokens, the send ledger) is `library.alerts`; the SMTP client
is `webapp.mail`."""
