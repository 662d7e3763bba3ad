"""A Dask scheduler address that leads nowhere useful is one clear line, quickly (issue 18):
a port that accepts and never answers (a local socket server here), a peer that speaks
another protocol first (an SSH-like banner, which `distributed` read as a 2.82 EiB frame and
died of MemoryError), a malformed address; no traceback at exit, and nothing hangs."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest

from factcheck.errors import ConfigError
from factcheck.extract import ExtractionRequest
from factcheck.kb.store import load_kb
from factcheck.model import Source
from factcheck.run import backends, runner

from cache_fixtures import CountingExtractor

SOURCES = [Source("a.txt", "a.txt", "Russia backs the LNA.")]


class Server:
    """A local TCP server that accepts every connection and then says `greeting` (or nothing)."""

    def __init__(self, greeting: bytes = b"") -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.greeting = greeting
        self.conns: list[socket.socket] = []
        self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)  # kept open: the peer waits
            if self.greeting:
                conn.sendall(self.greeting)

    def close(self) -> None:
        self.sock.close()
        for c in self.conns:
            c.close()


@pytest.fixture()
def silent():
    server = Server()
    yield server
    server.close()


@pytest.fixture()
def banner():
    server = Server(b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n")
    yield server
    server.close()


def _extract(address: str):
    return runner.extract_all(SOURCES, ExtractionRequest(load_kb([])), scheduler=address)


def test_a_port_that_accepts_and_never_answers_is_a_config_error_in_time(silent, monkeypatch):
    monkeypatch.setattr(backends, "CONNECT_TIMEOUT", "1s")
    monkeypatch.setattr(backends, "iter_extract", CountingExtractor())
    started = time.monotonic()
    with pytest.raises(ConfigError) as err:
        _extract(silent.address)
    assert time.monotonic() - started < 10  # it hung for ever
    assert err.value.message == (f"cannot reach the Dask scheduler at {silent.address}: "
                                 "accepted the connection but did not answer within 1 s")


def test_a_peer_speaking_another_protocol_is_one_line_not_a_memory_error(banner):
    started = time.monotonic()
    with pytest.raises(ConfigError) as err:
        _extract(banner.address)
    assert time.monotonic() - started < 10
    assert err.value.message == (f"cannot reach the Dask scheduler at {banner.address}: "
                                 "answered in another protocol, not as a Dask scheduler")


@pytest.mark.parametrize("address, says", [
    ("tcp://127.0.0.1:notaport", "is not `tcp://host:port`"),
    ("tcp://[::1", "is not `tcp://host:port`"),
    ("tcp://127.0.0.1:99999", "is not `tcp://host:port`"),
    ("foo://bar:1", "has the scheme `foo`"),
    ("tcp://", "is not `tcp://host:port`"),
])
def test_a_malformed_address_is_one_line_at_once(address, says):
    started = time.monotonic()
    with pytest.raises(ConfigError) as err:
        _extract(address)
    assert time.monotonic() - started < 2
    assert says in err.value.message and "\n" not in err.value.message


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "127.0.0.1:8786", "tls://sched.example.org:8786",
                                     "tcp://[::1]:8786"])
def test_good_addresses_parse(address):
    scheme, host, port = backends.parse_scheduler(address)
    assert port == 8786 and scheme in ("tcp", "tls") and host in ("127.0.0.1", "sched.example.org", "::1")


@pytest.mark.parametrize("kind", ["banner", "malformed"])
def test_the_cli_says_one_line_exits_2_and_prints_no_traceback_at_exit(tmp_path, banner, kind):
    (tmp_path / "r.fc").write_text("mentions(Qatar)\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Qatar hosted talks.\n", encoding="utf-8")
    address = banner.address if kind == "banner" else "tcp://127.0.0.1:port"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "factcheck.cli", "check", "r.fc", "--sources", "a.txt", "--no-cache",
                           "--scheduler", address], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - started < 15  # closing a half-made client took 20 s more, and a traceback
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Dask scheduler" in done.stderr
