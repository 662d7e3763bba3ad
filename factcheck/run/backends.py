"""Where extraction runs: in this process, in a local process pool, or on a Dask cluster.

All three run the same function, `iter_extract`, over the same sources, so they return
the same facts in the same order. Each backend yields *outcomes* `(index, facts, error)`:
`index` is the position in the list it was given, and exactly one of `facts` and `error`
is set (an error line for a source whose extraction failed). Outcomes arrive chunk by
chunk, so the caller can store them in the cache as they come.

- The process pool (`--jobs N`) sends chunks of sources to N workers; each worker loads
  the model once, in its initializer.
- The Dask cluster (`--scheduler tcp://host:port`) needs `distributed` (the `cluster`
  extra) on this machine and factcheck plus the model on every worker. The knowledge
  base is broadcast once; each worker process loads the model once and keeps it (the
  model loader is cached per process); results come back here, where they are cached and
  evaluated.

Nothing here imports spaCy at import time.
"""
from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import sys
import threading
from typing import TYPE_CHECKING, Iterator, Sequence

from factcheck.errors import ConfigError, FactcheckError
from factcheck.extract import ExtractionRequest
from factcheck.model import Fact, Source  # noqa: F401 - Fact: in the Outcome alias

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Outcome = tuple[int, "list[Fact] | None", "str | None"]  # (source index, facts, error): one of the two set


MIN_SOURCES_PER_WORKER = 8  # below this a worker's start-up (spaCy + model, ~2 s) costs more than it saves
MAX_CHUNK = 32
CHUNKS_PER_WORKER = 16
CONNECT_TIMEOUT = "10s"


class BudgetOverrun(str):
    """The line of an article whose extraction ran past its time or memory budget: a warning
    (the run goes on; that article's cells are `error`), where other failures are errors."""


def iter_extract(sources: Sequence[Source], request: ExtractionRequest) -> Iterator[Outcome]:
    """Extract in this process, streaming through `nlp.pipe`. An article past its time or
    memory budget is that article's BudgetOverrun, and the stream goes on after it. If the
    stream fails otherwise, the sources it did not finish are redone one by one, so one bad
    article sinks only itself."""
    from factcheck.extract import budget
    from factcheck.extract import pipeline as extract
    from factcheck.extract.budget import OverBudget
    from factcheck.plugin import host

    budget.limit_memory(request.megabytes)
    extractors = host.extractor(request.skip)
    sources = list(sources)
    start = done = 0
    while start < len(sources):
        try:
            for i, (_, got) in enumerate(extract.extract_many(sources[start:], request, extractors), start):
                done = i + 1
                yield i, got, None
            return
        except FactcheckError:
            raise
        except OverBudget as exc:
            yield done, None, failure_line(sources[done], exc)
            start = done = done + 1
        except Exception:  # noqa: BLE001 - retried source by source below
            break
    for i in range(done, len(sources)):
        src = sources[i]
        try:
            yield i, extract.extract_source(src, request, extractors), None
        except FactcheckError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as that source's error
            yield i, None, failure_line(src, exc)


def failure_line(src: Source, exc: Exception) -> str:
    """The one line a source whose extraction failed gets: spaCy's length limit said plainly
    (its E088 text is a paragraph), the time budget as a warning, anything else as `Type: message`."""
    from factcheck.extract.budget import OverBudget

    if isinstance(exc, OverBudget):
        return BudgetOverrun(f"{src.path}: {exc}")
    if "[E088]" in str(exc):
        limit = re.search(r"maximum of (\d+)", str(exc))
        most = f"{int(limit.group(1)):,}" if limit else "1,000,000"
        return (f"{src.path}: is {len(src.text):,} characters, more than the {most} the spaCy model reads at once; "
                "split the article")
    return f"{src.path}: extraction failed: {type(exc).__name__}: {exc}"


def chunks(n: int, workers: int) -> list[range]:
    """Index ranges: about CHUNKS_PER_WORKER chunks per worker, at most MAX_CHUNK sources
    each. Many small chunks even out long and short articles and keep the last chunk short,
    so no worker idles long at the end of a small run."""
    size = max(1, min(MAX_CHUNK, math.ceil(n / (workers * CHUNKS_PER_WORKER))))
    return [range(start, min(n, start + size)) for start in range(0, n, size)]


# --------------------------------------------------------------------------- process pool

_WORKER: dict[str, ExtractionRequest] = {}


def _init_worker(request: ExtractionRequest) -> None:
    """Pool initializer: keep the settings and load the model once per worker. Ctrl-C is the
    parent's to handle (it ends the workers): a worker ignores it, so no worker prints a
    traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is not a worker's
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked while the parent forked (`_spawning`)
    _WORKER["request"] = request
    from factcheck.extract import nlp

    nlp.load(request.model, request.exclude)


def _pool_chunk(batch: list[Source]) -> list[Outcome]:
    return list(iter_extract(batch, _WORKER["request"]))


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _spawning(main: bool) -> Iterator[None]:
    """Ctrl-C and SIGTERM held back (blocked, not lost) while the pool forks its workers: a
    signal landing inside `fork` runs its handler in an at-fork hook, where Python prints the
    KeyboardInterrupt as "Exception ignored" and the run goes on; and a worker forked with the
    parent's handlers would print a traceback of its own. The parent gets the signal as soon
    as the workers exist; a worker unblocks once it ignores SIGINT (`_init_worker`)."""
    if not main:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def pool_workers(n_sources: int, jobs: int) -> int:
    """How many worker processes `jobs` amounts to for `n_sources` (1 means in-process): never
    more than the machine's cores (`--jobs 64` on 2 cores is 2 workers, not 38 and 8.7 GB)."""
    return max(1, min(jobs, os.cpu_count() or 1, n_sources // MIN_SOURCES_PER_WORKER))


class _Terminated(SystemExit):
    """SIGTERM (what `timeout` and a CI cancel send), raised in the main thread so the pool's
    workers are ended before the process exits (exit status 143, as for the signal)."""


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - the signal handler's signature
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second SIGTERM must not interrupt the clean-up
    try:
        sys.stderr.write("factcheck: terminated\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed
        pass
    raise _Terminated(128 + signal.SIGTERM)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now (a run interrupted, terminated or failed): none is left behind,
    and none prints anything on its way out."""
    from concurrent.futures import InvalidStateError

    hook = threading.excepthook

    def quiet(args) -> None:  # the pool's manager thread, settling futures already cancelled
        if not isinstance(args.exc_value, InvalidStateError):
            hook(args)

    threading.excepthook = quiet
    try:
        call_queue = getattr(pool, "_call_queue", None)
        if call_queue is not None:  # its feeder may be blocked writing a chunk no worker will read:
            call_queue.cancel_join_thread()  # the process must not wait for it at exit
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:  # let it see the pool broken and settle its futures before we leave
            manager.join(timeout=5)
        pool.shutdown(wait=False)
    finally:
        threading.excepthook = hook


def run_local(sources: Sequence[Source], request: ExtractionRequest, jobs: int = 1) -> Iterator[Outcome]:
    """Outcomes in source order, from this process or from a pool of `jobs` workers."""
    workers = pool_workers(len(sources), jobs)
    if workers <= 1:
        yield from iter_extract(sources, request)
        return
    from concurrent.futures import ProcessPoolExecutor  # a run served by the cache never imports these
    from concurrent.futures.process import BrokenProcessPool

    parts = chunks(len(sources), workers)
    done = 0
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main else None
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                   initargs=(request,))
        try:
            with _spawning(main):  # map submits every chunk now, and the first submit starts the workers
                results = pool.map(_pool_chunk, [[sources[i] for i in p] for p in parts])
            for part, outcomes in zip(parts, results):
                for i, facts, error in outcomes:
                    yield part.start + i, facts, error
                done = part.stop
        except BaseException:
            _end_workers(pool)
            raise
        pool.shutdown(wait=True)
    except BrokenProcessPool:
        # A worker died (often: the model failed to load). Finish here, where the real
        # error, if any, is raised as itself.
        for i, facts, error in iter_extract(sources[done:], request):
            yield done + i, facts, error
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- Dask


def _cluster_chunk(batch: list[Source], request: ExtractionRequest) -> list[Outcome]:
    """Runs on a Dask worker. The model is loaded on first use and kept by the worker
    process (`factcheck.extract.nlp.load` is cached per process)."""
    return list(iter_extract(batch, request))


CALL_TIMEOUT = 30.0  # seconds for each call to the scheduler that is not the extraction itself
CLOSE_TIMEOUT = 5.0
_MAX_HANDSHAKE = 1 << 20  # a Dask handshake is a few hundred bytes; a banner read as a length is exabytes


def parse_scheduler(address: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a scheduler address (`tcp://host:port`, `tls://host:port`, or
    `host:port` for tcp), or a ConfigError saying what is wrong with it, at once."""
    text = address.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in ("tcp", "tls"):
        raise ConfigError(f"the Dask scheduler address {address!r} has the scheme `{scheme}`; "
                          "factcheck connects over tcp:// or tls://", hint=_ADDRESS_HINT)
    m = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})/?", rest)
    if m is None or not 0 < int(m.group(2)) < 65536:
        raise ConfigError(f"the Dask scheduler address {address!r} is not `{scheme}://host:port`", hint=_ADDRESS_HINT)
    return scheme, m.group(1).strip("[]"), int(m.group(2))


_ADDRESS_HINT = "give it as `tcp://host:port`, for example tcp://127.0.0.1:8786"
_UNREACHABLE_HINT = ("start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                     "or drop --scheduler to run locally")


def probe_scheduler(address: str, seconds: float) -> None:
    """Check, within `seconds` in all, that something at `address` accepts a connection and
    (over tcp) speaks first as a Dask scheduler does: its handshake, a length and then that
    many bytes. A port that accepts and stays silent, or a peer that sends another protocol's
    banner, is one ConfigError line instead of a hang or a MemoryError inside `distributed`.
    The probe runs in a thread of its own, so no name lookup or read outlasts `seconds`."""
    import socket
    import struct
    import time

    scheme, host, port = parse_scheduler(address)
    problem: list[str] = ["did not answer"]  # what the thread found; the default if it never finishes
    deadline = time.monotonic() + seconds

    def left() -> float:
        return max(0.01, deadline - time.monotonic())

    def read(conn, n: int) -> bytes:
        data = b""
        while len(data) < n:
            conn.settimeout(left())
            chunk = conn.recv(min(n - len(data), 65536))
            if not chunk:
                raise ConnectionError("closed the connection")
            data += chunk
        return data

    def run() -> None:
        try:
            with socket.create_connection((host, port), timeout=left()) as conn:
                if scheme == "tls":  # the server waits for our TLS hello: reaching it is all we check here
                    problem[0] = ""
                    return
                (size,) = struct.unpack("<Q", read(conn, 8))
                if not 0 < size <= _MAX_HANDSHAKE:
                    problem[0] = "answered in another protocol, not as a Dask scheduler"
                    return
                read(conn, size)
                problem[0] = ""
        except socket.timeout:
            problem[0] = f"accepted the connection but did not answer within {seconds:g} s"
        except (OSError, ConnectionError, UnicodeError) as exc:
            problem[0] = (exc.strerror or str(exc)) if isinstance(exc, OSError) and exc.strerror else str(exc)

    worker = threading.Thread(target=run, name="factcheck-dask-probe", daemon=True)
    worker.start()
    worker.join(seconds + 0.5)
    if worker.is_alive():
        problem[0] = f"did not answer within {seconds:g} s"
    if problem[0]:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {problem[0]}", hint=_UNREACHABLE_HINT)


def _seconds(timeout: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*", str(timeout))
    if m is None:
        return 10.0
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)


def _client(scheduler: str):
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("running on a cluster needs the `distributed` package",
                          hint="install it with `pip install 'factcheck[cluster]'`") from None
    probe_scheduler(scheduler, _seconds(CONNECT_TIMEOUT))
    scheme, host, port = parse_scheduler(scheduler)
    address = f"{scheme}://{'[' + host + ']' if ':' in host else host}:{port}"
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, MemoryError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {type(exc).__name__}: {exc}",
                          hint=_UNREACHABLE_HINT) from None


def _close(client) -> None:
    """Close the client within CLOSE_TIMEOUT; a scheduler gone quiet is not the run's problem
    (and no traceback at exit)."""
    try:
        client.close(timeout=CLOSE_TIMEOUT)
    except Exception:  # noqa: BLE001 - best effort
        pass


def run_dask(sources: Sequence[Source], request: ExtractionRequest, scheduler: str) -> Iterator[Outcome]:
    """Outcomes from the Dask cluster at `scheduler`, chunk by chunk as they finish (not in
    source order: the index says which source each belongs to)."""
    if not sources:
        return
    from distributed import as_completed

    client = _client(scheduler)
    try:
        try:
            nthreads = client.sync(client.scheduler.ncores, callback_timeout=CALL_TIMEOUT)
            workers = max(1, sum(nthreads.values()))
            parts = chunks(len(sources), workers)
            [request_future] = client.scatter([request], broadcast=True, timeout=CALL_TIMEOUT)  # the KB once per worker
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"the Dask scheduler at {scheduler} stopped answering: {type(exc).__name__}: {exc}",
                              hint=_UNREACHABLE_HINT) from None
        futures = {}
        for p in parts:
            fut = client.submit(_cluster_chunk, [sources[i] for i in p], request_future, pure=False)
            futures[fut] = p
        for fut in as_completed(list(futures), loop=client.loop):
            part = futures[fut]
            try:
                outcomes = fut.result()
            except FactcheckError:
                raise
            except Exception as exc:  # noqa: BLE001 - a lost worker: those sources are errors, not a crash
                outcomes = [(i, None, f"{sources[part.start + i].path}: extraction failed on the cluster: "
                                      f"{type(exc).__name__}: {exc}") for i in range(len(part))]
            for i, facts, error in outcomes:
                yield part.start + i, facts, error
    finally:
        _close(client)
