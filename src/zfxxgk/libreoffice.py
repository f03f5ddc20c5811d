"""LibreOffice headless as a converter and as a real spreadsheet engine.

LibreOffice (7.4, default settings) recalculates on load only formulas without a stored result, so a
private profile sets "Recalculation on File Load: Always" (``OOXMLRecalcMode=0``) for every run. The
profile lives in a temporary directory, so a user's own LibreOffice settings are never touched and
concurrent runs do not collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .messages import MessageError

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

# The 公文 fonts are not free; when rendering here, fontconfig substitutes them as follows (Debian's
# fonts-noto-cjk). A machine with the real fonts installed uses them instead.
FONT_FALLBACKS = {
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"),
    "仿宋_GB2312": ("FangSong_GB2312", "FangSong", "Noto Serif CJK SC"),
    "仿宋": ("FangSong", "Noto Serif CJK SC"),
    "楷体_GB2312": ("KaiTi_GB2312", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "楷体": ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC"),
    "宋体": ("SimSun", "Noto Serif CJK SC"),
}

FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "ods": "ods",
    "xls": "xls:MS Excel 97",
    "pdf": "pdf",
    "docx": "docx:MS Word 2007 XML",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76",
}


class LibreOfficeError(MessageError, RuntimeError):
    """LibreOffice is missing or a conversion produced no file; :meth:`text` in either language."""


def soffice() -> str | None:
    """Path of the soffice binary, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _fontconfig() -> str:
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in prefer)
        + "</prefer></alias>"
        for name, prefer in FONT_FALLBACKS.items()
    )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + aliases + "</fontconfig>"
    )


def convert(files: Sequence[str | Path], to: str, outdir: str | Path, timeout: float = 300) -> list[Path]:
    """Convert files with a fresh profile that recalculates every formula on load.

    ``to`` is a key of :data:`FILTERS` or a raw ``--convert-to`` argument. Returns the output paths
    in input order; raises :class:`LibreOfficeError` if any is missing.
    """
    binary = soffice()
    if binary is None:
        raise LibreOfficeError("common.libreoffice-missing")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    target = FILTERS.get(to, to)
    ext = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="zfxxgk-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        cmd = [
            binary,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        fonts = Path(profile) / "fonts.conf"
        fonts.write_text(_fontconfig(), encoding="utf-8")
        env = {**os.environ, "HOME": profile, "FONTCONFIG_FILE": str(fonts)}
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    outputs = [outdir / (Path(f).stem + "." + ext) for f in files]
    missing = [str(p) for p in outputs if not p.exists()]
    if missing:
        raise LibreOfficeError("common.libreoffice-failed", missing=missing, output=f"{proc.stdout}\n{proc.stderr}")
    return outputs
