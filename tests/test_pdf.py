"""PDF through the warm LibreOffice: every seed-000 and seed-002 document, with the stand-in font embedded,
Thai text extractable and drawn at TH Sarabun New's size; failures keep the .docx; restarts; xlsx too."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar

from service.render import office
from service.delivery.job import process
from service.render.pdf import converter_for
from shipped import shipped_copy
from workbooks import seed000_full, seed002_analysis

pytestmark = pytest.mark.needs("soffice", "pdffonts", "pdftotext")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    from service.settings import load_settings

    tmp = tmp_path_factory.mktemp("pdf")
    settings = load_settings(shipped_copy(tmp / "itadoc"), outbox=tmp / "out", pdf=True)
    out = []
    with converter_for(True) as pdf:
        for name, spec in (("seed000", seed000_full()), ("seed002", seed002_analysis())):
            result = process(spec.save(tmp / f"{name}.xlsx"), settings, pdf=pdf)
            assert result.receipt.status == "ok", result.receipt.errors
            assert all(d.pdf for d in result.receipt.documents)
            out += [result.job_dir / d.pdf for d in result.receipt.documents]
    assert len(out) == 4            # seed 000: analysis, plan, quarterly; seed 002: analysis
    return out


def test_stand_in_font_is_embedded(pdfs):
    for pdf in pdfs:
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in rows.splitlines()[2:]]
        assert fonts and all("Sarabun" in f[0] for f in fonts), rows
        assert all(f[-5] == "yes" for f in fonts), rows          # the "emb" column


def test_thai_text_is_extractable(pdfs):
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "ประจำปีงบประมาณ" in text or "ปีงบประมาณ" in text, pdf.name


def test_thai_is_drawn_at_th_sarabun_new_size(pdfs):
    """"ก" advances 0.39 of the font size, as in TH Sarabun New (Sarabun and Laksaman: ≈ 0.58)."""
    for pdf in pdfs:
        ratios = {round(c.adv / c.size, 3) for page in extract_pages(str(pdf), maxpages=1)
                  for c in _chars(page) if c.get_text() == "ก"}
        assert ratios and all(r == pytest.approx(0.39, abs=0.01) for r in ratios), (pdf.name, ratios)


def test_page_numbers_from_page_two(pdfs):
    pages = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(pdfs[0]), "-"], capture_output=True,
                           text=True, check=True).stdout.replace(" ", "").split("\f")
    assert "-2-" in pages[1] and "-1-" not in pages[0]


def test_thai_digit_document_numbers_its_pages_in_thai(tmp_path, settings):
    spec = seed002_analysis()
    spec.general["ใช้เลขไทย"] = "ใช่"
    with converter_for(True) as pdf:
        result = process(spec.save(tmp_path / "t.xlsx"), settings, pdf=pdf)
    page_two = list(extract_pages(str(result.job_dir / result.receipt.documents[0].pdf), page_numbers=[1]))[0]
    number = [c for c in _chars(page_two) if c.y0 > page_two.height - 60 and c.get_text() not in "- "]
    # LibreOffice draws "๒" for the page number but its text layer says "2"; the glyph's advance tells
    # them apart: "๒" is 0.464 em wide in the stand-in, "2" 0.372 em.
    assert len(number) == 1 and number[0].adv / number[0].size == pytest.approx(0.464, abs=0.005)


def test_conversion_failure_keeps_the_docx(tmp_path, settings):
    def broken(docx: Path) -> Path:
        raise office.OfficeError("LibreOffice is not installed")

    result = process(seed002_analysis().save(tmp_path / "a.xlsx"), settings, pdf=broken)
    entry = result.receipt.documents[0]
    assert entry.pdf is None and (result.job_dir / entry.docx).is_file()
    assert [w["code"] for w in result.receipt.warnings] == ["pdf_failed"]


def test_a_dead_soffice_is_restarted_and_xlsx_is_converted_too(tmp_path):
    xlsx = seed002_analysis().save(tmp_path / "in.xlsx")
    with office.Office() as o:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        assert o.convert(xlsx, "ods", tmp_path / "a").is_file()
        os.killpg(o._soffice, signal.SIGKILL)               # as if LibreOffice crashed between jobs
        office._wait_gone(o._soffice, 5)
        back = o.convert(tmp_path / "a" / "in.ods", "xlsx", tmp_path / "b")
        assert back.read_bytes()[:2] == b"PK" and o.starts == 2


def test_a_closed_pool_starts_no_libreoffice_for_requests_still_queued(tmp_path):
    """The watcher closes its pool, then removes the folders of the jobs it abandons. A request that was
    waiting for an instance must then fail, not start a fresh LibreOffice that writes a PDF into (and
    brings back) a removed folder: seen as a job folder without receipt after a stop."""
    import threading

    from service.render.pool import Pool

    xlsx = seed002_analysis().save(tmp_path / "in.xlsx")
    shared = Pool(1)
    results: list[object] = []

    def ask(n: int) -> None:
        (tmp_path / f"o{n}").mkdir()
        try:
            results.append(shared.convert(xlsx, "ods", tmp_path / f"o{n}"))
        except office.OfficeError as exc:
            results.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(3)]   # one converts, two wait
    for thread in threads:
        thread.start()
    shared.close()
    for thread in threads:
        thread.join(60)
    assert any(isinstance(r, office.OfficeError) for r in results), results
    assert shared.offices[0].starts <= 1 and not shared.offices[0]._alive()


def test_unreadable_input_is_an_error_not_a_hang(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a document")
    with office.Office(convert_timeout=60) as o, pytest.raises(office.OfficeError):
        o.convert(bad, "xlsx", tmp_path)


def _chars(obj):
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _chars(child)
