"""The real server for the serve tests: Uvicorn on 127.0.0.1 (a free port) over SQLite or a throwaway PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
ADMIN, PASSWORD = "clerk", "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LINK = re.compile(r'<code class="link">([^<]+)</code>')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(SRC), e.get("PYTHONPATH", "")])
    e["ZFXXGK_ADMIN_PASSWORD"] = PASSWORD
    return e


def zfxxgk(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zfxxgk.cli", *args], env=env(), capture_output=True, text=True,
                          timeout=120, check=False, **kw)  # type: ignore[call-overload]  # fmt: skip


@dataclass
class Server:
    """One running ``zfxxgk serve`` process."""

    data: Path
    db: str | None
    extra: tuple[str, ...] = ()
    wait: float = 60  # seconds a start may take
    port: int = 0
    proc: subprocess.Popen[str] | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.data.parent / f"server-{self.data.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def args(self) -> list[str]:
        return ["--data", str(self.data), *(["--db", self.db] if self.db else []), *self.extra]

    def start(self) -> Server:
        self.port = free_port()
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "zfxxgk.cli", "serve", *self.args(), "--port", str(self.port), "--workers", "2"],
                env=env(), stdout=log, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
        deadline = time.monotonic() + self.wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text())
            try:
                if httpx.get(self.url + "/admin/login", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def admin(self) -> Admin:
        return Admin(self)

    def agency(self, link: str) -> AgencyClient:
        return AgencyClient(httpx.Client(base_url=self.url, timeout=120, follow_redirects=True), link.split("/a/", 1)[1])


class Admin:
    """A signed-in county clerk."""

    def __init__(self, server: Server) -> None:
        self.c = httpx.Client(base_url=server.url, timeout=300, follow_redirects=True)
        page = self.c.get("/admin/login")
        r = self.c.post("/admin/login", data={"username": ADMIN, "password": PASSWORD, "csrf": csrf(page.text)})
        assert r.status_code == 200 and "/admin/login" not in str(r.url), r.text
        self.csrf = csrf(r.text)

    def new_round(self, year: int = 2025, spec: str = "national-2021", deadline: str = "2026-01-31", name: str = "示范县") -> int:
        r = self.c.post("/admin/rounds", data={"year": year, "spec": spec, "deadline": deadline, "name": name, "csrf": self.csrf})
        assert r.status_code == 200, r.text
        return int(str(r.url).rsplit("/", 1)[1])

    def roster(self, round_id: int, body: str, name: str = "花名册.csv") -> dict[str, str]:
        r = self.c.post(f"/admin/round/{round_id}/roster", data={"csrf": self.csrf},
                        files={"file": (name, body.encode("utf-8"))})  # fmt: skip
        assert r.status_code == 200, r.text
        rows = re.findall(r"<tr><td>([^<]+)</td><td><code class=\"link\">([^<]+)</code>", r.text)
        return {html_unescape(n): link for n, link in rows}

    def agency_id(self, round_id: int, name: str) -> int:
        page = self.c.get(f"/admin/round/{round_id}").text
        m = re.search(rf'href="/admin/round/{round_id}/agency/(\d+)">{re.escape(name)}<', page)
        assert m, page
        return int(m.group(1))

    def decide(self, round_id: int, agency_id: int, kind: str, comment: str = "") -> httpx.Response:
        page = self.c.get(f"/admin/round/{round_id}/agency/{agency_id}").text
        sub = re.search(r'name="submission" value="(\d+)"', page)
        assert sub, page
        return self.c.post(f"/admin/round/{round_id}/agency/{agency_id}/decide",
                           data={"submission": sub.group(1), "kind": kind, "comment": comment, "csrf": self.csrf})  # fmt: skip


class AgencyClient:
    """An agency with its link."""

    def __init__(self, client: httpx.Client, token: str) -> None:
        self.c, self.token = client, token

    def page(self) -> httpx.Response:
        return self.c.get(f"/a/{self.token}")

    def upload(self, data: bytes, name: str = "报表.xlsx") -> httpx.Response:
        token_csrf = csrf(self.page().text)
        return self.c.post(f"/a/{self.token}/upload", data={"csrf": token_csrf}, files={"file": (name, data)})


def csrf(page: str) -> str:
    m = CSRF.search(page)
    assert m, page
    return m.group(1)


def html_unescape(s: str) -> str:
    import html

    return html.unescape(s)


@dataclass
class Postgres:
    socket_dir: Path
    port: int

    def new_database(self, name: str) -> str:
        subprocess.run(["runuser", "-u", "postgres", "--", "createdb", "-h", str(self.socket_dir), "-p", str(self.port), name],
                       check=True, capture_output=True)  # fmt: skip
        return f"postgresql://postgres@/{name}?host={self.socket_dir}&port={self.port}"


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postgres]:
    """A throwaway PostgreSQL server (Debian's postgresql package; the suite runs as root)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("needs Debian's postgresql and root (scripts/test.sh installs it)")
    binary = bins[-1]
    root = Path("/tmp") / f"zfxxgk-pg-{os.getpid()}"  # short: a socket path has at most 107 bytes
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(mode=0o755)
    (root / "data").mkdir()
    shutil.chown(root, "postgres")
    shutil.chown(root / "data", "postgres")
    port = free_port()
    run = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run, str(binary / "initdb"), "-D", str(root / "data"), "-A", "trust", "-E", "UTF8"], check=True,
                   capture_output=True)  # fmt: skip
    opts = f"-k {root} -F -c fsync=off -c listen_addresses='' -p {port}"
    subprocess.run([*run, str(binary / "pg_ctl"), "-D", str(root / "data"), "-o", opts, "-w", "-l", str(root / "log"), "start"],
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield Postgres(root, port)
    finally:
        subprocess.run([*run, str(binary / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """A started server with an admin, over SQLite and over PostgreSQL."""
    db = None
    if request.param == "postgres":
        db = request.getfixturevalue("postgres").new_database(f"t{os.getpid()}_{abs(hash(tmp_path.name)) % 10**8}")
    srv = Server(tmp_path / "data", db)
    done = zfxxgk("serve", *srv.args(), "--create-admin", ADMIN)
    assert done.returncode == 0, done.stderr
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "data", None)
    assert zfxxgk("serve", *srv.args(), "--create-admin", ADMIN).returncode == 0
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
