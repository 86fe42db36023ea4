"""`itadoc serve [--outbox DIR] [--host 127.0.0.1] [--port 8080] [--root-path /prefix]`, run by uvicorn."""
from __future__ import annotations

import argparse

import uvicorn

from service.settings import Settings
from service.web.app import create_app


def main(args: argparse.Namespace, settings: Settings) -> int:
    outbox = (args.outbox or settings.outbox).resolve()
    app = create_app(outbox, settings.state_dir, settings.frameworks_dir)
    print(f"เปิดหน้าภาพรวมที่ http://{args.host}:{args.port}{args.root_path}/ (กด Ctrl+C เพื่อหยุด)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, root_path=args.root_path, log_level="info")
    return 0
