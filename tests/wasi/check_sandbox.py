#!/usr/bin/env python3
"""tests/wasi/check_sandbox.py ZINC [--component DIR]: a hostile WASI guest cannot leave its
preopen (issue 5; issue 8 through Preview 2).

Builds a scratch tree: `secret` (outside) and `sandbox/` (preopened as /sandbox) holding
`inside.txt`, `sub/`, and symlinks planted to tempt the guest (`link-out -> ../secret`,
`link-abs -> <absolute path of secret>`, `chain1 -> chain2 -> ../..`). Runs
tests/wasi/guest/sandbox_escape.wasm (built from sandbox_escape.c with clang-19 + wasi-libc),
which tries reading, writing, creating, linking, renaming and removing through `..`,
absolute paths, symlinks and trailing slashes. Passes when the guest reports every attempt
blocked, can still use the inside, and nothing outside the sandbox changed.

With --component DIR the same guest runs as a WASI Preview 2 command component (made in DIR
by tests/wasi/p2/adapt.mjs with jco's command adapter, which needs Node.js), so every attempt
goes through wasi:filesystem instead of wasi_snapshot_preview1.
"""

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GUEST = HERE / "guest" / "sandbox_escape.wasm"


def snapshot(root, skip):
    """Every path under root except `skip`, with file contents' hashes."""
    state = {}
    for p in sorted(root.rglob("*")):
        if skip in p.parents or p == skip:
            continue
        if p.is_symlink():
            state[str(p)] = "link:" + str(p.readlink())
        elif p.is_file():
            state[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            state[str(p)] = "dir"
    return state


def main():
    zinc = sys.argv[1]
    guest = GUEST
    if len(sys.argv) == 4 and sys.argv[2] == "--component":
        guest = Path(sys.argv[3]) / "sandbox_escape.component.wasm"
        subprocess.run(["node", str(HERE / "p2" / "adapt.mjs"), str(GUEST), str(guest)],
                       check=True, timeout=300)
    elif len(sys.argv) != 2:
        sys.exit("usage: check_sandbox.py ZINC [--component DIR]")
    with tempfile.TemporaryDirectory(prefix="zinc-sandbox-") as tmp:
        root = Path(tmp)
        secret = root / "secret"
        secret.write_text("top secret\n")
        sandbox = root / "sandbox"
        (sandbox / "sub").mkdir(parents=True)
        (sandbox / "inside.txt").write_text("inside\n")
        (sandbox / "link-out").symlink_to("../secret")
        (sandbox / "link-abs").symlink_to(secret)
        (sandbox / "chain1").symlink_to("chain2")
        (sandbox / "chain2").symlink_to("../..")
        before = snapshot(root, sandbox)
        proc = subprocess.run([zinc, "run", "--dir", f"{sandbox}::/sandbox", str(guest),
                               str(secret)], capture_output=True, text=True, timeout=60)
        after = snapshot(root, sandbox)
        print(proc.stdout, end="")
        failed = False
        if proc.returncode != 0 or "ESCAPED" in proc.stdout:
            print(f"FAIL: guest exit {proc.returncode}; stderr: {proc.stderr.strip()}")
            failed = True
        if before != after:
            print("FAIL: the host tree outside the sandbox changed:")
            for k in sorted(set(before) | set(after)):
                if before.get(k) != after.get(k):
                    print(f"  {k}: {before.get(k)} -> {after.get(k)}")
            failed = True
        if secret.read_text() != "top secret\n":
            print("FAIL: the secret was modified")
            failed = True
        print("sandbox: " + ("FAILED" if failed else "every escape attempt was blocked"))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
