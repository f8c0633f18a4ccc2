"""Consent: the scopes a user granted or denied each mini program, and what each app accessed
(docs/consent.md)."""
