"""The JSON Schemas of the documents, shipped as package data (private; see the package).

The files ``serialize/schemas/<type>.json`` are written by
``tools/serialize_schemas.py`` from one description (a test checks they
are up to date). Each is self-contained: the shared definitions it uses
(``decimal``, ``money``, ``date``, ``datetime``, ``currency``, ``rate``,
``calendar``, ``loan_terms``, ``event``, ...) are in its own ``$defs``.
They are read through ``importlib.resources`` when first asked for
(package data, not the caller's I/O; and not loaded by ``import loanrules``).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from loanrules.errors import InvalidDataError

from ._codec import DOCUMENT_TYPES

__all__ = ["schema"]


@functools.cache
def _text(name: str) -> str:
    from importlib import resources  # noqa: PLC0415 - lazily: see the module's docstring

    return resources.files(__package__).joinpath("schemas", f"{name}.json").read_text(encoding="utf-8")


def schema(type_or_name: type | str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents of a type, given as the class or its ``type`` name.

    The schema is strict (unknown fields refused, money and rates decimal
    strings, enums by their values, ``type`` and ``version`` constants) and
    self-contained: a validator needs no registry. Each call returns a new
    dict, so the caller may change it.

    Args:
        type_or_name: A class of :data:`DOCUMENT_TYPES` (``Loan``) or its name (``"loan"``).

    Returns:
        The schema, as plain data.

    Raises:
        InvalidDataError: ``type_or_name`` is no document type.

    >>> from loanrules import Loan
    >>> from loanrules.serialize import schema
    >>> loan = schema(Loan)
    >>> loan["$schema"], loan["properties"]["type"], loan["required"]
    ('https://json-schema.org/draft/2020-12/schema', {'const': 'loan'}, ['type', 'version', 'terms'])
    >>> schema("money")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidDataError: <document>: must be a document type or its name (loanrules.serialize.DOCUMENT_TYPES), got 'money'
    """
    name = DOCUMENT_TYPES.get(type_or_name) if isinstance(type_or_name, type) else type_or_name
    if type(name) is not str or name not in DOCUMENT_TYPES.values():
        raise InvalidDataError("", "must be a document type or its name (loanrules.serialize.DOCUMENT_TYPES)",
                               type_or_name)
    result: dict[str, Any] = json.loads(_text(name))
    return result
