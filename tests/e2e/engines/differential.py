#!/usr/bin/env python3
"""Differential test of the two execution engines: every WASI guest program (tests/guests) runs
under `bantam run --engine interp` and `--engine compiled` with the same arguments, input and
fresh pre-opened directories; the exit status, stdout, the trap or error line on stderr, the
files left in the directories and (where the program is deterministic) the final bytes of the
exported memory must be identical. The fuzz corpus, when one exists (fuzz/corpus/*/*.wasm),
is run the same way (its modules' `_start`, if any).

usage: differential.py --bantam build/bantam --guests build/tests/guests [--list] [CASE...]
Exit status: 0 pass, 1 a difference, 77 skip (no guest was built)."""

import argparse
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# name: (guest, arguments (a fresh host directory is pre-opened as /d), stdin, compare final
#        memory, the exit status both must have: a check that the case tests something). Memory is not compared where it holds host-dependent data
# (inode numbers, times, directory order from stat/readdir/clocks).
CASES = {
    "hello_args": ("hello", ["one", "two words"], b"", True, 0),
    "hello_stdin": ("hello", ["--stdin", "--stderr", "complaint", "--exit", "7"], b"line 1\nline 2\nno newline", True, 7),
    "hello_alloc": ("hello", ["--alloc", "64000000"], b"", True, 0),
    "trap_unreachable": ("trap", ["unreachable"], b"", True, 134),
    "trap_div0": ("trap", ["div0"], b"", True, 134),
    "trap_oob": ("trap", ["oob"], b"", True, 134),
    "trap_recurse": ("trap", ["recurse"], b"", False, 134),  # how deep each engine gets differs
    "trap_none": ("trap", [], b"", True, 0),
    "files": ("files", ["/d"], b"", False, 0),
    "readdir": ("readdir", ["/d", "300"], b"", False, 0),
    "wasi_raw": ("wasi_raw", ["lastarg"], b"", False, 0),
    "clocks": ("clocks", [], b"ready\n", False, 0),
    "streams": ("streams", ["/d"], b"1 2\n3\n40", False, 0),
    "std_fs": ("std_fs", ["{d}", "5"], b"abc\nhello\n", False, 5),
}


# Files a case expects in its directory before it runs; and the guest path it is pre-opened
# as (default /d; "{d}": the host path itself).
SETUP = {"std_fs": lambda d: (open(os.path.join(d, "target.txt"), "w").write("target text\n"),
                              os.symlink("target.txt", os.path.join(d, "link")))}
PREOPEN = {"std_fs": "{d}"}


def corpusCases():
    cases = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "fuzz", "corpus", "*", "*.wasm"))):
        name = "corpus_" + os.path.relpath(path, os.path.join(ROOT, "fuzz", "corpus")).replace("/", "_")
        cases[name] = (path, [], b"", True, None)
    return cases


def listing(d):
    out = {}
    for base, dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(base, f)
            rel = os.path.relpath(p, d)
            if os.path.islink(p):
                out[rel] = "-> " + os.readlink(p)
            else:
                with open(p, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
        for x in dirs:
            out[os.path.relpath(os.path.join(base, x), d) + "/"] = "dir"
    return out


def runOnce(bantam, engine, name, wasm, args, stdin, work, cache):
    d = os.path.join(work, "d")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    if name in SETUP:
        SETUP[name](d)
    args = [a.replace("{d}", d) for a in args]
    guestPath = PREOPEN.get(name, "/d").replace("{d}", d)
    mem = os.path.join(work, "memory.bin")
    if os.path.exists(mem):
        os.unlink(mem)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "XDG_CACHE_HOME": cache, "BANTAM_DUMP_MEMORY": mem}
    argv = [bantam, "run", "--engine", engine, "--dir", d if guestPath == d else f"{d}::{guestPath}", wasm] + args
    p = subprocess.run(argv, input=stdin, capture_output=True, timeout=300, env=env, cwd=work)
    memory = None
    if os.path.exists(mem):
        with open(mem, "rb") as fh:
            memory = hashlib.sha256(fh.read()).hexdigest()
    err = p.stderr.decode(errors="replace")
    # The first line of a trap or error; the backtrace's detail (offsets) may differ.
    # (Not the compiler's progress line, which only the compiled engine prints.)
    firstErr = next((l for l in err.splitlines()
                     if l.startswith("bantam:") and not l.startswith(("bantam: compiling", "bantam: compiled"))), "")
    return {"argv": argv, "status": p.returncode, "stdout": p.stdout, "stderr": firstErr, "files": listing(d),
            "memory": memory, "fullStderr": err}


def runCase(name, spec, bantam, guests, work, cache):
    guest, args, stdin, compareMemory, expectedStatus = spec
    wasm = guest if os.path.isabs(guest) else os.path.join(guests, guest + ".wasm")
    if not os.path.exists(wasm):
        return "skip", f"{wasm} was not built"
    a = runOnce(bantam, "interp", name, wasm, args, stdin, work, cache)
    b = runOnce(bantam, "compiled", name, wasm, args, stdin, work, cache)
    keys = ["status", "stdout", "stderr", "files"] + (["memory"] if compareMemory else [])
    diffs = [k for k in keys if a[k] != b[k]]
    if expectedStatus is not None and a["status"] != expectedStatus:
        diffs.append(f"status (both should exit {expectedStatus})")
    if not diffs:
        return "pass", f"status {a['status']}" + (", memory identical" if compareMemory and a["memory"] else "")
    text = [f"differs in {', '.join(diffs)}"]
    for label, r in (("interp", a), ("compiled", b)):
        text.append(f"--- {label}: {' '.join(r['argv'])}\nstatus {r['status']}\nstdout:\n"
                    f"{r['stdout'].decode(errors='replace')}\nstderr:\n{r['fullStderr']}\nmemory {r['memory']}\n"
                    f"files {r['files']}")
    return "fail", "\n".join(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bantam", required=False)
    ap.add_argument("--guests", required=False)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    o = ap.parse_args()
    cases = dict(CASES)
    cases.update(corpusCases())
    if o.list:
        print("\n".join(cases))
        return 0
    chosen = o.cases or list(cases)
    failed = passed = 0
    with tempfile.TemporaryDirectory(prefix="bantam-diff-") as work:
        cache = os.path.join(work, "cache")
        for name in chosen:
            status, text = runCase(name, cases[name], os.path.abspath(o.bantam), os.path.abspath(o.guests), work, cache)
            print(f"{status}: {name}: {text}", flush=True)
            failed += status == "fail"
            passed += status == "pass"
    print(f"{passed} passed, {failed} failed, {len(chosen) - passed - failed} skipped")
    if failed:
        return 1
    return 0 if passed else 77


if __name__ == "__main__":
    sys.exit(main())
