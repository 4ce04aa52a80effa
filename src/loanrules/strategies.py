"""Hypothesis strategies for every public loanrules type (placeholder until filled in)."""

from __future__ import annotations

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register the strategies with ``st.register_type_strategy`` (entry point)."""
