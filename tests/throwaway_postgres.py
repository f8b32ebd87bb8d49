"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, served on 127.0.0.1.

Standard library only, so `.ci/run` can call it before the virtual environment exists:

    python3 tests/throwaway_postgres.py start    # prints DOCKETSIM_TEST_POSTGRES=postgresql://... and the folder
    python3 tests/throwaway_postgres.py stop DIR

The test fixture uses `start_cluster` itself when no server is given and the binaries are installed.
As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE = "docketsim_test"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (on PATH, or Debian's /usr/lib/postgresql/N/bin)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster() -> tuple[str, Path]:
    """Start a cluster; return its URL (user postgres, trust on loopback, database `docketsim_test`)
    and its folder (give it to `stop_cluster`)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="docketsim-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True, "cwd": folder}
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                    "-E", "UTF8", "--no-sync"]), **quiet)
    # The postgres user is trusted; any other role must give its password (the tests of PGPASSWORD).
    (data / "pg_hba.conf").write_text("local all all trust\nhost all postgres 127.0.0.1/32 trust\n"
                                      "host all all 127.0.0.1/32 scram-sha-256\n")
    start_server(folder, port)
    subprocess.run(_as_server_user([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                                    "-U", "postgres", DATABASE]), **quiet)
    return f"postgresql://postgres@127.0.0.1:{port}/{DATABASE}", folder


def start_server(folder: Path, port: int) -> None:
    """Start (or start again) the server of a cluster made by `start_cluster`."""
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=200"
    subprocess.run(_as_server_user([str(binaries() / "pg_ctl"), "-D", str(folder / "data"),  # type: ignore[operator]
                                    "-l", str(folder / "log"), "-o", options, "-w", "start"]),
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, cwd=folder)


def stop_server(folder: Path) -> None:
    """Stop the server as an administrator does (`pg_ctl stop -m fast`: sessions ended, AdminShutdown)."""
    subprocess.run(_as_server_user([str(binaries() / "pg_ctl"), "-D", str(folder / "data"),  # type: ignore[operator]
                                    "-m", "fast", "-w", "stop"]), capture_output=True, check=True, cwd=folder)


def stop_cluster(folder: Path) -> None:
    bin_dir = binaries()
    if bin_dir is not None and (folder / "data").exists():
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                                        "stop"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        url, where = start_cluster()
        print(f"DOCKETSIM_TEST_POSTGRES={url}")
        print(f"DOCKETSIM_TEST_POSTGRES_DIR={where}")
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        stop_cluster(Path(sys.argv[2]))
    else:
        sys.exit("usage: throwaway_postgres.py start | stop DIR")
