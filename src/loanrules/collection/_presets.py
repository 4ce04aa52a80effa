"""Ready-made collection policies: :func:`standard` and :func:`us_reg_f`.

Both are TOML files shipped as package data (``collection/presets/*.toml``),
the same text ``docs/how-to/policy-toml.md`` shows, read with
:meth:`CollectionPolicy.from_toml`. The text is read through
``importlib.resources`` once, when the module is imported (package data,
not I/O of the caller's: no path, no clock), and each policy is parsed
once, on first call (a memo); every call returns the same value:

>>> from loanrules import policies
>>> [stage.name for stage in policies.standard().stages]
['pre_due', 'early', 'formal', 'enforcement']
>>> policies.us_reg_f().constraints[0].end
datetime.time(21, 0)
>>> policies.standard() is policies.standard()
True
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Final

from ._policy import CollectionPolicy

__all__ = ["STANDARD_TOML", "US_REG_F_TOML", "standard", "us_reg_f"]

def _text(name: str) -> str:
    """The text of a preset file of the package."""
    return resources.files(__package__).joinpath("presets", name).read_text(encoding="utf-8")


STANDARD_TOML: Final = _text("standard.toml")
"""The standard policy as TOML (``collection/presets/standard.toml``)."""

US_REG_F_TOML: Final = _text("us_reg_f.toml")
"""The US Regulation F preset as TOML (``collection/presets/us_reg_f.toml``)."""


@functools.cache
def standard() -> CollectionPolicy:
    """The standard policy: pre_due, early, formal, enforcement (see DESIGN.md and the docs).

    Parsed once; the policy is an immutable value, so every caller may share it.

    >>> standard().stages[3].prerequisites[0].name
    'overdue notice letter sent'
    """
    return CollectionPolicy.from_toml(STANDARD_TOML)


@functools.cache
def us_reg_f() -> CollectionPolicy:
    """The same ladder under US Regulation F: calls 08:00-21:00, 7 in 7 days, none within 7 days of a talk.

    >>> us_reg_f().name
    'us_reg_f'
    """
    return CollectionPolicy.from_toml(US_REG_F_TOML)
