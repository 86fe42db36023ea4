"""Imported by the watcher's forkserver before it forks any worker: what every job needs is loaded once
there (the service's modules, pythainlp's word trie and frequencies, the PDF path's segmenter), so each worker
starts warm and shares those memory pages instead of paying the imports and the word list on its first job.

Warming is only a head start. A dictionary the administrator saved badly must not kill the forkserver (no
worker could start, and the watcher would end with a traceback): the failure is set aside here, and the job
that reads the same file reports it as the configuration's fault, naming the file."""
import sys

from service.delivery import job  # noqa: F401  (imported for their import-time cost)
from service.delivery import watch  # noqa: F401  (imported for their import-time cost)
from service.documents import charts  # noqa: F401  (imported for their import-time cost)
from service.render import linebreak
from service.settings import config_dir_for
from service.thai import spelling

try:
    config = config_dir_for()   # the watcher's own: it passes --config on in ITADOC_CONFIG
    spelling.warm_up(config / "dictionary")
    linebreak.tokenizer(config)   # the PDF path's word segmenter (about 2 s to build)
except Exception as exc:  # noqa: BLE001  (any failure: the jobs meet it again and report it)
    print(f"warm-up skipped / ข้ามการเตรียมพจนานุกรมล่วงหน้า: {type(exc).__name__}: {exc}", file=sys.stderr)
