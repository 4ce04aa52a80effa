"""Static checks of the public types: ``mypy`` reads this file, pytest does not run it."""

from datetime import date
from decimal import Decimal
from typing import assert_type

import loanrules
from loanrules.schedule import Installment

terms = loanrules.LoanTerms(
    principal="1000", rate=loanrules.Rate.annual("0.05"), term=12, start=date(2026, 1, 1)
)
assert_type(terms.principal, Decimal)
assert_type(loanrules.Rate.annual("0.05"), loanrules.Rate)
assert_type(loanrules.Rate.annual("0.05").annual, Decimal)
assert_type(loanrules.Rate.percent("5").per_day(360), Decimal)
schedule = loanrules.build_schedule(terms)
assert_type(schedule, loanrules.Schedule)
assert_type(schedule[0], Installment)
assert_type(schedule[0].due_date, date)
assert_type(schedule.total_interest, Decimal)
assert_type(loanrules.DayCount.ACT_360.year_fraction(date(2026, 1, 1), date(2026, 2, 1)), Decimal)
assert_type(loanrules.CHINA.adjust(date(2026, 10, 1), loanrules.BusinessDay.FOLLOWING), date)
