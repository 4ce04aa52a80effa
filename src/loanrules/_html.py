"""HTML tables for notebooks (``_repr_html_`` of schedules, states, loans and decisions; private).

Plain HTML, every text escaped, styled only by class names
(``loanrules-provisional``, ``loanrules-overdue``, ``loanrules-total``) and
one small ``<style>`` block, so that a notebook's own theme still applies.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Final

__all__ = ["cell", "page", "table"]

_STYLE: Final = (
    "<style>.loanrules td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".loanrules tr.loanrules-total td{font-weight:bold;border-top:1px solid}"
    ".loanrules tr.loanrules-overdue td{color:#b00020}"
    ".loanrules tr.loanrules-provisional td{font-style:italic}</style>"
)


def cell(value: object) -> str:
    """A ``<td>``: numbers right-aligned, ``None`` empty, everything escaped."""
    if value is None:
        return "<td></td>"
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return f'<td class="n">{html.escape(str(value))}</td>'
    if isinstance(value, (date, datetime)):
        return f"<td>{html.escape(value.isoformat())}</td>"
    return f"<td>{html.escape(str(value))}</td>"


def table(headers: Sequence[str], rows: Iterable[tuple[Sequence[object], str]], *,
          caption: str = "") -> str:
    """A ``<table>``: ``rows`` are (cells, class of the row) pairs (class ``""`` for none)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{kind}">' + "".join(cell(v) for v in cells) + "</tr>" if kind else
                   "<tr>" + "".join(cell(v) for v in cells) + "</tr>" for cells, kind in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def facts(pairs: Iterable[tuple[str, object]]) -> str:
    """Label and value pairs as a two-column table."""
    return table(("", ""), (((label, value), "") for label, value in pairs))


def page(*parts: str) -> str:
    """The parts in one ``<div class="loanrules">`` with the style block."""
    return f'<div class="loanrules">{_STYLE}{"".join(parts)}</div>'
