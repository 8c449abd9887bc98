#!/usr/bin/env python3
"""spec-tests/report.py ZINC [--check]: the pass-count table of spec-tests/README.md.

Runs every suite of spec-tests/meson.build (the `spec_suites` list and the Component Model
folders, read from there so the two never drift) on every tier and memory mode with `zinc wast -q` and no expectations file, counts
the commands that pass and fail, checks that the failures are exactly the ones listed in the
suite's expectations file, and rewrites the table between the `report.py:begin` and
`report.py:end` marker comments of spec-tests/README.md.

--check: print the table and exit 1 if it differs from the README's (nothing is written).
Files are located as run_suite.py does ($ZINC_SHARED, default ../shared).
"""

import datetime
import re
import subprocess
import sys
from pathlib import Path

import run_suite

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
BEGIN = "<!-- report.py:begin -->"
END = "<!-- report.py:end -->"
TIERS = ["interp"]
MEMORY_MODES = ["guard", "bounds"]


def suites():
    """(suite, memory modes): the core suites in both memory modes, then the Component Model
    suites (the `foreach suite : [...]` list of component-model-tests folders) in guard mode."""
    text = (HERE / "meson.build").read_text()
    m = re.search(r"spec_suites\s*=\s*\[(.*?)\]", text, re.S)
    if not m:
        sys.exit("report.py: no spec_suites list in spec-tests/meson.build")
    out = [(s, MEMORY_MODES) for s in re.findall(r"'([^']+)'", m.group(1))]
    c = re.search(r"component-model-tests.*?foreach suite : \[(.*?)\]", text, re.S)
    if c:
        out += [(f"component-model/{s}", ["guard"]) for s in re.findall(r"'([^']+)'", c.group(1))]
    return out


def expected_keys(suite, tier):
    path = run_suite.expectations_file(suite, tier)
    keys = set()
    if path.exists():
        for line in path.read_text().splitlines():
            if line and not line.startswith("#"):
                keys.add(line.partition(" ")[0])
    return keys


def run(zinc, suite, tier, memory):
    files = run_suite.suite_files(suite)
    proc = subprocess.run([zinc, "wast", "-q", "--tier", tier, "--memory", memory]
                          + [str(f) for f in files], capture_output=True, text=True)
    summary = re.search(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", proc.stdout, re.M)
    if not summary:
        sys.exit(f"report.py: no summary line from zinc wast on {suite} ({tier}, {memory}):\n"
                 + proc.stdout[-2000:] + proc.stderr[-2000:])
    failures = set()
    for line in proc.stdout.splitlines():
        m = re.match(r"^(.*\.wast):(\d+): ", line)
        if m:
            failures.add(f"{Path(m.group(1)).name}:{m.group(2)}")
    passed, failed = int(summary.group(1)), int(summary.group(2))
    skipped = int(summary.group(3) or 0)
    return len(files), passed, failed, skipped, failures == expected_keys(suite, tier)


def table(zinc):
    rows = ["| suite | files | tier | memory | passed | failed | pass rate | matches expectations |",
            "| --- | ---: | --- | --- | ---: | ---: | ---: | --- |"]
    for suite, memory_modes in suites():
        for tier in TIERS:
            for memory in memory_modes:
                files, passed, failed, skipped, exact = run(zinc, suite, tier, memory)
                total = passed + failed
                rate = f"{100.0 * passed / total:.1f} %" if total else "-"
                failed_text = str(failed) + (f" (+{skipped} skipped)" if skipped else "")
                rows.append(f"| {suite} | {files} | {tier} | {memory} | {passed} | {failed_text} "
                            f"| {rate} | {'yes' if exact else '**no**'} |")
    today = datetime.date.today().isoformat()
    return "\n".join([f"Generated {today} by `spec-tests/report.py`.", "", *rows])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    new_table = table(args[0])
    readme = README.read_text()
    begin, end = readme.find(BEGIN), readme.find(END)
    if begin < 0 or end < begin:
        sys.exit(f"report.py: {README} lacks the {BEGIN} / {END} markers")
    updated = readme[:begin + len(BEGIN)] + "\n" + new_table + "\n" + readme[end:]
    if "--check" in sys.argv:
        print(new_table)
        strip = lambda s: re.sub(r"Generated \S+ ", "", s)
        return 0 if strip(updated) == strip(readme) else 1
    README.write_text(updated)
    print(new_table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
