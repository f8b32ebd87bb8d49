"""Plain-English narration of a matter's events, with the deadlines each opens and those running.

Pure functions of stored events, for `replay` and `docket --as-of`. Deadlines are never computed
here: they are read from the `Matter` aggregate's state (`sim.domain.periods` declares them once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from sim.domain.laws import LABELLED
from sim.domain.matter import Matter
from sim.text import dates_written, tidy


@attrs.frozen
class Deadline:
    """Something a party may do, by when (after any extension), under which rule."""

    party: str
    action: str
    due: dt.date
    rule: str
    extended: bool
    opened_seq: int

    def describe(self) -> str:
        extended = " (as extended)" if self.extended else ""
        return f"{self.party} may {self.action} by {day_month_year(self.due)}{extended} ({told(self.rule)})"


def running(matter: Matter, on: dt.date) -> list[Deadline]:
    """The deadlines running on `on` in the matter's state: opened, not closed, not yet past."""
    return [_deadline(matter, d) for d in matter.running(on.isoformat())]


def _deadline(matter: Matter, d: dict[str, Any]) -> Deadline:
    return Deadline(_party(matter, d["party"]), d["action"], dt.date.fromisoformat(d["extended_to"] or d["due"]),
                    d["rule"], bool(d["extended_to"]), d["opened_seq"])


@attrs.frozen
class Step:
    """One event told: its position, its narration (with its rule and what it opens), and the deadlines
    running on its date once it is on record, read from the matter's state at that point."""

    seq: int
    date: dt.date
    narration: str
    running: list[Deadline]


def steps(events: list[Any]) -> Iterator[tuple[Step, Matter]]:
    """Each event after the opening told, with the matter's state just after it (folded once; the state
    is the same object throughout, so read it before the next step)."""
    matter: Matter = events[0].mutate(None)
    for event in events[1:]:
        matter = event.mutate(matter)
        day = dt.date.fromisoformat(event.date)
        yield Step(event.originator_version, day, _narration(event, matter), running(matter, day)), matter


def tell(events: list[Any]) -> Iterator[tuple[int, str]]:
    """Each event after the opening, as (seq, narration), folding the matter's state once."""
    for step, _ in steps(events):
        yield step.seq, step.narration


def narrate(events: list[Any], seq: int) -> str:
    """The event at position `seq` told in plain English, with its rule and what it opens."""
    return next(text for at, text in tell([e for e in events if e.originator_version <= seq]) if at == seq)


def long_date(day: dt.date) -> str:
    """A date as the narration heads a step: Thursday 14 July 2016."""
    return f"{day:%A} {day_month_year(day)}"


def day_month_year(day: dt.date) -> str:
    """A date as the narration says it: 14 July 2016."""
    return f"{day.day} {day:%B %Y}"


def told(text: str) -> str:
    """Stored text as the narration says it: its ISO dates as `day_month_year` writes them."""
    return dates_written(text, day_month_year)


def _narration(e: Any, matter: Matter) -> str:
    when = long_date(dt.date.fromisoformat(e.date))
    lines = [f"{when}{' (approximately)' if e.approximate else ''} - {matter.forum_name(e.court_level)}",
             f"  {told(tidy(sentence(e, matter)))}", f"  Authority: {told(e.rule)}"]
    lines += [f"  Simulated regime: {told(said)}." for said in LABELLED.findall(e.text)]
    if isinstance(e, Matter.Filing) and e.timely is not None:
        due = day_month_year(dt.date.fromisoformat(e.deadline))
        lines.append(f"  Filed after its deadline of {due}: late." if not e.timely else
                     f"  Filed in time (due {due}{', as extended' if e.extended_to else ''}).")
    lines += [f"  Next: {_deadline(matter, d).describe()}" for d in matter.deadlines.values()
              if d["opened_seq"] == e.originator_version]
    return "\n".join(lines)


def _decides(e: Any) -> str:
    """Who rules, as a sentence's subject: in the court of appeals the court (its panel's names are plural)."""
    return COURTS["circuit"] if e.court_level in ("circuit", "en_banc") else e.actor


def _party(matter: Matter, side: str | None) -> str:
    name = matter.parties.get(side or "", side or "")
    return f"the {name}" if name.startswith("United States") else name


STIPULATED_CONTEMPT = "contempt_motion"  # the step of the parties' stipulation (a contempt to appeal from)
MOTIONS = {"vacate": "asks the magistrate judge to vacate the warrant as to the e-mails stored abroad",
           "compel": "asks the court to order the provider to hand over the e-mails",
           "lift_stay": "asks the court to lift the stay",
           "vacate_moot": "asks the court to vacate the ruling below now that the dispute is moot",
           "dismiss_moot": "asks the court to dismiss the proceeding as moot",
           "contempt": "asks the court to hold the provider in contempt for not handing over the e-mails",
           "stay_mandate": "asks the court of appeals to hold back its mandate while it asks the Supreme Court "
                           "to take the case"}
BRIEFS = {"response to objection": "answers the objection", "brief for appellant": "files its opening brief",
          "brief for appellee": "files its answering brief", "brief in opposition": "files a brief opposing review",
          "response to motion": "answers that it does not oppose the motion",
          "letter on new legislation": "writes to tell the court that Congress has changed the law"}
HEARINGS = {"district": "The district judge hears the parties on the objection.",
            "circuit": "The court of appeals hears oral argument.",
            "supreme": "The Supreme Court hears oral argument."}
COURTS = {"district": "The district court", "circuit": "The court of appeals", "supreme": "The Supreme Court"}
REVIEWED = {"affirmed": "upholds", "set aside": "sets aside"}
DECIDED = {"affirmed": "affirms", "reversed": "reverses", "panel decision adhered to": "keeps",
           "panel decision vacated": "sets aside"}
REMANDS = {"vacated and remanded": "carries out the Supreme Court's judgment: it vacates the district court's orders "
                                   "and sends the case back to be dismissed as moot",
           "dismissed as moot": "carries out the judgment from above and dismisses the proceeding as moot"}
# How a matter ends (the values of sim.domain.outcomes), told in plain words.
ENDINGS = {"warrant executed": "the provider complies with the warrant",
           "warrant enforced": "the courts enforce the warrant",
           "contempt sanctions": ("the courts enforce the warrant by civil contempt: the provider hands the e-mails "
                                  "over and the contempt is purged"),
           "dismissed as moot": "the case is dismissed as moot",
           "warrant vacated": "the warrant is vacated", "warrant quashed": "the warrant is quashed",
           "mlat executed": "the e-mails come through the treaty request",
           "mlat refused": "the treaty request is refused",
           "new warrant executed": "a new warrant reaches the e-mails",
           "content not obtained": "the e-mails are never obtained"}


def ending(disposition: str) -> str:
    """A final disposition in plain words: how the fight over the warrant ended, then what came of it.

    >>> ending("warrant vacated; mlat refused")
    'the warrant is vacated; then the treaty request is refused'
    """
    return "; then ".join(ENDINGS.get(part, part) for part in disposition.split("; "))


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def sentence(e: Any, m: Matter) -> str:
    """One event in plain English (no internal labels)."""
    gov, prov = _party(m, "government"), _party(m, "provider")
    by = _party(m, getattr(e, "party", None))
    say: dict[str, Callable[[], str]] = {
        "WarrantApplied": lambda: f"{gov} asks a magistrate judge for a warrant for the e-mail account's contents.",
        "WarrantIssued": lambda: f"{e.actor} finds probable cause and issues the warrant.",
        "WarrantServed": lambda: f"The warrant is served on {prov}.",
        "DomesticDataProduced": lambda: f"{prov} hands over the account records it stores in the United States.",
        "ProductionRefused": lambda: f"{prov} refuses to hand over the e-mails themselves: {e.reason}.",
        "NewWarrantIssued": lambda: f"{gov} obtains a new warrant under the amended statute.",
        "MotionFiled": lambda: (f"The parties agree that the court should hold {prov} in civil contempt, so that "
                                "its order can be appealed." if e.step == STIPULATED_CONTEMPT else
                                f"{by} {MOTIONS.get(e.kind, 'files a motion')}."),
        "MotionRuled": lambda: f"{_decides(e)} {'grants' if e.disposition == 'granted' else 'denies'} the motion"
                               + (": the mandate waits for the Supreme Court." if m.motions.get(e.motion_id, {}).get(
                                   "kind") == "stay_mandate" and e.disposition == "granted" else "."),
        "BriefFiled": lambda: f"{by} {BRIEFS.get(e.kind, 'files a brief')}.",
        "HearingHeld": lambda: HEARINGS.get(e.court_level, "The court hears the parties."),
        "ExtensionApplied": lambda: f"{by} asks for more time, until {e.until}.",
        "TimeExtended": lambda: f"{_decides(e)} gives more time, until {e.extended_to}.",
        "ObjectionFiled": lambda: f"{by} objects to the magistrate judge's ruling and asks the district judge to "
                                  "review it.",
        "ObjectionRuled": lambda: (f"{e.actor} rejects the objection as late: not objecting in time waives review."
                                   if e.disposition == "overruled as untimely" else
                                   f"{e.actor} {REVIEWED.get(e.disposition, 'rules on')} the magistrate judge's "
                                   "ruling." + (" That is a final order the government can appeal." if e.final_order
                                                else "")),
        "StayGranted": lambda: "The court puts its order on hold while an appeal is sought.",
        "StayLifted": lambda: "The court lifts the stay: its order was not yet one that could be appealed.",
        "ContemptHeld": lambda: f"The court holds {prov} in civil contempt"
                                + (" with fines until it complies." if "fines" in e.sanctions else
                                   ", without sanctions for now: the order can be appealed."),
        "NoticeOfAppealFiled": lambda: f"{by} appeals to the court of appeals.",
        "AppealDismissed": lambda: "The court of appeals dismisses the appeal: the notice came too late.",
        "PanelDecided": lambda: f"A panel of the court of appeals {DECIDED.get(e.disposition, 'decides on')} the "
                                f"district court's decision: {_party(m, e.prevailing)} prevails.",
        "RehearingPetitioned": lambda: f"{by} asks the court of appeals to rehear the case.",
        "RehearingDecided": lambda: ("The court of appeals turns the petition away as late." if e.untimely else
                                     "The court of appeals " + ("grants" if e.granted else "denies")
                                     + " rehearing by the full court."),
        "EnBancDecided": lambda: f"The full court of appeals {DECIDED.get(e.disposition, 'decides on')} the panel's "
                                 f"decision: {_party(m, e.prevailing)} prevails.",
        "CertPetitioned": lambda: f"{by} asks the Supreme Court to take the case.",
        "PetitionReturned": lambda: f"The Supreme Court's Clerk returns {_possessive(_party(m, e.petitioner))} "
                                    "petition unfiled: the time to file had run out.",
        "PetitionDistributed": lambda: "The petition goes to the Justices for their conference.",
        "CertDecided": lambda: "The Supreme Court " + ("agrees to hear" if e.granted else "declines to hear")
                               + " the case.",
        "SupremeCourtDecided": lambda: f"The Supreme Court {DECIDED.get(e.disposition, 'decides on')} the court of "
                                       f"appeals' judgment: {_party(m, e.prevailing)} prevails.",
        "JudgmentIssued": lambda: "The Supreme Court's judgment issues and goes down to the court of appeals.",
        "MandateIssued": lambda: "The court of appeals sends its mandate down to the district court.",
        "ContemptPurged": lambda: f"{prov} has complied, so the court ends the contempt and its fines.",
        "OrderOnRemand": lambda: f"{COURTS.get(e.court_level, 'The court')} "
                                 f"{REMANDS.get(e.action, 'carries out the judgment from above')}.",
        "LegislationEnacted": lambda: "Congress passes, and the President signs, the CLOUD Act: providers must "
                                      "disclose data they control wherever it is stored.",
        "DismissedAsMoot": lambda: "With nothing left to decide, the court vacates the rulings below and orders the "
                                   "case dismissed as moot.",
        "MLATRequestSent": lambda: f"{gov} asks {e.requested_state}'s authorities for the e-mails under the mutual "
                                   "legal assistance treaty.",
        "MLATRequestExecuted": lambda: f"{e.actor} grants the request and obtains the e-mails under local law.",
        "MLATRequestRefused": lambda: f"{e.actor} refuses the request.",
        "MLATRequestWithdrawn": lambda: f"{gov} withdraws its treaty request: a new warrant will reach the e-mails.",
        "ComityMotionFiled": lambda: f"{prov} asks the court to quash the warrant because disclosure would break a "
                                     "foreign country's law.",
        "ComityMotionRuled": lambda: f"{e.actor} " + {"quashed": "quashes the warrant.",
                                                       "denied as untimely": "turns the motion away as late.",
                                                       }.get(e.disposition, "denies the motion to quash."),
        "DataDisclosed": lambda: (f"The e-mails reach {gov} through the treaty channels." if e.route == "mlat" else
                                  f"{prov} hands the e-mails over to {gov}."),
        "FinalDisposition": lambda: f"The matter ends: {ending(e.disposition)}.",
        "AmicusBriefFiled": lambda: _amicus(e, m),
        "NondisclosureSought": lambda: f"{gov} asks the court to forbid {prov} to tell anyone about the warrant for "
                                       f"{e.days} days.",
        "NondisclosureOrdered": lambda: (f"{e.actor} extends the order keeping the warrant secret until {e.until}."
                                         if e.extension else f"{e.actor} orders {prov} not to tell anyone about the "
                                         f"warrant until {e.until}."),
        "NondisclosureChallenged": lambda: f"{prov} asks the court to lift that order so that it can tell its "
                                           "customer.",
        "NondisclosureRuled": lambda: (f"{e.actor} lifts the order: {prov} may tell its customer."
                                       if e.disposition == "vacated" else f"{e.actor} keeps the order in place."),
        "NondisclosureLapsed": lambda: f"The order keeping the warrant secret runs out; {prov} may now tell its "
                                       "customer.",
    }
    kind = type(e).__name__
    return say[kind]() if kind in say else e.text


def _amicus(e: Any, m: Matter) -> str:
    """An amicus brief: the foreign government's (and its offer to handle a treaty request), or others'."""
    side = {"neither": ", supporting neither side", "": ""}.get(e.supporting, f", supporting {_party(m, e.supporting)}")
    if e.party == "foreign_government":
        offer = ", and says it would handle a request for the e-mails under its treaty" if e.offers_mlat else ""
        return f"{e.actor} files a brief as a friend of the court{side}{offer}."
    return f"Friends of the court (amici curiae) file briefs{side}."
