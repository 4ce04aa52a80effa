"""Privacy (issue 13): what a caller puts in does not come back out in errors, reasons or traces."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from loanrules import (
    Action,
    Case,
    Loan,
    LoanTerms,
    Outcome,
    Rate,
    Record,
    next_step,
    policies,
)
from loanrules.errors import MAX_SHOWN, LoanRulesError, describe

SECRET = "Zhang San 13800000000 110101199001011234"
LOAN = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
STATE = LOAN.state(as_of=date(2026, 2, 16))
NOW = datetime(2026, 2, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


class Customer:
    """A caller's object that holds personal data and shows it in its repr and str."""

    def __repr__(self) -> str:
        return f"Customer({SECRET!r})"

    __str__ = __repr__


class SecretStr(str):
    """A str subclass that carries data besides its text."""

    def __new__(cls, text: str) -> SecretStr:
        made = super().__new__(cls, text)
        made.secret = SECRET  # type: ignore[attr-defined]
        return made

    def __str__(self) -> str:
        return f"{str.__str__(self)} ({SECRET})"

    def __repr__(self) -> str:
        return f"SecretStr({SECRET!r})"

    def __format__(self, spec: str) -> str:
        return str(self)


class SecretDate(date):
    """A date subclass that carries data in its text."""

    def __str__(self) -> str:
        return f"{self.isoformat()} ({SECRET})"

    def __repr__(self) -> str:
        return f"SecretDate({SECRET!r})"

    def __format__(self, spec: str) -> str:
        return str(self)


class SecretDatetime(datetime):
    """A datetime subclass that carries data in its text."""

    def __repr__(self) -> str:
        return f"SecretDatetime({SECRET!r})"

    def __str__(self) -> str:
        return repr(self)

    def __format__(self, spec: str) -> str:
        return repr(self)


def everything(decision: typing.Any) -> str:
    """Every text a decision holds: its repr, its reasons, and each trace entry's facts."""
    return " ".join([repr(decision), *decision.reasons, *(repr(entry) for entry in decision.trace)])


class TestErrorMessages:
    """Errors show a short description of a bad value: only the type of a caller's object."""

    @pytest.mark.parametrize("call", [
        lambda: Case(state=Customer()),
        lambda: Case(state=STATE, history=[Customer()]),
        lambda: Case(state=STATE, history=Customer()),
        lambda: Case(state=STATE, flags={Customer()}),
        lambda: next_step(policies.standard(), Customer(), NOW),  # type: ignore[arg-type]
        lambda: next_step(Customer(), Case(state=STATE), NOW),  # type: ignore[arg-type]
        lambda: next_step(policies.standard(), Case(state=STATE), Customer()),  # type: ignore[arg-type]
        lambda: Loan(Customer()),  # type: ignore[arg-type]
        lambda: LOAN.state(as_of=Customer()),  # type: ignore[arg-type]
        lambda: LOAN.pay(on=Customer(), amount="1"),  # type: ignore[arg-type]
        lambda: LOAN.pay(on=date(2026, 3, 1), amount=Customer()),  # type: ignore[arg-type]
        lambda: LoanTerms(principal=Customer(), rate=Rate.annual("0.1"), term=1, start=date(2026, 1, 1)),
        lambda: Record(at=Customer(), action=Action.CALL, outcome=Outcome.REACHED),  # type: ignore[arg-type]
        lambda: Rate.annual(Customer()),
    ])
    def test_secret_not_in_error(self, call: typing.Callable[[], object]) -> None:
        """A customer object where a Case, Loan, date or amount is expected: its repr is not in the error."""
        with pytest.raises(LoanRulesError) as info:
            call()
        text = str(info.value)
        assert "Zhang San" not in text
        assert "<a Customer object>" in text or "Customer" in text  # the type may be named, nothing more

    def test_policy_error_hides_the_object(self) -> None:
        """A policy read from data that holds a caller's object names its type only."""
        from loanrules.policy import CollectionPolicy

        with pytest.raises(LoanRulesError) as info:
            CollectionPolicy.from_dict({"name": Customer(), "stages": []})
        assert "Zhang San" not in str(info.value)
        assert "<a Customer object>" in str(info.value)

    def test_str_subclass_in_error_shows_its_type(self) -> None:
        """A str subclass is another object: its text stays out of the message."""
        with pytest.raises(LoanRulesError) as info:
            Case(state=STATE, flags={SecretStr("no_such_flag")})
        assert SECRET not in str(info.value)

    def test_error_text_is_bounded(self) -> None:
        """However long the value, the message holds at most MAX_SHOWN characters of it."""
        with pytest.raises(LoanRulesError) as info:
            Case(state=STATE, timezone="x" * 100_000)
        assert len(str(info.value)) < 100 + MAX_SHOWN
        assert str(info.value).endswith("...")

    def test_describe_library_values(self) -> None:
        """Library values and exact builtins keep their readable reprs."""
        assert describe(date(2026, 1, 1)) == "datetime.date(2026, 1, 1)"
        assert describe(Action.CALL) == "Action.CALL"
        assert describe(SecretDate(2026, 1, 1)) == "<a SecretDate object>"


class TestNothingEchoed:
    """Reasons and traces hold library values only: subclasses become the plain values they equal."""

    def test_promise_date_subclass(self) -> None:
        """A promise date that is a date subclass: its text is not in the reasons or the trace."""
        promise = Record(at=datetime(2026, 2, 16, 1, tzinfo=UTC), action=Action.CALL, outcome=Outcome.PROMISED,
                         promise_date=SecretDate(2026, 2, 20))
        assert type(promise.promise_date) is date
        decision = next_step(policies.standard(), Case(state=STATE, history=(promise,)), NOW)
        assert "a promise to pay by 2026-02-20 is open: deferred to the day after" in decision.reasons
        assert SECRET not in everything(decision)

    def test_record_at_subclass(self) -> None:
        """A record's moment that is a datetime subclass is kept as a plain datetime."""
        record = Record(at=SecretDatetime(2026, 2, 16, 1, tzinfo=UTC), action=Action.CALL,
                        outcome=Outcome.NO_ANSWER)
        assert type(record.at) is datetime
        decision = next_step(policies.standard(), Case(state=STATE, history=(record,)), NOW)
        assert SECRET not in everything(decision)

    def test_now_subclass(self) -> None:
        """``now`` as a datetime subclass: the trace's moments are plain datetimes."""
        now = SecretDatetime(2026, 2, 16, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # deferred: trace has 'at'
        decision = next_step(policies.standard(), Case(state=STATE), now)
        assert decision.not_before is not None
        assert type(decision.not_before) is datetime
        assert SECRET not in everything(decision)

    def test_timezone_subclass(self) -> None:
        """A zone name that is a str subclass becomes the plain name (it is quoted in reasons)."""
        case = Case(state=STATE, timezone=SecretStr("Asia/Shanghai"))
        assert type(case.timezone) is str
        night = datetime(2026, 2, 16, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        decision = next_step(policies.standard(), case, night)
        assert SECRET not in everything(decision)

    def test_flag_subclass(self) -> None:
        """A flag that is a str subclass becomes the plain word."""
        case = Case(state=STATE, flags={SecretStr("cease_request")})
        assert {type(flag) for flag in case.flags} == {str}
        decision = next_step(policies.standard(), case, NOW)
        assert decision.status.name == "HOLD"
        assert SECRET not in everything(decision)

    def test_terms_start_subclass(self) -> None:
        """A start date that is a date subclass is kept as the plain date (schedules derive from it)."""
        terms = LoanTerms(principal="1000", rate=Rate.annual("0.1"), term=2, start=SecretDate(2026, 1, 15),
                          first_due=SecretDate(2026, 2, 15))
        assert (type(terms.start), type(terms.first_due)) == (date, date)
        assert SECRET not in repr(terms)

    def test_event_day_subclass(self) -> None:
        """An event built directly on a date subclass keeps the plain date."""
        from loanrules import Payment

        payment = Payment(on=SecretDate(2026, 3, 1), amount="100")
        assert type(payment.on) is date
        assert SECRET not in repr(Loan(LOAN.terms, events=(payment,)).state(as_of=date(2026, 3, 2)))

    def test_state_subclass_refused(self) -> None:
        """A LoanState subclass (whose values would reach the trace) is refused."""
        from loanrules import LoanState

        class Tampered(LoanState):  # type: ignore[misc]
            pass

        with pytest.raises(LoanRulesError, match="'state' must be a LoanState or a CreditLineState"):
            Case(state=Tampered(**{name: getattr(STATE, name) for name in (
                "as_of", "days_past_due", "status", "overdue", "due_now", "payoff", "principal_outstanding",
                "accrued_interest", "next_due_date", "next_due_amount", "credit", "prepayment_fees",
                "restructured_on")}, rows=STATE._rows))
