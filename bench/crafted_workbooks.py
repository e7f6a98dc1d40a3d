"""What a crafted workbook costs now: its refusal against opening a normal workbook of the same size.

    python bench/crafted_workbooks.py

For each hostile file of tests/importing/workbooks.py (written by hand with zipfile, never checked in)
it builds a normal `网上团队课` workbook of about the same file size, then, each in a fresh process,
times `youthwork.spreadsheets.open_workbook` plus reading every row of every sheet (the refusal for a
crafted file) and takes the process's peak resident set size (ru_maxrss). It prints both and their
ratios. The issue's bar for a crafted file: refused within 10 s and 300 MB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthwork.settings")
# A benchmark serves no page: a throw-away key lets it run with production settings (DEBUG off, as measured).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

MEASURE = """
import json, resource, sys, time
import django
django.setup()
from youthwork.spreadsheets import WorkbookUnreadable, open_workbook
data = open(sys.argv[1], "rb").read()
started = time.monotonic()
try:
    book = open_workbook(data)
    rows = sum(sum(1 for _ in book.sheet(name).rows) for name in book.sheet_names)
    outcome = f"opened, {rows} rows"
except WorkbookUnreadable as exc:
    outcome = "refused: " + str(exc)
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak": peak, "outcome": outcome}))
"""


def measure(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def normal_workbook(size: int) -> bytes:
    """A normal 网上团队课 workbook of about `size` bytes (at least the header and one row)."""
    from tests.importing.workbooks import header, xlsx

    def build(rows: int) -> bytes:
        lines = [["A", dt.date(2023, 5, 4), "青年大学习", f"第{i}期", i, f"备注{i}"] for i in range(rows)]
        return xlsx({"网上团队课": [header("网上团队课"), *lines]})

    rows = 1
    data = build(rows)
    while len(data) < size * 0.9:
        rows = max(rows + 1, int(rows * size / len(data)))
        data = build(rows)
    return data


def main():
    import django

    django.setup()
    from tests.importing.test_crafted_workbooks import CRAFTED

    print(f"{'file':52} {'KB':>6} {'s':>6} {'MB':>6} | {'normal s':>8} {'MB':>6} | {'time ×':>7} {'peak ×':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for name, (build, _reason) in CRAFTED.items():
            crafted = Path(folder) / f"{name}.xlsx"
            crafted.write_bytes(build())
            normal = Path(folder) / f"normal-{name}.xlsx"
            normal.write_bytes(normal_workbook(crafted.stat().st_size))
            bad, good = measure(crafted), measure(normal)
            print(
                f"{name:52} {crafted.stat().st_size / 1024:6.0f} {bad['seconds']:6.2f} {bad['peak']:6.0f} | "
                f"{good['seconds']:8.2f} {good['peak']:6.0f} | "
                f"{bad['seconds'] / good['seconds']:7.2f} {bad['peak'] / good['peak']:7.2f}"
            )
            print(f"    {bad['outcome'][:110]}")


if __name__ == "__main__":
    main()
