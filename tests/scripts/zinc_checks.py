"""tests/scripts/zinc_checks.py: helpers shared by the module-corpus check scripts.

Owns: locating the shared test data ($ZINC_SHARED, default <repo>/../shared), running
`zinc validate` over batches of files with a time bound, and turning its output into one verdict
per file. A batch that crashes or hangs is rerun file by file so the failure names the file.

Contract with cli/validate.cc: one line per file, `FILE: valid` (stdout),
`FILE: 0xOFFSET: message` (stderr), `FILE: WebAssembly component ...` (stderr); exit 0 all
valid, 1 some file invalid, 3 some file a component and none invalid. Any other exit (a signal,
an abort, a timeout) is a crash.
"""

import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_COMPONENT = 3
NORMAL_EXITS = (EXIT_OK, EXIT_INVALID, EXIT_COMPONENT)

# Per-file time bound: zinc validates MB/s; one generated module taking seconds is a hang.
PER_FILE_TIMEOUT = 10.0


def die(message):
    print(f"FATAL: {message}", file=sys.stderr)
    sys.exit(1)


def shared_dir():
    """The shared data directory; exits loudly when it is missing."""
    path = Path(os.environ.get("ZINC_SHARED", REPO_ROOT.parent / "shared")).resolve()
    if not path.is_dir():
        die(f"shared test data not found at {path} (set ZINC_SHARED)")
    return path


def require_tool(name):
    """Exits loudly when a tool the check needs is not on PATH."""
    import shutil
    if not shutil.which(name):
        die(f"required tool '{name}' not found on PATH")
    return name


def require_file(path, what):
    if not Path(path).exists():
        die(f"{what} not found: {path}")
    return Path(path)


@dataclass
class Verdict:
    kind: str  # 'valid', 'invalid', 'component', 'crash'
    message: str = ""  # error message without the file prefix ('0xOFF: text'), or crash details
    offset: int = -1

    @property
    def text(self):
        """The error text after '0xOFFSET: '."""
        m = re.match(r"0x[0-9a-fA-F]+: (.*)$", self.message)
        return m.group(1) if m else self.message


def describe_exit(rc):
    if rc is None:
        return "timeout (hang)"
    if rc < 0:
        try:
            return f"killed by signal {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit code {rc}"


def _run(zinc, files, timeout):
    """Runs `zinc validate FILES` in its own process group, killed whole on timeout.
    Returns (exit code or None on timeout, stdout, stderr)."""
    proc = subprocess.Popen([str(zinc), "validate", *map(str, files)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, "", ""
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _parse(files, rc, out, err):
    """Maps each file to its verdict from one normal run; None if the output is inconsistent."""
    lines = out.splitlines() + err.splitlines()
    verdicts = {}
    by_name = {str(f): f for f in files}
    for line in lines:
        # File names never contain ': ' here (generated or repository paths).
        name, sep, rest = line.partition(": ")
        if not sep or name not in by_name:
            continue
        f = by_name[name]
        if rest == "valid":
            v = Verdict("valid")
        elif rest.startswith("WebAssembly component"):
            v = Verdict("component", rest)
        else:
            m = re.match(r"0x([0-9a-fA-F]+): ", rest)
            v = Verdict("invalid", rest, int(m.group(1), 16) if m else -1)
        if f in verdicts:
            return None  # two lines for one file: not the contract
        verdicts[f] = v
    if set(verdicts) != set(files):
        return None
    kinds = {v.kind for v in verdicts.values()}
    expected_rc = (EXIT_INVALID if "invalid" in kinds else
                   EXIT_COMPONENT if "component" in kinds else EXIT_OK)
    if rc != expected_rc:
        return None
    return verdicts


def validate_files(zinc, files, batch_size=200):
    """Returns {file: Verdict} for every file. A batch that crashes, hangs or breaks the CLI
    output contract is rerun one file at a time; the culprit gets kind 'crash'."""
    files = list(files)
    result = {}
    for i in range(0, len(files), batch_size):
        result.update(_validate_batch(zinc, files[i:i + batch_size]))
    return result


def _validate_batch(zinc, files):
    if not files:
        return {}
    if len(files) > 1:
        # A normal batch takes well under a second; the bound only catches hangs.
        rc, out, err = _run(zinc, files, 30.0 + 0.2 * len(files))
        if rc in NORMAL_EXITS:
            verdicts = _parse(files, rc, out, err)
            if verdicts is not None:
                return verdicts
        # A crash, hang or broken output: rerun one file at a time to name the culprit(s).
        result = {}
        for f in files:
            result.update(_validate_batch(zinc, [f]))
        return result
    rc, out, err = _run(zinc, files, PER_FILE_TIMEOUT)
    if rc in NORMAL_EXITS:
        verdicts = _parse(files, rc, out, err)
        if verdicts is not None:
            return verdicts
        detail = f"output breaks the CLI contract ({describe_exit(rc)}): {(out + err)[:300]!r}"
    else:
        detail = f"{describe_exit(rc)}; stderr: {err[-300:]!r}"
    return {files[0]: Verdict("crash", detail)}


def is_component(path):
    with open(path, "rb") as f:
        head = f.read(8)
    return head == b"\0asm\x0d\x00\x01\x00"


def default_work_dir(argv_value, name):
    """The cache/work directory given on the command line, or a fresh temporary one."""
    import tempfile
    if argv_value:
        p = Path(argv_value) / name
        p.mkdir(parents=True, exist_ok=True)
        return p
    return Path(tempfile.mkdtemp(prefix=f"zinc-{name}-"))
