"""Project-wide test configuration: the Hypothesis profiles.

``ci`` (the default) runs 100 examples per property; ``dev`` runs 20, for
a quick loop while editing. Choose one with ``HYPOTHESIS_PROFILE=dev``.
``mutation`` is the profile of ``tools/mutation.py``: 10 examples,
derandomized and without the example database, so that every mutant meets
the same examples and a run can be repeated.
Deadlines are off: a 30-year weekly schedule on a busy machine may take
longer than Hypothesis's default 200 ms without anything being wrong.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("mutation", max_examples=10, deadline=None, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    """Keep a failing property test reported as that failure.

    When a Hypothesis test fails, its pytest plugin imports libcst to suggest
    an ``@example`` patch; libcst still uses ``mypy_extensions.TypedDict``,
    whose DeprecationWarning ``filterwarnings = error`` would otherwise raise
    inside the plugin's report hook: a pytest INTERNALERROR.
    """
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
    )
    # Hypothesis pretty-prints an attrs instance field by field, ignoring its __repr__, so a
    # falsifying example holding the CHINA calendar spells out its ~770 dates (> 30 kB) and
    # Hypothesis warns; under filterwarnings = error that warning would replace the failure.
    config.addinivalue_line(
        "filterwarnings", "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
    )
