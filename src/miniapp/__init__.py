"""Miniapp: an open-source mini-program platform."""
