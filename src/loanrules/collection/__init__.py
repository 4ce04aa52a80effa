"""Collections: policy data (stages, conditions, constraints), the case, and the engine's :func:`next_step`.

A policy is plain data; the engine compiles it into closures of its own.
"""


from ._engine import (
    Decision,
    DecisionStatus,
    TraceEntry,
    next_step,
)
from ._policy import (
    KNOWN_FLAGS,
    REACHED_OUTCOMES,
    REACHING,
    TRUE,
    Action,
    All,
    Any,
    Cap,
    Case,
    CollectionPolicy,
    Compare,
    Condition,
    ContactWindow,
    Cooldown,
    Counting,
    Fact,
    FactName,
    Hold,
    Not,
    Op,
    Outcome,
    Period,
    Prerequisite,
    Record,
    Stage,
    Step,
)

__all__ = [
    "KNOWN_FLAGS",
    "REACHED_OUTCOMES",
    "REACHING",
    "TRUE",
    "Action",
    "All",
    "Any",
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

