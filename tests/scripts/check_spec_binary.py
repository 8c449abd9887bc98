#!/usr/bin/env python3
"""tests/scripts/check_spec_binary.py ZINC [WORK_DIR] [--update]: spec-suite binary checks.

Converts each $ZINC_SHARED/wasm-testsuite-2.0/*.wast with wabt's `wast2json --no-check` (so
invalid modules are emitted) and checks every binary with `zinc validate`:
  module, assert_unlinkable, assert_uninstantiable, assert_trap on a module  -> must be valid
  assert_invalid                            -> rejected, message starts with the expected text
  assert_malformed with module_type binary  -> rejected, message starts with the expected text
Text-format assert_malformed cases belong to the text parser and are skipped. A file wast2json
cannot convert as a whole is converted one top-level command at a time; a command it still
cannot convert counts as a failure 'wast2json: ...'.

Expected failures live in expectations/spec-binary.txt as `file.wast:LINE reason` lines (the
line of the command in the .wast). An unlisted failure fails the test and so does a listed case
that passes: the file must be exact. --update rewrites it from the current failures.
Conversions are cached in WORK_DIR (else a temporary directory), keyed by the .wast contents
and the wast2json version.
"""

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wast_split  # noqa: E402
import zinc_checks as zc  # noqa: E402

EXPECTATIONS = Path(__file__).resolve().parent / "expectations" / "spec-binary.txt"
MUST_VALIDATE = ("module", "assert_unlinkable", "assert_uninstantiable", "assert_trap")
ACTION_PREFIXES = ("(assert_return", "(assert_exhaustion", "(assert_trap (invoke",
                   "(assert_trap (get", "(invoke", "(get", "(register")


def wast2json(src, out_json):
    """Runs wast2json; returns '' on success or its first error line."""
    proc = subprocess.run(["wast2json", "--no-check", str(src), "-o", str(out_json)],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode == 0:
        return ""
    if proc.returncode < 0:
        return f"wast2json crashed ({zc.describe_exit(proc.returncode)})"
    err = (proc.stderr or proc.stdout or f"exit {proc.returncode}").strip().splitlines()
    msg = err[0] if err else f"exit {proc.returncode}"
    return re.sub(r"^.*?\.wast:\d+:\d+: (error: )?", "", msg)[:120] or "failed"


def convert(wast, out_dir):
    """Converts one .wast into out_dir; returns (commands, failures) where commands are the JSON
    command dicts (filename made absolute) and failures maps line -> wast2json error."""
    out_dir.mkdir(parents=True, exist_ok=True)
    whole = out_dir / f"{wast.stem}.json"
    if not wast2json(wast, whole):
        return _load(whole), {}
    # Command by command, padded with newlines so wast2json reports the original line numbers.
    text = wast.read_bytes().decode("latin-1")
    commands, failures = [], {}
    for k, (line, cmd) in enumerate(wast_split.split_commands(text)):
        if cmd.startswith(ACTION_PREFIXES):
            continue
        piece = out_dir / f"cmd{k}.wast"
        piece.write_bytes(("\n" * (line - 1) + cmd + "\n").encode("latin-1"))
        err = wast2json(piece, out_dir / f"cmd{k}.json")
        if err:
            failures[line] = err
        else:
            commands += _load(out_dir / f"cmd{k}.json")
    return commands, failures


def _load(json_path):
    commands = json.loads(json_path.read_text())["commands"]
    for c in commands:
        if "filename" in c:
            c["filename"] = str(json_path.parent / c["filename"])
    return commands


def cached_convert(wast, work):
    version = subprocess.run(["wast2json", "--version"], capture_output=True,
                             text=True).stdout.strip()
    key = hashlib.sha256(wast.read_bytes() + version.encode()).hexdigest()[:16]
    out_dir = work / wast.stem
    stamp = out_dir / "converted.json"
    if stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("key") == key:
            return saved["commands"], {int(k): v for k, v in saved["failures"].items()}
    if out_dir.exists():
        for old in out_dir.iterdir():
            old.unlink()
    commands, failures = convert(wast, out_dir)
    stamp.write_text(json.dumps({"key": key, "commands": commands, "failures": failures}))
    return commands, failures


def read_expectations():
    expected = {}
    if not EXPECTATIONS.exists():
        return expected
    for raw in EXPECTATIONS.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, reason = line.partition(" ")
        if not re.fullmatch(r"[\w.+-]+\.wast:\d+", key):
            zc.die(f"bad expectations line: {raw!r}")
        expected[key] = reason
    return expected


def check_command(c, v):
    """'' when zinc's verdict meets the command, else why not."""
    t = c["type"]
    if t in MUST_VALIDATE:
        return "" if v.kind == "valid" else f"{t}: expected valid, got {v.kind}: {v.message}"
    want = c["text"]
    if v.kind != "invalid":
        return f"{t}: expected '{want}', got {v.kind}"
    if not message_matches(v.text, want):
        artifact = ""
        if (t == "assert_invalid" and v.text.startswith("data count section required")
                and not has_data_count_section(Path(c["filename"]).read_bytes())):
            artifact = "wabt's binary lacks the data count section (malformed before invalid): "
        return f"{artifact}{t}: expected '{want}', got '{v.text}'"
    return ""


def has_data_count_section(data):
    """Whether the well-framed prefix of a binary has a data count section (id 12)."""
    pos = 8
    while pos < len(data):
        sid, size, shift, pos = data[pos], 0, 0, pos + 1
        while pos < len(data) and shift < 35:
            size |= (data[pos] & 0x7F) << shift
            shift, pos = shift + 7, pos + 1
            if not data[pos - 1] & 0x80:
                break
        if sid == 12:
            return True
        pos += size
    return False


def message_matches(got, want):
    """The spec runner's rule: zinc's message starts with the expected text. Zinc puts indices in
    a detail after ': ', so 'unknown function 7' also matches 'unknown function: ... 7 ...'."""
    if got.startswith(want):
        return True
    m = re.fullmatch(r"(.*\D) (\d+)", want)
    return bool(m and got.startswith(m.group(1) + ":")
                and re.search(rf"(?<!\d){m.group(2)}(?!\d)", got[len(m.group(1)):]))


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:]
    if len(args) not in (1, 2):
        zc.die("usage: check_spec_binary.py ZINC [WORK_DIR] [--update]")
    zinc = zc.require_file(args[0], "zinc binary")
    work = zc.default_work_dir(args[1] if len(args) == 2 else None, "spec-binary")
    zc.require_tool("wast2json")
    wasts = sorted((zc.shared_dir() / "wasm-testsuite-2.0").glob("*.wast"))
    if len(wasts) < 100:
        zc.die(f"wasm-testsuite-2.0 looks incomplete: {len(wasts)} .wast files")

    checks = []  # (key, command)
    failures = {}  # key -> reason
    stats = Counter()
    for wast in wasts:
        commands, conv_failures = cached_convert(wast, work)
        for line, err in conv_failures.items():
            failures[f"{wast.name}:{line}"] = f"wast2json: {err}"
            stats["not converted by wast2json"] += 1
        for c in commands:
            t = c["type"]
            if "filename" not in c or t not in MUST_VALIDATE + ("assert_invalid",
                                                                "assert_malformed"):
                continue
            if c.get("module_type") == "text" or not c["filename"].endswith(".wasm"):
                stats[f"{t} (text, skipped)"] += 1
                continue
            checks.append((f"{wast.name}:{c['line']}", c))

    verdicts = zc.validate_files(zinc, [c["filename"] for _, c in checks])
    for key, c in checks:
        problem = check_command(c, verdicts[c["filename"]])
        stats[f"{c['type']} {'ok' if not problem else 'FAILED'}"] += 1
        if problem and key not in failures:
            failures[key] = problem

    expected = read_expectations()
    if update:
        EXPECTATIONS.write_text(
            "# Expected failures of check_spec_binary.py: `file.wast:LINE reason`.\n"
            "# Exact: an unlisted failure or a listed case that passes fails the test.\n"
            + "".join(f"{k} {failures[k]}\n" for k in sorted(failures, key=_sort_key)))
        print(f"wrote {len(failures)} expectations to {EXPECTATIONS}")
        expected = dict(failures)
    unexpected = sorted(set(failures) - set(expected), key=_sort_key)
    fixed = sorted(set(expected) - set(failures), key=_sort_key)

    by_file = defaultdict(int)
    for k in failures:
        by_file[k.split(":")[0]] += 1
    for k in unexpected:
        print(f"UNEXPECTED FAILURE {k} {failures[k]}")
    for k in fixed:
        print(f"UNEXPECTED PASS {k} (listed: {expected[k]}); remove it from {EXPECTATIONS.name}")
    print(f"\n{len(wasts)} .wast files, {len(checks)} binaries checked with zinc")
    for k, n in sorted(stats.items()):
        print(f"  {k:40} {n:6}")
    print(f"failures: {len(failures)} ({len(failures) - len(unexpected)} expected) in "
          f"{len(by_file)} files; unexpected failures {len(unexpected)}, "
          f"unexpected passes {len(fixed)}")
    return 1 if unexpected or fixed else 0


def _sort_key(key):
    name, _, line = key.rpartition(":")
    return name, int(line)


if __name__ == "__main__":
    sys.exit(main())
