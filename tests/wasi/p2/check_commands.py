#!/usr/bin/env python3
"""tests/wasi/p2/check_commands.py ZINC OUTDIR: WASI Preview 2 command components vs Node.js.

Builds the command components of build_commands.mjs into OUTDIR (a C program adapted by jco's
command adapter, a JavaScript program componentized by componentize-js; cached), then runs
every case of cases.json with `ZINC run` and with Node.js (node_run.mjs: jco's transpiled
component on its preview2-shim, configured the same way) and requires the same exit status,
stdout, stderr and files left in the preopened directory. A case has `args`, `env` (exactly
the guest's environment), optional `files` (created in a fresh directory preopened as /data),
optional `stdin`, and `exit`, the status Node must give (a check of the reference itself).

The npm tools come from tests/components (installed there by `npm ci` when missing). Exit
status 0 when every case matches.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPONENTS = ("c-hello", "js-cli")
TIMEOUT = 300


def run_case(cmd, case, tmp):
    """Runs `cmd` (everything up to the component) on a fresh copy of the case's files."""
    data = Path(tmp) / "data"
    options = []
    if "files" in case:
        data.mkdir()
        for name, text in case["files"].items():
            (data / name).write_text(text)
        options += ["--dir", f"{data}::/data"]
    for name, value in case["env"].items():
        options += ["--env", f"{name}={value}"]
    try:
        proc = subprocess.run(cmd[:-1] + options + cmd[-1:] + case["args"],
                              input=case.get("stdin", "").encode(), capture_output=True,
                              timeout=TIMEOUT, cwd=tmp)
    except subprocess.TimeoutExpired:
        return {"timeout": TIMEOUT}
    files = {}
    if data.is_dir():
        files = {str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*"))
                 if p.is_file()}
    return {"exit": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
            "files": files}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    zinc, out = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
    subprocess.run(["node", str(HERE / "build_commands.mjs"), str(out)], check=True)
    cases = json.loads((HERE / "cases.json").read_text())
    failures = total = 0
    for component in COMPONENTS:
        path = str(out / f"{component}.wasm")
        for case in cases:
            total += 1
            label = f"{component} {case['name']}"
            with tempfile.TemporaryDirectory(prefix="zinc-p2-node-") as tmp:
                node = run_case(["node", str(HERE / "node_run.mjs"), path], case, tmp)
            with tempfile.TemporaryDirectory(prefix="zinc-p2-zinc-") as tmp:
                got = run_case([zinc, "run", path], case, tmp)
            if node.get("exit") != case["exit"] or b"argc" not in node.get("stdout", b""):
                failures += 1
                print(f"FAIL {label}: the Node.js reference itself gave {node}")
                continue
            diffs = [k for k in ("exit", "stdout", "stderr", "files") if got.get(k) != node[k]]
            if diffs:
                failures += 1
                print(f"FAIL {label}: {', '.join(diffs)} differ")
                for k in diffs:
                    print(f"  zinc {k}: {got.get(k, got)!r}"[:2000])
                    print(f"  node {k}: {node[k]!r}"[:2000])
    print(f"check_commands.py: {total - failures} of {total} command-component runs match "
          f"Node.js")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
