"""Each procedural step the engine can take, with the key of the rule it rests on (`sim.domain.rules`).

Scenario pins name these steps. A filing in a period is the step its `Period` names; a period's
extension is two steps: the application (`<period>_extension_application`) and the order granting it
(`<period>_extension`).
"""

from __future__ import annotations

from sim.domain.registry import PERIODS  # with the periods declared beside the filing that meets them

# Amicus briefs at the merits stage of each court that hears argument: the data's country's government,
# and other amici by the side they support.
AMICUS_LEVELS = ("circuit", "supreme")
AMICI = ("foreign_amicus", "amici_provider", "amici_government", "amici_neither")

STEPS: dict[str, str] = {
    "warrant_applied": "warrant",
    "warrant_issued": "warrant",
    "warrant_served": "service",
    "domestic_production": "production",
    "refusal": "refusal",
    "comity_ruling": "comity_ruling",
    "motion_to_vacate": "motion_to_vacate",
    "comity_challenge": "common_law_comity",
    "motion_to_compel": "motion_to_compel",
    "magistrate_ruling": "magistrate_ruling",
    "objection_response": "objection",
    "district_hearing": "objection_ruling",
    "district_ruling": "objection_ruling",
    "stay_pending_appeal": "stay",
    "motion_to_lift_stay": "lift_stay",
    "stay_lifted": "lift_stay",
    "contempt_motion": "contempt",
    "contempt": "contempt",
    "contempt_sanctions_motion": "contempt_motion",
    "contempt_purged": "contempt_purged",
    "mandate_stay_motion": "stay_mandate",
    "mandate_stay": "stay_mandate",
    "appeal_dismissed": "appeal_untimely",
    "appellant_brief": "appellate_brief",
    "appellee_brief": "appellate_brief",
    "circuit_argument": "appellate_argument",
    "panel_decision": "panel_decision",
    "rehearing_decision": "en_banc_vote",
    "en_banc_decision": "en_banc_vote",
    "petition_returned": "cert_out_of_time",
    "distribution": "distribution",
    "cert_decision": "cert_decision",
    "supreme_argument": "supreme_argument",
    "supreme_decision": "supreme_decision",
    "judgment_issued": "judgment_issued",
    "legislation": "cloud_act",
    "new_warrant": "new_warrant",
    "new_warrant_served": "service",
    "mootness_motion": "motion_moot",
    "mootness_response": "response",
    "dismissal_as_moot": "dismissal_moot",
    "mandate": "mandate",
    "circuit_remand": "remand_order",
    "district_remand": "remand_order",
    "contempt_sanctions": "contempt_sanctions",
    "mlat_request": "mlat_request",
    "mlat_response": "mlat_execution",
    "mlat_withdrawn": "mlat_withdrawn",
    "disclosure": "disclosure",
    "final_disposition": "final_disposition",
    "legislation_letter": "legislation_letter",
    "nondisclosure_application": "nondisclosure",
    "nondisclosure_order": "nondisclosure",
    "nondisclosure_extension": "nondisclosure",
    "nondisclosure_challenge": "nondisclosure_challenge",
    "nondisclosure_ruling": "nondisclosure_challenge",
    "nondisclosure_lapsed": "nondisclosure_lapsed",
    **{f"{level}_{who}": f"amicus_{level}" for level in AMICUS_LEVELS for who in AMICI},
    **{f"merits_{who}": "merits_brief" for who in ("petitioner", "respondent", "reply")},
    **{p.step: p.rules[0] for p in PERIODS.values()},  # a filing in a period rests on the period's rule
    **{f"{key}_extension_application": p.extension.rule for key, p in PERIODS.items()},
    **{f"{key}_extension": p.extension.rule for key, p in PERIODS.items()},
}
