"""Collections: policy data (stages, conditions, constraints), the case, and the engine's :func:`next_step`.

A policy is plain data (``_records``, ``_conditions``, ``_policy``); the engine
(``_engine``) compiles it into closures of its own (``_compiler``), cached per
policy. ``All`` and ``Any`` are the 0.1 names of ``AllOf`` and ``AnyOf``.
"""

from ._conditions import (
    MAX_AMOUNT,
    MAX_CONDITIONS,
    MAX_DAYS,
    MAX_DEPTH,
    TRUE,
    All,
    AllOf,
    Any,
    AnyOf,
    Compare,
    Condition,
    Fact,
    FactName,
    Not,
    Op,
)
from ._engine import (
    Decision,
    DecisionStatus,
    TraceEntry,
    next_step,
)
from ._policy import (
    MAX_ITEMS,
    Cap,
    CollectionPolicy,
    ContactWindow,
    Cooldown,
    Counting,
    Hold,
    Period,
    Prerequisite,
    Stage,
    Step,
)
from ._records import (
    KNOWN_FLAGS,
    REACHED_OUTCOMES,
    REACHING,
    Action,
    Case,
    Outcome,
    Record,
)

__all__ = [
    "KNOWN_FLAGS",
    "MAX_AMOUNT",
    "MAX_CONDITIONS",
    "MAX_DAYS",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "REACHED_OUTCOMES",
    "REACHING",
    "TRUE",
    "Action",
    "All",
    "AllOf",
    "Any",
    "AnyOf",
    "Cap",
    "Case",
    "CollectionPolicy",
    "Compare",
    "Condition",
    "ContactWindow",
    "Cooldown",
    "Counting",
    "Decision",
    "DecisionStatus",
    "Fact",
    "FactName",
    "Hold",
    "Not",
    "Op",
    "Outcome",
    "Period",
    "Prerequisite",
    "Record",
    "Stage",
    "Step",
    "TraceEntry",
    "next_step",
]
