"""Where `--out` writes: only a regular file or a folder of files; a device, FIFO, socket or symbolic link is
refused in one line and left as it was; a reused report folder holds no stale charts; a write that fails
names its file, and a folder that cannot be written is a fault of the environment (exit 1)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sim import outputs
from sim.errors import Fault, UserError
from tests.conftest import ROOT, cli
from tests.test_cli import main
from tests.test_faults import can_mount, mounted, read_only  # noqa: F401  (can_mount is a fixture)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, str]:
    """A store with two small finished runs: its URL, the run ids and a matter id."""
    folder = tmp_path_factory.mktemp("outputs")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    ids = []
    for scenario in ("provider_complies", "cloud_act"):
        done = cli("run", scenario, "-n", "4", "--store", url, cwd=folder)
        assert done.returncode == 0, done.stderr
        ids.append(done.stdout.split("run ")[1].split()[0])
    matter = done.stdout.split("matter ")[1].split()[0]
    return {"url": url, "first": ids[0], "second": ids[1], "matter": matter}


def _specials(folder: Path) -> dict[str, Path]:
    """A FIFO, a socket, a character device (where allowed), a link to a file outside and a dangling link."""
    made = {}
    os.mkfifo(folder / "fifo")
    made["a FIFO"] = folder / "fifo"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "sock"))
    made["a socket"] = folder / "sock"
    try:
        os.mknod(folder / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the device /dev/null is
        made["a character device"] = folder / "null"
    except PermissionError:
        pass
    outside = folder.parent / f"{folder.name}-outside.txt"
    outside.write_text("keep me\n")
    (folder / "link").symlink_to(outside)
    made["a symbolic link"] = folder / "link"
    (folder / "dangling").symlink_to(folder.parent / f"{folder.name}-nowhere.html")
    made["a dangling link"] = folder / "dangling"
    return made


def _state(path: Path) -> tuple[int, str | None]:
    mode = os.lstat(path).st_mode
    return stat.S_IFMT(mode), os.readlink(path) if stat.S_ISLNK(mode) else None


@pytest.mark.slow
def test_the_viewer_page_is_never_written_over_a_device_fifo_socket_or_link(recorded, tmp_path, capsys):
    for what, path in _specials(tmp_path).items():
        before = _state(path)
        code, _, err = main(capsys, "docket", recorded["matter"], "--format", "html", "--out", str(path),
                            "--store", recorded["url"])
        assert code == 2 and len(err.strip().splitlines()) == 1, (what, err)
        assert "is a " in err and "regular file" in err, err
        assert _state(path) == before, what  # left as it was, not replaced by a regular file
    assert (tmp_path.parent / f"{tmp_path.name}-outside.txt").read_text() == "keep me\n"
    assert not (tmp_path.parent / f"{tmp_path.name}-nowhere.html").exists()  # the dangling link not followed
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_docket_out_dev_null_as_a_process_leaves_the_device_a_device(recorded, tmp_path):
    """The reported case: `--out` naming a character device (made here, as /dev/null is) from a real process."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")
    done = cli("docket", recorded["matter"], "--format", "html", "--out", str(device), "--store", recorded["url"],
               cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "is a character device" in done.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_report_folder_is_never_a_device_fifo_socket_or_link(recorded, tmp_path, capsys):
    (tmp_path / "real").mkdir()
    specials = _specials(tmp_path)
    (tmp_path / "dirlink").symlink_to(tmp_path / "real")
    specials["a symbolic link"] = tmp_path / "dirlink"
    for what, path in specials.items():
        before = _state(path)
        for args in (["report", recorded["first"]], ["run", "provider_complies"]):
            code, _, err = main(capsys, *args, "--out", str(path), "--store", recorded["url"])
            assert code == 2 and len(err.strip().splitlines()) == 1, (what, args, err)
            assert _state(path) == before, what
    assert list((tmp_path / "real").iterdir()) == []


@pytest.mark.slow
def test_a_link_or_fifo_inside_a_report_folder_is_refused_and_never_followed(recorded, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "precious.html"
    outside.write_text("keep me\n")
    (out / "index.html").symlink_to(outside)
    os.mkfifo(out / "outcomes.csv")  # opened for writing, a FIFO without a reader would block for ever
    code, _, err = main(capsys, "report", recorded["first"], "--out", str(out), "--store", recorded["url"])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "replaces only regular files" in err, err
    assert outside.read_text() == "keep me\n" and (out / "index.html").is_symlink()
    assert stat.S_ISFIFO(os.lstat(out / "outcomes.csv").st_mode)
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "outcomes.csv"]  # nothing half-written


@pytest.mark.slow
def test_a_reused_report_folder_keeps_no_stale_file_of_the_previous_report_and_every_file_of_its_own(
        recorded, tmp_path, capsys):
    out = tmp_path / "report"
    code, _, err = main(capsys, "report", recorded["first"], recorded["second"], "--out", str(out),
                        "--store", recorded["url"])
    assert code == 0, err
    first = {p.name for p in out.iterdir()}
    assert any(name.startswith("timeline-2-") for name in first)
    (out / "my-notes.txt").write_text("mine\n")
    code, printed, err = main(capsys, "report", recorded["first"], "--out", str(out), "--store", recorded["url"])
    assert code == 0, err
    assert printed.strip().endswith(str(out / "index.html"))
    second = {p.name for p in out.iterdir()}
    assert not any(name.startswith("timeline-2-") for name in second), second  # stale: removed
    assert "my-notes.txt" in second and "paired-differences.png" not in second
    listed = set((out / outputs.MANIFEST).read_text().split())
    assert listed == second - {"my-notes.txt", outputs.MANIFEST, "scenarios"}
    assert not [n for n in second if n.startswith(outputs.STAGING_PREFIX)]
    index = (out / "index.html").read_text()
    assert all(name in index for name in listed if name.endswith(".png"))
    code, _, err = main(capsys, "run", "provider_complies", "-n", "2", "--out", str(out), "--store", recorded["url"])
    assert code == 0, err
    assert {p.name for p in out.iterdir()} == {"outcomes.csv", "summary.json", "scenarios", "my-notes.txt",
                                               outputs.MANIFEST}
    assert "provider_complies.toml" in [p.name for p in (out / "scenarios").iterdir()]


def test_an_interrupted_output_leaves_the_previous_one_whole(recorded, tmp_path, monkeypatch, capsys):
    out = tmp_path / "res"
    assert main(capsys, "run", "provider_complies", "-n", "3", "--out", str(out), "--store", recorded["url"])[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    from sim.runs import comparison

    taken = comparison._Rows.__call__

    def stopped_at_the_second_row(self, row):  # Ctrl-C with outcomes.csv half-written
        if self.tally is not None:
            raise KeyboardInterrupt
        taken(self, row)

    monkeypatch.setattr(comparison._Rows, "__call__", stopped_at_the_second_row)
    code, _, err = main(capsys, "run", "cloud_act", "-n", "3", "--out", str(out), "--store", recorded["url"])
    assert code == 130 and "interrupted" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(outputs.STAGING_PREFIX)) == []


def test_a_new_scenario_is_never_written_through_a_link(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").symlink_to(tmp_path / "elsewhere.toml")  # dangling: exists() says no
    code, _, err = main(capsys, "new", "mine", "--out", "mine.toml")
    assert code == 2 and "is a symbolic link" in err, err
    assert not (tmp_path / "elsewhere.toml").exists()


def test_a_write_that_fails_without_a_file_name_is_given_it(tmp_path):
    with pytest.raises(OSError) as raised, outputs.naming(tmp_path / "outcomes.csv"):
        raise OSError(28, "No space left on device")
    assert raised.value.filename == str(tmp_path / "outcomes.csv")
    fault = r"--out .*/r: cannot write .*/r/summary\.json \(No space left on device\)"
    with pytest.raises(Fault, match=fault), outputs.folder(str(tmp_path / "r")) as folder:
        raise OSError(28, "No space left on device", str(folder.work / "summary.json"))
    assert [p.name for p in (tmp_path / "r").iterdir()] == []


def test_an_output_folder_under_a_file_is_bad_input(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(UserError, match="cannot create the folder"):
        outputs.check_folder(str(tmp_path / "afile" / "sub"))


@pytest.mark.slow
def test_a_full_disk_under_report_out_names_the_file(recorded, tmp_path, can_mount):  # noqa: F811
    out = tmp_path / "out"
    out.mkdir()
    with mounted(out, "-t", "tmpfs", "-o", "size=96k", "tmpfs"):
        done = cli("report", recorded["first"], recorded["second"], "--out", "out", "--store", recorded["url"],
                   cwd=tmp_path)
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        line = done.stderr.strip()
        assert "No space left on device" in line and "--out out: cannot write out/" in line, line
        assert [p.name for p in out.iterdir()] == []  # the temporary folder went with the failure


@pytest.mark.slow
def test_a_file_size_limit_names_the_file_and_exits_1(recorded, tmp_path):
    """A fault of the environment without root: RLIMIT_FSIZE makes every write past 64 kB fail (EFBIG)."""
    def limited():
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "report", recorded["first"], "--out", "r",
                           "--store", recorded["url"]], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          preexec_fn=limited)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "--out r: cannot write r/" in done.stderr and "File too large" in done.stderr, done.stderr


@pytest.mark.slow
def test_an_out_folder_on_a_read_only_medium_is_a_fault_of_the_environment(recorded, tmp_path, can_mount):  # noqa: F811
    out = tmp_path / "ro"
    out.mkdir()
    with read_only(out):
        for args in (["report", recorded["first"]], ["run", "provider_complies"]):
            done = cli(*args, "--out", "ro", "--store", recorded["url"], cwd=tmp_path)
            assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
            assert "--out ro: the folder is not writable" in done.stderr, done.stderr
        page = cli("docket", recorded["matter"], "--format", "html", "--out", "ro/page.html", "--store",
                   recorded["url"], cwd=tmp_path)
        assert page.returncode == 1 and "ro/page.html" in page.stderr, page.stderr
