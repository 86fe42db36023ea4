"""`itadoc serve`: a real uvicorn on a loopback port, read by Debian's headless chromium and by raw HTTP.

The browser tests fail (not skip) under CI=true when chromium is missing: `make test` installs it.
"""
from __future__ import annotations

import http.client
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from PIL import Image

from watcher import ServerThread, wait_for

from service.delivery.job import process
from service.delivery.rollup import rebuild
from service.settings import Settings, load_settings
from service.web.app import create_app
from workbooks import seed000_analysis, seed000_plan, seed002_analysis

from shipped import ROOT, shipped_copy
HEADER_BLUE, FLAGGED_RED = (0x1F, 0x4E, 0x78), (0xFF, 0xC7, 0xCE)


class Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def chromium(tmp: Path, *args: str) -> str:
    """Debian's chromium, headless, talking to loopback only; stdout (the DOM with --dump-dom)."""
    exe = shutil.which("chromium")
    if exe is None:
        message = "chromium is not installed (make test installs Debian's chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp / f"chromium-profile-{len(list(tmp.glob('chromium-profile-*')))}"
    done = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, Path]]:
    """Real jobs of two units (one with an error), a state_dir with a journal, and planted traps: a file
    outside the outbox, a symlink inside a job folder, a symlinked job folder."""
    tmp = tmp_path_factory.mktemp("web")
    settings = load_settings(shipped_copy(tmp / "shipped"), outbox=tmp / "outbox", pdf=False, charts=False)
    good = seed000_analysis()
    good.sheets.update(seed000_plan().sheets)
    bad = seed002_analysis()
    bad.sheets["คะแนนตัวชี้วัด"][0]["ปี 2568"] = 105
    jobs = {"a": process(good.save(tmp / "in/unit-a/ita.xlsx"), settings, subfolder="unit-a").job_dir,
            "b": process(bad.save(tmp / "in/unit-b/ita.xlsx"), settings, subfolder="unit-b").job_dir}
    (tmp / "secret.txt").write_text("SECRET")
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    (settings.state_dir / "journal.sqlite3").write_text("JOURNAL")
    (jobs["a"] / "link.txt").symlink_to(tmp / "secret.txt")
    (settings.outbox / "unit-c").mkdir()
    (settings.outbox / "unit-c" / "job-00000000").symlink_to(jobs["a"])
    rebuild(settings.outbox, settings.frameworks_dir)
    assert (settings.outbox / "สรุปภาพรวม_ITA_2569.xlsx").is_file()
    return settings, jobs


@pytest.fixture(scope="module")
def server(outbox):
    settings, _ = outbox
    running = ServerThread(create_app(settings.outbox, settings.state_dir, settings.frameworks_dir))
    yield running
    running.stop()


def test_page_loads_in_chromium_with_every_unit_and_links_that_work(server, outbox, tmp_path: Path) -> None:
    settings, jobs = outbox
    dom = chromium(tmp_path, "--dump-dom", server.url + "/?year=2569")
    assert "ภาพรวมการส่งแบบฟอร์ม ITA ปีงบประมาณ 2569" in dom and "ศูนย์ความร่วมมือระหว่างประเทศ" in dom
    assert '<meta http-equiv="refresh" content="30">' in dom          # refreshes on its own
    unit_links = [h for h in Links(dom).hrefs if h.startswith("/unit")]
    assert unit_links and all(server.get(h.split("#")[0])[0] == 200 for h in Links(dom).hrefs)
    unit_dom = chromium(tmp_path, "--dump-dom", server.url + unit_links[0])
    files = [h for h in Links(unit_dom).hrefs if h.startswith("/files/")]
    names = {unquote(h.rsplit("/", 1)[1]) for h in files}
    assert names == {p.name for p in jobs["a"].iterdir() if not p.is_symlink()}  # no link.txt
    for href in files:
        status, body, headers = server.get(href)
        assert status == 200 and body == (settings.outbox / unquote(href[len("/files/"):])).read_bytes()
        assert headers["x-content-type-options"] == "nosniff"


def test_screenshot_shows_the_table_with_flagged_units_in_red(server, tmp_path: Path) -> None:
    shot = tmp_path / "serve.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,700", server.url + "/?year=2568")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 700)
    colours = {c for _, c in image.getcolors(1400 * 700)}
    assert HEADER_BLUE in colours and FLAGGED_RED in colours          # unit-b has an error: its row is red


def test_a_units_history_lists_only_its_own_files(server, outbox) -> None:
    _, jobs = outbox
    status, body, _ = server.get("/unit?folder=unit-b")
    html = body.decode()
    assert status == 200 and jobs["b"].name in html and jobs["a"].name not in html
    assert "ไม่ได้เอกสาร" in html and "รายงานข้อผิดพลาด.txt" in html   # no document made; the error report
    assert "<li>คะแนนตัวชี้วัด D2: คะแนนต้องอยู่ระหว่าง 0 ถึง 100 แต่พบ 105" in html   # and why
    assert server.get("/unit?folder=unit-z")[0] == 404


@pytest.mark.parametrize("path", [
    "/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/unit-a/..%2f..%2fsecret.txt",
    "/files/unit-a/%2e%2e/%2e%2e/secret.txt", "/files/.itadoc/journal.sqlite3", "/files/%2eitadoc/journal.sqlite3",
    "/files/unit-a/{a}/link.txt", "/files/unit-c/job-00000000/receipt.json", "/files/unit-a/{a}",
    "/files/unit-a/{a}/", "/files/" + quote("สรุปภาพรวม_ITA_2569.xlsx"), "/files//etc/passwd", "/files/unit-a/{a}/.hidden",
    "/../secret.txt", "/files/unit-a/{a}/..\\..\\..\\secret.txt",
])
def test_nothing_outside_the_job_folders_is_served(server, outbox, path: str) -> None:
    _, jobs = outbox
    (jobs["a"] / ".hidden").write_text("HIDDEN")
    status, body, _ = server.get(path.replace("{a}", jobs["a"].name))
    assert status == 404 and b"SECRET" not in body and b"JOURNAL" not in body and b"HIDDEN" not in body


def test_a_state_dir_without_a_dot_inside_the_outbox_is_not_served(outbox) -> None:
    settings, _ = outbox
    state = settings.outbox / "state"
    (state / "journal").mkdir(parents=True, exist_ok=True)
    (state / "journal" / "receipt.json").write_text("{}")           # even if it looks like a job folder
    (state / "journal" / "journal.sqlite3").write_text("JOURNAL")
    running = ServerThread(create_app(settings.outbox, state, settings.frameworks_dir))
    try:
        assert running.get("/files/state/journal/journal.sqlite3")[0] == 404
    finally:
        running.stop()
        shutil.rmtree(state)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_no_write_actions(server, outbox, method: str) -> None:
    _, jobs = outbox
    for path in ("/", "/unit?folder=unit-a", f"/files/unit-a/{jobs['a'].name}/receipt.json"):
        assert server.get(path, method)[0] == 405
    assert (jobs["a"] / "receipt.json").is_file()


def test_links_follow_the_proxy_prefix(server) -> None:
    _, body, _ = server.get("/", headers={"X-Forwarded-Prefix": "/ita/"})
    hrefs = Links(body.decode()).hrefs
    assert hrefs and all(h.startswith("/ita/") for h in hrefs)
    _, body, _ = server.get("/", headers={"X-Forwarded-Prefix": "javascript:alert(1)//"})
    assert all(h.startswith("/") and not h.startswith("//") for h in Links(body.decode()).hrefs)


class _Proxy(http.server.BaseHTTPRequestHandler):
    """A reverse proxy as an administrator sets one up: /ita/… → the backend's /…, with X-Forwarded-Prefix."""

    backend = 0

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if not self.path.startswith("/ita/"):
            self.send_error(404)
            return
        conn = http.client.HTTPConnection("127.0.0.1", self.backend, timeout=10)
        conn.request("GET", self.path[len("/ita"):], headers={"X-Forwarded-Prefix": "/ita"})
        response = conn.getresponse()
        body = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_behind_a_reverse_proxy_under_a_path_prefix_in_chromium(server, tmp_path: Path) -> None:
    handler = type("Proxy", (_Proxy,), {"backend": server.port})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        dom = chromium(tmp_path, "--dump-dom", base + "/ita/")
        unit = next(h for h in Links(dom).hrefs if h.startswith("/ita/unit"))
        unit_dom = chromium(tmp_path, "--dump-dom", base + unit)
        files = [h for h in Links(unit_dom).hrefs if h.startswith("/ita/files/")]
        assert files
        for href in files:
            conn = http.client.HTTPConnection(*urlsplit(base).netloc.split(":"), timeout=10)
            conn.request("GET", href)
            assert conn.getresponse().status == 200
            conn.close()
    finally:
        proxy.shutdown()


def test_itadoc_serve_command_with_a_root_path(outbox) -> None:
    """The console command as an administrator starts it: --outbox, --host, --port, --root-path."""
    settings, _ = outbox
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--outbox", str(settings.outbox),
                             "--host", "127.0.0.1", "--port", str(port), "--root-path", "/ita"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def page() -> bytes | None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/?year=2569")
                return conn.getresponse().read()
            except OSError:
                return None
        wait_for(page, 20, "itadoc serve did not answer")
        hrefs = Links(page().decode()).hrefs
        assert hrefs and all(h.startswith("/ita/") for h in hrefs)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
