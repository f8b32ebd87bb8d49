"""Where a caseload's replications are played: here, or by worker processes while this process writes.

Each replication is one world (`sim.engine.world`) and is never split. With one job this process plays each
replication itself. With more, worker processes play the replications, a replication each at a time, and
each writes its matters as they end, framed and flushed, into a file of a temporary folder; this process (the
single writer) reads the replication it is storing from its file as it grows, and the later ones once it is
done, so playing and storing overlap even for one replication, and the matters come in the very order the
world ended them whatever `jobs` (the same store and files). At most `jobs + 1` replications' files exist at
once, each removed once read.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any
from uuid import UUID

from sim.engine import world
from sim.errors import Fault
from sim.runs.runner import replication_seed, worker_pool, worker_started
from sim.scenario import Scenario

Ended = Callable[[UUID, bool, list[Any]], None]  # a matter's id, whether open at the horizon, its new events
Playing = Callable[[Ended], world.Played]
POLL_SECONDS = 0.02  # how long the writer waits for a worker's next matter
_HEADER = 8


def replications(scenario: Scenario, run_id: str, seed: int, start: int, stop: int,
                 jobs: int) -> Iterator[tuple[int, Playing]]:
    """Each replication start..stop-1 in order, with a way to play it that hands each matter to a callback in
    the order its world ended them: in this process (one job), or read from a worker's file (more)."""
    if jobs <= 1:
        for replication in range(start, stop):
            yield replication, lambda ended, replication=replication: _here(scenario, run_id, replication, seed,
                                                                             ended)
        return
    workers = min(jobs, stop - start)
    with tempfile.TemporaryDirectory(prefix="docketsim-caseload-") as folder, \
            worker_pool(workers, worker_started) as pool:
        queued: deque[tuple[int, str, Future[None]]] = deque()
        upcoming = iter(range(start, stop))

        def submit() -> None:
            replication = next(upcoming, None)
            if replication is not None:
                path = os.path.join(folder, f"replication-{replication}.frames")
                queued.append((replication, path, pool.submit(_into_file, scenario, run_id, replication, seed, path)))

        for _ in range(workers + 1):
            submit()
        while queued:
            replication, path, future = queued.popleft()
            yield replication, lambda ended, path=path, future=future: _from_file(path, future, ended)
            submit()


def _here(scenario: Scenario, run_id: str, replication: int, seed: int, ended: Ended) -> world.Played:
    return world.play(scenario, run_id, replication, replication_seed(seed, replication),
                      lambda done: ended(done.matter.id, done.pending, done.matter.collect_events()))


def _into_file(scenario: Scenario, run_id: str, replication: int, seed: int, path: str) -> None:
    """In a worker: play one replication, each matter framed into `path` as it ends (flushed, so the writer
    can read it at once), what the world measured last."""
    with open(path, "wb") as f:
        def frame(item: Any) -> None:
            data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            f.write(len(data).to_bytes(_HEADER, "little") + data)
            f.flush()

        played = world.play(scenario, run_id, replication, replication_seed(seed, replication),
                            lambda done: frame((done.matter.id, done.pending, done.matter.collect_events())))
        frame(played)


def _from_file(path: str, future: Future[None], ended: Ended) -> world.Played:
    """The writer's side: each matter a worker framed into `path`, as it comes; what the world measured."""
    with _opened(path, future) as f:
        while True:
            item = _next_frame(f, future)
            if isinstance(item, world.Played):
                break
            ended(*item)
    future.result()
    os.remove(path)
    return item


@contextlib.contextmanager
def _opened(path: str, future: Future[None]) -> Iterator[Any]:
    while not os.path.exists(path):  # the worker has not begun this replication yet
        _check(future)
        time.sleep(POLL_SECONDS)
    with open(path, "rb") as f:
        yield f


def _next_frame(f: Any, future: Future[None]) -> Any:
    """The next whole frame of the file, waiting while the worker writes it."""
    at = f.tell()
    while True:
        finished = future.done()  # before reading: a worker done has written all it will
        header = f.read(_HEADER)
        if len(header) == _HEADER:
            size = int.from_bytes(header, "little")
            data = f.read(size)
            if len(data) == size:
                return pickle.loads(data)
        f.seek(at)
        _check(future)
        if finished:  # done without its last frame: the file was cut
            raise Fault(f"a caseload worker ended without writing its replication whole ({f.name})")
        time.sleep(POLL_SECONDS)


def _check(future: Future[None]) -> None:
    """A worker's failure, raised here (a dead worker: the pool's BrokenProcessPool)."""
    if future.done() and future.exception() is not None:
        raise future.exception()  # type: ignore[misc]
