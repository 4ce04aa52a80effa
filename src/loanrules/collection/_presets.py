"""Ready-made collection policies: :func:`standard` and :func:`us_reg_f`.

Both are TOML files shipped as package data (``collection/presets/*.toml``),
the same text ``docs/how-to/policy-toml.md`` shows, read with
:meth:`CollectionPolicy.from_toml`. The text is read through
``importlib.resources`` once, when first asked for (package data, not I/O
of the caller's: no path, no clock; and ``importlib.resources`` itself
costs some 25 ms of import, so ``import loanrules`` does not load it),
and each policy is parsed once, on first call (a memo); every call
returns the same value:

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

from ._policy import CollectionPolicy

__all__ = ["STANDARD_TOML", "US_REG_F_TOML", "standard", "us_reg_f"]

_FILES = {"STANDARD_TOML": "standard.toml", "US_REG_F_TOML": "us_reg_f.toml"}

STANDARD_TOML: str
"""The standard policy as TOML (``collection/presets/standard.toml``), read when first asked for."""

US_REG_F_TOML: str
"""The US Regulation F preset as TOML (``collection/presets/us_reg_f.toml``), read when first asked for."""


@functools.cache
def _text(name: str) -> str:
    """The text of a preset file of the package."""
    from importlib import resources  # noqa: PLC0415 - lazily: see the module's docstring

    return resources.files(__package__).joinpath("presets", name).read_text(encoding="utf-8")


def __getattr__(name: str) -> str:
    """``STANDARD_TOML`` and ``US_REG_F_TOML``, read on first use (PEP 562)."""
    if name in _FILES:
        return _text(_FILES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def standard() -> CollectionPolicy:
    """The standard policy: pre_due, early, formal, enforcement (see DESIGN.md and the docs).

    Parsed once; the policy is an immutable value, so every caller may share it.

    >>> standard().stages[3].prerequisites[0].name
    'overdue notice letter sent'
    """
    return CollectionPolicy.from_toml(_text("standard.toml"))


@functools.cache
def us_reg_f() -> CollectionPolicy:
    """The same ladder under US Regulation F: calls 08:00-21:00, 7 in 7 days, none within 7 days of a talk.

    >>> us_reg_f().name
    'us_reg_f'
    """
    return CollectionPolicy.from_toml(_text("us_reg_f.toml"))
