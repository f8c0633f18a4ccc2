"""Discovery: how users reach a mini program (exact-name search with "did you mean" first)."""
