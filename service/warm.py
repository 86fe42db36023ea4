"""Imported by the watcher's forkserver before it forks any worker: what every job needs is loaded once
there (the service's modules, pythainlp's word trie and frequencies, the chart font), so each worker
starts warm and shares those memory pages instead of paying ~1.6 s and ~100 MB on its first job."""
from service.documents import charts  # noqa: F401  (imported for their import-time cost)
from service.delivery import job  # noqa: F401  (imported for their import-time cost)
from service.thai import spelling  # noqa: F401  (imported for their import-time cost)
from service.delivery import watch  # noqa: F401  (imported for their import-time cost)

spelling.warm_up()
charts.warm_up()
