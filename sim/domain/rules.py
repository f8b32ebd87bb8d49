"""The rules table: each procedural step's legal authority and, for filings, its period.

Citations and periods come from docs/sources.md (the section is in `source`; a citation the sources
do not hold says so). Deadlines are computed from `period_days` by `sim.calendar.deadline`;
nothing else in docketsim types a deadline in.
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
        """The citation with what it says, e.g. 'FRAP 40(a)(1): 45 days when the United States is a party'."""
        return f"{self.citation}: {self.summary}"


_SCA = "sources §1, §3"
_GENERAL = "standard federal citation, not in docs/sources.md"

RULES: dict[str, Rule] = {
    # Warrant and production
    "warrant": Rule("18 U.S.C. 2703(a), (b)(1)(A); Fed. R. Crim. P. 41",
                    "warrant for the contents of stored communications", _SCA),
    "warrant_2713": Rule("18 U.S.C. 2703(a), (b)(1)(A), 2713",
                         "warrant for the contents of stored communications, wherever the provider stores them",
                         "sources §8.2"),
    "service": Rule("18 U.S.C. 2703(b)(1)(A), (g)",
                    "served on the provider, no officer present, no notice to the customer", "sources §3, §9.7"),
    "production": Rule("18 U.S.C. 2703(c)", "provider discloses records stored in the United States", _GENERAL),
    "refusal": Rule("18 U.S.C. 2703(a)", "provider declines to produce content stored abroad", _SCA),
    "disclosure": Rule("18 U.S.C. 2703(a), (b)(1)(A)", "provider discloses the content under the warrant", _SCA),
    "disclosure_2713": Rule("18 U.S.C. 2703(a), 2713", "disclosure regardless of where the data is stored",
                            "sources §8.2, §9.5"),
    # Motions before the magistrate judge
    "motion_to_vacate": Rule("18 U.S.C. 2703(a); Fed. R. Crim. P. 41",
                             "motion to vacate the warrant in part", "sources §1"),
    "motion_to_compel": Rule("18 U.S.C. 2703(a); Fed. R. Crim. P. 41",
                             "motion to compel compliance with the warrant", "sources §1"),
    "magistrate_ruling": Rule("18 U.S.C. 2703(a); 28 U.S.C. 636(b)(1)(A)",
                              "magistrate judge rules on the motion", _GENERAL),
    "comity_motion": Rule("18 U.S.C. 2703(h)(2)(A)",
                          "14 days after service to move to quash or modify (qualifying foreign government)",
                          "sources §8.1", period_days=14),
    "comity_extension": Rule("18 U.S.C. 2703(h)(2)(A)",
                             "more time by agreement with the government, or by the court on an application "
                             "made within the 14 days", "sources §8.1"),
    "comity_ruling": Rule("18 U.S.C. 2703(h)(2)(B), (h)(3)",
                          "quash or modify only on all three findings, weighing the comity factors",
                          "sources §8.1"),
    "comity_untimely": Rule("18 U.S.C. 2703(h)(2)(A)", "a motion filed after 14 days from service, with no "
                            "agreement or extension, is out of time", "sources §8.1, §9.1"),
    "common_law_comity": Rule("18 U.S.C. 2703(h)(2)(A) (last sentence); common-law comity",
                              "a comity challenge for a country that is not a qualifying foreign government",
                              "sources §3"),
    "common_law_comity_ruling": Rule("18 U.S.C. 2713; common-law comity",
                                     "disclosure regardless of location unless comity outweighs it", "sources §3"),
    # Review by the district judge
    "objection": Rule("Fed. R. Crim. P. 59(a)",
                      "14 days to object to a magistrate judge's order; failing to object waives review",
                      "sources §5a, §9.1", period_days=14),
    "objection_time": Rule("Fed. R. Crim. P. 59(a)", "time to object set by the court ('or at some other time "
                           "the court sets')", "sources §9.1"),
    "objection_ruling": Rule("Fed. R. Crim. P. 59(a)",
                             "district judge sets aside any part of the order contrary to law or clearly erroneous",
                             "sources §5a"),
    "objection_untimely": Rule("Fed. R. Crim. P. 59(a)", "an objection out of time waives review",
                               "sources §9.1"),
    "stay": Rule("Fed. R. App. P. 8(a)(1)", "stay pending appeal, applied for first in the district court", _GENERAL),
    "lift_stay": Rule("28 U.S.C. 1291", "an order that is not final is not appealable; motion to lift the stay",
                      "sources §1 (DOJ letter of 2014-08-12)"),
    "contempt": Rule("18 U.S.C. 401; the court's inherent power",
                     "civil contempt on stipulation for disobeying the warrant; the order is final and appealable "
                     "under 28 U.S.C. 1291", "sources §1, §9.3"),
    "contempt_sanctions": Rule("18 U.S.C. 401; the court's inherent power",
                               "coercive civil contempt: sanctions until the contemnor complies", "sources §9.3"),
    "contempt_motion": Rule("18 U.S.C. 401; the court's inherent power",
                            "notice and an opportunity to be heard before civil contempt: a motion or an order to "
                            "show cause", "sources §9.8"),
    "contempt_purged": Rule("18 U.S.C. 401; Shillitani v. United States, 384 U.S. 364 (1966)",
                            "coercive contempt ends when the contemnor complies", "sources §9.3, §9.8"),
    # Court of appeals
    "notice_of_appeal": Rule("FRAP 4(a)(1)(A)", "30 days after entry of the order appealed from",
                             "sources §5a", period_days=30),
    "notice_of_appeal_us": Rule("FRAP 4(a)(1)(B)", "60 days when the United States is a party",
                                "sources §5a", period_days=60),
    "appeal_extension": Rule("FRAP 4(a)(5)", "extension on a motion filed no later than 30 days after the time "
                             "expired; at most 30 days after it or 14 days after the order, whichever is later",
                             "sources §9.1"),
    "appeal_untimely": Rule("FRAP 4(a)(1), 4(a)(5)", "a notice of appeal out of time, with no extension, is "
                            "dismissed", "sources §9.1"),
    "appellate_brief": Rule("FRAP 28, 31", "briefs on the merits", _GENERAL),
    "appellate_argument": Rule("FRAP 34", "oral argument", _GENERAL),
    "panel_decision": Rule("FRAP 36", "entry of judgment", _GENERAL),
    "rehearing": Rule("FRAP 40(a)(1)", "14 days after entry of judgment", "sources §5a", period_days=14),
    "rehearing_us": Rule("FRAP 40(a)(1)", "45 days when the United States is a party",
                         "sources §5a, §8.3", period_days=45),
    "rehearing_extension": Rule("FRAP 26(b)", "for good cause the court may extend the time", "sources §9.1"),
    "rehearing_untimely": Rule("FRAP 40(a)(1); Sup. Ct. R. 13.3",
                               "a petition out of time is denied and does not restart the time for certiorari",
                               "sources §8.6, §9.1"),
    "en_banc_vote": Rule("FRAP 35(a) (now FRAP 40(c))",
                         "majority of the active, non-disqualified judges; en banc is not favored", "sources §5a"),
    "mandate": Rule("FRAP 41(b)", "7 days after the time to petition for rehearing expires or after denial",
                    "sources §8.6, §9.1", period_days=7),
    "stay_mandate": Rule("FRAP 41(d)", "the mandate stayed pending a petition for certiorari; on its denial the "
                         "mandate issues at once", "sources §8.6, §9.8"),
    # Supreme Court
    "cert_petition": Rule("Sup. Ct. R. 13.1, 13.3", "90 days after judgment or after denial of rehearing",
                          "sources §8.6", period_days=90),
    "cert_extension": Rule("Sup. Ct. R. 13.5", "a Justice may extend the time by up to 60 days; apply at least "
                           "10 days before the due date", "sources §8.6, §9.1", period_days=60),
    "cert_out_of_time": Rule("Sup. Ct. R. 13.2; 28 U.S.C. 2101(c)",
                             "the Clerk will not file a petition that is jurisdictionally out of time", "sources §9.1"),
    "brief_in_opposition": Rule("Sup. Ct. R. 15.3", "30 days after the case is placed on the docket",
                                "sources §8.6", period_days=30),
    "bio_extension": Rule("Sup. Ct. R. 15.3, 30.4", "time extended by the Court, a Justice, or the Clerk",
                          "sources §9.1"),
    "distribution": Rule("Sup. Ct. R. 15.5", "distributed no less than 14 days after the brief in opposition, or "
                         "when the time to file one expires", "sources §8.6, §9.1", period_days=14),
    "cert_decision": Rule("Sup. Ct. R. 15.5", "petition considered at conference; writ granted or denied",
                          "sources §8.6, §9.2"),
    "supreme_argument": Rule("Sup. Ct. R. 28", "oral argument in a sitting of the Term (October to April)",
                             "sources §9.2; Rule 28 not in docs/sources.md"),
    "supreme_decision": Rule("Sup. Ct. R. 45.3", "opinion and judgment; no formal mandate to a federal court",
                             "sources §8.6"),
    "judgment_issued": Rule("Sup. Ct. R. 45.2, 45.3", "judgment issued 25 days after entry; a certified copy is "
                            "sent to the lower court", "sources §8.6", period_days=25),
    # Legislation, mootness, remand
    "cloud_act": Rule("Pub. L. 115-141, Div. V (CLOUD Act)", "adds 18 U.S.C. 2713, 2703(h) and 2523",
                      "sources §3, §8.1"),
    "new_warrant": Rule("18 U.S.C. 2703(a), 2713", "new warrant under the amended statute",
                        "sources §1 (2018-03-30)"),
    "motion_moot": Rule("United States v. Munsingwear, Inc., 340 U.S. 36 (1950)",
                        "the party that lost below asks that a judgment mooted pending review be vacated",
                        "sources §9.6"),
    "motion_withdraw": Rule("U.S. Const. art. III", "no live controversy: motion to dismiss the proceeding as moot",
                            "sources §9.6"),
    "response": Rule("Sup. Ct. R. 21", "response to a motion", _GENERAL),
    "dismissal_moot": Rule("United States v. Munsingwear, Inc., 340 U.S. 36 (1950)",
                           "judgment vacated; remanded with instructions to dismiss as moot", "sources §1, §9.6"),
    "dismissal_moot_below": Rule("U.S. Const. art. III",
                                 "no live controversy: the orders are vacated and the matter dismissed as moot",
                                 "sources §9.6"),
    "remand_order": Rule("Sup. Ct. R. 45.3; FRAP 41", "the lower court acts on the judgment or mandate from above",
                         "sources §8.6, §9.6"),
    # Comity and mutual legal assistance (the treaty is named per country)
    "mlat_request": Rule("{treaty}", "request through both central authorities", "sources §4"),
    "mlat_execution": Rule("{treaty}", "requested state's central authority executes", "sources §4"),
    "mlat_withdrawn": Rule("{treaty}", "request withdrawn: the content is obtained otherwise", "sources §4"),
    # Amici, the foreign government, the government's letter on new legislation
    "amicus_circuit": Rule("FRAP 29", "brief of an amicus curiae in the court of appeals",
                           "sources §1 (the amici of 2014); FRAP 29 not in docs/sources.md"),
    "amicus_supreme": Rule("Sup. Ct. R. 37", "brief of an amicus curiae in the Supreme Court",
                           "sources §1 (the amici of 2017-18); Rule 37 not in docs/sources.md"),
    "legislation_letter": Rule("Pub. L. 115-141, Div. V; 28 U.S.C. 518(a)",
                               "the United States informs the court of the new law", "sources §1 (2018-03-23), §9.3"),
    # Orders not to notify
    "nondisclosure": Rule("18 U.S.C. 2705(b)", "the provider is not to notify any other person of the warrant, "
                          "for such period as the court deems appropriate", "sources §3, §9.7"),
    "nondisclosure_challenge": Rule("18 U.S.C. 2705(b)", "the provider moves to vacate or modify the order",
                                    "sources §9.7; §8.1: the CLOUD Act leaves that authority untouched"),
    "nondisclosure_lapsed": Rule("18 U.S.C. 2705(b)", "the order's period has run and was not extended",
                                 "sources §9.7"),
    # The matter's end: the rule that made the last ruling final, or this one when no review was open
    "final_disposition": Rule("28 U.S.C. 1291", "no further review is sought or available", "sources §1"),
}


# 18 U.S.C. 2703(h)(3) (sources §8.1): what a court takes into account, "as appropriate", before it
# quashes or modifies on a 2703(h)(2) motion. "{state}" is the qualifying foreign government.
COMITY_FACTORS: dict[str, str] = {
    "A": "the interests of the United States, including the investigative interests of the government",
    "B": "the interests of {state} in preventing any prohibited disclosure",
    "C": "the likelihood, extent and nature of penalties to the provider or its employees from inconsistent "
         "legal requirements",
    "D": "the location and nationality of the customer and the customer's connection to the United States",
    "E": "the nature and extent of the provider's ties to and presence in the United States",
    "F": "the importance of the information to the investigation",
    "G": "the likelihood of timely and effective access to it through means with less serious negative "
         "consequences",
    "H": "for process sought under 18 U.S.C. 3512, the investigative interests of the requesting foreign authority",
}


def comity_analysis(state: str) -> str:
    """The factors of 2703(h)(3) a court weighs on a warrant sought for the United States' own
    investigation: (A) to (G); (H) applies only to process sought for a foreign authority."""
    weighed = "; ".join(f"({k}) {v.format(state=state)}" for k, v in COMITY_FACTORS.items() if k != "H")
    return f"{weighed}; factor (H) does not apply (the warrant was not sought under 18 U.S.C. 3512)"


def rule(key: str) -> Rule:
    """The rule for a step; a KeyError here is a programming error, not bad input."""
    return RULES[key]
