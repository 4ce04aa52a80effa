"""Ready-made collection policies: :func:`standard` and :func:`us_reg_f` (import path kept; the presets live in :mod:`loanrules.collection`).

>>> from loanrules import policies
>>> [stage.name for stage in policies.standard().stages]
['pre_due', 'early', 'formal', 'enforcement']
"""

import typing

from .collection import _presets
from .collection._presets import standard, us_reg_f

STANDARD_TOML: str
"""The standard policy as TOML (``collection/presets/standard.toml``), read when first asked for."""

US_REG_F_TOML: str
"""The US Regulation F preset as TOML (``collection/presets/us_reg_f.toml``), read when first asked for."""


def __getattr__(name: str) -> str:
    """The presets' texts, read on first use (PEP 562; see :mod:`loanrules.collection._presets`)."""
    if name in ("STANDARD_TOML", "US_REG_F_TOML"):
        return typing.cast(str, getattr(_presets, name))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "STANDARD_TOML",
    "US_REG_F_TOML",
    "standard",
    "us_reg_f",
]
