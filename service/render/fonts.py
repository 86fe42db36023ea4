"""A free stand-in for TH Sarabun New, derived with fontTools from the OFL Sarabun of `fontpkg-sarabun`.

Thai government documents are set in TH Sarabun New 16 pt, which is not freely installable. Its free
relatives (Sarabun, Laksaman) draw Thai about 1.5× larger at the same point size, so substituting them
makes every PDF page and chart wrong. Here every glyph of Sarabun is scaled so that "ก" is 0.39 em wide,
as in TH Sarabun New, while the em stays the same; the vertical metrics are TH SarabunPSK's (Laksaman is
TLWG's ×1.49 enlargement of TH SarabunPSK, so its metrics divided by 1.49 give the original's).

The generated TTFs live in a per-user cache and are rebuilt when the source or this recipe changes.
`fontconfig_file()` writes a fontconfig file that includes the system configuration, adds that folder and
maps "TH Sarabun New" (and its older names) to the stand-in, so LibreOffice needs no system install.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import fontpkg_sarabun

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

FAMILY = "Sarabun Compat"
REQUESTED = ("TH Sarabun New", "TH SarabunPSK", "TH Sarabun PSK", "TH SarabunIT๙")
KO_WIDTH_EM = 0.39          # advance of "ก" in TH Sarabun New, in em
ASCENT, DESCENT = 852, 461  # TH SarabunPSK line metrics per 1000 em (Laksaman's 1270/687 ÷ 1.49)
STYLES = {"Regular": "Sarabun-Regular.ttf", "Bold": "Sarabun-Bold.ttf", "Italic": "Sarabun-Italic.ttf",
          "Bold Italic": "Sarabun-BoldItalic.ttf"}
RECIPE = "1"                # bump when the derivation changes, so cached fonts are rebuilt


def source_dir() -> Path:
    return Path(fontpkg_sarabun.ROOT) / "files"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "itadoc" / "fonts"


def _file_stem(style: str) -> str:
    return FAMILY.replace(" ", "") + "-" + style.replace(" ", "")


def derive(source: Path, style: str) -> TTFont:
    """Sarabun scaled to TH Sarabun New's proportions, renamed to the stand-in family (fontTools is
    imported here: the fonts are derived once per machine, and its import costs a cold start ~0.1 s)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(source)
    upem = font["head"].unitsPerEm
    ko = font.getBestCmap()[ord("ก")]
    factor = KO_WIDTH_EM * upem / font["hmtx"][ko][0]
    scale_upem(font, round(upem * factor))       # every outline, advance, kerning and metric × factor …
    font["head"].unitsPerEm = upem               # … then the em back to its size: glyphs are smaller
    hhea, os2 = font["hhea"], font["OS/2"]
    ascent, descent = round(ASCENT * upem / 1000), round(DESCENT * upem / 1000)
    hhea.ascent, hhea.descent, hhea.lineGap = ascent, -descent, 0
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ascent, -descent, 0
    os2.usWinAscent, os2.usWinDescent = ascent, descent
    _rename(font, style)
    return font


def _rename(font: TTFont, style: str) -> None:
    name = font["name"]
    ps = _file_stem(style)
    ribbi = style in STYLES
    for rec in list(name.names):
        if rec.nameID in (16, 17, 21, 22, 25):   # typographic family names would bring "Sarabun" back
            name.removeNames(nameID=rec.nameID)
    for name_id, value in ((1, FAMILY), (2, style if ribbi else "Regular"), (3, f"{ps};itadoc-{RECIPE}"),
                           (4, f"{FAMILY} {style}"), (6, ps)):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    font["post"].formatType = 2.0


def _digest() -> str:
    h = hashlib.sha256(RECIPE.encode())
    for file in STYLES.values():
        h.update((source_dir() / file).read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """The folder holding the four derived TTFs, built on first use (atomic, safe across processes)."""
    target = cache_dir() / _digest()
    if not all((target / f"{_file_stem(s)}.ttf").is_file() for s in STYLES):
        target.mkdir(parents=True, exist_ok=True)
        for style, file in STYLES.items():
            out = target / f"{_file_stem(style)}.ttf"
            if out.is_file():
                continue
            fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
            os.close(fd)
            derive(source_dir() / file, style).save(tmp)
            os.replace(tmp, out)
    return target


def font_files() -> dict[str, Path]:
    return {style: font_dir() / f"{_file_stem(style)}.ttf" for style in STYLES}


def fontconfig_xml(fonts: Path) -> str:
    """Our mapping first (so no system alias such as Laksaman gets ahead of it), then the system config."""
    rules = "".join(
        f'<match target="pattern"><test name="family" qual="any"><string>{escape(n)}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{escape(FAMILY)}</string></edit></match>\n'
        for n in REQUESTED)
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f"<dir>{escape(str(fonts))}</dir>\n{rules}"
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n')


def fontconfig_file() -> Path:
    """A FONTCONFIG_FILE for LibreOffice: system fonts plus the stand-in, "TH Sarabun New" mapped to it."""
    fonts = font_dir()
    path = fonts / "fonts.conf"
    xml = fontconfig_xml(fonts)
    if not path.is_file() or path.read_text(encoding="utf-8") != xml:
        fd, tmp = tempfile.mkstemp(dir=fonts, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(xml)
        os.replace(tmp, path)
    return path
