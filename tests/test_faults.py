"""Faults of the environment: a full disk, a read-only file or medium, a damaged store, events that no longer
decode, an unreachable server. Each is one line naming the store, exit status 1, never a traceback; bad
input (a foreign store) stays exit status 2. The disk and the read-only media are real: small tmpfs and
read-only bind mounts, where the tests may mount (as root); elsewhere those tests are skipped."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import cli

SCENARIO = "microsoft_ireland_stochastic"


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


@pytest.fixture(scope="session")
def can_mount(tmp_path_factory) -> None:
    """Skip unless this process may mount (root with CAP_SYS_ADMIN, `mount` installed)."""
    probe = tmp_path_factory.mktemp("probe")
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("needs root and mount(8) to mount a small tmpfs and read-only bind mounts")
    try:
        _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe))
    except subprocess.CalledProcessError as e:
        pytest.skip(f"cannot mount here ({e.stderr.strip()})")
    subprocess.run(["umount", str(probe)], check=True)


@contextlib.contextmanager
def mounted(target: Path, *args: str) -> Iterator[Path]:
    _mount(*args, str(target))
    try:
        yield target
    finally:
        if subprocess.run(["umount", str(target)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(target)], capture_output=True)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """`path` (a file or a folder) bind-mounted read-only over itself."""
    with mounted(path, "--bind", str(path)):
        _mount("-o", "remount,ro,bind", str(path))
        yield path


def one_line(done: subprocess.CompletedProcess, status: int, *needles: str) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == status and len(lines) == 1 and "Traceback" not in done.stderr, \
        f"exit {done.returncode}: {done.stderr}"
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, str, str]:
    """A finished run in a closed SQLite store: (store file, run id, a matter id)."""
    folder = tmp_path_factory.mktemp("recorded")
    done = cli("run", SCENARIO, "-n", "300", "--jobs", "1", "--store", "sqlite:///store.sqlite", cwd=folder)
    assert done.returncode == 0, done.stderr
    run_id = done.stdout.split("run ")[1].split()[0]
    matter_id = done.stdout.split("matter ")[1].split()[0]
    return folder / "store.sqlite", run_id, matter_id


@pytest.fixture
def store_copy(tmp_path, recorded) -> tuple[str, str, str]:
    """The recorded store copied into its own folder: (folder-relative URL, run id, matter id)."""
    path, run_id, matter_id = recorded
    folder = tmp_path / "store"
    folder.mkdir()
    shutil.copyfile(path, folder / "store.sqlite")
    return "sqlite:///store/store.sqlite", run_id, matter_id


@pytest.mark.slow
def test_a_full_disk_stops_the_run_in_one_line_and_resume_completes_it_after_space_is_freed(tmp_path, can_mount):
    disk = tmp_path / "disk"
    disk.mkdir()
    url = "sqlite:///disk/s.sqlite"
    with mounted(disk, "-t", "tmpfs", "-o", "size=3m", "tmpfs"):
        full = cli("run", SCENARIO, "-n", "1500", "--seed", "3", "--jobs", "2", "--store", url, cwd=tmp_path)
        line = one_line(full, 1, url, "the disk is full", "--resume")
        assert line.endswith(f" --store {url}")  # the hint finishes the run where it was stored
        run_id = line.split("--resume ")[1].split()[0]
        assert "incomplete" in cli("runs", "--store", url, cwd=tmp_path).stdout
        _mount("-o", "remount,size=128m", str(disk))
        resumed = cli("run", "--resume", run_id, "--out", "resumed", "--store", url, cwd=tmp_path)
        assert resumed.returncode == 0, resumed.stderr
    whole = cli("run", SCENARIO, "-n", "1500", "--seed", "3", "--out", "whole", "--store", "memory://", cwd=tmp_path)
    assert whole.returncode == 0, whole.stderr
    assert (tmp_path / "resumed" / "outcomes.csv").read_bytes() == (tmp_path / "whole" / "outcomes.csv").read_bytes()


@pytest.mark.slow
def test_a_full_disk_under_report_out_is_one_line(tmp_path, store_copy, can_mount):
    url, run_id, _ = store_copy
    out = tmp_path / "out"
    out.mkdir()
    with mounted(out, "-t", "tmpfs", "-o", "size=96k", "tmpfs"):
        one_line(cli("report", run_id, "--out", "out", "--store", url, cwd=tmp_path), 1, "No space left on device")


@pytest.mark.slow
def test_a_read_only_store_file_is_read_but_not_written(tmp_path, store_copy, can_mount):
    url, run_id, matter_id = store_copy
    with read_only(tmp_path / "store" / "store.sqlite"):
        one_line(cli("run", "cloud_act", "--store", url, cwd=tmp_path), 1, url, "read-only")
        one_line(cli("fork", matter_id, "--after-entry", "5", "--store", url, cwd=tmp_path), 1, "read-only")
        for args in (["runs"], ["docket", matter_id], ["replay", "--latest"], ["report", run_id, "--out", "r"]):
            done = cli(*args, "--store", url, cwd=tmp_path)
            assert done.returncode == 0 and not done.stderr, done.stderr
        assert "microsoft_ireland_stochastic" in cli("runs", "--store", url, cwd=tmp_path).stdout


@pytest.mark.slow
def test_a_store_on_a_read_only_medium_is_read_but_not_written(tmp_path, store_copy, can_mount):
    url, run_id, matter_id = store_copy
    with read_only(tmp_path / "store"):
        runs = cli("runs", "--store", url, cwd=tmp_path)
        assert runs.returncode == 0 and run_id in runs.stdout, runs.stderr
        docket = cli("docket", matter_id, "--format", "json", "--store", url, cwd=tmp_path)
        assert docket.returncode == 0 and json.loads(docket.stdout), docket.stderr
        report = cli("report", run_id, "--out", "r", "--store", url, cwd=tmp_path)
        assert report.returncode == 0, report.stderr
        one_line(cli("run", "cloud_act", "--store", url, cwd=tmp_path), 1, url, "read-only")


def _sql(url: str, statement: str, *params: object) -> None:
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    con.execute(statement, params)
    con.commit()
    con.close()


@pytest.mark.slow
def test_a_damaged_page_is_one_line_naming_the_store(tmp_path, store_copy):
    url, run_id, _ = store_copy
    path = tmp_path / "store" / "store.sqlite"
    size = path.stat().st_size
    with path.open("r+b") as f:  # the middle half of the file: event pages, not the schema
        f.seek(size // 4 // 4096 * 4096)
        f.write(bytes((i * 37 + 11) % 251 for i in range(size // 2)))
    one_line(cli("report", run_id, "--out", "r", "--store", url, cwd=tmp_path), 1, url, "damaged")


@pytest.mark.parametrize(("column", "value"), [
    ("state", b'{"not json'),
    ("topic", "sim.domain.matter:Matter.NoLongerAnEvent"),
    ("state", None),  # a docket date that no longer parses: set below
], ids=["json", "topic", "date"])
@pytest.mark.slow
def test_an_event_that_no_longer_decodes_names_the_matter_and_its_position(tmp_path, store_copy, column, value):
    url, _, matter_id = store_copy
    where = "originator_id = ? AND originator_version = 5"
    if value is None:
        con = sqlite3.connect(tmp_path / "store" / "store.sqlite")
        (state,) = con.execute(f"SELECT state FROM stored_events WHERE {where}",
                               (matter_id.replace("-", ""),)).fetchone()
        con.close()
        event = json.loads(state)
        event["date"] = "the fifth of never"
        value = json.dumps(event).encode()
    _sql(f"sqlite:///{tmp_path / 'store' / 'store.sqlite'}", f"UPDATE stored_events SET {column} = ? WHERE {where}",
         value, matter_id.replace("-", ""))
    for args in (["docket", matter_id], ["replay", matter_id]):
        one_line(cli(*args, "--store", url, cwd=tmp_path), 1, url, f"matter {matter_id}, event 5")


@pytest.mark.slow
def test_a_table_of_another_shape_is_refused_as_bad_input(tmp_path):
    con = sqlite3.connect(tmp_path / "other.sqlite")
    con.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                "state BLOB)")
    con.execute("CREATE TABLE stored_snapshots (id INTEGER, body TEXT)")
    con.commit()
    con.close()
    for args in (["runs"], ["run", "cloud_act"]):
        one_line(cli(*args, "--store", "sqlite:///other.sqlite", cwd=tmp_path), 2, "not a docketsim store")


@pytest.mark.slow
def test_an_unreachable_server_is_one_line_without_the_password(tmp_path):
    url = "postgresql://docket:s3cret-Pa55@127.0.0.1:1/cases"
    for args in (["runs"], ["run", "cloud_act"]):
        line = one_line(cli(*args, "--store", url, cwd=tmp_path), 1, "postgresql://docket@127.0.0.1:1/cases",
                        "cannot reach the server")
        assert "s3cret" not in line
    env_password = cli("runs", "--store", "postgresql://docket@127.0.0.1:1/cases", cwd=tmp_path,
                       env={"PGPASSWORD": "s3cret-Pa55"})
    assert "s3cret" not in env_password.stderr + env_password.stdout


@pytest.mark.slow
def test_a_missing_postgresql_password_is_said_so_not_an_unreachable_server(tmp_path, postgres_url):
    """Issue 18.10: the server asks for a password that neither the URL nor $PGPASSWORD gives."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("CREATE ROLE usher LOGIN PASSWORD 'Sw0rdfish'")
    host = postgres_url.split("@", 1)[1]
    done = cli("runs", "--store", f"postgresql://usher@{host}", cwd=tmp_path,
               env={"PGPASSWORD": "", "PGPASSFILE": str(tmp_path / "none")})
    if done.returncode == 0 or "no password supplied" not in done.stderr:
        pytest.skip("this server does not ask for passwords (the throwaway test server does)")
    line = one_line(done, 1, f"postgresql://usher@{host}", "the server asks for a password", "$PGPASSWORD")
    assert "cannot reach" not in line


@pytest.mark.slow
def test_a_postgresql_table_of_another_shape_is_refused_as_bad_input(tmp_path, postgres_url):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("CREATE TABLE docketsim_events (id integer, body text)")
    one_line(cli("run", "cloud_act", "--store", postgres_url, cwd=tmp_path), 2, "not a docketsim store")


@pytest.mark.slow
def test_postgresql_password_comes_from_the_url_or_pgpassword_and_is_never_shown(tmp_path, postgres_url):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("CREATE ROLE clerk LOGIN PASSWORD 'Sw0rdfish' SUPERUSER")
    host = postgres_url.split("@", 1)[1]
    wrong = cli("run", "microsoft_ireland_2013", "--store", f"postgresql://clerk:Wr0ng@{host}", cwd=tmp_path)
    if wrong.returncode == 0:
        pytest.skip("this server does not ask for passwords (the throwaway test server does)")
    one_line(wrong, 1, f"postgresql://clerk@{host}", "refused")
    assert "Wr0ng" not in wrong.stdout + wrong.stderr
    by_env = cli("run", "microsoft_ireland_2013", "--store", f"postgresql://clerk@{host}", cwd=tmp_path,
                 env={"PGPASSWORD": "Sw0rdfish"})
    assert by_env.returncode == 0, by_env.stderr
    by_url = cli("runs", "--store", f"postgresql://clerk:Sw0rdfish@{host}", cwd=tmp_path)
    assert by_url.returncode == 0 and "microsoft_ireland_2013" in by_url.stdout, by_url.stderr
    assert "Sw0rdfish" not in by_env.stdout + by_env.stderr + by_url.stdout + by_url.stderr
