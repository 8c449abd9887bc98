#!/usr/bin/env python3
"""tests/scripts/check_wasi_testsuite.py ZINC: `zinc validate` over the wasi-testsuite binaries.

Done-when check of issue 3, extended by issue 7: every core module under
$ZINC_SHARED/wasi-testsuite/tests/{c,rust,assemblyscript}/testsuite/*/ validates, and so does
every component (the wasm32-wasip3 programs, validated by the Component Model validator).
Reads only; writes nothing.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import zinc_checks as zc  # noqa: E402

LANGS = ("c", "rust", "assemblyscript")


def main():
    if len(sys.argv) != 2:
        zc.die("usage: check_wasi_testsuite.py ZINC")
    zinc = zc.require_file(sys.argv[1], "zinc binary")
    root = zc.shared_dir() / "wasi-testsuite" / "tests"
    files = []
    for lang in LANGS:
        d = root / lang / "testsuite"
        if not d.is_dir():
            zc.die(f"missing wasi-testsuite directory {d}")
        files += sorted(d.glob("*/*.wasm"))
    cores = [f for f in files if not zc.is_component(f)]
    components = [f for f in files if zc.is_component(f)]
    if len(cores) < 50 or len(components) < 10:
        zc.die(f"wasi-testsuite looks incomplete: {len(cores)} core modules, "
               f"{len(components)} components")

    failures = []
    verdicts = zc.validate_files(zinc, cores, batch_size=40)
    for f in cores:
        v = verdicts[f]
        if v.kind != "valid":
            failures.append(f"core module {f}: {v.kind}: {v.message}")
    verdicts = zc.validate_files(zinc, components, batch_size=40)
    for f in components:
        v = verdicts[f]
        if v.kind != "valid":
            failures.append(f"component {f}: {v.kind}: {v.message}")

    for line in failures:
        print("FAIL", line)
    print(f"wasi-testsuite: {len(cores)} core modules, {len(components)} components checked; "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
