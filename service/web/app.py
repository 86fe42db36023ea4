"""The read-only web page (Starlette + Jinja2): the units table, each unit's job history, downloads.

GET and HEAD only. Links are built from the ASGI `root_path`, which uvicorn's `--root-path` sets and a
reverse proxy can set per request with `X-Forwarded-Prefix`, so the page works under a path prefix.
"""
from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from service.delivery.rollup import columns, framework_of, row_values
from service.delivery.units import Catalog, Job, Unit, history, units
from service.web.files import job_file, listing

REFRESH_SECONDS = 30
_PREFIX = re.compile(r"(/[A-Za-z0-9._~-]+)+")
HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin",
           "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"}
INLINE = {".pdf"}  # opened in the browser; everything else downloads


class Guard:
    """ASGI middleware: the proxy's X-Forwarded-Prefix (when well-formed) into root_path, and safety
    headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        prefix = dict(scope["headers"]).get(b"x-forwarded-prefix", b"").decode("latin-1").rstrip("/")
        if prefix and _PREFIX.fullmatch(prefix):
            scope = dict(scope, root_path=prefix + scope.get("root_path", ""), path=prefix + scope["path"])

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


class Site:
    """The page's state: the outbox catalog (rescanned per request, cached per receipt) and the templates."""

    def __init__(self, outbox: Path, state_dir: Path, frameworks_dir: Path) -> None:
        self.outbox, self.state_dir, self.frameworks_dir = outbox.resolve(), state_dir.resolve(), frameworks_dir
        self.catalog = Catalog(self.outbox)
        self.lock = threading.Lock()
        self.env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                               autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
        self.env.filters["cell"] = _cell

    def jobs(self) -> list[Job]:
        with self.lock:
            return self.catalog.jobs()

    def render(self, request: Request, name: str, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(href=linker(request), refresh=REFRESH_SECONDS,
                                                  now=datetime.now().strftime("%H:%M:%S"), **context)
        return HTMLResponse(html)

    def index(self, request: Request) -> Response:
        href = linker(request)
        rows = units(self.jobs())
        years = sorted({u.fiscal_year for u in rows}, reverse=True)
        year = _int(request.query_params.get("year")) or (years[0] if years else None)
        shown = [u for u in rows if u.fiscal_year == year]
        mark, tools = framework_of(self.frameworks_dir, year) if year else (None, ())
        header = columns(tools)
        link_col = header.index("โฟลเดอร์งาน")
        table = []
        for unit in shown:   # cells formatted here, not in the template: 500 rows × 22 cells must stay fast
            values = [(_cell(v), isinstance(v, (int, float, datetime))) for v in row_values(unit, mark, tools)]
            table.append((unit.flagged, href("/unit", **unit_query(unit)), values[0][0], values[1:link_col],
                          values[link_col + 1:]))
        return self.render(request, "index.html", years=years, year=year, header=header, table=table,
                           flagged=sum(u.flagged for u in shown))

    def unit(self, request: Request) -> Response:
        key = (request.query_params.get("folder", ""), request.query_params.get("name", ""))
        if key[0]:
            key = (key[0], "")
        jobs = history(self.jobs(), key)
        if not jobs:
            return PlainTextResponse("ไม่พบหน่วยงานนี้", status_code=404)
        return self.render(request, "unit.html", unit=units(jobs)[-1],
                           jobs=[(j, listing(self.outbox, j.path)) for j in jobs])

    def download(self, request: Request) -> Response:
        path = job_file(self.outbox, self.state_dir, request.path_params["path"])
        if path is None:
            return PlainTextResponse("ไม่พบไฟล์", status_code=404)
        disposition = "inline" if path.suffix.lower() in INLINE else "attachment"
        return FileResponse(path, filename=path.name, content_disposition_type=disposition)


def linker(request: Request) -> Callable[..., str]:
    """href(path, **query): a link under the request's root_path (the proxy's prefix)."""
    root = request.scope.get("root_path", "")

    def href(path: str, **query: str) -> str:
        return root + quote(path) + ("?" + urlencode(query) if query else "")
    return href


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def unit_query(unit: Unit) -> dict[str, str]:
    """The query that names a unit on its page (see units.Job.key)."""
    return {"folder": unit.folder} if unit.folder else {"name": unit.key[1]}


def create_app(outbox: Path, state_dir: Path, frameworks_dir: Path) -> ASGIApp:
    site = Site(outbox, state_dir, frameworks_dir)
    app = Starlette(routes=[
        Route("/", site.index, name="index"),
        Route("/unit", site.unit, name="unit"),
        Route("/files/{path:path}", site.download, name="files"),
    ])
    return Guard(app)
