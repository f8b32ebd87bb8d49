"""The `Matter` aggregate: one warrant followed through every forum, as immutable docket events.

Every event carries a docket header (simulated day, date, court, docket and entry number, actor,
rule, one-line text). The aggregate refuses an event that is out of legal order with `OutOfOrder`,
naming both the refused event and the one it needed (see `sim.domain.procedure`).
Event `apply` methods only mutate state: they run again every time a matter is rebuilt.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from sim.domain.procedure import OutOfOrder, requirement

MATTER_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/matter")


def matter_id(run_id: str, scenario: str, replication: int) -> UUID:
    """Deterministic matter id: uuid5 of run, scenario and replication."""
    return uuid5(MATTER_NAMESPACE, f"{run_id}/{scenario}/{replication}")


class Matter(Aggregate):
    """A warrant matter; its events are the whole procedure, from application to disclosure."""

    class Opened(Aggregate.Created):
        """A matter is opened for a scenario replication; holds what docket headers need, and, for a
        fork, the source matter and the last entry copied from it."""

        run_id: str
        scenario: str
        replication: int
        seed: int
        start_date: str
        parties: dict[str, Any]
        courts: dict[str, dict[str, str]]
        statutes_in_force: list[str]
        forked_from: dict[str, Any] | None

    def __init__(self, run_id: str, scenario: str, replication: int, seed: int, start_date: str,
                 parties: dict[str, Any], courts: dict[str, dict[str, str]],
                 statutes_in_force: list[str], forked_from: dict[str, Any] | None = None) -> None:
        self.run_id, self.scenario, self.replication, self.seed = run_id, scenario, replication, seed
        self.start_date, self.parties, self.courts = start_date, parties, courts
        self.statutes_in_force = list(statutes_in_force)
        self.forked_from = forked_from
        self.history: list[str] = []
        self.last_day = 0
        self.last_entry: dict[str, int] = {}
        self.last_entry_event: dict[str, str] = {}
        self.pending_motions: dict[str, str] = {}
        self.motion_rulings: dict[str, str] = {}
        self.appealable_order: str | None = None
        self.warrants_served = 0
        self.cert_granted = False
        self.stayed = False
        self.mlat_outcome: str | None = None
        self.disclosed_route: str | None = None
        self.disposition: str | None = None
        self.disposed_on: str | None = None

    @staticmethod
    def create_id(run_id: str, scenario: str, replication: int) -> UUID:  # type: ignore[override]
        return matter_id(run_id, scenario, replication)

    class Entry(Aggregate.Event):
        """A step of the procedure with its docket header; subclasses add what is particular to them."""

        step: str
        sim_day: int
        date: str
        approximate: bool
        court_level: str
        court: str
        docket_number: str
        entry_number: int | None
        actor: str
        rule: str
        text: str
        inherited: dict[str, Any] | None  # on a fork's copies: {"matter_id": source, "seq": its position}

        def apply(self, matter: Matter) -> None:
            matter.history.append(type(self).__name__)
            matter.last_day = self.sim_day
            if self.entry_number is not None:
                matter.last_entry[self.docket_number] = self.entry_number
                matter.last_entry_event[self.docket_number] = type(self).__name__
            self.apply_to(matter)

        def apply_to(self, matter: Matter) -> None:
            """What this event changes beyond the docket header."""

    def record(self, event_class: type[Matter.Entry], **fields: Any) -> None:
        """Record one procedural step, or raise `OutOfOrder` if the law does not allow it now."""
        name = event_class.__name__
        if self.disposition is not None and event_class is not Matter.DataDisclosed:
            raise OutOfOrder(name, f"FinalDisposition ({self.disposition}, {self.disposed_on})",
                             "comes after")
        if fields["sim_day"] < self.last_day or fields["sim_day"] < 0:
            last = self.history[-1] if self.history else "Opened"
            raise OutOfOrder(name, f"{last} on day {self.last_day}", f"on day {fields['sim_day']} would come before")
        number, docket = fields.get("entry_number"), fields["docket_number"]
        if number is not None and number <= self.last_entry.get(docket, 0):
            last = self.last_entry_event.get(docket, "the docket's opening")
            raise OutOfOrder(name, f"{last} (entry {self.last_entry.get(docket, 0)} of docket {docket})",
                             f"as entry {number} would not follow")
        missing = requirement(self, name, fields)
        if missing:
            raise OutOfOrder(name, missing)
        self.trigger_event(event_class, **fields)

    def next_entry_number(self, docket_number: str, at_least: int | None = None) -> int:
        """The next entry number on a docket (a pinned number may skip ahead, never back)."""
        following = self.last_entry.get(docket_number, 0) + 1
        return max(following, at_least or following)

    # Warrant and production ------------------------------------------------------------------
    class WarrantApplied(Entry):
        pass

    class WarrantIssued(Entry):
        pass

    class WarrantServed(Entry):
        def apply_to(self, matter: Matter) -> None:
            matter.warrants_served += 1

    class DomesticDataProduced(Entry):
        pass

    class ProductionRefused(Entry):
        reason: str

    class NewWarrantIssued(Entry):
        pass

    # Motions, briefs, hearings ---------------------------------------------------------------
    class MotionFiled(Entry):
        motion_id: str
        kind: str
        deadline: str | None
        late: bool

        def apply_to(self, matter: Matter) -> None:
            matter.pending_motions[self.motion_id] = self.kind

    class MotionRuled(Entry):
        motion_id: str
        disposition: str

        def apply_to(self, matter: Matter) -> None:
            matter.pending_motions.pop(self.motion_id)
            matter.motion_rulings[self.motion_id] = self.disposition

    class BriefFiled(Entry):
        party: str
        kind: str
        deadline: str | None
        late: bool

    class HearingHeld(Entry):
        kind: str

    # Review of the magistrate judge, stays, contempt -----------------------------------------
    class ObjectionFiled(Entry):
        party: str
        deadline: str | None
        late: bool

    class ObjectionRuled(Entry):
        disposition: str
        final_order: bool

        def apply_to(self, matter: Matter) -> None:
            if self.final_order:
                matter.appealable_order = "ObjectionRuled"

    class StayGranted(Entry):
        def apply_to(self, matter: Matter) -> None:
            matter.stayed = True

    class StayLifted(Entry):
        motion_id: str

        def apply_to(self, matter: Matter) -> None:
            matter.stayed = False
            matter.pending_motions.pop(self.motion_id)
            matter.motion_rulings[self.motion_id] = "granted"

    class ContemptHeld(Entry):
        sanctions: str

        def apply_to(self, matter: Matter) -> None:
            matter.appealable_order = "ContemptHeld"

    # Court of appeals ------------------------------------------------------------------------
    class NoticeOfAppealFiled(Entry):
        appellant: str
        deadline: str | None
        late: bool

    class PanelDecided(Entry):
        disposition: str
        doctrine: str
        prevailing: str

    class RehearingPetitioned(Entry):
        petitioner: str
        deadline: str | None
        late: bool
        extension_days: int

    class RehearingDecided(Entry):
        granted: bool

    class EnBancDecided(Entry):
        disposition: str
        doctrine: str
        prevailing: str

    # Supreme Court ---------------------------------------------------------------------------
    class CertPetitioned(Entry):
        petitioner: str
        deadline: str | None
        late: bool
        extension_days: int

    class CertDecided(Entry):
        granted: bool

        def apply_to(self, matter: Matter) -> None:
            matter.cert_granted = self.granted

    class SupremeCourtDecided(Entry):
        disposition: str
        doctrine: str
        prevailing: str

    # Legislation and mootness ----------------------------------------------------------------
    class LegislationEnacted(Entry):
        public_law: str
        statutes: list[str]

        def apply_to(self, matter: Matter) -> None:
            matter.statutes_in_force.extend(self.statutes)

    class DismissedAsMoot(Entry):
        motion_id: str
        vacatur: str

        def apply_to(self, matter: Matter) -> None:
            matter.pending_motions.pop(self.motion_id)
            matter.motion_rulings[self.motion_id] = "granted"

    # Mutual legal assistance and comity --------------------------------------------------------
    class MLATRequestSent(Entry):
        requested_state: str

    class MLATRequestExecuted(Entry):
        def apply_to(self, matter: Matter) -> None:
            matter.mlat_outcome = "executed"

    class MLATRequestRefused(Entry):
        reason: str

        def apply_to(self, matter: Matter) -> None:
            matter.mlat_outcome = "refused"

    class ComityMotionFiled(Entry):
        motion_id: str
        qualifying_foreign_government: bool
        deadline: str | None
        late: bool

        def apply_to(self, matter: Matter) -> None:
            matter.pending_motions[self.motion_id] = "comity"

    class ComityMotionRuled(Entry):
        motion_id: str
        disposition: str

        def apply_to(self, matter: Matter) -> None:
            matter.pending_motions.pop(self.motion_id)
            matter.motion_rulings[self.motion_id] = self.disposition

    # Outcome ---------------------------------------------------------------------------------
    class DataDisclosed(Entry):
        route: str

        def apply_to(self, matter: Matter) -> None:
            matter.disclosed_route = self.route

    class FinalDisposition(Entry):
        disposition: str

        def apply_to(self, matter: Matter) -> None:
            matter.disposition, matter.disposed_on = self.disposition, self.date

    ENTRY_TYPES: ClassVar[dict[str, type[Entry]]] = {}


Matter.ENTRY_TYPES.update(
    {name: value for name, value in vars(Matter).items()
     if isinstance(value, type) and issubclass(value, Matter.Entry) and value is not Matter.Entry}
)
