#!/usr/bin/env python3
"""Instruction counts (valgrind cachegrind) of each kernel natively and in Bantam's interpreter.

Deterministic, unlike timings on a shared 2-core VM: use it to compare two versions of the
interpreter. The ratio is of executed x86 instructions, not of time (an interpreter's
instructions retire more slowly: indirect branches, dependent loads).
  bench/kernels/ircount.py [BUILD_DIR] [--only NAME] [--scale X]
"""
import os, re, subprocess, sys, tempfile

args = sys.argv[1:]
build = "build-kernels"
only, scale = None, "0.05"
i = 0
while i < len(args):
    if args[i] == "--only": only = args[i + 1]; i += 2
    elif args[i] == "--scale": scale = args[i + 1]; i += 2
    else: build = args[i]; i += 1

kernels = ["fib", "sieve", "nbody", "fannkuch", "sha256", "hashtable"]
print(f"{'kernel':10} {'native Ir':>14} {'bantam Ir':>14} {'ratio':>8}")
for k in kernels:
    if only and k != only: continue
    with tempfile.NamedTemporaryFile(suffix=".cg") as out:
        # The 8 GiB reservation of a memory is too much for valgrind: a small limit makes the
        # runtime fall back to reserving only what the memory can reach.
        cmd = f"ulimit -v 6000000; valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file={out.name} " \
              f"{build}/kernels --only {k} --runs 1 --scale {scale} --mem-limit-mb 64"
        subprocess.run(["bash", "-c", cmd], check=True, capture_output=True)
        text = subprocess.run(["cg_annotate", out.name], check=True, capture_output=True, text=True).stdout
    native = interp = 0
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(\S.*)$", line)
        if not m: continue
        n = int(m.group(1).replace(",", ""))
        where = m.group(2)
        if "PROGRAM TOTALS" in where: continue
        if f"kernel_{k}" in where or f"kernels/{k}.c" in where: native += n
        elif "bantam::interp::" in where or "/src/interp/" in where: interp += n
    print(f"{k:10} {native:14,} {interp:14,} {interp / max(native, 1):7.2f}x")
