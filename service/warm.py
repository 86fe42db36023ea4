"""Imported by the watcher's forkserver before it forks any worker: what every job needs is loaded once
there (the service's modules, pythainlp's word trie and frequencies, the PDF path's segmenter), so each worker
starts warm and shares those memory pages instead of paying the imports and the word list on its first job."""
from service.delivery import job  # noqa: F401  (imported for their import-time cost)
from service.delivery import watch  # noqa: F401  (imported for their import-time cost)
from service.documents import charts  # noqa: F401  (imported for their import-time cost)
from service.render import linebreak
from service.thai import spelling

spelling.warm_up()
linebreak.tokenizer()   # the PDF path's word segmenter (about 2 s to build)
