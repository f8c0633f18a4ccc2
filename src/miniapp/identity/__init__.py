"""Who the user is to a mini program: login codes, openid / unionid, session keys
(docs/identity.md)."""
