"""Run ids: sortable, unique, cheap to make (no graph machinery needed)."""

from __future__ import annotations

import time
import uuid


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
