"""Accounts: users, sessions, organisations, members and roles, platform staff."""
