"""UNO bridge to a running LibreOffice, run by the Python that has LibreOffice's `uno` (Debian: python3-uno).

Started by `service.render.office` as `/usr/bin/python3 office_bridge.py PIPE_NAME OWNER_PID SOFFICE_COMMAND...`;
it starts soffice itself, and must import nothing from the service package (that Python lacks our
dependencies). Protocol: one JSON request per line on stdin
{"src": path, "fmt": "pdf"|"xlsx"|..., "out": path, "labels": bool}; one JSON reply per line on stdout:
{"ready": true, "soffice": pid} once connected, then {"ok": path} or {"error": text, "dead": bool} per request ("dead":
LibreOffice is gone).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.uno import RuntimeException

# (target format, document kind) → LibreOffice export filter
FILTERS = {
    ("pdf", "text"): "writer_pdf_Export",
    ("pdf", "sheet"): "calc_pdf_Export",
    ("xlsx", "sheet"): "Calc MS Excel 2007 XML",
    ("docx", "text"): "MS Word 2007 XML",
    ("odt", "text"): "writer8",
    ("ods", "sheet"): "calc8",
}
THAI_ARABIC = re.compile(rb"PAGE\s+\\\*\s*ThaiArabic", re.IGNORECASE)
ARABIC, THAI_LETTERS = 4, 32               # com.sun.star.style.NumberingType
NUMERALS_ARABIC, NUMERALS_CONTEXT = 0, 3  # Tools ▸ Options ▸ Languages ▸ Complex text layout ▸ Numerals
PDF_OPTIONS = {"UseTaggedPDF": True, "ExportBookmarks": True, "ExportNotes": False}


def props(**values) -> tuple:
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def connect(pipe: str, timeout: float = 60.0):
    """The remote component context of the soffice listening on `pipe` (waits for it to come up)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def wants_thai_page_numbers(src: str) -> bool:
    """A .docx whose PAGE fields ask for Word's Thai digits (`\\* ThaiArabic`)."""
    try:
        with zipfile.ZipFile(src) as z:
            parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
            return any(THAI_ARABIC.search(z.read(n)) for n in parts)
    except (zipfile.BadZipFile, OSError):
        return False


def set_numerals(ctx, context_digits: bool) -> None:
    """LibreOffice (7.4) imports `PAGE \\* ThaiArabic` as Thai letters (ก ข ค) and cannot number a field
    in Thai digits; a plain page number shaped by the text's language ("Context" numerals) prints ๒ as
    Word does. Only documents already in Thai digits ask for it, so no other digit changes shape."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", props(nodepath="/org.openoffice.Office.Common/I18N/CTL"))
    value = NUMERALS_CONTEXT if context_digits else NUMERALS_ARABIC
    if access.CTLTextNumerals != value:
        access.CTLTextNumerals = value
        access.commitChanges()


CONTINUED = " (ต่อ)"
CHAR_SPECIAL = 6            # com.sun.star.style.NumberingType: a page field that shows its UserText
SETTLE_ROUNDS = 3


def continuation_labels(doc) -> int:
    """A measure's label (a heading row of one cell) says "(ต่อ)" on each page its table continues on.

    Word and LibreOffice repeat heading rows verbatim, but a field in a repeated row is laid out on each
    page anew. The label gets a page-number field of the "continuation" kind: it shows its text where
    page + offset ≥ 0, so the offset −(the table's first page) − 1 hides it on the first page and shows
    it on every later one. A label that grows by "(ต่อ)" can move a later table, so the offsets are
    checked against the final layout until they hold. Returns how many labels got the field."""
    cursor = doc.getCurrentController().getViewCursor()

    def hidden_before(cell) -> int:
        """The offset that hides the field on the page where `cell` (its table) begins."""
        cursor.gotoRange(cell.getStart(), False)
        return -cursor.getPage() - 1

    cells = list(_labels(doc))
    offsets = [hidden_before(cell) for cell in cells]      # one layout for all, before anything moves
    fields = []
    for cell, offset in zip(cells, offsets):
        field = doc.createInstance("com.sun.star.text.TextField.PageNumber")
        field.SubType = uno.Enum("com.sun.star.text.PageNumberType", "PREV")
        field.NumberingType = CHAR_SPECIAL
        field.UserText = CONTINUED
        field.Offset = offset
        cell.getText().insertTextContent(cell.getText().getEnd(), field, False)
        fields.append(field)
    for _ in range(SETTLE_ROUNDS):
        moved = [(field, hidden_before(cell)) for cell, field in zip(cells, fields)]
        moved = [(field, offset) for field, offset in moved if field.Offset != offset]
        if not moved:
            break
        for field, offset in moved:
            field.Offset = offset
    return len(fields)


def _labels(doc):
    """The label cell of every table whose repeated heading rows include a row of one cell."""
    items = doc.getText().createEnumeration()
    while items.hasMoreElements():
        table = items.nextElement()
        if not table.supportsService("com.sun.star.text.TextTable") or not table.RepeatHeadline:
            continue
        names = set(table.getCellNames())
        row = next((r for r in range(1, table.HeaderRowCount + 1) if f"B{r}" not in names), None)
        if row is not None:
            yield table.getCellByName(f"A{row}")


def convert(ctx, src: str, fmt: str, out: str, labels: bool = False) -> dict:
    """{"ok": out}; with `labels` (PDF of a text document) the measures' labels say "(ต่อ)" where their
    tables continue (`continuation_labels`). The document is closed unsaved: only the PDF has them."""
    thai_pages = fmt == "pdf" and wants_thai_page_numbers(src)
    set_numerals(ctx, thai_pages)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                       props(Hidden=True, ReadOnly=True, UpdateDocMode=0))
    if doc is None:
        raise ValueError(f"LibreOffice cannot open {src}")
    try:
        kind = "sheet" if doc.supportsService("com.sun.star.sheet.SpreadsheetDocument") else "text"
        filter_name = FILTERS.get((fmt, kind))
        if filter_name is None:
            raise ValueError(f"no {fmt} export for a {kind} document")
        if thai_pages:
            arabic_page_numbers(doc)
        if labels and fmt == "pdf" and kind == "text":
            continuation_labels(doc)
        extra = {"FilterData": uno.Any("[]com.sun.star.beans.PropertyValue", props(**PDF_OPTIONS))} \
            if fmt == "pdf" else {}
        doc.storeToURL(uno.systemPathToFileUrl(out), props(FilterName=filter_name, Overwrite=True, **extra))
    finally:
        doc.close(True)
    return {"ok": out}


def arabic_page_numbers(doc) -> None:
    """Page-number fields imported as Thai letters back to plain numbers (shaped Thai by `set_numerals`)."""
    fields = doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.TextField.PageNumber") and field.NumberingType == THAI_LETTERS:
            field.NumberingType = ARABIC
    doc.getTextFields().refresh()


OWNER_POLL_SECONDS = 0.5
_soffice: subprocess.Popen | None = None    # started by main(), after the watch on the owner has begun


def kill_soffice() -> None:
    if _soffice is not None:
        try:
            os.killpg(_soffice.pid, signal.SIGKILL)      # its session: the launcher and soffice.bin
        except (ProcessLookupError, PermissionError):
            pass


def watch_owner(owner: int) -> None:
    """Our owner gone (reparented): take soffice with us now, even in the middle of a long conversion
    (stdin's end-of-file is only read between requests)."""
    while os.getppid() == owner:
        time.sleep(OWNER_POLL_SECONDS)
    kill_soffice()
    os._exit(0)


def on_sigterm(*_) -> None:
    """Whoever stops the bridge stops its soffice: a bridge ended alone would leave nobody to do it."""
    kill_soffice()
    os._exit(0)


def main() -> None:
    """`office_bridge.py PIPE OWNER_PID SOFFICE_COMMAND...`: soffice is started here, once SIGTERM and the
    owner are watched, so that no soffice ever runs without its guardian (an owner that started soffice
    itself and died before starting the bridge left it running)."""
    global _soffice
    signal.signal(signal.SIGTERM, on_sigterm)
    threading.Thread(target=watch_owner, args=(int(sys.argv[2]),), daemon=True).start()
    _soffice = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        serve(connect(sys.argv[1]))
    finally:
        # stdin closed: our owner is gone (stopped, or killed by a job timeout or `kill -9`). Take the
        # soffice process group with us so that no LibreOffice is ever orphaned.
        kill_soffice()


def serve(ctx) -> None:
    reply({"ready": True, "soffice": _soffice.pid})
    for line in sys.stdin:
        request = json.loads(line)
        if _soffice.poll() is not None:                  # died since the last request: say so at once
            reply({"error": "LibreOffice is gone", "dead": True})
            return
        try:
            reply(convert(ctx, request["src"], request["fmt"], request["out"], request.get("labels", False)))
        except (DisposedException, RuntimeException) as exc:
            reply({"error": f"{type(exc).__name__}: {exc}", "dead": True})
            return
        except Exception as exc:  # reported to the caller, the bridge stays up
            reply({"error": f"{type(exc).__name__}: {exc}", "dead": False})


def reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
