"""The ``hypothesis`` entry point of loanrules: it registers the strategies, lazily.

Hypothesis loads this module whenever it is itself imported, in every
environment where loanrules is installed, so the module costs next to
nothing: it imports neither loanrules nor its strategies. If loanrules is
already imported, the strategies are registered at once (importing
:mod:`loanrules.strategies` registers them); otherwise a finder on
``sys.meta_path`` waits for ``import loanrules``, lets that import run, and
registers them right after it. Either way ``st.from_type(LoanTerms)`` draws
valid terms as soon as there is a ``LoanTerms`` to ask for.

It lives outside the ``loanrules`` package because loading any module of the
package runs the package's ``__init__``: the whole library.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register loanrules' strategies now, or right after loanrules is imported."""
    if "loanrules" in sys.modules:
        _register()
    elif not any(isinstance(finder, _AfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport())


def _register() -> None:
    import loanrules.strategies  # noqa: F401, PLC0415 - importing it registers the strategies


class _AfterImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: it hands ``loanrules`` to the other finders and wraps the loader they give."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "loanrules":
            return None
        sys.meta_path.remove(self)  # once: whatever happens next, the finder is done
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _RegisterAfter(spec.loader)
        return spec


class _RegisterAfter(importlib.abc.Loader):
    """The package's own loader, followed by the registration."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _register()
