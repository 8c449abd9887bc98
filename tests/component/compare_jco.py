#!/usr/bin/env python3
"""tests/component/compare_jco.py: component/text's encoder against wasm-tools (as shipped in jco).

Every text or quote component of the given WAST files is written out by ctext_dump (with our
encoding), encoded again with `jco parse` (= `wasm-tools parse`), and the two binaries are
compared after removing custom sections (wasm-tools adds `name`/`component-name` sections for
identifiers; Zinc's encoder writes none) from the component and from every nested component and
core module. Reports the number of byte-identical encodings and lists the others.

usage: compare_jco.py [--dump build/tests/ctext_dump] [--jco tests/components/node_modules/.bin/jco]
                      [-v] [WAST_OR_DIR ...]
(default: ../shared/component-model-tests/{values,resources,linking,validation,binary})
"""
import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUITES = ["values", "resources", "linking", "validation", "binary"]


def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def enc_leb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def strip(data):
    """The binary without custom sections, recursively; sizes re-encoded minimally."""
    if len(data) < 8:
        return data
    component = data[4:8] != b"\x01\x00\x00\x00"
    out = bytearray(data[:8])
    i = 8
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        body = data[j:j + size]
        i = j + size
        if sid == 0:
            continue
        if component and sid in (1, 4):
            body = strip(body)
        out.append(sid)
        out += enc_leb(len(body))
        out += body
    return bytes(out)


def jco_parse(jco, wat, wasm):
    r = subprocess.run([jco, "parse", wat, "-o", wasm], capture_output=True, text=True)
    return r.returncode == 0 and os.path.exists(wasm), (r.stderr or r.stdout).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", default=os.path.join(ROOT, "build", "tests", "ctext_dump"))
    ap.add_argument("--jco", default=os.path.join(ROOT, "tests", "components", "node_modules",
                                                  ".bin", "jco"))
    ap.add_argument("-v", action="store_true", help="show every difference")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    paths = args.paths or [os.path.join(ROOT, "..", "shared", "component-model-tests", s)
                           for s in SUITES]
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".wast"))
        else:
            files.append(p)

    counts = {"identical": 0, "different": 0, "both reject": 0, "only zinc rejects": 0,
              "only jco rejects": 0}
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for n, f in enumerate(files):
            out = os.path.join(tmp, str(n))
            os.makedirs(out)
            r = subprocess.run([args.dump, f, out], capture_output=True, text=True)
            if r.returncode != 0:
                notes.append(f"{f}: script not parsed: {r.stderr.strip()}")
                continue
            for line in r.stdout.splitlines():
                k, src_line, kind = line.split()
                jobs.append((f, int(src_line), kind, os.path.join(out, k)))

        def run(job):
            f, line, kind, base = job
            ok, msg = jco_parse(args.jco, base + ".wat", base + ".jco.wasm")
            return job, ok, msg

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(run, jobs))
        for (f, line, kind, base), jco_ok, msg in results:
            where = f"{os.path.relpath(f, ROOT)}:{line} ({kind})"
            ours_ok = os.path.exists(base + ".wasm")
            if ours_ok and jco_ok:
                a = strip(open(base + ".wasm", "rb").read())
                b = strip(open(base + ".jco.wasm", "rb").read())
                if a == b:
                    counts["identical"] += 1
                else:
                    counts["different"] += 1
                    at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                              min(len(a), len(b)))
                    notes.append(f"{where}: bytes differ at offset {at} "
                                 f"(zinc {len(a)} bytes, jco {len(b)})")
            elif not ours_ok and not jco_ok:
                counts["both reject"] += 1
            elif not ours_ok:
                counts["only zinc rejects"] += 1
                notes.append(f"{where}: zinc: {open(base + '.err').read().strip()}")
            else:
                counts["only jco rejects"] += 1
                notes.append(f"{where}: jco: {msg.splitlines()[0] if msg else '?'}")

    total = sum(counts.values())
    for n in notes if args.v else notes[:40]:
        print(n)
    print(f"{total} components: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0 if counts["different"] == 0 and counts["only zinc rejects"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
