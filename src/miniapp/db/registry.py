"""Imports every domain's models, so `Base.metadata` describes the whole schema.

Alembic's autogenerate and the schema-drift test read the metadata through this module; add a
domain's models here when the domain gains a table.
"""

from miniapp.accounts import models as accounts_models
from miniapp.apps import models as apps_models
from miniapp.consent import models as consent_models
from miniapp.db.base import Base
from miniapp.discovery import models as discovery_models
from miniapp.identity import models as identity_models
from miniapp.jobs import models as jobs_models
from miniapp.openapi import models as openapi_models
from miniapp.subscribe import models as subscribe_models

__all__ = [
    "Base",
    "accounts_models",
    "apps_models",
    "consent_models",
    "discovery_models",
    "identity_models",
    "jobs_models",
    "openapi_models",
    "subscribe_models",
]
