"""`itadoc retry JOB…|--failed`: an administrator reprocesses job folders after fixing what made them fail
(a framework, a template, LibreOffice). Each job is redone from the copy of the workbook its folder
keeps, under the same name and identity, and its folder is rewritten; the watcher's journal follows."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from service.delivery.job import RECEIPT, inputs_stamp, process, workbook_copy
from service.delivery.journal import Journal
from service.render.pdf import converter_for
from service.settings import Settings


def failed_jobs(outbox: Path, state_dir: Path) -> list[Path]:
    found = []
    for receipt in sorted(outbox.rglob(RECEIPT)):
        if receipt.is_relative_to(state_dir):
            continue
        try:
            if json.loads(receipt.read_text(encoding="utf-8")).get("status") != "ok":
                found.append(receipt.parent)
        except (OSError, ValueError):
            found.append(receipt.parent)
    return found


def _job_dir(given: Path, outbox: Path) -> Path | None:
    for candidate in (given, outbox / given):
        if (candidate / RECEIPT).is_file():
            return candidate.resolve()
    return None


def main(args: argparse.Namespace, settings: Settings) -> int:
    outbox, state_dir = settings.outbox.resolve(), settings.state_dir.resolve()
    jobs = [_job_dir(j, outbox) for j in args.jobs]
    if None in jobs or not (args.jobs or args.failed):
        unknown = [str(j) for j, d in zip(args.jobs, jobs) if d is None]
        print("ไม่พบโฟลเดอร์งาน (ต้องมี receipt.json): " + ", ".join(unknown) if unknown
              else "ระบุโฟลเดอร์งาน หรือใช้ --failed", file=sys.stderr)
        return 2
    if args.failed:
        jobs += failed_jobs(outbox, state_dir)
    journal = Journal(settings.state_dir)
    status = 0
    with converter_for(settings.pdf if args.pdf is None else args.pdf, settings.state_dir,
                       settings.one_shot_office_count, settings.config_dir, settings.continued_labels) as pdf, \
            tempfile.TemporaryDirectory(dir=state_dir, prefix="retry-") as work:
        for job_dir in dict.fromkeys(jobs):
            old = json.loads((job_dir / RECEIPT).read_text(encoding="utf-8"))
            staged = Path(work, job_dir.name, old["workbook"])
            staged.parent.mkdir()
            shutil.copyfile(workbook_copy(job_dir, old["workbook"]), staged)
            sub = job_dir.parent.relative_to(outbox) if job_dir.is_relative_to(outbox) else Path()
            result = process(staged, settings, job_dir.parent if sub == Path() else None, pdf,
                             subfolder=sub.as_posix() if sub != Path() else "", sha=old["sha256"])
            source = (sub / old["workbook"]).as_posix()
            journal.receive(old["sha256"], source, result.job_dir, inputs_stamp(settings))
            outputs = sorted(p.name for p in result.job_dir.iterdir())
            journal.finish(old["sha256"], result.receipt.status == "ok", outputs)
            print(f"{result.job_dir.name}: {result.receipt.status} — เอกสาร {len(result.receipt.documents)} ฉบับ, "
                  f"ข้อผิดพลาด {len(result.receipt.errors)}", flush=True)
            status = status or (0 if result.receipt.status == "ok" else 1)
    journal.close()
    return status
