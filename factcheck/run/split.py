"""A warm run's evaluation in two processes.

When most sources of a run are in the fact cache, reading their facts and evaluating the
rules on them is nearly the whole run (seconds at 2,000 sources; spaCy is never loaded).
With `jobs` of 2 or more, a forked child reads and evaluates half of the cached sources
while this process does the rest, then sends back what it kept (`Evaluation.share`), which
is merged (`Evaluation.merge`): the verdicts one process gives, in about half the time.

The child is a fork: it inherits the rules and the knowledge base and loads nothing again.
It opens the cache on its own connection (SQLite connections do not cross a fork) and ends
with `os._exit`, so nothing of the parent's (buffers, atexit hooks, the open cache) runs
twice. Where fork is not available, or the child fails in any way, this process evaluates
those sources itself; an interrupted or failing run kills the child (`close`).
"""
from __future__ import annotations

import os
import pickle
import signal
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from factcheck.run.evaluation import Evaluation, Shared

FORK_FROM = 64  # cached sources; fewer are evaluated in less time than a fork costs


class Half:
    """The child's share of a run: `theirs` (source indices) it evaluates, `remaining` the
    indices left to this process. `join` merges the child's verdicts into the Evaluation and
    returns the indices of its share it did not do (none, unless it failed)."""

    def __init__(self, pid: int, fd: int, theirs: list[int], total: int) -> None:
        self.pid = pid
        self._fd = fd
        self.theirs = theirs
        taken = set(theirs)
        self.remaining = [i for i in range(total) if i not in taken]

    def join(self, evaluation: "Evaluation") -> list[int]:
        chunks = []
        try:
            while chunk := os.read(self._fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._fd)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                raise ValueError("the child failed")
            done, shared = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - whatever went wrong there, the sources are evaluated here
            return list(self.theirs)
        evaluation.merge(shared)
        missing = set(self.theirs) - set(done)
        return [i for i in self.theirs if i in missing]

    def close(self) -> None:
        """Kill the child if it is still there (the run was interrupted or failed)."""
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0


def fork_half(total: int, keys: Sequence[str], cached: set[str], share: Callable[[list[int]], "Shared"],
              work: Callable[[list[int]], list[int]]) -> Half | None:
    """Start a child on the later half of the cached sources (`keys` of every source; `cached`
    the keys the cache holds): it runs `work(indices)`, which adds those sources to its copy of
    the evaluation and returns the ones it did, and sends back what they added (`share(done)`,
    `Evaluation.share`). None when that would not pay or fork is not available."""
    mine = [i for i, key in enumerate(keys) if key in cached]
    if len(mine) < FORK_FROM or not hasattr(os, "fork"):
        return None
    theirs = mine[len(mine) // 2:]
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _die_with(parent)
        _child(write_end, share, work, theirs)
    os.close(write_end)
    return Half(pid, read_end, theirs, total)


def _die_with(parent: int) -> None:
    """On Linux, the kernel kills the child when the parent dies (a SIGKILL or SIGTERM that
    the parent could not pass on), so no child outlives a run; elsewhere the child ends by
    itself within its share's time (its write to the closed pipe fails)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _child(fd: int, share: Callable[[list[int]], "Shared"], work: Callable[[list[int]], list[int]],
           theirs: list[int]) -> None:
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills the child
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        done = work(theirs)
        data = memoryview(pickle.dumps((done, share(done)), protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(fd, data):]
        code = 0
    except BaseException:  # noqa: BLE001 - the parent redoes the share; nothing is printed twice
        code = 1
    finally:
        os._exit(code)
