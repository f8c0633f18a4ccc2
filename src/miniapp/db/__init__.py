"""Data layer: engine, sessions, the declarative base and Alembic migrations."""

from miniapp.db.base import Base, PublicIdMixin, TimestampMixin
from miniapp.db.session import Database

__all__ = ["Base", "Database", "PublicIdMixin", "TimestampMixin"]
