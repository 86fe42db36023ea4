"""The analysis' codes that templates may test (`{% if row.status_code == "behind" %}`).

Stated once here, at the bottom of the imports, so that the analysis computes them and the context
models (documents/context_schema.py) type their fields with them without restating the lists.
"""
from __future__ import annotations

from enum import Enum
from typing import Literal

# The latest year against an earlier one.
Direction = Literal["up", "down", "same"]


class Status(str, Enum):
    """Where an activity stands at the reported quarter."""

    DONE = "done"
    ON_PLAN = "on_plan"
    BEHIND = "behind"
    NOT_DUE = "not_due"


StatusCode = Literal[tuple(s.value for s in Status)]  # type: ignore[valid-type]
