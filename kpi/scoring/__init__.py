"""Balanced-scorecard scoring (DESIGN.md §4), pure and vectorised over all members at once.

* :mod:`~kpi.scoring.calendar` — canonical period labels and month arithmetic;
* :mod:`~kpi.scoring.data` — the input frames (:class:`ScoringData`);
* :mod:`~kpi.scoring.folding` — months into quarters, years and years to date, targets too;
* :mod:`~kpi.scoring.assess` — status and 0–100 score per polarity;
* :mod:`~kpi.scoring.rollup` — KPI → objective → perspective → member, with coverage;
* :mod:`~kpi.scoring.trend` — trends and forecasts;
* :mod:`~kpi.scoring.explain` — why each score and colour, in words and numbers;
* :mod:`~kpi.scoring.engine` — :func:`score` and :func:`score_history` tie them together.
"""

from kpi.scoring.assess import assess
from kpi.scoring.calendar import InvalidPeriod, Period, PeriodKind, parse_period
from kpi.scoring.data import ScoringData, empty_frame
from kpi.scoring.engine import Results, score, score_history
from kpi.scoring.explain import Wording, explain_kpis, explain_rollups
from kpi.scoring.rollup import RollupRules
from kpi.scoring.trend import Outlook, Trend

__all__ = [
    "InvalidPeriod",
    "Outlook",
    "Period",
    "PeriodKind",
    "Results",
    "RollupRules",
    "ScoringData",
    "Trend",
    "Wording",
    "assess",
    "empty_frame",
    "explain_kpis",
    "explain_rollups",
    "parse_period",
    "score",
    "score_history",
]
