"""The benchmark scripts keep running (a check that they run, not a timing assertion).

``benchmarks/bench.py --smoke`` runs every case once, tiny; each case prints
its heading and its figures. A case that raises, or a case missing from the
output, fails here, so the README's performance table can always be measured
again.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_every_benchmark_case_runs() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = subprocess.run([sys.executable, str(BENCHMARKS / "bench.py"), "--smoke"], capture_output=True,
                         text=True, check=True, timeout=600)
    headings = [line.split(":")[0] for line in out.stdout.splitlines() if line and not line.startswith((" ", "python"))]
    assert headings == list(bench.CASES)
    # Every timed contender printed a time, every ratio a number, every report its figures.
    assert len(re.findall(r"loanrules / .+ = \d+\.\d+x", out.stdout)) >= len(bench.CASES) - 2
    assert re.search(r"LoanState +\d+\.\d B/row", out.stdout)
    assert re.search(r"import loanrules +\d+\.\d ms", out.stdout)
    assert out.stderr == ""
