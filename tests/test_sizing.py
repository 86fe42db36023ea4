"""Workers and LibreOffice instances by cores and memory (settings.sized): what an administrator reads
in docs/performance.md, checked on the figures of a few machines."""
from __future__ import annotations

import os

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


def test_one_shot_commands_start_no_more_instances_than_cores(settings):
    """`render` and `retry` pay every instance's start-up: three instances on two cores made a one-shot
    render of one workbook slower (6.0 s against 5.4 s), so they stop at the cores."""
    many = settings.model_copy(update={"office_instances": 8})
    assert many.office_count == 8
    assert many.one_shot_office_count == min(8, os.cpu_count() or 1)
    one = settings.model_copy(update={"office_instances": 1})
    assert one.one_shot_office_count == 1
