"""The measures of time to disclosure, named once: the terminal tables, the HTML report and the charts
say the same words. See `sim.views.results` for what each counts.

>>> within(730)
'P(disclosed within 2 years)'
"""

from __future__ import annotations

from sim.views.results import HORIZON_DAYS, WITHIN_DAYS

P_DISCLOSED = "P(disclosed)"
MEDIAN = "median days to disclosure, among disclosed matters"
P90 = "90th percentile days to disclosure, among disclosed matters"
RESTRICTED_MEAN = f"restricted mean days to disclosure over {HORIZON_DAYS:,} days"
RESTRICTED_MEAN_SHORT = f"restricted mean days ({HORIZON_DAYS:,}-day horizon)"
RESTRICTED_MEAN_NOTE = (f"the mean of days from the warrant to disclosure, a matter not disclosed within "
                        f"{HORIZON_DAYS:,} days ({HORIZON_DAYS // 365} years) counting as {HORIZON_DAYS:,}")
MEDIAN_NOTE = ("count only the matters that were disclosed; two scenarios' medians may be over different "
               "matters, so their difference is not paired")


def within(days: int) -> str:
    """The name of P(disclosed within `days`), in years where `days` is a whole number of years."""
    years, rest = divmod(days, 365)
    span = f"{years} year{'s' if years != 1 else ''}" if not rest else f"{days:,} days"
    return f"P(disclosed within {span})"


WITHIN = {f"p_disclosed_within_{days}": within(days) for days in WITHIN_DAYS}
