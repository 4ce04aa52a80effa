"""Ready-made collection policies: :func:`standard` and :func:`us_reg_f`.

Both are written as TOML, the same text ``docs/how-to/policy-toml.md``
shows, and read with :meth:`CollectionPolicy.from_toml`:

>>> from loanrules import policies
>>> [stage.name for stage in policies.standard().stages]
['pre_due', 'early', 'formal', 'enforcement']
>>> policies.us_reg_f().constraints[0].end
datetime.time(21, 0)
"""

from __future__ import annotations

from typing import Final

from ._policy import CollectionPolicy

__all__ = ["STANDARD_TOML", "US_REG_F_TOML", "standard", "us_reg_f"]

_LADDER: Final = '''
# ---------------------------------------------------------------------------
# Holds: while one holds, nothing is done.

[[holds]]
name = "open dispute"
when = { fact = "dispute_open", op = "==", value = true }

[[holds]]
name = "cease request"
when = { fact = "cease_requested", op = "==", value = true }

[[holds]]
name = "restructure plan being kept"
when = { fact = "plan_active", op = "==", value = true }

# ---------------------------------------------------------------------------
# Stages, least to most advanced: the most advanced one whose entry holds acts.

# Before the due date: one reminder per installment in the 3 days before it.
[[stages]]
name = "pre_due"
entry = { all = [
  { fact = "dpd", op = "==", value = 0 },
  { fact = "days_to_due", op = "<=", value = 3 },
] }
ladder = [ { action = "remind", max_times = 1, within_days = 4 } ]

# From the first day overdue: call to remind, ask the reason, understand the
# situation; offer a plan to a customer in hardship.
[[stages]]
name = "early"
entry = { all = [
  { fact = "dpd", op = ">=", value = 1 },
  { fact = "dpd", op = "<=", value = 15 },
] }
ladder = [
  { action = "offer_plan", max_times = 1, when = { fact = "hardship", op = "==", value = true } },
  { action = "call", when = { any = [
    { fact = "hardship", op = "==", value = false },
    { fact = "count", action = "offer_plan", outcomes = ["rejected"], op = ">=", value = 1 },
  ] } },
]

# The stricter stage: the overdue notice letter first, then the legal
# department's review; calls, and SMS or email when calls are capped.
[[stages]]
name = "formal"
entry = { any = [
  { fact = "dpd", op = ">=", value = 16 },
  { fact = "broken_promise", op = "==", value = true },
  { all = [
    { fact = "dpd", op = ">=", value = 8 },
    { fact = "contact_attempts", op = ">=", value = 1 },
  ] },
] }
ladder = [
  { action = "letter", max_times = 1 },
  { action = "legal_review", when = { all = [
    { fact = "dpd", op = ">=", value = 60 },
    { fact = "days_since", action = "letter", op = ">=", value = 15 },
    { fact = "count", action = "legal_review", outcomes = ["approved"], within_days = 180, op = "==", value = 0 },
  ] } },
  { action = "call" },
  { action = "sms" },
  { action = "email" },
]

# Agency referral, then a lawsuit; only with every step on record.
[[stages]]
name = "enforcement"
entry = { fact = "dpd", op = ">=", value = 90 }
ladder = [
  { action = "refer_agency", max_times = 1 },
  { action = "litigate", max_times = 1, when = { all = [
    { fact = "dpd", op = ">=", value = 120 },
    { fact = "days_since", action = "refer_agency", op = ">=", value = 30 },
  ] } },
]
prerequisites = [
  { name = "overdue notice letter sent", supply = "letter", when = { fact = "count", action = "letter", outcomes = ["sent"], op = ">=", value = 1 } },
  { name = "at least 3 contact attempts on record", supply = "call", when = { fact = "contact_attempts", op = ">=", value = 3 } },
  { name = "legal review approved in the last 180 days", supply = "legal_review", when = { fact = "count", action = "legal_review", outcomes = ["approved"], within_days = 180, op = ">=", value = 1 } },
  { name = "no open dispute", supply = "none", when = { fact = "dispute_open", op = "==", value = false } },
]
'''

_MESSAGE_CAPS: Final = '''
# One SMS and one email a day.
[[constraints]]
type = "cap"
actions = ["sms"]
limit = 1

[[constraints]]
type = "cap"
actions = ["email"]
limit = 1
'''

STANDARD_TOML: Final = '''# The standard policy: the process of the source article, under China's rules
# (GB/T 45251-2025 and the banking association's guidance).
name = "standard"
''' + _LADDER + '''
# ---------------------------------------------------------------------------
# Constraints, in the debtor's time zone.

# No contact from 22:00 to 08:00.
[[constraints]]
type = "window"
start = "08:00"
end = "22:00"
actions = ["call", "email", "offer_plan", "remind", "sms"]

# At most 3 calls a day that reach the customer ...
[[constraints]]
type = "cap"
actions = ["call"]
limit = 3
counting = "reached"
period = "calendar_day"

# ... and at most 6 call attempts a day.
[[constraints]]
type = "cap"
actions = ["call"]
limit = 6
counting = "attempts"
period = "calendar_day"

''' + _MESSAGE_CAPS
"""The standard policy as TOML."""

US_REG_F_TOML: Final = '''# The same ladder under US Regulation F (12 CFR 1006): calls 08:00-21:00
# local time; more than 7 calls in 7 days, or a call within 7 days after a
# conversation, is presumed harassment.
name = "us_reg_f"
''' + _LADDER + '''
[[constraints]]
type = "window"
start = "08:00"
end = "21:00"
actions = ["call", "email", "offer_plan", "remind", "sms"]

[[constraints]]
type = "cap"
actions = ["call"]
limit = 7
counting = "attempts"
period = "rolling"
days = 7

[[constraints]]
type = "cooldown"
actions = ["call"]
after = ["call"]
days = 7

''' + _MESSAGE_CAPS
"""The US Regulation F preset as TOML."""


def standard() -> CollectionPolicy:
    """The standard policy: pre_due, early, formal, enforcement (see DESIGN.md and the docs).

    >>> standard().stages[3].prerequisites[0].name
    'overdue notice letter sent'
    """
    return CollectionPolicy.from_toml(STANDARD_TOML)


def us_reg_f() -> CollectionPolicy:
    """The same ladder under US Regulation F: calls 08:00-21:00, 7 in 7 days, none within 7 days of a talk.

    >>> us_reg_f().name
    'us_reg_f'
    """
    return CollectionPolicy.from_toml(US_REG_F_TOML)
