"""Discovery's tables: the gram index behind "did you mean"."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.db.base import Base

GRAM_LENGTH = 16


class AppNameGram(Base):
    """One gram of an app's folded name (search_index.name_grams): the inverted index that finds
    names sharing grams with a query without reading every app. Rewritten whenever the name is
    set (search_index.do_index_app_name); goes with the app."""

    __tablename__ = "app_name_grams"
    __table_args__ = (Index("ix_app_name_grams_gram", "gram"),)

    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(GRAM_LENGTH), primary_key=True)
