"""Ready-made collection policies: :func:`standard` and :func:`us_reg_f` (import path kept; the presets live in :mod:`loanrules.collection`).

>>> from loanrules import policies
>>> [stage.name for stage in policies.standard().stages]
['pre_due', 'early', 'formal', 'enforcement']
"""

from .collection._presets import (
    STANDARD_TOML,
    US_REG_F_TOML,
    standard,
    us_reg_f,
)

__all__ = [
    "STANDARD_TOML",
    "US_REG_F_TOML",
    "standard",
    "us_reg_f",
]
