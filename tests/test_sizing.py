"""Workers and LibreOffice instances by cores and memory (settings.sized): what an administrator reads
in docs/performance.md, checked on the figures of a few machines."""
from __future__ import annotations

import pytest

from service.settings import sized


@pytest.mark.parametrize("cores, memory_mb, expected", [
    (2, 23_000, (2, 3)),      # the 2-core machine of the benchmarks: one instance per document of a job
    (1, 23_000, (1, 2)),      # one more instance than cores: a conversion waits part of its time
    (8, 64_000, (8, 3)),      # never more than three instances: a job has three documents
    (4, 1_500, (3, 1)),       # memory, not cores: (1500 − 300) // 400 = 3 workers, room for one instance
    (4, 600, (1, 1)),         # never fewer than one of each
])
def test_workers_and_libreoffice_follow_cores_and_memory(cores, memory_mb, expected):
    assert sized(cores, memory_mb) == expected


def test_workers_set_by_the_administrator_leave_the_rest_to_libreoffice():
    assert sized(4, 2_000, workers=1) == (1, 3)        # (2000 − 300 − 400) // 250 = 5, capped at 3
    assert sized(4, 2_000, workers=4) == (4, 1)
