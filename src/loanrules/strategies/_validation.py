"""Argument checks shared by the strategies: eager, at call time, not at the first draw."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import EllipsisType
from typing import Any, ParamSpec, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from loanrules.conventions import to_decimal
from loanrules.errors import LoanRulesError

_T = TypeVar("_T")
_P = ParamSpec("_P")


class _Call(SearchStrategy[_T]):
    """A strategy that draws from ``inner`` and shows the call that made it: ``loan_terms(term=integers(min_value=1, max_value=36))``."""

    def __init__(self, inner: SearchStrategy[_T], call: str) -> None:
        super().__init__()
        self._inner = inner
        self._call = call

    def __repr__(self) -> str:
        return self._call

    def do_draw(self, data: Any) -> _T:
        return data.draw(self._inner)  # type: ignore[no-any-return]

    def do_validate(self) -> None:
        self._inner.validate()

    def calc_is_empty(self, recur: Callable[[SearchStrategy[Any]], bool]) -> bool:
        return recur(self._inner)

    def calc_has_reusable_values(self, recur: Callable[[SearchStrategy[Any]], bool]) -> bool:
        return recur(self._inner)

    def calc_label(self) -> int:
        return self._inner.label


def described(factory: Callable[_P, SearchStrategy[_T]]) -> Callable[_P, SearchStrategy[_T]]:
    """Make ``factory``'s strategies show the call that made them, arguments left at ``...`` omitted.

    The arguments are still checked when the factory is called.

    >>> from hypothesis import strategies as st
    >>> @described
    ... def terms(*, term: object = ...) -> SearchStrategy[int]:
    ...     return st.integers(1, 36)
    >>> terms(term=st.integers(1, 36)), terms()
    (terms(term=integers(min_value=1, max_value=36)), terms())
    """

    @functools.wraps(factory)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> SearchStrategy[_T]:
        inner = factory(*args, **kwargs)
        shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items() if v is not ...]
        return _Call(inner, f"{factory.__name__}({', '.join(shown)})")

    return call


def _fail(func: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{func}(): {message}")


def _decimal(func: str, name: str, value: object) -> Decimal:
    try:
        return to_decimal(value, name)
    except LoanRulesError as error:
        raise _fail(func, str(error)) from None


def _int(func: str, name: str, value: object, low: int, high: int) -> int:
    if type(value) is not int:
        raise _fail(func, f"{name}={value!r} must be an int")
    if not low <= value <= high:
        raise _fail(func, f"{name}={value!r} must lie in [{low}, {high}]")
    return value


def _bool(func: str, name: str, value: object) -> bool:
    if type(value) is not bool:
        raise _fail(func, f"{name}={value!r} must be a bool")
    return value


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _arg(
    func: str,
    name: str,
    value: _T | SearchStrategy[_T] | EllipsisType,
    kind: type[_T],
    default: Callable[[], SearchStrategy[_T]],
) -> SearchStrategy[_T]:
    """``value`` as a strategy: the default for ``...``, a strategy as is, a plain ``kind`` as ``just``."""
    if isinstance(value, EllipsisType):
        return default()
    if isinstance(value, SearchStrategy):
        return value
    plain_ok = (
        _is_date(value) if kind is date
        else type(value) is kind if kind in (int, bool, str)
        else isinstance(value, kind)
    )
    if not plain_ok:
        article = "an" if kind.__name__[0] in "AEIOUaeiou" else "a"
        raise _fail(func, f"{name}={value!r} must be {article} {kind.__name__} or a strategy of them")
    return st.just(value)
