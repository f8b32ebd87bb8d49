"""Where `--out` writes: a regular file, or a folder of files, never anything else.

Every writer goes through here. A page (`docket --format html --out FILE`) is written to a temporary
file beside FILE and renamed over it, and only over a regular file. A folder (`run`, `fork`, `compare`,
`report`, `calibrate`, `demo`) is filled in a fresh temporary folder inside it, then each file is moved
in (again only over a regular file) and the files the previous output listed and this one does not
write are removed (only those: the list is kept in the folder as `.docketsim-files`), so a reused
report folder never keeps stale charts. A device, FIFO, socket or symbolic link where a file or the
folder should be is refused in one line, before anything is written: nothing follows a link out of
where it was told to write. An `OSError` that names no file is given the name of the file being written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.errors import Fault, UserError

MANIFEST = ".docketsim-files"
STAGING_PREFIX = ".docketsim-writing-"
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_ENVIRONMENT = {"EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "EFBIG", "EIO"}


def kind(path: Path) -> str | None:
    """What is at `path` without following a link: None if nothing, "a regular file", "a FIFO", ..."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    return next((name for test, name in _KINDS if test(mode)), "a regular file")


@contextmanager
def naming(path: Path | str) -> Iterator[None]:
    """An OSError raised while writing `path` that names no file (a full disk on flush) names it."""
    try:
        yield
    except OSError as e:
        if e.filename is None:
            raise OSError(e.errno, e.strerror or str(e), str(path)) from None
        raise


def _is_environment(error: OSError) -> bool:
    return errno.errorcode.get(error.errno or 0, "") in _ENVIRONMENT


def _fault_or_input(flag: str, what: str, error: OSError) -> Exception:
    """A fault of the environment (exit 1) for a read-only, full or forbidden place; else bad input (exit 2)."""
    kind_of_error = Fault if _is_environment(error) else UserError
    return kind_of_error(f"{flag}: {what} ({error.strerror or error})")


# A single file ---------------------------------------------------------------------------------------------

def check_file(out: str, example: str = "page.html") -> Path:
    """`--out FILE`: nothing there yet or a regular file, in a folder that exists; else one line (exit 2)."""
    path = Path(out)
    found = kind(path)
    if found == "a folder":
        raise UserError(f"--out {out}: is a folder; give a file name, e.g. {path / example}")
    if found not in (None, "a regular file"):
        raise UserError(f"--out {out}: is {found}; --out writes only a regular file (nothing was written)")
    if not path.parent.is_dir():
        raise UserError(f"--out {out}: folder {path.parent} does not exist")
    return path


def _mode(path: Path) -> int:
    """The permissions a file written to `path` gets: those of the file it replaces, else the umask's."""
    with contextlib.suppress(FileNotFoundError):
        return os.lstat(path).st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _replace(source: Path, target: Path, flag: str) -> None:
    """Rename `source` over `target` only if `target` is a regular file or nothing."""
    found = kind(target)
    if found not in (None, "a regular file"):
        raise UserError(f"{flag}: {target} is {found}; --out replaces only regular files")
    os.replace(source, target)


def write_file(out: str, text: str, what: str = "the page") -> Path:
    """Write `text` to `out` whole or not at all (a temporary file beside it, then renamed over it)."""
    path = check_file(out)
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(temporary, _mode(path))
        _replace(Path(temporary), path, f"--out {out}")
        temporary = None
    except OSError as e:
        raise Fault(f"--out {out}: cannot write {what} ({e.strerror or e})") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return path


def write_new(out: str, text: str) -> Path:
    """Write `text` to `out`, which must not exist (not even as a link); never overwrites anything."""
    path = check_file(out, "scenario.toml")
    if kind(path) is not None:
        raise UserError(f"{out}: already exists; choose another --out (nothing was written)")
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise UserError(f"{out}: already exists; choose another --out (nothing was written)") from None
    except OSError as e:
        path.unlink(missing_ok=True)
        raise _fault_or_input(f"--out {out}", f"cannot write {out}", e) from None
    return path


# A folder of files -----------------------------------------------------------------------------------------

def check_folder(out: str) -> Path:
    """`--out DIR`: the folder, made if need be (parents too); a file, link, device, FIFO or socket there
    is bad input (exit 2), a folder that cannot be made or written a fault of the environment (exit 1)."""
    path = Path(out)
    found = kind(path)
    if found == "a regular file":
        raise UserError(f"--out {out}: is a file, expected a folder")
    if found == "a symbolic link":
        raise UserError(f"--out {out}: is a symbolic link (to {os.readlink(path)}); give the folder itself "
                        "(nothing was written)")
    if found not in (None, "a folder"):
        raise UserError(f"--out {out}: is {found}, expected a folder (nothing was written)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _fault_or_input(f"--out {out}", "cannot create the folder", e) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise Fault(f"--out {out}: the folder is not writable")
    return path


class Folder:
    """An output folder being written: writers write into `work`; `publish()` moves the files into `path`."""

    def __init__(self, out: str) -> None:
        self.out, self.path = out, check_folder(out)
        try:
            self.work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))
        except OSError as e:
            raise _fault_or_input(f"--out {out}", "cannot write into the folder", e) from None

    def final(self, written: Path) -> Path:
        """Where a file written into `work` ends up."""
        return self.path / Path(written).relative_to(self.work)

    def _previous(self) -> set[str]:
        manifest = self.path / MANIFEST
        if kind(manifest) != "a regular file":
            return set()
        try:
            names = manifest.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return set()
        return {n for n in names if n and not Path(n).is_absolute() and ".." not in Path(n).parts}

    def publish(self) -> None:
        """Move every file written into place (checked first: a non-regular file in the way refuses the
        whole), remove what the previous output wrote and this one did not, and list what this one wrote."""
        flag = f"--out {self.out}"
        written = sorted(str(p.relative_to(self.work)) for p in self.work.rglob("*") if p.is_file())
        for name in written:
            for parent in reversed(Path(name).parents[:-1]):
                if kind(self.path / parent) not in (None, "a folder"):
                    raise UserError(f"{flag}: {self.path / parent} is {kind(self.path / parent)}, expected a "
                                    "folder (nothing was replaced)")
            if kind(self.path / name) not in (None, "a regular file"):
                raise UserError(f"{flag}: {self.path / name} is {kind(self.path / name)}; --out replaces only "
                                "regular files (nothing was replaced)")
        for name in written:
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            _replace(self.work / name, self.path / name, flag)
        for name in sorted(self._previous() - set(written)):
            stale = self.path / name
            if kind(stale) == "a regular file" and kind(stale.parent) == "a folder":
                stale.unlink()
                with contextlib.suppress(OSError):  # a folder of its own left empty (scenarios/)
                    if stale.parent != self.path:
                        stale.parent.rmdir()
        listing = self.work / MANIFEST
        with naming(listing):
            listing.write_text("".join(f"{name}\n" for name in written), encoding="utf-8")
        _replace(listing, self.path / MANIFEST, flag)

    def discard(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


@contextmanager
def folder(out: str | None) -> Iterator[Folder | None]:
    """The output folder of `--out DIR` (None without it): written whole when the block ends, discarded if
    it raises. A write that fails (or a run it stops: the exception's `cause`) names the file in the folder
    it was meant for."""
    if out is None:
        yield None
        return
    target = Folder(out)
    try:
        try:
            yield target
            target.publish()
        except OSError as e:
            if not e.filename or not _inside(Path(e.filename), target.path):
                raise
            name = target.final(Path(e.filename)) if _inside(Path(e.filename), target.work) else e.filename
            raise Fault(f"--out {out}: cannot write {name} ({e.strerror or e})") from None
        except Exception as e:  # a run stopped by a failed write names the file where it was meant to go
            cause = getattr(e, "cause", None)
            if isinstance(cause, str):
                e.cause = cause.replace(str(target.work), str(target.path))  # type: ignore[attr-defined]
            raise
    finally:
        target.discard()
