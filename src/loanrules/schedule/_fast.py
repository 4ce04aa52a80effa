"""The one-pass uniform-annuity fast path of :func:`~loanrules.schedule.build_schedule` (private).

Maintainer's note: this module is an optimisation, not a definition. The
reference is the general path in ``_build.py`` (``period_rates``,
``level_payment``, ``_interest_plan``, ``_level_columns``), and the law
``TestFastPath.test_fast_path_equals_general_path`` in
``tests/properties/test_schedule_laws.py`` proves that this path gives
exactly its rows, for every rounding mode this path serves. Change one,
run that law; if the two ever differ, the general path is right.
"""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal
from itertools import repeat, starmap
from math import gcd

from loanrules.conventions._dates import month_dates
from loanrules.conventions._money import CONTEXT

from ._rows import Installment, Schedule, _new_row
from ._terms import LoanTerms

__all__: list[str] = []


def _uniform_level(principal: Decimal, numerator: Decimal, denominator: Decimal, n: int) -> Decimal:
    """The unrounded level payment of ``n`` periods that each earn ``numerator / denominator``.

    ``P r / (1 - (1 + r)^-n)``, under the current context (a copy of ``CONTEXT``).
    """
    if not numerator:
        return principal / n
    r = numerator / denominator
    return principal * r / (1 - (1 + r) ** -n)


def _uniform_annuity(terms: LoanTerms, direction: str) -> Schedule | None:
    """The schedule of an annuity on unadjusted dates whose periods all earn one regular rate.

    The common case, in one pass and under one decimal context: the numbers
    :func:`build_schedule` would compute through ``period_rates``,
    ``level_payment``, ``_interest_plan`` and ``_level_columns``, with the
    rate held as its lowest-terms integer ratio instead of a ``Fraction``.
    ``direction`` is ``_DIRECTED[terms.rounding]``. Returns ``None`` when a
    principal part would overshoot, for the general path to handle.
    """
    principal, currency, rounding, n, start = terms.principal, terms.currency, terms.rounding, terms.term, terms.start
    frequency = terms.frequency
    months = frequency.months
    dates = month_dates(start, 1, n, months, start.day) if months else terms.unadjusted_dates()
    # annual / periods-per-year in lowest terms: the numerator and denominator
    # of the Fraction that period_rates makes.
    numerator, denominator = terms.rate.annual.as_integer_ratio()
    denominator *= frequency.periods_per_year
    common = gcd(numerator, denominator)
    numerator //= common
    denominator //= common
    quantum = currency.quantum
    # _interest_plan's precision for this one rate (the quantum's adjusted
    # exponent is -minor_units; _digits is inlined).
    balance_digits = principal.adjusted() + currency.minor_units + 1
    prec = (balance_digits + ((numerator // denominator + 1).bit_length() * 1233 >> 12)
            + (denominator.bit_length() * 1233 >> 12) + 5)
    places = currency.minor_units
    rows: list[tuple[int, date, Decimal, Decimal, Decimal, Decimal, date, date, bool]] = []
    add = rows.append
    round_to = Decimal.__round__
    balance = principal
    begin = start
    # One private copy of CONTEXT, re-set to the precision and rounding of
    # each step: the contexts level_payment and _interest_plan use.
    with decimal.localcontext(CONTEXT) as context:
        top, bottom = Decimal(numerator), Decimal(denominator)
        level = _uniform_level(principal, top, bottom, n).quantize(quantum, rounding)
        context.prec, context.rounding = max(prec, 12), direction
        rate = top / bottom
        # _level_columns' loop. Its products and differences are exact at this
        # precision, so the context's rounding serves the rounding of the
        # interest (round_to(x, places) is x.quantize(quantum) in the
        # context's rounding, with cheaper argument parsing), and decides
        # nothing else but the sign of a zero difference, which only
        # ROUND_FLOOR makes negative. ROUND_DOWN stands in for it: the two
        # agree on the products kept, which are >= 0 (a negative balance
        # means an overshoot, and the rows are dropped).
        context.prec = max(balance_digits + prec + 2, 12)
        context.rounding = decimal.ROUND_DOWN if rounding == decimal.ROUND_FLOOR else rounding
        for number, due in enumerate(dates[:-1], 1):
            interest = round_to(balance * rate, places)
            part = level - interest
            balance -= part
            add((number, due, part, interest, level, balance, due, begin, False))
            begin = due
        if balance < 0:
            return None
        interest = round_to(balance * rate, places)
        due = dates[-1]
        add((n, due, balance, interest, balance + interest, quantum * 0, due, begin, False))
    # Each row's fields made an Installment in C. starmap, not map: it hands
    # zip's pair to tuple.__new__ as the argument tuple, where map would
    # build a new one per row.
    installments = starmap(_new_row, zip(repeat(Installment), rows))  # noqa: RUF058 - see above
    return Schedule(terms, tuple(installments))


