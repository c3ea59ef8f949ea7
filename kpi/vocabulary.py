"""The closed vocabularies of the balanced scorecard, shared by every layer.

Each is a ``StrEnum`` so that values compare equal to the strings stored in files and tables.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CapitalStructure",
    "Segment",
    "Aggregation",
    "Frequency",
    "Perspective",
    "Polarity",
    "Status",
    "PestCategory",
    "Stage",
    "STAGE_ORDER",
    "PERSPECTIVE_ORDER",
    "parse_perspective",
]


class Perspective(StrEnum):
    """The four perspectives of a balanced scorecard, cause at the bottom, effect at the top."""

    FINANCIAL = "financial"
    CUSTOMER = "customer"
    PROCESS = "process"
    LEARNING = "learning"


#: Top-to-bottom order of the lanes of a strategy map and the columns of a scorecard.
PERSPECTIVE_ORDER: tuple[Perspective, ...] = (
    Perspective.FINANCIAL,
    Perspective.CUSTOMER,
    Perspective.PROCESS,
    Perspective.LEARNING,
)

_PERSPECTIVE_ALIASES: dict[str, Perspective] = {
    "financial": Perspective.FINANCIAL,
    "finance": Perspective.FINANCIAL,
    "財務": Perspective.FINANCIAL,
    "财务": Perspective.FINANCIAL,
    "customer": Perspective.CUSTOMER,
    "customers": Perspective.CUSTOMER,
    "顧客": Perspective.CUSTOMER,
    "顾客": Perspective.CUSTOMER,
    "客戶": Perspective.CUSTOMER,
    "客户": Perspective.CUSTOMER,
    "process": Perspective.PROCESS,
    "internal_process": Perspective.PROCESS,
    "internal process": Perspective.PROCESS,
    "internal-process": Perspective.PROCESS,
    "作業": Perspective.PROCESS,
    "作业": Perspective.PROCESS,
    "內部流程": Perspective.PROCESS,
    "内部流程": Perspective.PROCESS,
    "learning": Perspective.LEARNING,
    "learning_growth": Perspective.LEARNING,
    "learning & growth": Perspective.LEARNING,
    "learning and growth": Perspective.LEARNING,
    "learning-growth": Perspective.LEARNING,
    "組織與成長": Perspective.LEARNING,
    "组织与成长": Perspective.LEARNING,
    "學習成長": Perspective.LEARNING,
    "学习成长": Perspective.LEARNING,
    "學習與成長": Perspective.LEARNING,
    "学习与成长": Perspective.LEARNING,
}


def parse_perspective(text: str) -> Perspective | None:
    """The perspective a name or alias (English or Chinese) stands for, or ``None``.

    Examples
    --------
    >>> parse_perspective("內部流程")
    <Perspective.PROCESS: 'process'>
    >>> parse_perspective("Learning & Growth")
    <Perspective.LEARNING: 'learning'>
    >>> parse_perspective("marketing") is None
    True
    """
    return _PERSPECTIVE_ALIASES.get(" ".join(str(text).split()).strip().lower())


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    IN_BAND = "in_band"


class Frequency(StrEnum):
    """How often a KPI is measured; a feed may not report it more finely."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "yearly": 12}[self.value]


class Aggregation(StrEnum):
    """How a KPI's months fold into a quarter, a year or a year to date."""

    SUM = "sum"
    MEAN = "mean"
    LAST = "last"
    MIN = "min"
    MAX = "max"


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


class Segment(StrEnum):
    """The kind of firm a member is."""

    BROKER = "broker"
    BANK = "bank"
    INVESTMENT_TRUST = "investment_trust"
    FUTURES = "futures"
    INSURANCE = "insurance"
    OTHER = "other"


class CapitalStructure(StrEnum):
    PRIVATE = "private"
    STATE = "state"
    FOREIGN = "foreign"
    MIXED = "mixed"


class PestCategory(StrEnum):
    """The four kinds of external factor a PEST analysis watches."""

    POLITICAL = "political"
    ECONOMIC = "economic"
    SOCIAL = "social"
    TECHNOLOGICAL = "technological"

    @classmethod
    def parse(cls, text: str) -> PestCategory | None:
        """The category a name, initial or Chinese name stands for, or ``None``.

        Examples
        --------
        >>> PestCategory.parse("T"), PestCategory.parse("經濟")
        (<PestCategory.TECHNOLOGICAL: 'technological'>, <PestCategory.ECONOMIC: 'economic'>)
        """
        return _PEST_ALIASES.get(str(text).strip().lower())


_PEST_ALIASES: dict[str, PestCategory] = {
    **{c.value: c for c in PestCategory},
    **{c.value[0]: c for c in PestCategory},
    "politics": PestCategory.POLITICAL,
    "policy": PestCategory.POLITICAL,
    "政治": PestCategory.POLITICAL,
    "政策": PestCategory.POLITICAL,
    "economy": PestCategory.ECONOMIC,
    "經濟": PestCategory.ECONOMIC,
    "经济": PestCategory.ECONOMIC,
    "society": PestCategory.SOCIAL,
    "社會": PestCategory.SOCIAL,
    "社会": PestCategory.SOCIAL,
    "technology": PestCategory.TECHNOLOGICAL,
    "technical": PestCategory.TECHNOLOGICAL,
    "科技": PestCategory.TECHNOLOGICAL,
    "技術": PestCategory.TECHNOLOGICAL,
    "技术": PestCategory.TECHNOLOGICAL,
}


class Stage(StrEnum):
    """The five stages every member goes through, in order (design → test → build → trial →
    go-live)."""

    DESIGN = "design"
    TEST = "test"
    BUILD = "build"
    TRIAL = "trial"
    GO_LIVE = "go_live"

    @classmethod
    def parse(cls, text: str) -> Stage | None:
        """The stage a name or Chinese name stands for, or ``None``.

        Examples
        --------
        >>> Stage.parse("Go-live"), Stage.parse("試營運")
        (<Stage.GO_LIVE: 'go_live'>, <Stage.TRIAL: 'trial'>)
        """
        return _STAGE_ALIASES.get(
            " ".join(str(text).split()).lower().replace("-", "_").replace(" ", "_")
        )


_STAGE_ALIASES: dict[str, Stage] = {
    **{s.value: s for s in Stage},
    "golive": Stage.GO_LIVE,
    "live": Stage.GO_LIVE,
    "設計": Stage.DESIGN,
    "设计": Stage.DESIGN,
    "測試": Stage.TEST,
    "测试": Stage.TEST,
    "建置": Stage.BUILD,
    "建置作業": Stage.BUILD,
    "試營運": Stage.TRIAL,
    "试营运": Stage.TRIAL,
    "試行": Stage.TRIAL,
    "上線": Stage.GO_LIVE,
    "上线": Stage.GO_LIVE,
}

#: The stages in the order a member goes through them.
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
