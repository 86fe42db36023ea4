"""The `itadoc` command (also `python -m service`): render, watch, serve, blank, templates check, context,
check, retry.

Exit codes: 0 every workbook produced its documents with no error, 1 a workbook had errors (or, for
`check`, the configuration has problems), 2 bad usage (including a --config that is missing or invalid).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from multiprocessing.util import Finalize
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from service.settings import ConfigMissing, Settings, config_dir_for, load_settings

if TYPE_CHECKING:
    from service.delivery.job import JobResult


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: `templates --config X check` must keep X (a sub-command's default would overwrite it).
    common.add_argument("--config", default=argparse.SUPPRESS,
                        help="โฟลเดอร์ config (ค่าเริ่มต้น: config/ ของที่ติดตั้ง หรือ $ITADOC_HOME/config)")
    p = argparse.ArgumentParser(prog="itadoc", description="สร้างเอกสาร ITA จากแบบฟอร์ม Excel มาตรฐาน")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", parents=[common], help="สร้างเอกสารจากไฟล์ Excel ที่ระบุ")
    r.add_argument("workbooks", nargs="+", type=Path, help="ไฟล์ Excel หนึ่งไฟล์หรือมากกว่า")
    r.add_argument("--out", type=Path, default=None,
                   help="โฟลเดอร์ที่เขียนโฟลเดอร์งาน (ค่าเริ่มต้น: outbox ที่ตั้งค่าไว้)")
    g = r.add_mutually_exclusive_group()
    g.add_argument("--pdf", dest="pdf", action="store_true", default=None, help="สร้าง PDF ด้วย")
    g.add_argument("--no-pdf", dest="pdf", action="store_false", help="ไม่สร้าง PDF")

    w = sub.add_parser("watch", parents=[common], help="เฝ้าโฟลเดอร์ inbox และสร้างเอกสารอัตโนมัติ")
    w.add_argument("--inbox", type=Path, default=None, help="ค่าเริ่มต้น: inbox ที่ตั้งค่าไว้")
    w.add_argument("--outbox", type=Path, default=None, help="ค่าเริ่มต้น: outbox ที่ตั้งค่าไว้")
    w.add_argument("--json-logs", action="store_true", help="บันทึก log เป็น JSON ทีละบรรทัด")

    b = sub.add_parser("blank", parents=[common], help="สร้างแบบฟอร์ม Excel มาตรฐานเปล่า")
    b.add_argument("--out", type=Path, default=None,
                   help="โฟลเดอร์ที่เขียนแบบฟอร์ม (ค่าเริ่มต้น: templates/ ที่ตั้งค่าไว้; แบบฟอร์มเดิมที่ถูกแก้ไข"
                        "จะถูกเก็บสำรองไว้ใน templates/สำรอง/)")

    t = sub.add_parser("templates", parents=[common], help="เครื่องมือสำหรับแม่แบบ Word")
    tsub = t.add_subparsers(dest="templates_command", required=True)
    tc = tsub.add_parser("check", parents=[common], help="ตรวจแม่แบบ Word")
    tc.add_argument("paths", nargs="*", type=Path, help="แม่แบบที่จะตรวจ (ค่าเริ่มต้น: ทุกแม่แบบใน templates/)")
    tc.add_argument("--fix", action="store_true", help="รวมแท็กที่ Word แบ่งเป็นหลายช่วงให้เป็นช่วงเดียว")
    tr = tsub.add_parser("reference", parents=[common], help="เขียนคู่มือตัวแปรของแม่แบบ")
    tr.add_argument("--out", type=Path, default=None, help="ค่าเริ่มต้น: templates/README.md")

    s = sub.add_parser("serve", parents=[common], help="เปิดหน้าเว็บภาพรวมทุกหน่วยงาน (อ่านอย่างเดียว)")
    s.add_argument("--outbox", type=Path, default=None, help="ค่าเริ่มต้น: outbox ที่ตั้งค่าไว้")
    s.add_argument("--host", default="127.0.0.1", help="ค่าเริ่มต้น: 127.0.0.1 (เฉพาะเครื่องนี้)")
    s.add_argument("--port", type=int, default=8080, help="ค่าเริ่มต้น: 8080")
    s.add_argument("--root-path", default="", help="คำนำหน้าเส้นทางเมื่ออยู่หลัง reverse proxy เช่น /ita")

    c = sub.add_parser("context", parents=[common], help="แสดงข้อมูลที่แม่แบบแต่ละฉบับได้รับ (JSON)")
    c.add_argument("workbook", type=Path, help="ไฟล์ Excel")

    sub.add_parser("check", parents=[common], help="ตรวจการตั้งค่า กรอบการประเมิน พจนานุกรม และแม่แบบ")

    rt = sub.add_parser("retry", parents=[common], help="ประมวลผลงานในโฟลเดอร์ outbox ใหม่")
    rt.add_argument("jobs", nargs="*", type=Path, help="โฟลเดอร์งานใน outbox")
    rt.add_argument("--failed", action="store_true", help="ทุกงานที่ประมวลผลไม่สำเร็จ")
    rt.add_argument("--no-pdf", dest="pdf", action="store_false", default=None)
    return p


_render_worker: dict[str, Any] = {}


def _render_worker_init(settings: Settings, out: Path | None, want_pdf: bool) -> None:
    """A pool worker keeps its converter (a warm LibreOffice when PDF is on) for all its workbooks."""
    from service.render.pdf import converter_for

    stack = contextlib.ExitStack()
    Finalize(None, stack.close, exitpriority=10)
    pdf = stack.enter_context(converter_for(want_pdf, settings.state_dir, config=settings.config_dir,
                                            labels=settings.continued_labels))
    _render_worker.update(settings=settings, out=out, pdf=pdf)


def _render_one(path: Path) -> JobResult:
    from service.delivery.job import process

    w = _render_worker
    return process(path, w["settings"], w["out"], w["pdf"])


def _render_all(paths: list[Path], settings: Settings, out: Path | None,
                want_pdf: bool) -> Iterator[JobResult]:
    """Job results in the order of `paths`. With several workbooks and cores, the first is handled here,
    which loads what the service loads once per process (imports, dictionaries, compiled templates,
    chart fonts); the rest are spread over worker processes forked afterwards, warm from the start."""
    import gc
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from service.delivery.job import process
    from service.render.pdf import converter_for

    pooled = min(settings.worker_count, len(paths) - 1) > 1
    with converter_for(want_pdf, settings.state_dir, settings.one_shot_office_count, settings.config_dir,
                       settings.continued_labels) as pdf:
        for path in paths[:1] if pooled else paths:
            yield process(path, settings, out, pdf)
    if not pooled:
        return
    # Forking is only safe without other threads (a lock held by one would stay held in the child).
    context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
    # What is loaded so far stays shared with the workers: kept out of the garbage collector's sweeps,
    # whose writes would give every worker its own copy of the dictionaries' memory pages.
    gc.freeze()
    workers = min(settings.worker_count, len(paths) - 1)
    try:
        with ProcessPoolExecutor(workers, context, _render_worker_init, (settings, out, want_pdf)) as pool:
            yield from pool.map(_render_one, paths[1:])
    finally:
        gc.unfreeze()


def cmd_render(args: argparse.Namespace, settings: Settings) -> int:
    missing = [p for p in args.workbooks if not p.is_file()]
    if missing:
        print("ไม่พบไฟล์: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    want_pdf = settings.pdf if args.pdf is None else args.pdf
    status = 0
    for path, result in zip(args.workbooks, _render_all(args.workbooks, settings, args.out, want_pdf)):
        r = result.receipt
        print(f"{path.name}: {r.status} — เอกสาร {len(r.documents)} ฉบับ, ข้อผิดพลาด {len(r.errors)}, "
              f"คำเตือน {len(r.warnings)} → {result.job_dir}", flush=True)
        if r.status != "ok":
            status = 1
    from service.delivery.rollup import refresh
    refresh(args.out or settings.outbox, settings.frameworks_dir)  # the coordinator's roll-up
    return status


def cmd_context(args: argparse.Namespace, settings: Settings) -> int:
    from service.pipeline import NotAWorkbook, run

    try:
        outcome = run(args.workbook, settings)
    except NotAWorkbook as exc:
        print(exc.message, file=sys.stderr)
        return 1
    data = {p.kind: p.context.model_dump(mode="json") for p in outcome.prepared}
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()
    return 0 if not outcome.problems.errors else 1


def cmd_check(settings: Settings) -> int:
    from service.authoring.templates_check import template_problems
    from service.check import check_configuration

    problems = check_configuration(settings) + template_problems(settings.templates)
    for problem in problems:
        print(problem)
    print(f"พบปัญหา {len(problems)} รายการ" if problems else "การตั้งค่าทั้งหมดใช้งานได้")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception as exc:  # a broken settings file: `check` says where, the others refuse to run on it
        from service.check import settings_problems
        problems = settings_problems(config_dir_for(getattr(args, "config", None))) or [str(exc)]
        if args.command == "check":
            print("\n".join(problems))
            return 1
        print("อ่านการตั้งค่าไม่ได้ ระบบจึงไม่เริ่มทำงาน:\n" + "\n".join(problems) + "\n(ตรวจอีกครั้งด้วย itadoc check)",
              file=sys.stderr)
        return 2
    if args.command == "check":
        return cmd_check(settings)
    if args.command == "retry":
        from service.delivery.retry import main as retry_main
        return retry_main(args, settings)
    if args.command == "render":
        return cmd_render(args, settings)
    if args.command == "context":
        return cmd_context(args, settings)
    if args.command == "watch":
        from service.delivery.watch import main as watch_main
        return watch_main(args, settings)
    if args.command == "serve":
        from service.web.serve import main as serve_main
        return serve_main(args, settings)
    if args.command == "blank":
        from service.authoring.blank import main as blank_main
        return blank_main(args, settings)
    from service.authoring.templates_check import main as templates_main
    return templates_main(args, settings)


if __name__ == "__main__":
    sys.exit(main())
