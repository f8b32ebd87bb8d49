"""Run and matter ids as a user types them: in full, or by a unique prefix (as git takes a commit's).

A run id given where a matter id is wanted (or the reverse) is named for what it is, with what to type.
"""

from __future__ import annotations

from uuid import UUID

from sim.errors import StoreError
from sim.store import DocketStore

MIN_PREFIX = 4  # hex digits, as git asks for
MAX_SEARCHED = 2_000_000  # matter ids computed to match a prefix; past that, type the full id


def _full(given: str) -> str | None:
    try:
        return str(UUID(given))
    except ValueError:
        return None


def _matching(given: str, ids: list[str], kind: str, listed_by: str) -> str:
    prefix = given.strip().lower()
    if len(prefix) < MIN_PREFIX or any(c not in "0123456789abcdef-" for c in prefix):
        raise StoreError(f"unknown {kind} id {given!r}; give the full id or at least its first {MIN_PREFIX} "
                         f"characters ({listed_by})")
    found = list(dict.fromkeys(i for i in ids if i.startswith(prefix)))
    if len(found) > 1:
        shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
        raise StoreError(f"{kind} id {given!r} is ambiguous: {len(found):,} {kind}s start with it ({shown}); "
                         "type more of it")
    if not found:
        raise StoreError(f"unknown {kind} id {given!r}; {listed_by}")
    return found[0]


def run_id(store: DocketStore, given: str) -> str:
    """The run whose id is `given` or starts with it; a full id of another kind (a matter's, the register's) is
    named as such by the store."""
    full = _full(given)
    if full is not None:
        return str(store.run(full).id)
    return _matching(given, store.register().run_ids, "run", "`python run.py runs` lists the runs")


def matter_id(store: DocketStore, given: str) -> str:
    """The matter whose id is `given` or starts with it; a run id is named as such, with its first matter."""
    full = _full(given)
    run_ids = store.register().run_ids
    if full is not None and full not in run_ids:
        return full  # the store says whether there is such a matter
    if full in run_ids or _prefix_of_one(given, run_ids):
        run = store.run(full or _matching(given, run_ids, "run", ""))
        first = run.matter_ids()[0] if run.replications else "none"
        raise StoreError(f"{given} is a run id, not a matter id: run {run.id} ({run.scenario}, {run.replications:,} "
                         f"matters); its first matter is {first}; `python run.py report {run.id}` shows the run")
    ids: list[str] = []
    for run in store.runs():
        if len(ids) + run.replications > MAX_SEARCHED:
            raise StoreError(f"unknown matter id {given!r}; the store holds too many matters to search by prefix: "
                             "type the full id")
        ids += run.matter_ids()[:]
    return _matching(given, ids, "matter", "`python run.py run` prints the matter ids it records")


def _prefix_of_one(given: str, run_ids: list[str]) -> bool:
    prefix = given.strip().lower()
    return len(prefix) >= MIN_PREFIX and sum(i.startswith(prefix) for i in run_ids) == 1
