"""The rules table: each procedural step's legal authority and, for filings, its period.

Citations and periods come from ../shared/legal-reference.md (section in `source`). Deadlines are
computed from `period_days` by sim.calendar; nothing else in docketsim types a deadline in.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Rule:
    """A rule or statute behind a step; `period_days` is the time allowed to act, when there is one."""

    citation: str
    summary: str
    source: str
    period_days: int | None = None

    def describe(self) -> str:
        """The citation with its period, e.g. 'FRAP 40(a)(1): 45 days when the United States is a party'."""
        return f"{self.citation}: {self.summary}"


_SCA = "legal-reference §1, §3"
_GENERAL = "standard federal citation, not in legal-reference.md"

RULES: dict[str, Rule] = {
    # Warrant and production
    "warrant": Rule("18 U.S.C. 2703(a), (b)(1)(A); Fed. R. Crim. P. 41",
                    "warrant for the contents of stored communications", _SCA),
    "service": Rule("18 U.S.C. 2703(b)(1)(A)", "warrant served on the provider, no notice to the customer",
                    "legal-reference §3 (notice to the customer)"),
    "production": Rule("18 U.S.C. 2703(c)", "provider discloses records stored in the United States",
                       _GENERAL),
    "refusal": Rule("18 U.S.C. 2703(a)", "provider declines to produce content stored abroad", _SCA),
    "disclosure_2713": Rule("18 U.S.C. 2713", "disclosure regardless of where the data is stored",
                            "legal-reference §8.2"),
    # Motions before the magistrate judge
    "motion_to_vacate": Rule("18 U.S.C. 2703(a); Fed. R. Crim. P. 41",
                             "motion to vacate the warrant in part", "legal-reference §1"),
    "motion_to_compel": Rule("18 U.S.C. 2703(a); Fed. R. Crim. P. 41",
                             "motion to compel compliance with the warrant", "legal-reference §1"),
    "magistrate_ruling": Rule("18 U.S.C. 2703(a); 28 U.S.C. 636(b)(1)(A)",
                              "magistrate judge rules on the motion", _GENERAL),
    # Review by the district judge
    "objection": Rule("Fed. R. Crim. P. 59(a)",
                      "14 days to object to a magistrate judge's order; failing to object waives review",
                      "legal-reference §5a", period_days=14),
    "objection_ruling": Rule("Fed. R. Crim. P. 59(a)",
                             "district judge sets aside any part of the order contrary to law or clearly erroneous",
                             "legal-reference §5a"),
    "stay": Rule("Fed. R. App. P. 8(a)(1)", "stay pending appeal, applied for first in the district court", _GENERAL),
    "lift_stay": Rule("28 U.S.C. 1291", "an order that is not final is not appealable; motion to lift the stay",
                      "legal-reference §1 (DOJ letter of 2014-08-12)"),
    "contempt": Rule("28 U.S.C. 1291", "civil contempt on stipulation: a final, appealable order",
                     "legal-reference §1 (Preska order of 2014-08-29)"),
    "contempt_sanctions": Rule("28 U.S.C. 1291", "civil contempt with coercive sanctions for refusal to comply",
                               "legal-reference §1"),
    # Court of appeals
    "notice_of_appeal": Rule("FRAP 4(a)(1)(A)", "30 days after entry of the order appealed from",
                             "legal-reference §5a", period_days=30),
    "notice_of_appeal_us": Rule("FRAP 4(a)(1)(B)", "60 days when the United States is a party",
                                "legal-reference §5a", period_days=60),
    "appellate_brief": Rule("FRAP 28, 31", "briefs on the merits", _GENERAL),
    "appellate_argument": Rule("FRAP 34", "oral argument", _GENERAL),
    "panel_decision": Rule("FRAP 36", "entry of judgment", _GENERAL),
    "rehearing": Rule("FRAP 40(a)(1)", "14 days after entry of judgment", "legal-reference §5a",
                      period_days=14),
    "rehearing_us": Rule("FRAP 40(a)(1)", "45 days when the United States is a party",
                         "legal-reference §5a, §8.3", period_days=45),
    "en_banc_vote": Rule("FRAP 35(a) (now FRAP 40(c))",
                         "majority of the active, non-disqualified judges; en banc is not favored",
                         "legal-reference §5a"),
    "mandate": Rule("FRAP 41(b)", "7 days after the time to petition for rehearing expires or after denial",
                    "legal-reference §8.6", period_days=7),
    # Supreme Court
    "cert_petition": Rule("Sup. Ct. R. 13.1, 13.3", "90 days after judgment or after denial of rehearing",
                          "legal-reference §8.6", period_days=90),
    "cert_extension": Rule("Sup. Ct. R. 13.5", "a Justice may extend the time by up to 60 days",
                           "legal-reference §8.6", period_days=60),
    "brief_in_opposition": Rule("Sup. Ct. R. 15.3", "30 days after the case is placed on the docket",
                                "legal-reference §8.6", period_days=30),
    "cert_decision": Rule("Sup. Ct. R. 15.5, 10", "petition distributed for conference; writ granted or denied",
                          "legal-reference §8.6"),
    "merits_brief": Rule("Sup. Ct. R. 25.1, 25.2", "petitioner 45 days after the grant; respondent 30 days after",
                         "legal-reference §8.6", period_days=45),
    "supreme_argument": Rule("Sup. Ct. R. 28", "oral argument", _GENERAL),
    "supreme_decision": Rule("Sup. Ct. R. 45.3", "opinion and judgment; no formal mandate to a federal court",
                             "legal-reference §8.6"),
    "judgment_issued": Rule("Sup. Ct. R. 45.2", "judgment sent 25 days after entry",
                            "legal-reference §8.6", period_days=25),
    # Legislation and mootness
    "cloud_act": Rule("Pub. L. 115-141, Div. V (CLOUD Act)", "adds 18 U.S.C. 2713, 2703(h) and 2523",
                      "legal-reference §3, §8.1"),
    "new_warrant": Rule("18 U.S.C. 2703(a), 2713", "new warrant under the amended statute",
                        "legal-reference §1 (2018-03-30)"),
    "motion_moot": Rule("U.S. Const. art. III; 18 U.S.C. 2713",
                        "no live controversy: vacate and remand with directions to dismiss as moot",
                        "legal-reference §1 (2018-03-30)"),
    "response": Rule("Sup. Ct. R. 21", "response to a motion", _GENERAL),
    "dismissal_moot": Rule("U.S. Const. art. III", "judgment vacated; remanded with instructions to dismiss as moot",
                           "legal-reference §1 (2018-04-17)"),
    # Comity under the CLOUD Act
    "comity_motion": Rule("18 U.S.C. 2703(h)(2)(A)", "14 days after service to move to quash or modify",
                          "legal-reference §8.1", period_days=14),
    "comity_ruling": Rule("18 U.S.C. 2703(h)(2)(B), (h)(3)",
                          "quash or modify only on all three findings, weighing the comity factors",
                          "legal-reference §8.1"),
    "common_law_comity": Rule("18 U.S.C. 2703(h)(2)(A) (last sentence)",
                              "common-law comity challenge for a country that is not a qualifying foreign government",
                              "legal-reference §3"),
    # Mutual legal assistance
    "mlat_request": Rule("US-Ireland MLAT (TIAS 13137)", "request through both central authorities",
                         "legal-reference §4"),
    "mlat_execution": Rule("US-Ireland MLAT (TIAS 13137)", "requested state's central authority executes",
                           "legal-reference §4"),
    "executive_agreement": Rule("18 U.S.C. 2523; 2511(2)(j)",
                                "provider answers an order under an executive agreement directly",
                                "legal-reference §3"),
    "final_disposition": Rule("28 U.S.C. 1291", "no further review is sought or available",
                              "legal-reference §1"),
}


def rule(key: str) -> Rule:
    """The rule for a step; a KeyError here is a programming error, not bad input."""
    return RULES[key]


# The levels of the judiciary, in the order a matter can climb them.
COURT_LEVELS = ("magistrate", "district", "circuit", "en_banc", "supreme")

# Each procedural step the engine can take, with the key of the rule it rests on. Scenario pins
# name these steps.
STEPS: dict[str, str] = {
    "warrant_applied": "warrant",
    "warrant_issued": "warrant",
    "warrant_served": "service",
    "domestic_production": "production",
    "refusal": "refusal",
    "comity_motion": "comity_motion",
    "comity_ruling": "comity_ruling",
    "motion_to_vacate": "motion_to_vacate",
    "motion_to_compel": "motion_to_compel",
    "magistrate_ruling": "magistrate_ruling",
    "objection": "objection",
    "objection_response": "objection",
    "district_hearing": "objection_ruling",
    "district_ruling": "objection_ruling",
    "stay_pending_appeal": "stay",
    "motion_to_lift_stay": "lift_stay",
    "stay_lifted": "lift_stay",
    "contempt": "contempt",
    "notice_of_appeal": "notice_of_appeal",
    "appellant_brief": "appellate_brief",
    "appellee_brief": "appellate_brief",
    "circuit_argument": "appellate_argument",
    "panel_decision": "panel_decision",
    "rehearing_petition": "rehearing",
    "rehearing_decision": "en_banc_vote",
    "en_banc_decision": "en_banc_vote",
    "cert_petition": "cert_petition",
    "brief_in_opposition": "brief_in_opposition",
    "cert_decision": "cert_decision",
    "supreme_argument": "supreme_argument",
    "supreme_decision": "supreme_decision",
    "legislation": "cloud_act",
    "new_warrant": "new_warrant",
    "new_warrant_served": "service",
    "mootness_motion": "motion_moot",
    "mootness_response": "response",
    "dismissal_as_moot": "dismissal_moot",
    "contempt_sanctions": "contempt_sanctions",
    "mlat_request": "mlat_request",
    "mlat_response": "mlat_execution",
    "disclosure": "warrant",
    "final_disposition": "final_disposition",
}
