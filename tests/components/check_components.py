#!/usr/bin/env python3
"""tests/components/check_components.py ZINC OUTDIR [API_TESTS]: real components vs Node.js.

Makes the components of tests/components (build.mjs: a C program through clang-19 and
`jco embed`/`jco new`, a JavaScript module through componentize-js), then runs every case of
cases.json both with `ZINC run --invoke` and in Node.js through jco's transpiled bindings
(reference.mjs), and requires identical output. With API_TESTS (the component_api_tests
binary), also runs its hidden `[jscomponent]` test on the JavaScript component (a resource
created, borrowed and dropped from the host).

The npm tools are installed into tests/components/node_modules from package-lock.json when
missing (`npm ci`; the npm registry is the one network source the project uses).
"""

import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    zinc, out = sys.argv[1], Path(sys.argv[2])
    # One install at a time: tests/wasi/p2 (npm_tools.mjs) takes the same lock for these tools.
    with open(Path(tempfile.gettempdir()) / "zinc-npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (HERE / "node_modules" / "@bytecodealliance" / "jco").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    subprocess.run(["node", str(HERE / "build.mjs"), str(out)], check=True)
    cases = json.loads((HERE / "cases.json").read_text())
    ref = subprocess.run(["node", str(HERE / "reference.mjs"), str(out), str(HERE / "cases.json")],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    failures = 0
    for case, want in zip(cases, ref):
        proc = subprocess.run([zinc, "run", "--invoke", case["invoke"],
                               str(out / f"{case['component']}.wasm")],
                              capture_output=True, text=True, timeout=120)
        got = proc.stdout.strip() if proc.returncode == 0 else f"error: {proc.stderr.strip()}"
        if got != want:
            failures += 1
            print(f"FAIL {case['component']}: {case['invoke']}\n  zinc: {got}\n  node: {want}")
    if len(ref) != len(cases):
        failures += 1
        print(f"FAIL reference produced {len(ref)} results for {len(cases)} cases")
    if len(sys.argv) == 4:
        env = dict(os.environ, ZINC_JS_COMPONENT=str(out / "js-demo.wasm"))
        if subprocess.run([sys.argv[3], "[jscomponent]"], env=env).returncode != 0:
            failures += 1
            print("FAIL the [jscomponent] API test")
    print(f"{len(cases) - failures} of {len(cases)} real-component cases match Node.js")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
