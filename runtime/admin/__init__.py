"""The admin API every generated server carries, whatever its protocol:
mocks, scenarios, state, the request journal and its analysis, metrics."""

from .app import ADMIN_PREFIX, METRICS_PATH, AdminApp
from .document import admin_document

__all__ = ["ADMIN_PREFIX", "METRICS_PATH", "AdminApp", "admin_document"]
