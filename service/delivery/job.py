"""One job: a dropped workbook → its job folder (copy, documents, feedback, receipt.json last).

The copy of the workbook is written first, so the input is safe before anything can fail; the receipt
is written last and atomically, so a job folder with a receipt is a finished job. A receipt is always
written: a fault of the service or of its configuration is reported as such, never blamed on the officer.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import re
import shutil
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path


from service.reader.convert import readable_copy
from service.delivery.feedback import write_feedback
from service.documents.kinds import KIND_BY_NAME
from service.render.docx import load_template, render_docx
from service.render.pdf import PdfConverter
from service.pipeline import NotAWorkbook, Outcome, run
from service.problems import Problem, Problems
from service.delivery.receipt import Blocked, DocumentEntry, Receipt, write_atomic, write_receipt
from service.settings import ConfigFault, Settings

log = logging.getLogger("itadoc.job")
RECEIPT = "receipt.json"
_UNSAFE = re.compile(r"[/\\:*?\"<>|]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")

# A PDF converter takes a .docx path and returns the .pdf path; it raises on failure.


def safe_component(name: str, limit: int = 160) -> str:
    """A file or folder name that cannot escape its parent: no separators, no control, format or
    undecodable characters, not dots-only, at most `limit` UTF-8 bytes (a Thai letter takes three and
    file systems allow 255, which the annotated copy's prefix also needs); a cut name keeps its
    extension, so the copy of `x.xlsx` stays an .xlsx."""
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if unicodedata.category(c)[0] == "C" else c for c in text)
    text = _UNSAFE.sub("_", text).strip(" .")
    match = _EXTENSION.search(text)
    ext = match[0] if match and match.start() else ""
    stem = text[:len(text) - len(ext)].encode()[:limit - len(ext)].decode(errors="ignore").strip(" .")
    return stem + ext if stem else "workbook"


INTERNAL_MESSAGE = "เกิดข้อผิดพลาดภายในระบบระหว่างประมวลผลไฟล์นี้ ได้แจ้งผู้ดูแลระบบแล้ว ข้อมูลในไฟล์ของท่านอาจไม่มีปัญหา"
CONFIG_MESSAGE = ("การตั้งค่าของระบบ ({file}) มีข้อผิดพลาด จึงประมวลผลไฟล์นี้ไม่ได้ ได้แจ้งผู้ดูแลระบบแล้ว "
                  "ข้อมูลในไฟล์ของท่านไม่มีปัญหา กรุณาส่งไฟล์ใหม่อีกครั้งหลังผู้ดูแลระบบแก้ไขแล้ว")


def sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def inputs_stamp(settings: Settings) -> str:
    """What a job's output depends on besides the workbook: the templates, frameworks and dictionary as
    they are now (names, sizes, modification times). A good job made under another stamp is redone."""
    digest = hashlib.sha256()
    for folder in (settings.templates, settings.frameworks_dir, settings.dictionary_dir):
        for path in sorted(folder.glob("*")) if folder.is_dir() else ():
            with contextlib.suppress(OSError):
                st = path.stat()
                digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def job_dir_for(out_dir: Path, workbook: Path, sha: str, subfolder: str = "") -> Path:
    parts = [safe_component(p) for p in Path(subfolder).parts if p not in ("", ".", "..")]
    return out_dir.joinpath(*parts, f"{safe_component(workbook.stem)}-{sha[:8]}")


def workbook_copy(job_dir: Path, name: str) -> Path:
    """Where the job folder keeps the workbook as received (the watcher recovers jobs from it)."""
    return job_dir / safe_component(name, 180)


@dataclass
class JobResult:
    job_dir: Path
    receipt: Receipt


def process(path: Path, settings: Settings, out_dir: Path | None = None, pdf: PdfConverter | None = None,
            subfolder: str = "", sha: str | None = None, today: date | None = None) -> JobResult:
    """Handle one workbook file; never raises for a bad workbook (that is what the receipt is for)."""
    started = time.perf_counter()
    data = path.read_bytes()
    sha = sha or hashlib.sha256(data).hexdigest()
    job_dir = job_dir_for(out_dir or settings.outbox, path, sha, subfolder)
    if job_dir.exists() and not path.is_relative_to(job_dir):  # a redo: no stale report or document stays
        (job_dir / RECEIPT).unlink(missing_ok=True)
        shutil.rmtree(job_dir)
    job_dir.mkdir(parents=True, exist_ok=True)
    copy = workbook_copy(job_dir, path.name)
    write_atomic(copy, data)
    receipt = Receipt(workbook=path.name, sha256=sha)
    try:
        _handle(copy, settings, receipt, job_dir, pdf, today)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # no receipt can be written either: the watcher keeps the input
            raise
        _fault(receipt, path.name, exc, settings)
    except Exception as exc:
        _fault(receipt, path.name, exc, settings)
    receipt.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 1)
    write_receipt(job_dir / RECEIPT, receipt)
    log.info("job done", extra={"job": job_dir.name, "status": receipt.status})
    return JobResult(job_dir, receipt)


def _fault(receipt: Receipt, name: str, exc: Exception, settings: Settings) -> None:
    """The service's or the administrator's fault: logged with its traceback, told to the officer as such.
    An unexpected error while a framework or dictionary file has a problem is blamed on that file."""
    from service.check import check_configuration

    if not isinstance(exc, ConfigFault):
        with contextlib.suppress(Exception):
            if problems := check_configuration(settings):
                exc = ConfigFault(Path(problems[0].split(":")[0]).name, f"{problems[0]} ({type(exc).__name__}: {exc})")
    if isinstance(exc, ConfigFault):
        log.error("configuration refused / การตั้งค่าผิดพลาด: %s", exc)
        problem = Problem("config_error", CONFIG_MESSAGE.format(file=exc.file), value=name)
    else:
        log.exception("job raised / งานผิดพลาดภายใน: %s", name)
        problem = Problem("internal_error", INTERNAL_MESSAGE, value=name)
    receipt.documents, receipt.blocked = [], []
    receipt.set_problems([problem])


def _handle(copy: Path, settings: Settings, receipt: Receipt, job_dir: Path, pdf: PdfConverter | None,
            today: date | None) -> None:
    started = time.perf_counter()
    source = copy
    try:
        source, receipt.converted_from = readable_copy(copy, job_dir, settings)
        outcome = run(source, settings, today)
    except NotAWorkbook as exc:
        problems = Problems()
        problems.add(exc.code, exc.message, value=receipt.workbook)
        outcome = Outcome(problems)
    if receipt.converted_from:
        outcome.problems.add("converted_format", f"ไฟล์นี้เป็นไฟล์ .{receipt.converted_from} ระบบแปลงเป็น .xlsx "
                             "ให้แล้วจึงอ่านข้อมูล ครั้งต่อไปแนะนำให้ใช้แบบฟอร์มมาตรฐาน .xlsx", value=receipt.workbook)
    receipt.timings_ms["read_check"] = round((time.perf_counter() - started) * 1000, 1)
    _write_documents(outcome, receipt, job_dir, settings, pdf)
    if outcome.document is not None:
        receipt.unit = outcome.document.general.unit or None
        receipt.fiscal_year = outcome.document.general.fiscal_year
    receipt.set_problems(outcome.problems.items)
    if any(p.code != "converted_format" for p in outcome.problems.items):  # a conversion alone is no fault
        bounded = outcome.document is not None and all(p.code != "too_large" for p in outcome.problems.items)
        write_feedback(job_dir, source, outcome.problems, annotated=bounded)


def _write_documents(outcome: Outcome, receipt: Receipt, job_dir: Path, settings: Settings,
                     pdf: PdfConverter | None) -> None:
    for kind, reason, errors in outcome.blocked:
        receipt.blocked.append(Blocked(kind=kind.kind, reason=reason, errors=[
            {"code": e.code, "sheet": e.sheet, "cell": e.cell} for e in errors]))
    thai = _thai_digits(outcome, settings)
    for prepared in outcome.prepared:
        receipt.figures.update(prepared.figures)
        template_path = settings.templates / KIND_BY_NAME[prepared.kind].template
        try:
            template = load_template(template_path)
            data = render_docx(template, prepared.context.model_dump(), thai, prepared.images if settings.charts else None)
        except Exception as exc:  # a broken template must not take the job down
            log.error("แม่แบบ %s ใช้สร้างเอกสารไม่ได้: %s: %s — ตรวจหาตำแหน่งที่ผิดด้วย itadoc templates check %s",
                      template_path.name, type(exc).__name__, exc, template_path)
            outcome.problems.add("template_error", "สร้างเอกสารนี้ไม่ได้เนื่องจากแม่แบบเอกสารมีข้อผิดพลาด "
                                 "ได้แจ้งผู้ดูแลระบบแล้ว ข้อมูลในไฟล์ของท่านไม่มีปัญหา", value=template_path.name)
            receipt.blocked.append(Blocked(kind=prepared.kind, reason=f"แม่แบบ {template_path.name} ผิดพลาด: {exc}"))
            continue
        docx_path = job_dir / f"{safe_component(prepared.file_stem)}.docx"
        write_atomic(docx_path, data)
        receipt.documents.append(DocumentEntry(kind=prepared.kind, quarter=prepared.quarter, docx=docx_path.name,
                                               template=template_path.name, template_sha256=template.sha256))
    if pdf is not None and receipt.documents:
        _write_pdfs(outcome, receipt, job_dir, pdf)


def _write_pdfs(outcome: Outcome, receipt: Receipt, job_dir: Path, pdf: PdfConverter) -> None:
    """All the job's PDFs at once: the converter's LibreOffice instances take them side by side."""
    with ThreadPoolExecutor(len(receipt.documents), thread_name_prefix="pdf") as threads:
        done = list(threads.map(lambda entry: _pdf_with_retry(pdf, job_dir / entry.docx), receipt.documents))
    for entry, result in zip(receipt.documents, done):
        if isinstance(result, Path):
            entry.pdf = result.name
        else:
            log.error("pdf failed twice: %s: %s", entry.docx, result)
            outcome.problems.add("pdf_failed", "สร้างไฟล์ PDF ไม่สำเร็จ ไฟล์ Word ยังใช้งานได้ตามปกติ",
                                 value=entry.docx, severity="warning")


def _pdf_with_retry(pdf: PdfConverter, docx_path: Path) -> Path | Exception:
    """The PDF, or the second failure. One retry: LibreOffice killed mid-conversion is restarted by the
    converter, and the second try usually succeeds."""
    try:
        return pdf(docx_path)
    except Exception as exc:
        log.warning("pdf failed, retrying once: %s: %s", docx_path.name, exc)
    try:
        return pdf(docx_path)
    except Exception as exc:
        return exc


def _thai_digits(outcome: Outcome, settings: Settings) -> bool:
    general = outcome.document.general if outcome.document else None
    if general is not None and general.thai_digits is not None:
        return general.thai_digits
    return settings.thai_digits
