"""Project-wide test configuration: the Hypothesis profiles.

``ci`` (the default) runs 100 examples per property; ``dev`` runs 20, for
a quick loop while editing. Choose one with ``HYPOTHESIS_PROFILE=dev``.
Deadlines are off: a 30-year weekly schedule on a busy machine may take
longer than Hypothesis's default 200 ms without anything being wrong.
"""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
