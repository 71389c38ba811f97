"""Every web worker and every command imports the app: heavy analysis libraries wait until
an analysis runs (scikit-learn and pandas alone took about 4 s of each start)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy", "pandas")


def test_starting_the_app_imports_no_analysis_library(tmp_path):
    script = (
        "import sys\n"
        "from komoro_engage import create_app\n"
        f"create_app('testing', DATABASE_URL='sqlite:///{tmp_path}/start.db')\n"
        f"print(','.join(sorted(name for name in {HEAVY!r} if name in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=120)
    assert result.stdout.strip() == "", f"imported at start: {result.stdout.strip()}"
