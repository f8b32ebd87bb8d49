"""The `Matter` aggregate: one warrant followed through every forum, as immutable docket events.

Every event carries a docket header (simulated day, date, court level, docket number, the caption
where a docket opens, entry number, actor, rule, text, whether it is counterfactual); filings add the party,
its counsel and, where a period runs, the deadline and whether the filing met it. The aggregate
derives what the law fixes (docket numbers, captions, counsel, deadlines) from its own state, keeps
the periods each event opens (`sim.domain.periods`), and refuses an unlawful event (`Unlawful`,
naming the rule and what it expected; `OutOfOrder` for legal order). Event `apply` methods only
mutate state: they run again every time a matter is rebuilt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import TZINFO, Aggregate, CanCreateTimestamp, OriginatorIDError, OriginatorVersionError

from sim.calendar import deadline
from sim.domain import ladder, laws, periods, registry
from sim.domain.lawful import problems
from sim.domain.procedure import OutOfOrder, Unlawful
from sim.domain.rules import RULES, in_force

MATTER_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/matter")
EVENT_FORMAT = 3  # the shape of stored events; a store of another format is refused (sim.store). 3: amici, 2705(b)


_LIBRARY_STAMP = CanCreateTimestamp.create_timestamp  # how the library stamps an event: the time now, in TZINFO
_stamp = dt.datetime.now


def matter_id(run_id: str, scenario: str, replication: int) -> UUID:
    """Deterministic matter id: uuid5 of run, scenario and replication."""
    return uuid5(MATTER_NAMESPACE, f"{run_id}/{scenario}/{replication}")


class Matter(Aggregate):
    """A warrant matter; its events are the whole procedure, from application to disclosure."""

    class Opened(Aggregate.Created):
        """A matter is opened for a scenario replication; holds what docket headers need, whether it is
        played on the record (`historical`), since when the data's country counts as a qualifying
        foreign government (None: never), and, for a fork, the source matter and last entry copied."""

        run_id: str
        scenario: str
        title: str
        historical: bool
        replication: int
        seed: int
        start_date: str
        parties: dict[str, Any]
        courts: dict[str, dict[str, str]]
        statutes_in_force: list[str]
        qualifying_since: str | None
        forked_from: dict[str, Any] | None

    def __init__(self, run_id: str, scenario: str, title: str, historical: bool, replication: int, seed: int,
                 start_date: str, parties: dict[str, Any], courts: dict[str, dict[str, str]],
                 statutes_in_force: list[str], qualifying_since: str | None,
                 forked_from: dict[str, Any] | None = None) -> None:
        self.run_id, self.scenario, self.title, self.historical = run_id, scenario, title, historical
        self.replication, self.seed, self.start_date = replication, seed, start_date
        self.parties, self.courts = parties, courts
        self.statutes_in_force = list(statutes_in_force)
        self.qualifying_since, self.forked_from = qualifying_since, forked_from
        self.history: list[str] = []
        self.seen: dict[str, int] = {}  # event name -> how many are on record (legal order reads it)
        self.last_day, self.last_date = 0, start_date
        self.last_entry: dict[str, int] = {}
        self.last_entry_event: dict[str, str] = {}
        self.motions: dict[str, dict[str, Any]] = {}      # id -> kind, party, level, disposition (None: pending)
        self.deadlines: dict[str, dict[str, Any]] = {}    # period -> party, rule, due, extended_to, opened_seq
        self.applications: dict[str, dict[str, Any]] = {}  # period -> a pending application to extend it
        self.dockets: dict[str, dict[str, str]] = {}      # lane -> number, caption
        self.late: dict[str, int] = {}                    # period -> seq of a late filing awaiting its consequence
        self.last_decision: dict[str, str] | None = None  # level and prevailing side of the last decision
        self.nondisclosure: dict[str, Any] | None = None  # a 2705(b) order: until, challenged (pending), ended
        self.appealable_order: str | None = None
        self.appeal_timely: bool | None = None
        self.rehearing_petitioner: str | None = None
        self.served_on: str | None = None
        self.warrants_served = 0
        self.petitioned_on: str | None = None
        self.opposed_on: str | None = None
        self.distributed_on: str | None = None
        self.granted_on: str | None = None
        self.argued_on: str | None = None
        self.supreme_judgment_on: str | None = None
        self.cert_granted = False
        self.en_banc_granted = False
        self.stayed = False
        self.mlat_outcome: str | None = None
        self.disclosed_route: str | None = None
        self.disposition: str | None = None
        self.disposed_on: str | None = None
        self.decisions: dict[str, str] = {}            # level -> the side that prevailed there last
        self.holding = "district"                      # the court that holds the case (sim.domain.jurisdiction)
        self.owed: dict[str, bool] = {}                # what must still come down: mandate, judgment, orders on remand
        self.mandate: dict[str, Any] | None = None     # the mandate owed: rehearing_until, denied_on, stayed
        self.sanction_running = False                  # coercive contempt until compliance and purging

    @staticmethod
    def create_id(run_id: str, scenario: str, replication: int) -> UUID:  # type: ignore[override]
        return matter_id(run_id, scenario, replication)

    # State the law reads -------------------------------------------------------------------------
    @property
    def pending_motions(self) -> dict[str, str]:
        """Motions awaiting a ruling: id -> kind."""
        return {mid: m["kind"] for mid, m in self.motions.items() if m["disposition"] is None}

    @property
    def united_states_party(self) -> bool:
        return bool(self.parties.get("united_states_party", True))

    def qualifying_foreign_government(self, date: str) -> bool:
        """True if on `date` the data's country counts as a qualifying foreign government (2703(h)(1)(A))."""
        return self.qualifying_since is not None and date >= self.qualifying_since

    @property
    def comity_by_statute_only(self) -> bool:
        """True if the warrant was served while 18 U.S.C. 2703(h) was law and the data's country a
        qualifying foreign government: a 2703(h)(2) motion is then "the sole basis for moving to quash on
        the grounds of a conflict of law" with that country (sources §8.1)."""
        return "18 U.S.C. 2703(h)" in self.statutes_in_force and self.served_on is not None \
            and self.qualifying_foreign_government(self.served_on)

    def due(self, period: str) -> str | None:
        """The last day of an open period, after any extension (None if the period is not open)."""
        found = self.deadlines.get(period)
        return None if found is None else found["extended_to"] or found["due"]

    def running(self, on: str) -> list[dict[str, Any]]:
        """Deadlines running on `on`: opened, not closed, not yet past."""
        return [d for d in self.deadlines.values() if (d["extended_to"] or d["due"]) >= on]

    # Recording -----------------------------------------------------------------------------------
    def header(self, event_class: type[Matter.Entry], level: str, date: str, party: str | None,
               numbered_on: str | None = None) -> dict[str, Any]:
        """What the law fixes in an entry's header at `level` on `date`: the docket number (for a docket
        not yet open, numbered as of `numbered_on`, else `date`), the caption (on the entry that opens a
        docket; "" after it), and for a filing by `party`, its counsel. (The court's name follows from
        the level: `forum_name`.)"""
        lane = ladder.LANE_OF.get(level)
        fields: dict[str, Any] = {"docket_number": "", "caption": ""}
        if lane is not None:
            opened = self.dockets.get(lane)
            if opened is not None:  # the caption is stored once, on the entry that opens the docket
                fields["docket_number"] = opened["number"]
            else:
                court = self.courts[lane]
                first = party or "government"
                on = dt.date.fromisoformat(numbered_on or date)
                fields.update(docket_number=ladder.docket_number(lane, court["docket_number"], on),
                              caption=ladder.caption(lane, court.get("caption", ""), self.parties[first],
                                                     self.parties[ladder.other(first)]))
        if event_class.KIND == "filing":
            fields["counsel"] = ladder.counsel(party or "", level, self.parties)
        return fields

    def forum_name(self, level: str) -> str:
        return ladder.forum_name(level, self.courts, self.parties)

    def judge(self, level: str, on: str) -> str:
        """Who decides at a level of the ladder, as an entry of day `on` (ISO) names them."""
        if level == "magistrate":
            return self.courts["district"]["magistrate_judge"]
        if level == "en_banc":
            return "Court of Appeals, en banc"
        return ladder.judge_on(self.courts[ladder.LEVEL[level].lane], on)

    def timeliness(self, period: str | None, date: str) -> dict[str, Any]:
        """A filing's deadline fields: the last day (after any extension), whether `date` meets it, and
        the day it was extended to (all None when no period runs)."""
        found = self.deadlines.get(period) if period else None
        if found is None:
            return {"period": period, "deadline": None, "timely": None, "extended_to": None}
        last = found["extended_to"] or found["due"]
        return {"period": period, "deadline": last, "timely": date <= last, "extended_to": found["extended_to"]}

    def record(self, event_class: type[Matter.Entry], fields: dict[str, Any], *, level: str, date: str,
               actor: str | None = None, party: str | None = None, entry_at_least: int | None = None,
               numbered_on: str | None = None) -> None:
        """Record a step, deriving what the law fixes (docket number, caption, entry number, counsel,
        deadline and timeliness) and the labels (counterfactual unless on the record; a law assumed
        before it was in force) from the matter's state; raise `Unlawful` if it may not follow.
        `fields`: what the recorder chose (step, sim_day, rule, text, ...); the dict becomes the entry's
        own, not a copy. `numbered_on`: the day the docket this entry opens will be numbered by (a
        Supreme Court docket takes the Term of the petition, which an application for more time precedes)."""
        filing = event_class.KIND == "filing"
        if filing:  # the period it meets, popped here to follow the header as before
            period = fields.pop("period", registry.UNNAMED_PERIOD.get(event_class.__name__))
        lane = self._write_header(event_class, fields, level, date, party, numbered_on, entry_at_least)
        if filing:
            fields["party"] = party
            fields.update(self.timeliness(period, date))
            actor = actor or self.parties[party or "government"]
        else:
            actor = actor or (self.judge(level, date) if lane is not None else "")
        if date < laws.CLOUD_ACT_ENACTED:  # a simulated entry relying on a law not yet in force says so
            assumed = laws.assumed_laws(fields["rule"], date)
            if assumed:
                text = fields["text"]
                at = text.find(" [date approximate]")
                label = laws.assumption_label(assumed)
                fields["text"] = f"{text[:at]} {label}{text[at:]}" if at >= 0 else f"{text} {label}"
        fields["court_level"], fields["date"], fields["actor"] = level, date, actor
        fields["counterfactual"] = not self.historical
        found = problems(self, event_class, fields, True)  # as `copy` does, one call fewer an entry
        if found:
            raise found[0]
        self._trigger(event_class, fields)

    def _write_header(self, event_class: type[Matter.Entry], fields: dict[str, Any], level: str, date: str,
                      party: str | None, numbered_on: str | None, entry_at_least: int | None) -> str | None:
        """The header as `header` derives it (docket number, caption, a filing's counsel, entry number), written
        straight into `fields` in that order; returns the entry's lane (None off every docket)."""
        lane = ladder.LANE_OF.get(level)
        opened = self.dockets.get(lane) if lane is not None else None
        if opened is not None:
            number = fields["docket_number"] = opened["number"]
            fields["caption"] = ""
        elif lane is None:
            number = fields["docket_number"] = fields["caption"] = ""
        else:
            header = self.header(event_class, level, date, party, numbered_on)
            number = fields["docket_number"] = header["docket_number"]
            fields["caption"] = header["caption"]
        if event_class.KIND == "filing":
            fields["counsel"] = ladder.counsel(party or "", level, self.parties)
        fields["entry_number"] = self.next_entry_number(number, entry_at_least) if number else None
        return lane

    def copy(self, event_class: type[Matter.Entry], fields: dict[str, Any], derived: bool = False) -> None:
        """Record an entry whose header is already complete (a fork's copy of a source entry)."""
        found = problems(self, event_class, fields, derived)
        if found:
            raise found[0]
        self._trigger(event_class, fields)

    def trigger_event(self, event_class: type[Any], **fields: Any) -> None:
        """The library's `trigger_event`: the keyword arguments, this call's own, are the entry's fields."""
        self._trigger(event_class, fields)

    def _trigger(self, event_class: type[Any], fields: dict[str, Any]) -> None:
        """As the library triggers an event (the next version, a timestamp, `mutate`, then pending), with
        `fields` becoming the entry's own (`Entry.of`) instead of copied twice through keyword arguments."""
        fields["originator_id"], fields["originator_version"] = self._id, self._version + 1
        if fields.get("timestamp") is None:  # the library's `create_timestamp`, without its two calls
            fields["timestamp"] = _stamp(TZINFO) if event_class.create_timestamp is _LIBRARY_STAMP \
                else event_class.create_timestamp()
        new_event = object.__new__(event_class)  # `event_class.of(fields)`, one call fewer an entry
        _fill(new_event, fields)
        new_event.mutate(self)
        self._pending_events.append(new_event)

    def next_entry_number(self, docket_number: str, at_least: int | None = None) -> int:
        """The next entry number on a docket (a pinned number may skip ahead, never back)."""
        following = self.last_entry.get(docket_number, 0) + 1
        return max(following, at_least or following)

    # Events --------------------------------------------------------------------------------------
    class Entry(Aggregate.Event):
        """A step of the procedure with its docket header; subclasses add what is particular to them.
        `KIND` is "court" (orders, rulings, judgments, hearings), "filing" or "outside" (off every docket)."""

        KIND: ClassVar[str] = "court"
        MOVES: ClassVar[bool] = True  # the matter is then pending at the entry's level (not so for a side track)
        step: str
        sim_day: int
        date: str
        approximate: bool
        counterfactual: bool
        court_level: str
        docket_number: str
        caption: str
        entry_number: int | None
        actor: str
        rule: str
        text: str
        inherited: dict[str, Any] | None  # on a fork's copies: {"matter_id": source, "seq": its position}

        FIELDS: ClassVar[frozenset[str]] = frozenset()  # set for each entry class below
        PLAN: ClassVar[tuple[str, bool, Any, tuple[Any, ...]] | None] = None  # `_plan`, set for each class below

        @classmethod
        def of(cls, fields: dict[str, Any]) -> Matter.Entry:
            """The entry with exactly `fields` (a missing or unknown one is refused by name), built in one
            step: the dict becomes its `__dict__`, as when the library's mapper rebuilds a stored event.
            The library's events are frozen dataclasses, whose generated `__init__` sets an entry's two
            dozen fields one by one through `object.__setattr__` (8% of a replication's instructions); the
            entry is as frozen and as checked as before (the library's `__post_init__` still runs).
            Calling the class, `Matter.X(**fields)`, does the same."""
            entry = object.__new__(cls)
            _fill(entry, fields)
            return entry

        def mutate(self, aggregate: Any) -> Any:
            """The library's `mutate` (the entry must be the matter's and the next of its sequence), reading
            the aggregate's fields rather than its properties: every entry of every replication passes here."""
            if self.originator_id is not aggregate._id and self.originator_id != aggregate._id:  # (UUID's == is Python)
                raise OriginatorIDError(self.originator_id, aggregate._id)
            if self.originator_version != aggregate._version + 1:
                raise OriginatorVersionError(self.originator_version, aggregate._version + 1)
            self.apply(aggregate)
            aggregate._version = self.originator_version
            aggregate._modified_on = self.timestamp
            return aggregate

        def apply(self, matter: Matter) -> None:
            cls = type(self)
            name, closing, follow, openings = cls.PLAN  # type: ignore[misc]
            matter.history.append(name)
            seen = matter.seen
            seen[name] = seen.get(name, 0) + 1
            matter.last_day, matter.last_date = self.sim_day, self.date
            if self.entry_number is not None:
                matter.last_entry[self.docket_number] = self.entry_number
                matter.last_entry_event[self.docket_number] = name
            if self.caption:  # only the entry that opens a docket carries its caption
                matter.dockets[ladder.LANE_OF[self.court_level]] = {"number": self.docket_number,
                                                                     "caption": self.caption}
            if closing:
                closed = registry.closes(name, self)
                deadlines, applications = matter.deadlines, matter.applications
                for key in list(deadlines) if closed is None else closed:
                    deadlines.pop(key, None)
                    applications.pop(key, None)
            self.apply_to(matter)
            if follow is not None:
                follow(self, matter)
            for opening in openings:
                if opening.applies(self, matter):
                    period = periods.PERIODS[opening.period]
                    trigger = opening.trigger(self, matter)
                    citation, due = _opened(period.rule(matter.united_states_party), trigger,
                                            period.heard_in == "supreme")
                    matter.deadlines[opening.period] = {
                        "period": opening.period, "party": opening.party(self, matter), "action": period.action,
                        "rule": citation, "trigger": trigger, "opened_seq": self.originator_version,
                        "due": due, "extended_to": None}

        def apply_to(self, matter: Matter) -> None:
            """What this event changes beyond the header and the periods."""

    class Filing(Entry):
        """A paper a party files: who, through which counsel, and (where a period runs) its deadline."""

        KIND: ClassVar[str] = "filing"
        party: str
        counsel: str
        period: str | None
        deadline: str | None
        timely: bool | None
        extended_to: str | None

        def apply(self, matter: Matter) -> None:
            if self.timely is False and self.period:
                matter.late[self.period] = self.originator_version
            super().apply(matter)

    class Outside(Entry):
        """A step off every court's docket: service, production, legislation, treaty requests."""

        KIND: ClassVar[str] = "outside"

    # Warrant and production ------------------------------------------------------------------
    class WarrantApplied(Filing):
        pass

    class WarrantIssued(Entry):
        pass

    class WarrantServed(Outside):
        def apply_to(self, matter: Matter) -> None:
            matter.warrants_served += 1
            matter.served_on = self.date

    class DomesticDataProduced(Outside):
        pass

    class ProductionRefused(Outside):
        reason: str

    class NewWarrantIssued(Outside):
        pass

    # Motions, briefs, hearings, extensions ---------------------------------------------------
    class MotionFiled(Filing):
        motion_id: str
        kind: str

        def apply_to(self, matter: Matter) -> None:
            matter.motions[self.motion_id] = {"kind": self.kind, "party": self.party, "level": self.court_level,
                                              "disposition": None, "filed_on": self.date}

    class MotionRuled(Entry):
        motion_id: str
        disposition: str

        def apply_to(self, matter: Matter) -> None:
            motion = matter.motions[self.motion_id]
            motion["disposition"] = self.disposition
            if self.court_level == "magistrate":
                winner = motion["party"] if self.disposition == "granted" else ladder.other(motion["party"])
                matter.last_decision = {"level": "magistrate", "prevailing": winner}

    class BriefFiled(Filing):
        kind: str

        def apply_to(self, matter: Matter) -> None:
            if self.period == "brief_in_opposition":
                matter.opposed_on = self.date

    class HearingHeld(Entry):
        kind: str

        def apply_to(self, matter: Matter) -> None:
            if self.court_level == "supreme":
                matter.argued_on = self.date

    class ExtensionApplied(Filing):
        """An application to extend a running period (its key in `extends`) to `until`."""

        MOVES: ClassVar[bool] = False
        extends: str
        until: str

        def apply_to(self, matter: Matter) -> None:
            matter.applications[self.extends] = {"party": self.party, "date": self.date, "until": self.until}

    class TimeExtended(Entry):
        """The order granting an application: the period `extends` now runs to `extended_to`."""

        MOVES: ClassVar[bool] = False
        extends: str
        extended_to: str

        def apply_to(self, matter: Matter) -> None:
            matter.applications.pop(self.extends, None)
            matter.deadlines[self.extends]["extended_to"] = self.extended_to

    # Review of the magistrate judge, stays, contempt -----------------------------------------
    class ObjectionFiled(Filing):
        pass

    class ObjectionRuled(Entry):
        disposition: str
        final_order: bool
        prevailing: str

        def apply_to(self, matter: Matter) -> None:
            matter.late.pop("objection", None)
            matter.last_decision = {"level": "district", "prevailing": self.prevailing}
            matter.decisions["district"] = self.prevailing
            if self.final_order:
                matter.appealable_order = "ObjectionRuled"

    class StayGranted(Entry):
        def apply_to(self, matter: Matter) -> None:
            matter.stayed = True

    class StayLifted(Entry):
        motion_id: str

        def apply_to(self, matter: Matter) -> None:
            matter.stayed = False
            matter.motions[self.motion_id]["disposition"] = "granted"

    class ContemptHeld(Entry):
        """Civil contempt on a motion or order to show cause (pending, of kind "contempt"), which it grants."""

        sanctions: str

        def apply_to(self, matter: Matter) -> None:
            matter.appealable_order = "ContemptHeld"
            for motion in matter.motions.values():
                if motion["kind"] == "contempt" and motion["disposition"] is None:
                    motion["disposition"] = "granted"

    class ContemptPurged(Entry):
        """The contemnor has complied: the court purges the contempt and the coercive sanctions end."""

    # Court of appeals ------------------------------------------------------------------------
    class NoticeOfAppealFiled(Filing):
        def apply_to(self, matter: Matter) -> None:
            matter.appeal_timely = bool(self.timely)

    class AppealDismissed(Entry):
        """The court of appeals dismisses a notice of appeal filed out of time (FRAP 4(a))."""

        def apply_to(self, matter: Matter) -> None:
            matter.late.pop("notice_of_appeal", None)
            matter.appeal_timely = None

    class PanelDecided(Entry):
        disposition: str
        doctrine: str
        prevailing: str

        def apply_to(self, matter: Matter) -> None:
            matter.last_decision = {"level": "circuit", "prevailing": self.prevailing}

    class RehearingPetitioned(Filing):
        def apply_to(self, matter: Matter) -> None:
            matter.rehearing_petitioner = self.party

    class RehearingDecided(Entry):
        granted: bool
        untimely: bool

        def apply_to(self, matter: Matter) -> None:
            matter.late.pop("rehearing", None)
            matter.en_banc_granted = self.granted

    class EnBancDecided(Entry):
        disposition: str
        doctrine: str
        prevailing: str

        def apply_to(self, matter: Matter) -> None:
            matter.last_decision = {"level": "en_banc", "prevailing": self.prevailing}

    # Supreme Court ---------------------------------------------------------------------------
    class CertPetitioned(Filing):
        def apply_to(self, matter: Matter) -> None:
            matter.petitioned_on = self.date

    class PetitionReturned(Outside):
        """An out-of-time petition the Clerk does not file (Sup. Ct. R. 13.2); the judgment below stands."""

        petitioner: str

    class PetitionDistributed(Entry):
        """Sup. Ct. R. 15.5: the petition (and any brief in opposition) goes to the Justices' conference."""

        def apply_to(self, matter: Matter) -> None:
            matter.distributed_on = self.date

    class CertDecided(Entry):
        granted: bool

        def apply_to(self, matter: Matter) -> None:
            matter.cert_granted = self.granted
            matter.granted_on = self.date if self.granted else None

    class SupremeCourtDecided(Entry):
        disposition: str
        doctrine: str
        prevailing: str

        def apply_to(self, matter: Matter) -> None:
            matter.last_decision = {"level": "supreme", "prevailing": self.prevailing}
            matter.supreme_judgment_on = self.date

    class JudgmentIssued(Entry):
        """Sup. Ct. R. 45.2, 45.3: the judgment issued, a certified copy sent to the court below."""

    class MandateIssued(Entry):
        """FRAP 41(b): the court of appeals' mandate."""

    class OrderOnRemand(Entry):
        """A lower court acts on the judgment or mandate of the court above (`action`)."""

        action: str

    # Legislation and mootness ----------------------------------------------------------------
    class LegislationEnacted(Outside):
        public_law: str
        statutes: list[str]

        def apply_to(self, matter: Matter) -> None:
            matter.statutes_in_force.extend(self.statutes)

    class DismissedAsMoot(Entry):
        motion_id: str
        vacatur: str

        def apply_to(self, matter: Matter) -> None:
            matter.motions[self.motion_id]["disposition"] = "granted"
            if self.court_level == "supreme":
                matter.supreme_judgment_on = self.date
            for motion in matter.motions.values():
                if motion["disposition"] is None:
                    motion["disposition"] = "moot"
            matter.late.clear()

    # Mutual legal assistance and comity --------------------------------------------------------
    class MLATRequestSent(Outside):
        requested_state: str

    class MLATRequestExecuted(Outside):
        def apply_to(self, matter: Matter) -> None:
            matter.mlat_outcome = "executed"

    class MLATRequestRefused(Outside):
        reason: str

        def apply_to(self, matter: Matter) -> None:
            matter.mlat_outcome = "refused"

    class MLATRequestWithdrawn(Outside):
        def apply_to(self, matter: Matter) -> None:
            matter.mlat_outcome = "withdrawn"

    class ComityMotionFiled(Filing):
        motion_id: str
        qualifying_foreign_government: bool

        def apply_to(self, matter: Matter) -> None:
            matter.motions[self.motion_id] = {"kind": "comity", "party": self.party, "level": self.court_level,
                                              "disposition": None}

    class ComityMotionRuled(Entry):
        motion_id: str
        disposition: str

        def apply_to(self, matter: Matter) -> None:
            matter.motions[self.motion_id]["disposition"] = self.disposition
            matter.late.pop("comity_motion", None)
            matter.last_decision = {"level": "magistrate",
                                    "prevailing": "provider" if self.disposition in ("quashed", "modified")
                                    else "government"}

    # Amici and the foreign government --------------------------------------------------------
    class AmicusBriefFiled(Filing):
        """A brief of an amicus curiae (party "amicus"), or of the data's country's government (party
        "foreign_government"): in support of the "provider", the "government", "neither" party, or
        "" where the record does not say; `offers_mlat` if it offers to process a treaty request."""

        MOVES: ClassVar[bool] = False
        supporting: str
        offers_mlat: bool

    # Orders not to notify (18 U.S.C. 2705(b)) ------------------------------------------------
    class NondisclosureSought(Filing):
        """The government applies, with the warrant, for an order that the provider not notify anyone
        of it, for `days` days."""

        MOVES: ClassVar[bool] = False
        days: int

    class NondisclosureOrdered(Entry):
        """The order under 2705(b), in force until `until` (an `extension` of one in force, or the first)."""

        MOVES: ClassVar[bool] = False
        until: str
        extension: bool

        def apply_to(self, matter: Matter) -> None:
            if matter.nondisclosure is None:
                matter.nondisclosure = {"until": self.until, "challenged": False, "ended": False}
            matter.nondisclosure["until"] = self.until

    class NondisclosureChallenged(Filing):
        """The provider moves to vacate or modify the 2705(b) order (2703(h)(5)(B) keeps that authority)."""

        MOVES: ClassVar[bool] = False

        def apply_to(self, matter: Matter) -> None:
            matter.nondisclosure["challenged"] = True  # type: ignore[index]

    class NondisclosureRuled(Entry):
        """The ruling on the provider's motion: "vacated" (the order ends) or "denied"."""

        MOVES: ClassVar[bool] = False
        disposition: str

        def apply_to(self, matter: Matter) -> None:
            order = matter.nondisclosure
            order["challenged"] = False  # type: ignore[index]
            if self.disposition == "vacated":
                order["ended"] = True  # type: ignore[index]

    class NondisclosureLapsed(Outside):
        """The 2705(b) order ran out without extension; the provider may notify its customer."""

        MOVES: ClassVar[bool] = False

        def apply_to(self, matter: Matter) -> None:
            matter.nondisclosure["ended"] = True  # type: ignore[index]

    # Outcome ---------------------------------------------------------------------------------
    class DataDisclosed(Outside):
        route: str

        def apply_to(self, matter: Matter) -> None:
            matter.disclosed_route = self.route

    class FinalDisposition(Outside):
        """The matter's end: how the fight ended (a value of `sim.domain.outcomes`) and the last level
        it reached; dated the day no further review was sought or available."""

        disposition: str

        def apply_to(self, matter: Matter) -> None:
            matter.disposition, matter.disposed_on = self.disposition, self.date

    ENTRY_TYPES: ClassVar[dict[str, type[Entry]]] = {}


Matter.ENTRY_TYPES.update(
    {name: value for name, value in vars(Matter).items()
     if isinstance(value, type) and issubclass(value, Matter.Entry)
     and value not in (Matter.Entry, Matter.Filing, Matter.Outside)}
)


def _plan(cls: type[Matter.Entry]) -> tuple[str, bool, Any, tuple[Any, ...]]:
    """What `apply` reads from the registry for an entry class, looked up once: its name, whether it may
    close periods, how it moves the case (`FOLLOWS`) and the periods it may open (`OPENS`)."""
    name = cls.__name__
    return (name, cls.KIND == "filing" or registry.KINDS[name].closes is not None, registry.FOLLOWS.get(name),
            tuple(registry.OPENS.get(name, ())))


_OPENED: dict[tuple[str, str, bool], tuple[str, str]] = {}


def _opened(rule: str, trigger: str, supreme: bool) -> tuple[str, str]:
    """A period under `rule` counted from `trigger` (ISO): the citation in force that day and the last day
    to act (ISO; in the Supreme Court, `supreme`, its last day as Sup. Ct. R. 30.1 counts it), computed once
    per rule and day (replications open the same periods on the same days)."""
    found = _OPENED.get((rule, trigger, supreme))
    if found is None:
        days = RULES[rule].period_days or 0
        found = _OPENED[(rule, trigger, supreme)] = (RULES[in_force(rule, "", trigger)].citation,
                                            deadline(dt.date.fromisoformat(trigger), days, supreme).isoformat())
    return found


def _fill(entry: Matter.Entry, fields: dict[str, Any]) -> None:
    """Make `fields` the entry's own (see `Matter.Entry.of`), once they are exactly its class's."""
    expected = type(entry).FIELDS
    if fields.keys() != expected:
        missing, unexpected = sorted(expected - fields.keys()), sorted(fields.keys() - expected)
        raise TypeError(f"{type(entry).__name__}: missing {missing}, unexpected {unexpected}")
    object.__setattr__(entry, "__dict__", fields)
    entry.__post_init__()


def _init_entry(self: Matter.Entry, **fields: Any) -> None:
    """An entry's `__init__`: the keyword arguments, this call's own, become its fields."""
    _fill(self, fields)


for _entry_class in Matter.ENTRY_TYPES.values():
    _entry_class.FIELDS = frozenset(field.name for field in dataclasses.fields(_entry_class))
    _entry_class.__init__ = _init_entry  # type: ignore[method-assign]
    _entry_class.PLAN = _plan(_entry_class)

__all__ = ["EVENT_FORMAT", "Matter", "OutOfOrder", "Unlawful", "matter_id"]
