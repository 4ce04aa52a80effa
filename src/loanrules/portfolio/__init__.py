"""Portfolio analytics: one flat row per loan, delinquency buckets, roll, flow and cure rates, vintages,
China's five-category classification (五级分类) and IFRS 9 stages. Pure: loans in, rows and figures out.

>>> from datetime import date
>>> from loanrules import Loan, LoanTerms, Rate
>>> from loanrules.portfolio import evaluate
>>> terms = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
>>> paid = Loan(terms).pay(on=date(2026, 2, 15), amount="1066.19")
>>> rows = list(evaluate([("A-1", Loan(terms)), ("A-2", paid)], as_of=date(2026, 3, 20)))
>>> [(r.id, r.days_past_due, r.bucket, r.five_category, r.ifrs9_stage) for r in rows]
[('A-1', 33, 'M2', 'special_mention', 2), ('A-2', 5, 'M1', 'special_mention', 1)]

The row's fields, their types and meanings are :data:`ROW_FIELDS`, the one
place the schema lives; frames, CSV and the Dask and Spark runs all use it.

A book is often kept as JSON lines, one loan document per line with its
account id beside the loan's fields; :func:`read_line` reads one line (no
file I/O: the caller reads the file), :func:`read_lines` many:

>>> from loanrules.portfolio import read_lines
>>> from loanrules.serialize import to_data
>>> import json
>>> lines = [json.dumps({"id": "A-1", **to_data(Loan(terms))}), json.dumps(to_data(paid))]
>>> [(r.id, r.days_past_due) for r in evaluate(read_lines(lines), as_of=date(2026, 3, 20))]
[('A-1', 33), ('2', 5)]
"""

from __future__ import annotations

import enum
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final, NamedTuple

from loanrules.collection import Case, CollectionPolicy, next_step
from loanrules.errors import InvalidDataError, InvalidTypeError, InvalidValueError
from loanrules.ledger import CreditLine, CreditLineState, Draw, Loan, LoanState
from loanrules.serialize import from_data

__all__ = [
    "DEFAULT_BUCKETS",
    "ROW_FIELDS",
    "SHARE",
    "Bucket",
    "FiveCategory",
    "Row",
    "bucket_of",
    "buckets",
    "cure_rates",
    "evaluate",
    "five_category",
    "flow_rates",
    "ifrs9_stage",
    "read_line",
    "read_lines",
    "roll_rates",
    "row",
    "vintage",
]

SHARE: Final = Decimal("0.0001")
"""Shares and rates are rounded half-even to four places (0.01 %)."""


# ---------------------------------------------------------------------------
# Classifications


class Bucket(NamedTuple):
    """A delinquency bucket: its name and the days past due it holds (``last`` ``None``: no upper end)."""

    name: str
    first: int
    last: int | None


DEFAULT_BUCKETS: Final = (
    Bucket("M0", 0, 0), Bucket("M1", 1, 30), Bucket("M2", 31, 60), Bucket("M3", 61, 90), Bucket("M4", 91, 120),
    Bucket("M5", 121, 150), Bucket("M6", 151, 180), Bucket("M7+", 181, None),
)
"""M0 current, M1 1-30 days past due, ... M6 151-180, M7+ beyond: the usual month-of-delinquency buckets."""


def _check_buckets(table: Sequence[Bucket]) -> None:
    expected = 0
    for index, bucket in enumerate(table):
        if not isinstance(bucket, Bucket):
            raise InvalidTypeError(f"buckets[{index}]", "must be a Bucket", bucket)
        if bucket.first != expected or (bucket.last is not None and bucket.last < bucket.first):
            raise InvalidValueError(f"buckets[{index}]", f"must start at {expected} days and not end before it "
                                    "(buckets cover 0 days onwards without gaps)", bucket)
        if bucket.last is None:
            if index != len(table) - 1:
                raise InvalidValueError(f"buckets[{index}]", "must be the last bucket (it has no upper end)", bucket)
            return
        expected = bucket.last + 1
    raise InvalidValueError("buckets", "must end with a bucket without an upper end (last=None)", tuple(table))


def bucket_of(days_past_due: int, table: Sequence[Bucket] = DEFAULT_BUCKETS) -> str:
    """The name of the bucket that holds ``days_past_due``.

    >>> bucket_of(0), bucket_of(30), bucket_of(31), bucket_of(181)
    ('M0', 'M1', 'M2', 'M7+')
    """
    if type(days_past_due) is not int or days_past_due < 0:
        raise InvalidValueError("days_past_due", "must be an int >= 0", days_past_due)
    for bucket in table:
        if bucket.last is None or days_past_due <= bucket.last:
            return bucket.name
    raise InvalidValueError("buckets", "must end with a bucket without an upper end", tuple(table))  # pragma: no cover


class FiveCategory(enum.Enum):
    """China's five-category loan classification (五级分类), by days past due under the 2023 rules.

    The rules (商业银行金融资产风险分类办法, 2023) classify by the borrower's
    ability to repay, with overdue days as floors: any amount overdue is at
    least special mention; more than 90 days at least substandard, more than
    270 at least doubtful, more than 360 loss. :func:`five_category` applies
    the floors; a bank's own judgement may classify lower, never higher.
    """

    NORMAL = "normal"
    """正常类."""
    SPECIAL_MENTION = "special_mention"
    """关注类: any amount overdue."""
    SUBSTANDARD = "substandard"
    """次级类: more than 90 days past due."""
    DOUBTFUL = "doubtful"
    """可疑类: more than 270 days past due."""
    LOSS = "loss"
    """损失类: more than 360 days past due."""


def five_category(days_past_due: int) -> FiveCategory:
    """The five-category floor for ``days_past_due``.

    >>> [five_category(d).value for d in (0, 1, 90, 91, 270, 271, 360, 361)]
    ['normal', 'special_mention', 'special_mention', 'substandard', 'substandard', 'doubtful', 'doubtful', 'loss']
    """
    if type(days_past_due) is not int or days_past_due < 0:
        raise InvalidValueError("days_past_due", "must be an int >= 0", days_past_due)
    if days_past_due > 360:
        return FiveCategory.LOSS
    if days_past_due > 270:
        return FiveCategory.DOUBTFUL
    if days_past_due > 90:
        return FiveCategory.SUBSTANDARD
    if days_past_due > 0:
        return FiveCategory.SPECIAL_MENTION
    return FiveCategory.NORMAL


def ifrs9_stage(days_past_due: int) -> int:
    """The IFRS 9 stage by the backstops of days past due: 1, 2 beyond 30 days, 3 beyond 90 (credit-impaired).

    >>> [ifrs9_stage(d) for d in (0, 30, 31, 90, 91)]
    [1, 1, 2, 2, 3]
    """
    if type(days_past_due) is not int or days_past_due < 0:
        raise InvalidValueError("days_past_due", "must be an int >= 0", days_past_due)
    return 3 if days_past_due > 90 else 2 if days_past_due > 30 else 1


# ---------------------------------------------------------------------------
# Rows


ROW_FIELDS: Final[tuple[tuple[str, object, str], ...]] = (
    ("id", str, "the account's id (given with the loan, else its position in the input)"),
    ("as_of", date, "the day of the state"),
    ("currency", str, "the loan's currency code"),
    ("start", date, "the loan's start (disbursement) date"),
    ("disbursed", Decimal, "the loan's principal"),
    ("status", str, "current, grace, overdue or settled"),
    ("days_past_due", int, "days past due (0 when nothing is overdue beyond the tolerance)"),
    ("bucket", str, "the delinquency bucket of days_past_due"),
    ("five_category", str, "the five-category floor (五级分类)"),
    ("ifrs9_stage", int, "the IFRS 9 stage by days past due"),
    ("overdue_principal", Decimal, "principal due before as_of and unpaid"),
    ("overdue_interest", Decimal, "interest due before as_of and unpaid"),
    ("overdue_penalty", Decimal, "penalty interest owed"),
    ("overdue_fee", Decimal, "late fees owed"),
    ("overdue_total", Decimal, "everything overdue"),
    ("due_now", Decimal, "everything due on or before as_of and unpaid"),
    ("principal_outstanding", Decimal, "all principal not yet repaid"),
    ("payoff", Decimal, "the amount that settles the loan on as_of (结清金额)"),
    ("next_due_date", date | None, "the next installment still owing, due on or after as_of"),
    ("next_due_amount", Decimal, "what that installment owes"),
    ("action", str | None, "the next collection step's action (with a policy)"),
    ("decision", str | None, "act, defer, hold or none (with a policy)"),
    ("stage", str | None, "the collection stage (with a policy)"),
    ("not_before", datetime | None, "when a deferred step is allowed (with a policy)"),
)
"""The portfolio row's schema: (name, type, meaning) of each field, in order."""


class Row(NamedTuple):
    """One loan in a portfolio on one day: the fields of :data:`ROW_FIELDS`."""

    id: str
    as_of: date
    currency: str
    start: date
    disbursed: Decimal
    status: str
    days_past_due: int
    bucket: str
    five_category: str
    ifrs9_stage: int
    overdue_principal: Decimal
    overdue_interest: Decimal
    overdue_penalty: Decimal
    overdue_fee: Decimal
    overdue_total: Decimal
    due_now: Decimal
    principal_outstanding: Decimal
    payoff: Decimal
    next_due_date: date | None
    next_due_amount: Decimal
    action: str | None
    decision: str | None
    stage: str | None
    not_before: datetime | None


assert Row._fields == tuple(name for name, _, _ in ROW_FIELDS)


def row(account: str, loan: Loan | CreditLine, state: LoanState | CreditLineState, *,
        table: Sequence[Bucket] = DEFAULT_BUCKETS, policy: CollectionPolicy | None = None,
        now: datetime | None = None, timezone: str = "Asia/Shanghai") -> Row:
    """The row of one account's state (and, with a policy, its next step at ``now``).

    A credit line's row has the line's figures; its ``start`` is its first draw's day (``as_of`` if it has
    none yet) and ``disbursed`` the principal drawn up to ``as_of``.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> loan = Loan(LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1)))
    >>> r = row("A-1", loan, loan.state(date(2026, 2, 10)))
    >>> r.id, r.days_past_due, r.bucket, r.overdue_total
    ('A-1', 9, 'M1', Decimal('100.00'))
    """
    dpd = state.days_past_due
    action = decision_status = stage = None
    not_before = None
    if policy is not None:
        if now is None:
            raise InvalidValueError("now", "must be given with a policy (the moment of the next step)", now)
        decision = next_step(policy, Case(state=state, timezone=timezone), now)
        action, decision_status, stage = decision.action.value, decision.status.value, decision.stage
        not_before = decision.not_before
    overdue = state.overdue
    if isinstance(loan, CreditLine):
        draws = [e for e in loan.events if isinstance(e, Draw) and e.on <= state.as_of]
        start = draws[0].on if draws else state.as_of
        disbursed = sum((e.amount for e in draws), loan.terms.currency.quantum * 0)
    else:
        start, disbursed = loan.terms.start, loan.terms.principal
    return Row(
        account, state.as_of, loan.terms.currency.code, start, disbursed, state.status.value,
        dpd, bucket_of(dpd, table), five_category(dpd).value, ifrs9_stage(dpd), overdue.principal,
        overdue.interest, overdue.penalty, overdue.fee, overdue.total, state.due_now.total,
        state.principal_outstanding, state.payoff, state.next_due_date, state.next_due_amount, action,
        decision_status, stage, not_before,
    )


def evaluate(loans: Iterable[Loan | CreditLine | tuple[str, Loan | CreditLine]], as_of: date, policy: CollectionPolicy | None = None,
             now: datetime | None = None, *, buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
             timezone: str = "Asia/Shanghai") -> Iterator[Row]:
    """One :class:`Row` per loan, streamed in the order given.

    Args:
        loans: Loans or credit lines, or ``(id, account)`` pairs; a bare account's id is its position
            (``"0"``, ``"1"``, ...).
        as_of: The day of every state.
        policy: With a policy, each row carries the next step at ``now`` (the state must be as of the
            debtor's local date of ``now``: see :func:`~loanrules.next_step`).
        now: The moment of the next step (aware); required with a policy.
        buckets: The delinquency buckets (:data:`DEFAULT_BUCKETS`).
        timezone: The debtors' time zone for the next step.
    """
    _check_buckets(buckets)
    for index, item in enumerate(loans):
        account, loan = (str(index), item) if isinstance(item, (Loan, CreditLine)) else item
        if not isinstance(loan, (Loan, CreditLine)) or type(account) is not str:
            raise InvalidTypeError(f"loans[{index}]", "must be a Loan, a CreditLine or an (id, account) pair", item)
        yield row(account, loan, loan.state(as_of), table=buckets, policy=policy, now=now, timezone=timezone)


# ---------------------------------------------------------------------------
# JSON lines


def read_line(text: str | bytes, number: int | None = None) -> tuple[str, Loan | CreditLine]:
    """The ``(id, account)`` pair of one line of a JSON lines book.

    The line is a loan document (:func:`loanrules.serialize.to_data`), or a
    credit line's (``"type": "credit_line"``), that may
    carry the account's id as a top-level ``"id"`` string; it is taken out
    before the document is read. A line without one gets ``number`` (its line
    number) as its id.

    Args:
        text: One line: a JSON object, surrounding whitespace (the newline) allowed.
        number: The line's number, the id of a line without an ``"id"``.

    Returns:
        The id and the loan, ready for :func:`evaluate`.

    Raises:
        InvalidDataError: The line is not JSON, its ``"id"`` is not a string, it has no id and no
            ``number`` was given, or the document is not a valid loan (``path`` says where).

    >>> from loanrules import Loan
    >>> line = '{"id": "A-7", "type": "loan", "version": 1, "terms": {"principal": "1200", "rate": {"annual": "0.12"}, "term": 12, "start": "2026-01-15"}}'
    >>> account, loan = read_line(line)
    >>> account, loan.terms.principal, loan.terms.term
    ('A-7', Decimal('1200.00'), 12)
    >>> read_line(line.replace('"id": "A-7", ', ''), number=3)[0]
    '3'
    >>> read_line('{"id": 7, "type": "loan"}')
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidDataError: id: must be a string (the account's id), got 7
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, TypeError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else type(error).__name__
        raise InvalidDataError("", f"must be one JSON document on the line ({detail})", text) from None
    if isinstance(data, dict) and "id" in data:
        account = data.pop("id")
        if type(account) is not str:
            raise InvalidDataError("id", "must be a string (the account's id)", account)
    elif number is None:
        raise InvalidDataError("id", "is required (or give the line's number)")
    else:
        account = str(number)
    if isinstance(data, dict) and data.get("type") == "credit_line":
        return account, from_data(CreditLine, data)
    return account, from_data(Loan, data)


def read_lines(lines: Iterable[str | bytes], start: int = 1) -> Iterator[tuple[str, Loan | CreditLine]]:
    """The ``(id, loan)`` pairs of a JSON lines book, lazily; blank lines are skipped.

    Args:
        lines: The lines (an open text file will do).
        start: The number of the first line (ids of lines without an ``"id"`` count from it).

    Raises:
        InvalidDataError: As :func:`read_line`, with a note of the line's number.

    >>> [account for account, _ in read_lines(['{"id": "A", "type": "loan", "version": 1, '
    ...     '"terms": {"principal": "100", "rate": {"annual": "0"}, "term": 1, "start": "2026-01-01"}}', "  "])]
    ['A']
    >>> list(read_lines(["{}"], start=10))
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidDataError: type: must be 'loan' for a Loan, got None
    on line 10
    """
    for number, text in enumerate(lines, start):
        if text.strip():
            try:
                yield read_line(text, number)
            except InvalidDataError as error:
                error.add_note(f"on line {number}")
                raise


# ---------------------------------------------------------------------------
# Rates


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole).quantize(SHARE, ROUND_HALF_EVEN) if whole else Decimal(0).quantize(SHARE)


def _weight(r: Row, by: str) -> Decimal:
    if by == "count":
        return Decimal(1)
    if by == "balance":
        return r.principal_outstanding
    raise InvalidValueError("by", "must be 'count' or 'balance'", by)


def buckets(rows: Iterable[Row], *, by: str = "count", table: Sequence[Bucket] = DEFAULT_BUCKETS
            ) -> dict[str, Decimal]:
    """The total of each bucket: the number of accounts (``by="count"``) or their principal outstanding.

    Every bucket of the table is present, in order, even when empty.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
    >>> book = [("paid", Loan(t).pay(date(2026, 2, 1), "100")), ("late", Loan(t))]
    >>> feb, mar = (list(evaluate(book, as_of=date(2026, m, 15))) for m in (2, 3))
    >>> buckets(mar)["M1"], buckets(mar, by="balance")["M2"]  # "paid" 14 days late in March, "late" 42
    (Decimal('1'), Decimal('1200.00'))
    """
    totals = {b.name: Decimal(0) for b in table}
    for r in rows:
        totals[r.bucket] = totals.get(r.bucket, Decimal(0)) + _weight(r, by)
    return totals


def roll_rates(before: Iterable[Row], after: Iterable[Row], *, by: str = "count",
               table: Sequence[Bucket] = DEFAULT_BUCKETS) -> dict[str, dict[str, Decimal]]:
    """The roll-rate matrix between two dates: of the accounts in bucket ``a`` before, the share in ``b`` after.

    Accounts are matched by id; an account missing after (sold, written off
    and dropped) is not counted. ``by="balance"`` weighs each account by its
    principal outstanding *before*. Rows of the matrix are the buckets before,
    columns the buckets after, each a share rounded to :data:`SHARE`; a row
    with no accounts is all zeros.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
    >>> book = [("paid", Loan(t).pay(date(2026, 2, 1), "100")), ("late", Loan(t))]
    >>> feb, mar = (list(evaluate(book, as_of=date(2026, m, 15))) for m in (2, 3))
    >>> matrix = roll_rates(feb, mar)
    >>> matrix["M0"]["M1"], matrix["M1"]["M2"]
    (Decimal('1.0000'), Decimal('1.0000'))
    """
    later = {r.id: r for r in after}
    names = [b.name for b in table]
    counts = {a: dict.fromkeys(names, Decimal(0)) for a in names}
    for r in before:
        moved = later.get(r.id)
        if moved is not None:
            counts[r.bucket][moved.bucket] += _weight(r, by)
    return {a: {b: _share(value, sum(row_.values(), Decimal(0))) for b, value in row_.items()}
            for a, row_ in counts.items()}


def flow_rates(snapshots: Sequence[Iterable[Row]], *, table: Sequence[Bucket] = DEFAULT_BUCKETS
               ) -> list[dict[str, Decimal]]:
    """Flow rates between consecutive snapshots (month ends): the principal outstanding in bucket ``k+1``
    at one snapshot over that in bucket ``k`` at the one before, for each bucket ``k+1`` (keyed by it).

    The net flow rate of collections reporting: it does not follow accounts,
    only balances (:func:`roll_rates` follows them).

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
    >>> book = [("paid", Loan(t).pay(date(2026, 2, 1), "100")), ("late", Loan(t))]
    >>> feb, mar = (list(evaluate(book, as_of=date(2026, m, 15))) for m in (2, 3))
    >>> flow_rates([feb, mar])[0]["M2"]   # 1,200 at M2 in March over 1,200 at M1 in February
    Decimal('1.0000')
    """
    totals = [buckets(snapshot, by="balance", table=table) for snapshot in snapshots]
    names = [b.name for b in table]
    return [{names[k + 1]: _share(now[names[k + 1]], then[names[k]]) for k in range(len(names) - 1)}
            for then, now in itertools.pairwise(totals)]


def cure_rates(before: Iterable[Row], after: Iterable[Row], *, by: str = "count",
               table: Sequence[Bucket] = DEFAULT_BUCKETS) -> dict[str, Decimal]:
    """Of the accounts past due in each bucket before, the share current (``M0`` or settled) after.

    Keyed by the delinquent buckets (all but the first); matched by id as :func:`roll_rates`.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
    >>> book = [("paid", Loan(t).pay(date(2026, 2, 1), "100")), ("late", Loan(t))]
    >>> feb, mar = (list(evaluate(book, as_of=date(2026, m, 15))) for m in (2, 3))
    >>> cure_rates(feb, mar)["M1"]   # "late" was in M1 in February and is not current in March
    Decimal('0.0000')
    """
    later = {r.id: r for r in after}
    names = [b.name for b in table][1:]
    cured = dict.fromkeys(names, Decimal(0))
    total = dict.fromkeys(names, Decimal(0))
    for r in before:
        moved = later.get(r.id)
        if r.days_past_due == 0 or moved is None:
            continue
        total[r.bucket] += _weight(r, by)
        if moved.days_past_due == 0:
            cured[r.bucket] += _weight(r, by)
    return {name: _share(cured[name], total[name]) for name in names}


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def vintage(rows: Iterable[Row], *, threshold: int = 31) -> dict[str, dict[int, Decimal]]:
    """Vintage curves: for each origination month (``"2026-01"``) and month on book, the share of the
    vintage's disbursed principal that is outstanding on loans at least ``threshold`` days past due
    (M2+ by default), from rows of several dates (``evaluate`` on each month end, chained).

    Month on book is the number of calendar months from the start to ``as_of``.
    Each loan must appear at most once per ``as_of``.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
    >>> book = [("paid", Loan(t).pay(date(2026, 2, 1), "100")), ("late", Loan(t))]
    >>> feb, mar = (list(evaluate(book, as_of=date(2026, m, 15))) for m in (2, 3))
    >>> vintage(feb + mar)   # month 2: "late" holds 1,200 at M2 of the 2,400 disbursed
    {'2026-01': {1: Decimal('0.0000'), 2: Decimal('0.5000')}}
    """
    disbursed: dict[str, dict[str, Decimal]] = {}
    bad: dict[str, dict[int, Decimal]] = {}
    for r in rows:
        month = f"{r.start.year:04d}-{r.start.month:02d}"
        disbursed.setdefault(month, {})[r.id] = r.disbursed
        mob = _months_between(r.start, r.as_of)
        curve = bad.setdefault(month, {})
        curve[mob] = curve.get(mob, Decimal(0)) + (r.principal_outstanding if r.days_past_due >= threshold
                                                   else Decimal(0))
    return {month: {mob: _share(value, sum(disbursed[month].values(), Decimal(0)))
                    for mob, value in sorted(curve.items())} for month, curve in sorted(bad.items())}
