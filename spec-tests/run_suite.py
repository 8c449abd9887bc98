#!/usr/bin/env python3
"""spec-tests/run_suite.py ZINC SUITE TIER MEMORY [--update]: one official spec suite.

Runs `zinc wast --tier TIER --memory MEMORY --expect EXPECT` over every .wast file of SUITE:

  SUITE            files                                            expectations
  wasm-2.0         $ZINC_SHARED/wasm-testsuite-2.0/*.wast           wasm-2.0.<tier>.txt
  wasm-3.0         $ZINC_SHARED/wasm-testsuite/*.wast               wasm-3.0.<tier>.txt
  proposals/NAME   $ZINC_SHARED/wasm-testsuite/proposals/NAME/*.wast  proposals-NAME.<tier>.txt
  legacy, custom   $ZINC_SHARED/wasm-testsuite/{legacy,custom}/*.wast  legacy.<tier>.txt, ...
  component-model/NAME  $ZINC_SHARED/component-model-tests/NAME/*.wast
                                                  component-model-NAME.<tier>.txt

Expectations live in spec-tests/expectations/ as `file.wast:LINE reason` lines: every command
known to fail, with why. zinc fails the run on an unlisted failure and on a listed command
that passes, so the files must stay exact. The memory mode does not change the expectations.

--update rewrites the expectations file from the current failures (reason: the failure
message, prefixed by the reason already recorded for that line if any). Review the diff.
Exit status: zinc's (0 only when the suite matches its expectations).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTATIONS = HERE / "expectations"


def shared_dir():
    env = os.environ.get("ZINC_SHARED")
    return Path(env) if env else HERE.parent.parent / "shared"


def suite_files(suite):
    shared = shared_dir()
    if suite == "wasm-2.0":
        folder = shared / "wasm-testsuite-2.0"
    elif suite == "wasm-3.0":
        folder = shared / "wasm-testsuite"
    elif suite.startswith("component-model/"):
        folder = shared / "component-model-tests" / suite.partition("/")[2]
    else:
        folder = shared / "wasm-testsuite" / suite
    if not folder.is_dir():
        sys.exit(f"run_suite.py: missing test data {folder} (set ZINC_SHARED)")
    files = sorted(folder.glob("*.wast"))
    if not files:
        sys.exit(f"run_suite.py: no .wast files in {folder}")
    return files


def expectations_file(suite, tier):
    return EXPECTATIONS / f"{suite.replace('/', '-')}.{tier}.txt"


def update(zinc, suite, tier, memory, files, expect):
    old = {}
    if expect.exists():
        for line in expect.read_text().splitlines():
            if line and not line.startswith("#"):
                key, _, reason = line.partition(" ")
                old[key] = reason
    proc = subprocess.run([zinc, "wast", "-q", "--tier", tier, "--memory", memory]
                          + [str(f) for f in files], capture_output=True, text=True)
    failures = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(.*\.wast):(\d+): (.*)$", line)
        if m:
            key = f"{Path(m.group(1)).name}:{m.group(2)}"
            failures[key] = old.get(key, m.group(3))
    header = (f"# Known failures of the {suite} spec suite with --tier {tier}: "
              "`file.wast:LINE reason`.\n"
              "# Exact: an unlisted failure or a listed command that passes fails the run.\n"
              "# Regenerate with spec-tests/run_suite.py ZINC SUITE TIER MEMORY --update.\n")

    def sort_key(k):
        f, _, n = k.rpartition(":")
        return (f, int(n))
    body = "".join(f"{k} {failures[k]}\n" for k in sorted(failures, key=sort_key))
    expect.parent.mkdir(parents=True, exist_ok=True)
    expect.write_text(header + body)
    print(f"{expect}: {len(failures)} known failures")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 4:
        sys.exit(__doc__)
    zinc, suite, tier, memory = args
    files = suite_files(suite)
    expect = expectations_file(suite, tier)
    if "--update" in sys.argv:
        update(zinc, suite, tier, memory, files, expect)
        return 0
    if not expect.exists():
        sys.exit(f"run_suite.py: missing expectations file {expect}")
    cmd = [zinc, "wast", "-q", "--tier", tier, "--memory", memory, "--expect", str(expect)]
    return subprocess.run(cmd + [str(f) for f in files]).returncode


if __name__ == "__main__":
    sys.exit(main())
