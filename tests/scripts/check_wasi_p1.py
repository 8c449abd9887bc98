#!/usr/bin/env python3
"""tests/scripts/check_wasi_p1.py ZINC [--memory guard|bounds] [--components DIR] [--update]:
official WASI tests.

Runs every .wasm of $ZINC_SHARED/wasi-testsuite/tests/{c,rust,assemblyscript}/testsuite/
wasm32-wasip1 with `zinc run`, configured from the test's .json (format in ../shared/README.md):
`args` after the module, `env` as --env NAME=VALUE (the guest sees exactly these), `root` (a
folder next to the test) copied to a fresh temporary directory and preopened as the guest's
`/`, `dirs` likewise under their own names. Expected: `exit_code` (default 0) and, when given,
exactly `stdout`. A test that takes longer than 60 s fails.

Known failures are listed in expectations/wasi-p1.txt as `lang/test reason` lines; an unlisted
failure fails the run and so does a listed test that passes. --update rewrites the file from
the current failures (keeping earlier reasons). Exit status 0 when the results match.

--components DIR runs the same tests as WASI Preview 2 command components instead: first
`node tests/wasi/p2/build_adapted.mjs DIR` adapts every module with jco's command adapter
(cached in DIR), then DIR/lang/test.wasm runs with the same arguments, directories and
expectations as its module; a module that could not be adapted (DIR/lang/test.error) fails.
Known failures of this mode are in expectations/wasi-p2-adapted.txt.
"""

import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTATIONS = HERE / "expectations" / "wasi-p1.txt"
ADAPTED_EXPECTATIONS = HERE / "expectations" / "wasi-p2-adapted.txt"
BUILD_ADAPTED = HERE.parent / "wasi" / "p2" / "build_adapted.mjs"
LANGS = ("c", "rust", "assemblyscript")
TIMEOUT = 60


def shared_dir():
    env = os.environ.get("ZINC_SHARED")
    return Path(env) if env else HERE.parent.parent.parent / "shared"


def tests():
    base = shared_dir() / "wasi-testsuite" / "tests"
    found = []
    for lang in LANGS:
        folder = base / lang / "testsuite" / "wasm32-wasip1"
        if not folder.is_dir():
            sys.exit(f"check_wasi_p1.py: missing test data {folder} (set ZINC_SHARED)")
        for wasm in sorted(folder.glob("*.wasm")):
            found.append((f"{lang}/{wasm.stem}", wasm))
    return found


def run_one(zinc, memory, components, key, wasm):
    """Runs test `key` (module `wasm`, or its component in folder `components`)."""
    spec_path = wasm.with_suffix(".json")
    spec = json.loads(spec_path.read_text()) if spec_path.exists() else {}
    program = wasm
    if components is not None:
        program = components / f"{key}.wasm"
        error = components / f"{key}.error"
        if error.exists():
            return key, f"cannot adapt: {error.read_text().strip()}"[:300]
        if not program.exists():
            return key, f"no component {program}"
    with tempfile.TemporaryDirectory(prefix="zinc-wasi-") as tmp:
        cmd = [zinc, "run", "--memory", memory]
        dirs = []
        if "root" in spec:
            dirs.append((spec["root"], "/"))
        for d in spec.get("dirs", []):
            dirs.append((d, d))
        for i, (src, guest) in enumerate(dirs):
            host = Path(tmp) / f"d{i}"
            shutil.copytree(wasm.parent / src, host, symlinks=True)
            for junk in host.rglob("*.cleanup"):
                if junk.is_dir() and not junk.is_symlink():
                    shutil.rmtree(junk)
                else:
                    junk.unlink()
            cmd += ["--dir", f"{host}::{guest}"]
        for name, value in spec.get("env", {}).items():
            cmd += ["--env", f"{name}={value}"]
        cmd += [str(program)] + [str(a) for a in spec.get("args", [])]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, cwd=tmp)
        except subprocess.TimeoutExpired:
            return key, f"timed out after {TIMEOUT} s"
    want_code = spec.get("exit_code", 0)
    if proc.returncode != want_code:
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        detail = err[-1] if err else ""
        return key, f"exit code {proc.returncode}, expected {want_code}: {detail}"[:300]
    if "stdout" in spec and proc.stdout.decode(errors="replace") != spec["stdout"]:
        return key, f"stdout {proc.stdout[:100]!r}, expected {spec['stdout'][:100]!r}"
    return key, None


def load_expectations(path):
    expected = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line and not line.startswith("#"):
                key, _, reason = line.partition(" ")
                expected[key] = reason
    return expected


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    zinc = str(Path(sys.argv[1]).resolve())
    update = "--update" in sys.argv
    memory = "guard"
    if "--memory" in sys.argv:
        memory = sys.argv[sys.argv.index("--memory") + 1]
    components = None
    expectations = EXPECTATIONS
    if "--components" in sys.argv:
        components = Path(sys.argv[sys.argv.index("--components") + 1]).resolve()
        expectations = ADAPTED_EXPECTATIONS
        subprocess.run(["node", str(BUILD_ADAPTED), str(components)], check=True)
    expected = load_expectations(expectations)
    results = {}
    jobs = int(os.environ.get("ZINC_JOBS", os.cpu_count() or 2))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for key, failure in pool.map(lambda t: run_one(zinc, memory, components, *t),
                                    tests()):
            results[key] = failure
    failures = {k: v for k, v in results.items() if v is not None}
    if update:
        mode = " --components" if components is not None else ""
        lines = [f"# Known failures of tests/scripts/check_wasi_p1.py{mode}: `lang/test reason`.\n",
                 "# Exact: an unlisted failure or a listed test that passes fails the run.\n"]
        lines += [f"{k} {expected.get(k, failures[k])}\n" for k in sorted(failures)]
        expectations.parent.mkdir(parents=True, exist_ok=True)
        expectations.write_text("".join(lines))
        print(f"{expectations}: {len(failures)} known failures")
        return 0
    bad = 0
    for key in sorted(results):
        failure = results[key]
        if failure is not None and key not in expected:
            print(f"FAIL {key}: {failure}")
            bad += 1
        elif failure is None and key in expected:
            print(f"UNEXPECTED PASS {key} (listed: {expected[key]})")
            bad += 1
    for key in sorted(set(expected) - set(results)):
        print(f"STALE {key}: listed but no such test")
        bad += 1
    passed = sum(1 for v in results.values() if v is None)
    listed = sum(1 for k in failures if k in expected)
    what = "as adapted components" if components is not None else "as modules"
    print(f"wasi-testsuite wasm32-wasip1 {what}: {len(results)} tests, {passed} passed, "
          f"{len(failures)} failed ({listed} listed as expected); {bad} unexpected results")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
