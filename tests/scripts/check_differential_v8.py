#!/usr/bin/env python3
"""tests/scripts/check_differential_v8.py ZINC [CACHE_DIR]: zinc's verdicts against V8's.

Done-when check of issue 3: on the generated corpus (corpus.py: Wasm 2.0 modules, modules with
--enable-reference-types, which Debian's binaryen 108 sometimes makes invalid, and the mutants),
`zinc validate` must give the same valid/invalid verdict as `WebAssembly.validate` in Node's V8.
Zinc accepting what V8 rejects is always a failure. Zinc rejecting what V8 accepts is allowed
only when V8 accepted a feature newer than Wasm 2.0; the reason is found automatically and
printed per case:
  - tail calls: V8 rejects the module when run with --no-experimental-wasm-return-call;
  - exception handling (on in Node 20 without a flag): the module has a tag section (id 13), or
    zinc's error points at an exception-handling opcode (try, catch, throw, rethrow, delegate,
    catch_all) that it reports as illegal.
Any other disagreement fails the test.
"""

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import zinc_checks as zc  # noqa: E402

NODE = "node"
V8_JS = Path(__file__).resolve().parent / "v8_validate.js"
EH_OPCODES = {0x06: "try", 0x07: "catch", 0x08: "throw", 0x09: "rethrow", 0x18: "delegate",
              0x19: "catch_all"}
TAG_SECTION_ID = 13


def v8_verdicts(files, flags=()):
    """{file: (valid, message)} from one node process per 2,000 files."""
    result = {}
    for i in range(0, len(files), 2000):
        chunk = files[i:i + 2000]
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as lst:
            lst.write("".join(f"{f}\n" for f in chunk))
            lst.flush()
            proc = subprocess.run([NODE, *flags, str(V8_JS), lst.name], capture_output=True,
                                  text=True, timeout=600)
        if proc.returncode != 0:
            zc.die(f"node failed ({zc.describe_exit(proc.returncode)}): {proc.stderr[-1000:]}")
        by_name = {str(f): f for f in chunk}
        for line in proc.stdout.splitlines():
            verdict, _, rest = line.partition(" ")
            name, _, message = rest.partition("\t")
            result[by_name[name]] = (verdict == "valid", message)
        if not all(f in result for f in chunk):
            zc.die("node printed no verdict for some files")
    return result


def read_leb_u32(data, pos):
    value, shift = 0, 0
    while pos < len(data) and shift < 35:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos
    return None, pos


def section_ids(data):
    """Top-level section ids, as far as the framing is well formed."""
    ids, pos = [], 8
    while pos < len(data):
        sid = data[pos]
        size, pos = read_leb_u32(data, pos + 1)
        if size is None or pos + size > len(data):
            break
        ids.append(sid)
        pos += size
    return ids


def explain(path, zinc_verdict, tail_call_rejects):
    """Why V8 accepts a module zinc rejects, or None when no newer-feature reason is found."""
    if path in tail_call_rejects:
        v8_message = tail_call_rejects[path].replace("WebAssembly.Module(): ", "")
        return f"tail calls (V8 rejects with --no-experimental-wasm-return-call: {v8_message})"
    data = path.read_bytes()
    if TAG_SECTION_ID in section_ids(data):
        return "exception handling (module has a tag section, id 13)"
    off = zinc_verdict.offset
    if "illegal opcode" in zinc_verdict.text and 0 <= off < len(data) and data[off] in EH_OPCODES:
        return f"exception handling (opcode {EH_OPCODES[data[off]]} 0x{data[off]:02x} at 0x{off:x})"
    return None


def main():
    if len(sys.argv) not in (2, 3):
        zc.die("usage: check_differential_v8.py ZINC [CACHE_DIR]")
    zinc = zc.require_file(sys.argv[1], "zinc binary")
    work = zc.default_work_dir(sys.argv[2] if len(sys.argv) == 3 else None, "corpus")
    zc.require_tool("wasm-opt")
    zc.require_tool(NODE)
    c = corpus.ensure_corpus(work)
    groups = {f: g for g in ("plain", "reftypes", "mutants") for f in c[g]}
    files = list(groups)

    zinc_v = zc.validate_files(zinc, files)
    v8_v = v8_verdicts(files)
    zinc_rejects_v8_accepts = [f for f in files
                               if zinc_v[f].kind == "invalid" and v8_v[f][0]]
    no_tail = v8_verdicts(zinc_rejects_v8_accepts, ["--no-experimental-wasm-return-call"])
    tail_call_rejects = {f: m for f, (ok, m) in no_tail.items() if not ok}

    table = Counter()
    failures, explained = [], []
    for f in files:
        g, z, (v8_ok, v8_msg) = groups[f], zinc_v[f], v8_v[f]
        if z.kind == "crash":
            table[(g, "zinc crashed")] += 1
            failures.append(f"{f}: zinc crashed: {z.message}")
        elif z.kind == "valid" and v8_ok:
            table[(g, "agree: valid")] += 1
        elif z.kind == "invalid" and not v8_ok:
            table[(g, "agree: invalid")] += 1
        elif z.kind == "valid":
            table[(g, "zinc accepts, V8 rejects")] += 1
            failures.append(f"{f}: zinc accepts, V8 rejects: {v8_msg}")
        elif z.kind == "invalid":
            reason = explain(f, z, tail_call_rejects)
            if reason:
                table[(g, "explained: " + reason.split(" (")[0])] += 1
                explained.append(f"{f}: zinc rejects ({z.message}); V8 accepts: {reason}")
            else:
                table[(g, "zinc rejects, V8 accepts (unexplained)")] += 1
                failures.append(f"{f}: zinc rejects ({z.message}), V8 accepts; no newer-feature "
                                "reason found")
        else:
            table[(g, f"zinc says {z.kind}")] += 1
            failures.append(f"{f}: unexpected zinc verdict {z.kind}: {z.message}")

    for line in explained:
        print("EXPLAINED", line)
    for line in failures[:150]:
        print("FAIL", line)
    if len(failures) > 150:
        print(f"... and {len(failures) - 150} more failures")
    print(f"\n{'group':10} {'outcome':48} {'count':>6}")
    for (g, outcome), n in sorted(table.items()):
        print(f"{g:10} {outcome:48} {n:6}")
    version = subprocess.run([NODE, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\n{len(files)} modules compared with V8 (node {version}): "
          f"{len(explained)} explained disagreements, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
