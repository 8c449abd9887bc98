#!/usr/bin/env python3
"""tests/scripts/check_random_modules.py ZINC [CACHE_DIR]: binaryen-generated modules.

Done-when check of issue 3: every module `wasm-opt -ttf` generates from 1,000 seeds with the
Wasm 2.0 feature flags validates with `zinc validate`, and the bit-flipped / truncated mutants of
a fixed sample never crash it (exit 0 or 1 only; a signal, abort or hang names the file).
The reference-types set is also run for crashes here; its verdicts are checked against V8 by
check_differential_v8.py. The corpus is cached in CACHE_DIR (else a temporary directory).
"""

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import zinc_checks as zc  # noqa: E402


def main():
    if len(sys.argv) not in (2, 3):
        zc.die("usage: check_random_modules.py ZINC [CACHE_DIR]")
    zinc = zc.require_file(sys.argv[1], "zinc binary")
    work = zc.default_work_dir(sys.argv[2] if len(sys.argv) == 3 else None, "corpus")
    t0 = time.monotonic()
    zc.require_tool("wasm-opt")
    c = corpus.ensure_corpus(work)
    t1 = time.monotonic()
    failures = []

    plain = zc.validate_files(zinc, c["plain"])
    for f in c["plain"]:
        if plain[f].kind != "valid":
            failures.append(f"generated module {f} not valid: {plain[f].kind}: {plain[f].message}")

    others = zc.validate_files(zinc, c["reftypes"] + c["mutants"])
    counts = Counter()
    mutant_set = set(c["mutants"])
    for f, v in others.items():
        group = "mutants" if f in mutant_set else "reftypes"
        counts[(group, v.kind)] += 1
        if v.kind == "crash":
            failures.append(f"{group} {f}: zinc crashed: {v.message}")
    t2 = time.monotonic()

    for line in failures[:100]:
        print("FAIL", line)
    if len(failures) > 100:
        print(f"... and {len(failures) - 100} more failures")
    print(f"corpus ready in {t1 - t0:.1f}s ({work}); zinc checks took {t2 - t1:.1f}s")
    print(f"plain (Wasm 2.0 flags): {len(c['plain'])} modules, "
          f"{sum(v.kind == 'valid' for v in plain.values())} valid (all must be)")
    for group in ("reftypes", "mutants"):
        total = sum(n for (g, _), n in counts.items() if g == group)
        detail = ", ".join(f"{k} {n}" for (g, k), n in sorted(counts.items()) if g == group)
        print(f"{group}: {total} files: {detail} (crash must be 0)")
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
