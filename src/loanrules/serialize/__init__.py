"""Every public value as plain data and JSON, and back: ``to_data``/``from_data``, ``to_json``/``from_json``.

Pure: no I/O (the command line reads the files). A document is a JSON
object that names its type and the format version, then the value's fields:

>>> from datetime import date
>>> from loanrules import Loan, LoanTerms, Rate
>>> from loanrules.serialize import from_json, to_data, to_json
>>> loan = Loan(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
>>> loan = loan.pay(on=date(2026, 2, 15), amount="106.62")
>>> data = to_data(loan)
>>> data["type"], data["version"], data["terms"]["principal"], data["events"]
('loan', 1, '1200.00', [{'kind': 'payment', 'on': '2026-02-15', 'amount': '106.62'}])
>>> from_json(Loan, to_json(loan)) == loan
True

Money and rates are decimal strings (a JSON number is refused where money
or a rate is read: ``"30000"``, not ``30000``; a number with a fraction
would have been a float on the way), dates ISO 8601,
aware datetimes ISO 8601 with their UTC offset and, when they have one,
their IANA zone in brackets (RFC 9557: ``2026-02-16T09:00:00+08:00[Asia/Shanghai]``),
enums by value, the built-in calendars by name (with their ``outside`` and
any years added), other calendars in full. A loan is stored as its terms,
servicing terms and events: its schedules are derived, never stored. A
state is stored with its installments, and a decision with its trace.

Reading goes through the validating constructors, refuses unknown fields,
and reports the first problem as one :class:`~loanrules.InvalidDataError`
with the JSON path of the bad value:

>>> bad = to_data(loan)
>>> bad["events"][0]["amount"] = 106.62
>>> from_data(Loan, bad)
Traceback (most recent call last):
...
loanrules.errors.InvalidDataError: events[0].amount: must be a decimal string (JSON numbers are refused for money and rates: write "30000", "0.049"), got 106.62

Fields with defaults may be left out of a document written by hand (the
constructor's default is used); documents written by :func:`to_data`
carry every field, so that they keep their meaning if a default changes.
A later format version will read every earlier one.

Each document type has a JSON Schema (draft 2020-12) shipped with the
package, self-contained and strict (unknown fields refused, money a
decimal string): :func:`schema` returns it.
"""

from ._codec import (
    DOCUMENT_TYPES,
    EVENT_KINDS,
    LINE_EVENT_KINDS,
    VERSION,
    from_data,
    from_json,
    to_data,
    to_json,
)
from ._schemas import schema

__all__ = ["DOCUMENT_TYPES", "EVENT_KINDS", "LINE_EVENT_KINDS", "VERSION", "from_data", "from_json", "schema", "to_data", "to_json"]
