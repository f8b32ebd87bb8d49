"""The rules table: each procedural step's legal authority and, for filings, its period.

Citations and periods come from docs/sources.md (the section is in `source`; a citation the sources
do not hold says so). Deadlines are computed from `period_days` by `sim.calendar.deadline`;
nothing else in docketsim types a deadline in.
"""

from __future__ import annotations

from sim.domain.authority import Rule
from sim.domain.periods import PERIODS

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
    "comity_ruling": Rule("18 U.S.C. 2703(h)(2)(B), (h)(3)",
                          "quash or modify only on all three findings, weighing the comity factors",
                          "sources §8.1"),
    "comity_untimely": Rule("18 U.S.C. 2703(h)(2)(A)", "a motion filed after 14 days from service, with no "
                            "agreement or extension, is out of time", "sources §8.1, §9.1"),
    "common_law_comity": Rule("Pub. L. 115-141, div. V, § 103(c) (note to 18 U.S.C. 2703); common-law comity",
                              "a comity challenge for a country that is not a qualifying foreign government, "
                              "preserved by the CLOUD Act's rule of construction", "sources §3, §11.4"),
    "common_law_comity_ruling": Rule("18 U.S.C. 2713; common-law comity",
                                     "disclosure regardless of location unless comity outweighs it", "sources §3"),
    # Review by the district judge
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
    "appeal_untimely": Rule("FRAP 4(a)(1), 4(a)(5)", "a notice of appeal out of time, with no extension, is "
                            "dismissed", "sources §9.1"),
    "appellate_brief": Rule("FRAP 28, 31", "briefs on the merits", _GENERAL),
    "appellate_argument": Rule("FRAP 34", "oral argument", _GENERAL),
    "panel_decision": Rule("FRAP 36", "entry of judgment", _GENERAL),
    "rehearing_untimely": Rule("FRAP 40(a)(1); Sup. Ct. R. 13.3",
                               "a petition out of time is denied and does not restart the time for certiorari",
                               "sources §8.6, §9.1"),
    "en_banc_vote": Rule("FRAP 35(a)",
                         "majority of the active, non-disqualified judges; en banc is not favored", "sources §5a"),
    "mandate": Rule("FRAP 41(b)", "7 days after the time to petition for rehearing expires or after denial",
                    "sources §8.6, §9.1", period_days=7),
    "stay_mandate": Rule("FRAP 41(d)", "the mandate stayed pending a petition for certiorari; on its denial the "
                         "mandate issues at once", "sources §8.6, §9.8"),
    "mandate_stay_ran_out": Rule("FRAP 41(d)(2)", "the stay must not exceed 90 days unless the petition is filed or "
                                 "the time to file it extended; the mandate then issues", "sources §8.6"),
    "mandate_cert_denied": Rule("FRAP 41(d)(4)", "the mandate issues immediately on the Supreme Court's order "
                                "denying the petition", "sources §8.6"),
    "mandate_petition_returned": Rule("FRAP 41(d)(2); Sup. Ct. R. 13.2", "the petition out of time and not filed, "
                                      "the stay ends and the mandate issues", "sources §8.6, §9.1"),
    # Supreme Court
    "cert_out_of_time": Rule("Sup. Ct. R. 13.2; 28 U.S.C. 2101(c)",
                             "the Clerk will not file a petition that is jurisdictionally out of time", "sources §9.1"),
    "distribution": Rule("Sup. Ct. R. 15.5", "distributed no less than 14 days after the brief in opposition, or "
                         "when the time to file one expires", "sources §8.6, §9.1", period_days=14),
    "cert_decision": Rule("Sup. Ct. R. 15.5", "petition considered at conference; writ granted or denied",
                          "sources §8.6, §9.2"),
    "supreme_argument": Rule("Sup. Ct. R. 28", "oral argument on a Monday, Tuesday or Wednesday of a sitting of the "
                             "Term (October to April)", "sources §9.2, §11.2; Rule 28 not in docs/sources.md"),
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
    "response": Rule("Sup. Ct. R. 21", "response to a motion in the Supreme Court", _GENERAL),
    "response_circuit": Rule("FRAP 27(a)(3)", "response to a motion in the court of appeals", "sources §11.4"),
    "response_below": Rule("U.S. Const. art. III", "response to the motion to dismiss as moot", "sources §9.6"),
    "dismissal_moot": Rule("United States v. Munsingwear, Inc., 340 U.S. 36 (1950)",
                           "judgment vacated; remanded with instructions to dismiss as moot", "sources §1, §9.6"),
    "dismissal_moot_below": Rule("U.S. Const. art. III",
                                 "no live controversy: the orders are vacated and the matter dismissed as moot",
                                 "sources §9.6"),
    "remand_order": Rule("Sup. Ct. R. 45.3; FRAP 41", "the lower court acts on the judgment or mandate from above",
                         "sources §8.6, §9.6"),
    # Comity and mutual legal assistance (the treaty is named per country)
    "mlat_request": Rule("{treaty}", "request through both central authorities", "sources §4"),
    "mlat_execution": Rule("{treaty}", "the requested state's central authority answers the request: executes it "
                           "or declines", "sources §4"),
    "mlat_withdrawn": Rule("{treaty}", "request withdrawn: the content is obtained otherwise", "sources §4"),
    # Amici, the foreign government, the government's letter on new legislation
    "amicus_circuit": Rule("FRAP 29(e)", "brief of an amicus curiae in the court of appeals, no later than 7 days "
                           "after the principal brief of the party supported", "sources §11.3, §11.4"),
    # Rule 29 as amended on 2016-12-01 (its subdivision (e) became (a)(6)): cited for entries from that day on
    "amicus_circuit_2016": Rule("FRAP 29(a)(6)", "brief of an amicus curiae in the court of appeals, no later than "
                                "7 days after the principal brief of the party supported", "sources §1, §11.3"),
    "amicus_supreme": Rule("Sup. Ct. R. 37.3(a)", "brief of an amicus curiae in the Supreme Court, within 7 days "
                           "after the brief of the party supported", "sources §1, §11.3"),
    "legislation_letter": Rule("Pub. L. 115-141, Div. V",
                               "the United States informs the Court of the new law", "sources §1 (2018-03-23), §11.4"),
    "legislation_letter_circuit": Rule("FRAP 28(j); Pub. L. 115-141, Div. V",
                                       "letter to the court of appeals citing new authority", "sources §11.4"),
    "legislation_letter_below": Rule("Pub. L. 115-141, Div. V", "the United States informs the court of the new law",
                                     "sources §1, §11.4"),
    # The Supreme Court's merits briefing (Rule 25)
    "merits_brief": Rule("Sup. Ct. R. 25", "briefs on the merits: the petitioner's within 45 days of the grant, the "
                         "respondent's 30 days after, the reply 30 days after that, or as the Clerk sets",
                         "sources §11.3"),
    # Orders not to notify
    "nondisclosure": Rule("18 U.S.C. 2705(b)", "the provider is not to notify any other person of the warrant, "
                          "for such period as the court deems appropriate", "sources §3, §9.7"),
    "nondisclosure_challenge": Rule("18 U.S.C. 2705(b)", "the provider moves to vacate or modify the order",
                                    "sources §9.7; §8.1: the CLOUD Act leaves that authority untouched"),
    "nondisclosure_lapsed": Rule("18 U.S.C. 2705(b)", "the order's period has run and was not extended",
                                 "sources §9.7"),
    # The matter's end: the rule that made the last ruling final, or this one when no review was open
    "final_disposition": Rule("(the rule of the last order, or of the period for review that ran)",
                              "no further review is sought or available", "sources §10.4, §11.4"),
    # Rule 40 as amended on 2024-12-01 (Rule 35 merged into it): cited for entries from that day on
    "rehearing_untimely_2024": Rule("FRAP 40 (as amended 2024-12-01); Sup. Ct. R. 13.3",
                                    "a petition out of time is denied and does not restart the time for certiorari",
                                    "sources §8.6, §9.1, §11.4"),
    "en_banc_vote_2024": Rule("FRAP 40(c)", "majority of the active, non-disqualified judges; en banc is not favored",
                              "sources §5a, §11.4"),
    # Each period's own rules, as its declaration says (sim.domain.periods)
    **{key: rule for period in PERIODS.values() for key, rule in period.cites.items()},
}

# A rule that differs by court: (key, level) -> the table's key for that court.
AT_LEVEL: dict[tuple[str, str], str] = {
    **{("response", level): "response_circuit" for level in ("circuit", "en_banc")},
    **{("response", level): "response_below" for level in ("magistrate", "district")},
    **{("legislation_letter", level): "legislation_letter_circuit" for level in ("circuit", "en_banc")},
    **{("legislation_letter", level): "legislation_letter_below" for level in ("magistrate", "district")},
}

# A rule amended: key -> (the first day of the new text, the table's key for it).
AMENDED: dict[str, tuple[str, str]] = {
    **{key: ("2024-12-01", f"{key}_2024") for key in ("rehearing", "rehearing_us", "rehearing_untimely",
                                                       "en_banc_vote")},
    "amicus_circuit": ("2016-12-01", "amicus_circuit_2016"),
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


def in_force(key: str, level: str = "", date: str = "") -> str:
    """The table's key for rule `key` as the court at `level` applies it, in its text in force on `date`
    (ISO): FRAP 27(a)(3) for a response in the court of appeals, FRAP 40 as amended from 2024-12-01."""
    key = AT_LEVEL.get((key, level), key)
    amended = AMENDED.get(key)
    return amended[1] if amended is not None and date >= amended[0] else key


_DESCRIBED: dict[tuple[str, str], str | tuple[str, str, str]] = {}


def describe(key: str, level: str, date: str) -> str:
    """`Rule.describe` of the rule in force (remembered by key and court: every entry asks)."""
    found = _DESCRIBED.get((key, level))
    if found is None:
        at = AT_LEVEL.get((key, level), key)
        amended = AMENDED.get(at)
        found = _DESCRIBED[(key, level)] = RULES[at].describe() if amended is None else \
            (amended[0], RULES[at].describe(), RULES[amended[1]].describe())
    if isinstance(found, str):
        return found
    return found[2] if date >= found[0] else found[1]
