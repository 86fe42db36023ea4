"""Logging for the service: one line per event, readable by an administrator or, with JSON, by a machine.

Events carry their facts as `extra={...}` fields (job, sha, path, status…), so the same call gives
`2025-11-20 10:01:02 INFO itadoc.watch job done job=a-1234 status=ok` in text and a JSON object per line
otherwise. Worker processes call `setup` too, so their lines look the same.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime

# Attributes every LogRecord has; anything else on a record came from `extra=` and is an event field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def fields(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created).strftime("%Y-%m-%d %H:%M:%S")
        parts = [stamp, record.levelname, record.name, record.getMessage()]
        parts += [f"{k}={v}" for k, v in fields(record).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += " | " + self.formatException(record.exc_info).replace("\n", " | ")
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "event": record.getMessage(),
        }
        data.update(fields(record))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def setup(json_lines: bool, level: int = logging.INFO) -> None:
    """Route the `itadoc` loggers to stderr, replacing any earlier set-up (idempotent)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root = logging.getLogger("itadoc")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
