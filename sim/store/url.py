"""Store URLs: ``sqlite:///PATH``, ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` and ``memory://``.

A PostgreSQL password comes from the URL or else from $PGPASSWORD; it is never shown: `Location.shown`
is the URL without it, and every message about a store uses that.

>>> where = parse("postgresql://docket:s3cret@db.example:6543/cases")
>>> where.shown, where.postgres["password"], where.postgres["port"]
('postgresql://docket@db.example:6543/cases', 's3cret', '6543')
>>> parse("sqlite:///runs/docketsim.sqlite").path
PosixPath('runs/docketsim.sqlite')
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import attrs

from sim.errors import StoreError

DEFAULT_STORE = "sqlite:///docketsim.sqlite"
STORE_ENV = "DOCKETSIM_STORE"
EXPECTED = "sqlite:///PATH, postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or memory://"
_PASSWORD = re.compile(r"(//[^/:@]*):[^/@]*@")


@attrs.frozen
class Location:
    """Where a store is: `scheme` is "sqlite", "postgresql" or "memory"."""

    scheme: str
    shown: str
    path: Path | None = None
    postgres: dict[str, str] | None = attrs.field(default=None, repr=False)


def store_url(url: str | None) -> str:
    """The URL given, else $DOCKETSIM_STORE, else the default file in the current folder."""
    return url or os.environ.get(STORE_ENV) or DEFAULT_STORE


def hide_password(url: str) -> str:
    """The URL with any password left out (for messages about a URL that does not parse)."""
    return _PASSWORD.sub(r"\1@", url)


def parse(url: str) -> Location:
    """Parse a store URL; a clear error (without the password) for anything else."""
    if url == "memory://":
        return Location("memory", url)
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if not path:
            raise StoreError(f"store URL {url!r} names no file; expected sqlite:///PATH")
        return Location("sqlite", url, path=Path(path))
    if url.startswith("postgresql://"):
        return _postgres(url)
    scheme = url.split("://", 1)[0] if "://" in url else url
    raise StoreError(f"unknown store scheme {hide_password(scheme)!r} in {hide_password(url)!r}; expected {EXPECTED}")


def connect_url(where: Location) -> str:
    """The URL another process connects to the store with (a PostgreSQL password included, never shown)."""
    if where.postgres is None:
        return where.shown
    p = where.postgres
    host = f"[{p['host']}]" if ":" in p["host"] else p["host"]
    password = f":{quote(p['password'], safe='')}" if p["password"] else ""
    return f"postgresql://{quote(p['user'], safe='')}{password}@{host}:{p['port']}/{quote(p['dbname'], safe='')}"


def _postgres(url: str) -> Location:
    hidden = hide_password(url)
    parts = urlsplit(url)
    try:
        port = parts.port or 5432
    except ValueError:
        raise StoreError(f"store URL {hidden!r}: the port is not a number from 1 to 65535") from None
    database = unquote(parts.path[1:])
    if not parts.username or not parts.hostname or not database or "/" in database or parts.query \
            or parts.fragment:
        raise StoreError(f"store URL {hidden!r}: expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DB")
    user = unquote(parts.username)
    password = unquote(parts.password) if parts.password is not None else os.environ.get("PGPASSWORD", "")
    host = parts.hostname
    shown_host = f"[{host}]" if ":" in host else host
    return Location("postgresql", f"postgresql://{parts.username}@{shown_host}:{port}/{parts.path[1:]}",
                    postgres={"dbname": database, "host": host, "port": str(port), "user": user,
                              "password": password})
