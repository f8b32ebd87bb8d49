"""`run.py bench`: throughput and memory, measured as ratios on this machine in one invocation.

(a) the eventsourcing library's own rate: the same number of events saved in batches (one aggregate
    per batch, the size of an average replication) to a fresh SQLite file, one process;
(b) docketsim end to end, events durably stored per second, for the stochastic scenario with
    --jobs 1 and with every core; the same into PostgreSQL (and the library's own rate there) when a
    server is given (--postgres URL or $DOCKETSIM_BENCH_POSTGRES), in a database made for the bench;
(c) the same into memory://;
(d) peak memory (RSS) and wall time of whole `run` commands at -n N and -n 10N, in subprocesses, and the
    events each stored a second against (a), start-up included;
(e) the docket as of a date for a matter of 10,000 events;
(f) a 10-year caseload of about 10,000 matters (one replication) stored and reported (`run caseload --out`),
    wall time and peak memory, beside 3 years at the same rate (memory flat in the number of matters).
(g) outcomes-only replications per second (as an experiment plays them) by the local executor and by a Dask
    LocalCluster of as many workers, the same n (the cluster's start-up not counted).
(h) peak memory (RSS) and wall time of whole `experiment` commands (two points of N/5 and of 10N/5
    replications each) and of `report EXPERIMENT_ID` rebuilding their files from the store, in subprocesses.
(i) the floor: replications per second on one core of `play` into memory and of the same replications'
    skeletons (their SimPy steps, library events and records, no procedure: `sim.runs.floor`), interleaved.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from sim.calendar import is_business_day
from sim.domain.matter import Matter
from sim.runs import floor
from sim.runs.runner import record_run, worker_mapper
from sim.scenario import load
from sim.specimen import START, Clerk, opened
from sim.store import DocketStore, open_store
from sim.store.url import parse
from sim.views.narrative import running

SCENARIO = "microsoft_ireland_stochastic"
ROOT = Path(__file__).resolve().parents[2]  # the checkout, where run.py is


class Tick(Aggregate):
    """A minimal aggregate for the library's baseline: one event per tick."""

    @event("Ticked")
    def tick(self, n: int) -> None:
        self.n = n


def library_rate(total_events: int, batch: int, path: Path, env: dict[str, str] | None = None) -> float:
    """Events per second the library saves to SQLite (or to the store `env` names), `batch` events per save,
    in one process."""
    app = Application(env=env or {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    started = time.perf_counter()
    saved = 0
    while saved < total_events:
        tick = Tick()
        for i in range(min(batch, total_events - saved) - 1):
            tick.tick(n=i)
        saved += len(tick.pending_events)
        app.save(tick)
    return saved / (time.perf_counter() - started)


def docketsim_rate(store_url: str, n: int, jobs: int) -> tuple[float, int]:
    """Events stored per second by `record_run`, and the number of events."""
    store = open_store(store_url, create=True)
    before = store.recorder.max_notification_id() or 0
    started = time.perf_counter()
    record_run(store, load(SCENARIO), seed=0, replications=n, jobs=jobs)
    elapsed = time.perf_counter() - started
    events = (store.recorder.max_notification_id() or 0) - before
    return events / elapsed, events


@contextlib.contextmanager
def bench_database(server: str) -> Iterator[str]:
    """A database made on `server` for the bench, dropped afterwards: its URL."""
    import psycopg

    settings = parse(server).postgres or {}
    name = f"docketsim_bench_{uuid.uuid4().hex[:8]}"
    connect = {k: v for k, v in settings.items() if k != "password"} | {"password": settings["password"] or None}
    with psycopg.connect(**connect, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(**connect, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_rates(server: str, n: int, events: int, batch: int, cores: int) -> dict[str, float]:
    """(a) and (b) on PostgreSQL."""
    with bench_database(server) as url:
        settings = parse(url).postgres or {}
        env = {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": settings["dbname"],
               "POSTGRES_HOST": settings["host"], "POSTGRES_PORT": settings["port"],
               "POSTGRES_USER": settings["user"], "POSTGRES_PASSWORD": settings["password"]}
        library = library_rate(events, batch, Path(), env)
    rates = {"a_library_postgres_events_per_s": library}
    for jobs, key in ((1, "b_postgres_jobs1_events_per_s"), (cores, "b_postgres_jobsN_events_per_s")):
        with bench_database(server) as url:
            rates[key] = docketsim_rate(url, n, jobs)[0]
    return rates


def executor_rate(kind: str, n: int, jobs: int) -> tuple[float, float]:
    """Outcomes-only replications per second through executor `kind` (local processes or a Dask LocalCluster
    of `jobs` workers), in batches as an experiment sends them; and the seconds the executor took to start."""
    from sim.runs.executors import Batch, executor
    from sim.runs.experiment import BATCH, SAMPLE_RUN

    scenario = load(SCENARIO)
    started = time.perf_counter()
    with executor(kind, None, jobs) as where:
        ready = time.perf_counter()
        played = sum(len(rows) for rows in where.play(Batch(scenario, SAMPLE_RUN, 0, low, min(n, low + BATCH))
                                                       for low in range(0, n, BATCH)))
        done = time.perf_counter()
    return played / (done - ready), ready - started


def whole_run(n: int, jobs: int, folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, largest process) of `run.py run` in a fresh subprocess."""
    return whole_command("run", SCENARIO, "-n", str(n), "--jobs", str(jobs),
                         "--store", f"sqlite:///{folder / f'mem{n}.sqlite'}")


def rows_in(path: Path) -> int:
    """The stored events (rows) in an SQLite store file."""
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]


def whole_command(*args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest of its processes) of `run.py ARGS` in a fresh subprocess."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, str(ROOT / "run.py"), *args],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


# (h): an experiment of two points (a grid over one figure, both ends of its range), so that its size is the
# replications a point: what a point holds while it is played, stored and read back is what could grow.
MEMORY_EXPERIMENT = f"""[experiment]
name = "bench_memory"
scenario = "{SCENARIO}"
design = "grid"
replications = {{n}}
seed = 0
[factors]
"provider.complies_after_loss.p" = [0.6, 1.0]
"""


def experiment_memory(n: int, jobs: int, folder: Path) -> dict[str, float]:
    """Wall seconds and peak RSS of `experiment` (2 points of `n` replications, into a fresh SQLite file) and
    of `report EXPERIMENT_ID` rebuilding its files from that store, each in a fresh subprocess."""
    from sim.runs.experiment_file import load as load_experiment
    from sim.store.outcomes import Experiment

    path = folder / f"experiment{n}.toml"
    path.write_text(MEMORY_EXPERIMENT.format(n=n), encoding="utf-8")
    store = f"sqlite:///{folder / f'experiment{n}.sqlite'}"
    played = whole_command("experiment", str(path), "--jobs", str(jobs), "--store", store,
                           "--out", str(folder / f"experiment{n}"))
    experiment_id = str(Experiment.create_id(load_experiment(str(path)).text_hash))
    reported = whole_command("report", experiment_id, "--store", store, "--out", str(folder / f"report{n}"))
    return {"experiment_s": played[0], "experiment_mib": played[1], "report_s": reported[0],
            "report_mib": reported[1]}


def experiment_memory_figures(n: int, big: int, jobs: int, folder: Path, say: Any = print) -> dict[str, float]:
    """(h) at `n` and `big` replications a point."""
    small, large = experiment_memory(n, jobs, folder), experiment_memory(big, jobs, folder)
    figures = {f"h_{key}_{label}": value for label, found in (("small", small), ("big", large))
               for key, value in found.items()}
    for what in ("experiment", "report"):
        ratio = large[f"{what}_mib"] / small[f"{what}_mib"]
        figures[f"h_{what}_memory_ratio"] = ratio
        say(f"(h) {what}, 2 points x {n:,}: {small[f'{what}_s']:.1f} s, peak {small[f'{what}_mib']:.0f} MiB; "
            f"2 points x {big:,}: {large[f'{what}_s']:.1f} s, peak {large[f'{what}_mib']:.0f} MiB; memory ratio "
            f"{ratio:.2f} (target <= 1.3)")
    return figures


CASELOAD = "caseload"
CASELOAD_YEARS = 10


# The bundled caseload's court of appeals falls behind (clearance about 0.75): its backlog, and the memory of
# the matters in it, grow for the whole horizon. The bench gives it the places to keep up, so that what it
# measures is the cost of the matters, not of a backlog without end.
KEEPS_UP = {"circuit": 1.6}


def scaled_judges(per_year: int) -> list[str]:
    """--set flags giving each court's judges the bundled caseload's load at `per_year` warrants a year (the
    matters each judge carries scaled with the arrivals; the circuit's `KEEPS_UP`)."""
    from sim.scenario import load

    base = load(CASELOAD).caseload
    assert base is not None
    ratio = per_year / base.arrivals.per_year
    flags = []
    for court in ("magistrate", "district", "circuit", "supreme"):
        bench = getattr(base.judges, court)
        each = max(1, round(bench.matters_each * ratio * KEEPS_UP.get(court, 1.0)))
        flags += ["--set", f'caseload.judges.{court}={{ judges = {bench.judges}, matters_each = {each}, '
                           f'assumption = "bench: the bundled load scaled to {per_year} a year" }}']
    return flags


# Runs a command; prints its wall seconds, the peak RSS of its largest process (KiB), its CPU seconds (user and
# system, every process) and the peak of the RSS summed over its process tree (KiB, sampled every 0.1 s).
TREE_PROBE = """
import os, resource, subprocess, sys, time

def tree_rss(root):
    children = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(pid))
        except OSError:
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total

t = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    peak = max(peak, tree_rss(child.pid))
    time.sleep(0.1)
assert child.returncode == 0, child.returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime, peak)
"""
CASELOAD_JOBS = 2  # the caseload line's worker processes: one plays the world while this one stores it


@attrs.frozen
class CaseloadFigures:
    """One caseload bench run: wall and CPU seconds, peak RSS (MiB) of its largest process and of all its
    processes together, and its matters."""

    wall: float
    cpu: float
    rss: float
    tree_rss: float
    matters: int


def caseload_run(per_year: int, folder: Path, years: int = CASELOAD_YEARS,
                 jobs: int = CASELOAD_JOBS) -> CaseloadFigures:
    """`run.py run caseload --out --jobs JOBS` over `years` at `per_year` warrants a year (judges scaled to
    match), in a fresh subprocess."""
    out_dir = folder / f"caseload{per_year}-{years}-{jobs}"
    out = subprocess.run([sys.executable, "-c", TREE_PROBE, sys.executable, str(ROOT / "run.py"), "run", CASELOAD,
                          "--set", f"caseload.horizon_years={years}",
                          "--set", f"caseload.arrivals.per_year={per_year}", *scaled_judges(per_year),
                          "--jobs", str(jobs), "--out", str(out_dir),
                          "--store", f"sqlite:///{folder / f'caseload{per_year}-{years}-{jobs}.sqlite'}"],
                         check=True, capture_output=True, text=True).stdout.split()
    with (out_dir / "outcomes.csv").open() as f:
        matters = sum(1 for _ in f) - 1
    return CaseloadFigures(float(out[0]), float(out[2]), int(out[1]) / 1024, int(out[3]) / 1024, matters)


def caseload_figures(folder: Path, say: Any = print) -> dict[str, float]:
    """(f): the 10-year caseload of about 10,000 matters, and the same rate over 3 years (about 3,000 matters)
    for the memory ratio (memory follows the matters open at once, not the matters played), each with a worker
    playing the world while the writer stores it (`CASELOAD_JOBS`). Wall time depends on what else the machine
    runs; CPU time (user and system, both processes) much less."""
    small = caseload_run(1000, folder, 3)
    big = caseload_run(1000, folder)
    say(f"(f) caseload, {CASELOAD_YEARS} years, stored and reported (--jobs {CASELOAD_JOBS}): {big.matters:,} matters "
        f"in {big.wall:.1f} s (target < 60 s; CPU {big.cpu:.1f} s), peak {big.tree_rss:.0f} MiB for its processes "
        f"together, {big.rss:.0f} MiB the largest (target < 300 MiB); 3 years, {small.matters:,} matters in "
        f"{small.wall:.1f} s (CPU {small.cpu:.1f} s), peak {small.tree_rss:.0f} MiB together; memory ratio "
        f"{big.tree_rss / small.tree_rss:.2f} for {big.matters / small.matters:.1f} x the matters")
    return {"caseload_matters": big.matters, "caseload_s": big.wall, "caseload_cpu_s": big.cpu,
            "caseload_rss_mib": big.tree_rss, "caseload_largest_rss_mib": big.rss,
            "caseload_small_matters": small.matters, "caseload_small_s": small.wall,
            "caseload_small_cpu_s": small.cpu, "caseload_small_rss_mib": small.tree_rss}


def long_matter(store: DocketStore, events: int) -> str:
    """A lawful matter of `events` events (a motion filed and ruled each business day), saved in batches
    so the store takes its snapshots; returns its id."""
    matter = opened()
    clerk = Clerk(matter)
    clerk.enter(Matter.WarrantApplied, party="government")
    clerk.enter(Matter.WarrantIssued)
    clerk.enter(Matter.WarrantServed)
    day = 0
    while matter.version < events:
        day += 1
        if not is_business_day(START + dt.timedelta(days=day)):
            continue
        clerk.enter(Matter.MotionFiled, day, party="provider", motion_id=f"m{day}", kind="vacate")
        clerk.enter(Matter.MotionRuled, day, motion_id=f"m{day}", disposition="denied")
        if len(matter.pending_events) >= 500:
            store.save(matter)
    store.save(matter)
    return str(matter.id)


def as_of_timing(folder: Path, events: int = 10_000, repeats: int = 20) -> dict[str, float]:
    """Median milliseconds for `matter_as_of` (state and running deadlines) on a long matter, from a
    reopened SQLite store: at the middle and at the end."""
    url = f"sqlite:///{folder / 'long.sqlite'}"
    matter_id = long_matter(open_store(url, create=True), events)
    store = open_store(url)
    last = store.matter_events_between(matter_id, events - 1, events)[0]
    timings = {}
    for label, when in (("middle", START + dt.timedelta(days=events // 4)),
                        ("end", dt.date.fromisoformat(last.date))):
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            running(store.matter_as_of(matter_id, when), when)
            samples.append((time.perf_counter() - started) * 1000)
        timings[f"as_of_{label}_ms"] = statistics.median(samples)
    return timings


def floor_figures(n: int, say: Any = print, rounds: int = 3) -> dict[str, float]:
    """(i): `play` and its skeleton, `n` replications a round, `rounds` rounds alternating (medians)."""
    found = floor.rates(load(SCENARIO), worker_mapper(), n, rounds)
    full, bare = found["play_replications_per_s"], found["floor_replications_per_s"]
    say(f"(i) one core, {n:,} replications x {rounds} rounds: play into memory {full:,.0f} replications/s; their "
        f"skeletons ({found['steps_per_replication']:.1f} SimPy steps, {found['events_per_replication']:.1f} "
        f"library events mapped, no procedure) {bare:,.0f}/s = {bare / full:.1f} x play: the most any work on "
        f"the procedure can gain")
    return found


def bench(n: int = 5000, memory_n: int | None = None, say: Any = print, postgres: str | None = None,
          caseload_only: bool = False, experiment_only: bool = False, floor_only: bool = False) -> dict[str, float]:
    """Measure everything (`caseload_only`: only (f); `experiment_only`: only (h); `floor_only`: only (i)); `say`
    prints each figure as it comes; `postgres`: a server's URL for the PostgreSQL figures (skipped, saying so,
    without one)."""
    if floor_only:
        return floor_figures(max(10, n // 10), say)
    if caseload_only:
        with tempfile.TemporaryDirectory() as tmp:
            return caseload_figures(Path(tmp), say)
    cores = os.cpu_count() or 1
    memory_n = memory_n or 10 * n
    if experiment_only:
        with tempfile.TemporaryDirectory() as tmp:
            return experiment_memory_figures(n // 5, memory_n // 5, cores, Path(tmp), say)
    figures: dict[str, float] = {"n": n, "cores": cores}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        say(f"docketsim bench: {SCENARIO}, n = {n:,}, {cores} cores")
        rate1, events = docketsim_rate(f"sqlite:///{folder / 'j1.sqlite'}", n, 1)
        batch = max(1, round(events / n))
        figures["a_library_events_per_s"] = library_rate(events, batch, folder / "lib.sqlite")
        say(f"(a) eventsourcing saving {events:,} events, {batch} per save, to SQLite: "
            f"{figures['a_library_events_per_s']:,.0f} events/s")
        figures["b_sqlite_jobs1_events_per_s"] = rate1
        figures["b_sqlite_jobsN_events_per_s"] = docketsim_rate(f"sqlite:///{folder / 'jn.sqlite'}", n, cores)[0]
        figures["c_memory_jobs1_events_per_s"] = docketsim_rate("memory://", n, 1)[0]
        figures["c_memory_jobsN_events_per_s"] = docketsim_rate("memory://", n, cores)[0]
        a = figures["a_library_events_per_s"]
        for label, key in (("(b) docketsim -> SQLite, --jobs 1", "b_sqlite_jobs1"),
                           (f"(b) docketsim -> SQLite, --jobs {cores}", "b_sqlite_jobsN"),
                           ("(c) docketsim -> memory, --jobs 1", "c_memory_jobs1"),
                           (f"(c) docketsim -> memory, --jobs {cores}", "c_memory_jobsN")):
            rate = figures[f"{key}_events_per_s"]
            figures[f"{key}_over_a"] = rate / a
            say(f"{label}: {rate:,.0f} events/s = {rate / a:.2f} x (a)")
        figures["speedup_sqlite"] = figures["b_sqlite_jobsN_events_per_s"] / figures["b_sqlite_jobs1_events_per_s"]
        figures["speedup_memory"] = figures["c_memory_jobsN_events_per_s"] / figures["c_memory_jobs1_events_per_s"]
        say(f"parallel speedup ({cores} cores vs 1): SQLite {figures['speedup_sqlite']:.2f} x, "
            f"memory {figures['speedup_memory']:.2f} x")
        if not postgres:
            say("(a), (b) PostgreSQL: skipped (no server: pass --postgres postgresql://USER@HOST/DB)")
        else:
            try:
                figures.update(postgres_rates(postgres, n, events, batch, cores))
            except Exception as e:  # the server's errors (psycopg's too) end this part only, in one line
                say(f"(a), (b) PostgreSQL: skipped ({(str(e).splitlines() or [type(e).__name__])[0]})")
            else:
                pg = figures["a_library_postgres_events_per_s"]
                say(f"(a) eventsourcing saving {events:,} events, {batch} per save, to PostgreSQL: {pg:,.0f} events/s")
                for label, key in (("--jobs 1", "b_postgres_jobs1"), (f"--jobs {cores}", "b_postgres_jobsN")):
                    rate = figures[f"{key}_events_per_s"]
                    say(f"(b) docketsim -> PostgreSQL, {label}: {rate:,.0f} events/s = {rate / pg:.2f} x (a, "
                        f"PostgreSQL), {rate / a:.2f} x (a, SQLite)")
        t_small, rss_small = whole_run(n, cores, folder)
        t_big, rss_big = whole_run(memory_n, cores, folder)
        figures.update(time_small_s=t_small, time_big_s=t_big, rss_small_mib=rss_small, rss_big_mib=rss_big,
                       memory_ratio=rss_big / rss_small, time_ratio=t_big / t_small, memory_n=memory_n)
        say(f"(d) whole run -n {n:,}: {t_small:.1f} s, peak {rss_small:.0f} MiB; -n {memory_n:,}: {t_big:.1f} s, "
            f"peak {rss_big:.0f} MiB; memory ratio {rss_big / rss_small:.2f} (target <= 1.3), "
            f"time ratio {t_big / t_small:.1f} (linear: {memory_n / n:.0f})")
        for size, seconds in ((n, t_small), (memory_n, t_big)):  # start-up included: the command as a user runs it
            rate = figures[f"d_whole_run_{size}_events_per_s"] = rows_in(folder / f"mem{size}.sqlite") / seconds
            figures[f"d_whole_run_{size}_over_a"] = rate / a
            say(f"(d) whole run -n {size:,} --jobs {cores} -> SQLite, start-up included: {rate:,.0f} events/s = "
                f"{rate / a:.2f} x (a) (issue 20: 1.5 x at -n 20,000 on 2 cores)")
        figures.update(experiment_memory_figures(n // 5, memory_n // 5, cores, folder, say))
        figures.update(as_of_timing(folder))
        say(f"(e) docket as of a date, matter of 10,000 events (snapshots every 100): middle "
            f"{figures['as_of_middle_ms']:.1f} ms, end {figures['as_of_end_ms']:.1f} ms (target < 50 ms)")
        figures.update(caseload_figures(folder, say))
        for kind, label in (("local", f"local executor, {cores} processes"),
                            ("dask", f"Dask LocalCluster, {cores} workers")):
            try:
                rate, start = executor_rate(kind, n, cores)
            except Exception as e:  # dask missing or a cluster that will not start: this line only
                say(f"(g) outcomes only, {label}: skipped ({(str(e).splitlines() or [type(e).__name__])[0]})")
                continue
            figures[f"g_{kind}_replications_per_s"] = rate
            say(f"(g) outcomes only (as an experiment), {label}: {rate:,.0f} replications/s "
                f"({rate / cores:,.0f} a core; start-up {start:.1f} s not counted)")
    figures.update(floor_figures(max(10, n // 10), say))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"bench process peak RSS {peak:.0f} MiB")
    return figures
