"""tests/scripts/corpus.py: the generated module corpus shared by the random-module checks.

Owns: generating, deterministically, (1) 1,000 modules with binaryen's `wasm-opt -ttf` from
seeds 0..999 with the Wasm 2.0 feature flags of issue 3, (2) 1,000 more with
--enable-reference-types added, (3) mutants (bit flips, byte overwrites, truncations) of a fixed
sample of both. Seed i's input is bytes from random.Random(i), so the corpus is the same on every
machine with the same wasm-opt. The corpus is cached under the given directory (the build dir)
with a stamp naming the generator parameters; concurrent tests take a file lock.
"""

import fcntl
import random
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

NUM_SEEDS = 1000
GENERATOR_VERSION = 3  # bump when anything below changes the corpus
BASE_FLAGS = ["--enable-nontrapping-float-to-int", "--enable-sign-ext",
              "--enable-mutable-globals", "--enable-bulk-memory", "--enable-multivalue",
              "--enable-simd"]
SETS = {"plain": BASE_FLAGS, "reftypes": BASE_FLAGS + ["--enable-reference-types"]}
MUTANT_SAMPLE = {"plain": 200, "reftypes": 60}  # modules per set that get mutants
MUTANTS_PER_MODULE = 8


def _seed_bytes(seed):
    rng = random.Random(seed)
    size = rng.choice((512, 1024, 2048, 4096, 8192, 16384))
    return rng.randbytes(size)


def _wasm_opt_version():
    out = subprocess.run(["wasm-opt", "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _generate_one(set_name, flags, seed, out_dir):
    dat = out_dir / f"{set_name}-{seed:04d}.dat"
    wasm = out_dir / f"{set_name}-{seed:04d}.wasm"
    dat.write_bytes(_seed_bytes(seed))
    proc = subprocess.run(["wasm-opt", "-ttf", str(dat), "-o", str(wasm), *flags],
                          capture_output=True, text=True, timeout=120)
    dat.unlink()
    if proc.returncode != 0 or not wasm.exists():
        raise RuntimeError(f"wasm-opt failed for {set_name} seed {seed}: {proc.stderr[-500:]}")
    return wasm


def mutate(data, rng, kind):
    """One mutant of `data`. Positions avoid the 8-byte preamble most of the time, since a broken
    preamble only exercises one check."""
    b = bytearray(data)
    lo = 8 if len(b) > 9 and rng.random() < 0.95 else 0
    if kind == "flip1":
        i = rng.randrange(lo, len(b))
        b[i] ^= 1 << rng.randrange(8)
    elif kind == "flipn":
        for _ in range(rng.randint(2, 6)):
            i = rng.randrange(lo, len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "byte":
        b[rng.randrange(lo, len(b))] = rng.choice((0x00, 0x7f, 0x80, 0xff, rng.randrange(256)))
    elif kind == "truncate":
        del b[rng.randrange(0, len(b)):]
    else:
        raise ValueError(kind)
    return bytes(b)


MUTANT_KINDS = ["flip1", "flip1", "flip1", "flipn", "byte", "byte", "truncate", "truncate"]


def _make_mutants(modules, out_dir):
    paths = []
    for set_name, count in MUTANT_SAMPLE.items():
        sample = modules[set_name][::NUM_SEEDS // count][:count]
        for src in sample:
            rng = random.Random(f"mutant:{src.name}")
            data = src.read_bytes()
            for k, kind in enumerate(MUTANT_KINDS[:MUTANTS_PER_MODULE]):
                dst = out_dir / f"{src.stem}-m{k}-{kind}.wasm"
                dst.write_bytes(mutate(data, rng, kind))
                paths.append(dst)
    return paths


def ensure_corpus(cache_dir, jobs=2):
    """Returns {'plain': [...], 'reftypes': [...], 'mutants': [...]} (lists of Paths)."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    stamp_text = (f"generator {GENERATOR_VERSION}; {_wasm_opt_version()}; seeds {NUM_SEEDS}; "
                  f"sets {SETS}; mutants {MUTANT_SAMPLE} x {MUTANTS_PER_MODULE}\n")
    with open(cache_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = cache_dir / "stamp.txt"
        mod_dir, mut_dir = cache_dir / "modules", cache_dir / "mutants"
        modules = {s: [mod_dir / f"{s}-{i:04d}.wasm" for i in range(NUM_SEEDS)] for s in SETS}
        if stamp.exists() and stamp.read_text() == stamp_text:
            mutants = sorted(mut_dir.glob("*.wasm"))
            if all(p.exists() for ps in modules.values() for p in ps) and mutants:
                return {**modules, "mutants": mutants}
        stamp.unlink(missing_ok=True)
        for d in (mod_dir, mut_dir):
            d.mkdir(exist_ok=True)
            for old in d.iterdir():
                old.unlink()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_generate_one, s, flags, i, mod_dir)
                       for s, flags in SETS.items() for i in range(NUM_SEEDS)]
            for f in futures:
                f.result()
        mutants = _make_mutants(modules, mut_dir)
        stamp.write_text(stamp_text)
        return {**modules, "mutants": mutants}
