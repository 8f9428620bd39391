#!/usr/bin/env python3
"""Cross-checks src/wasm/opcodes.def against wabt: encodes every instruction with dummy
immediates into its own function body and asks `wasm2wat --no-check` to name it.
Run by hand (or by CI when wabt is installed) after editing the opcode table."""
import re, subprocess, sys, tempfile, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
rows = re.findall(r'^BANTAM_OP\((\w+),\s*"([^"]+)",\s*(0x[0-9a-f]+),\s*(\w+),\s*(\w+),',
                  (root / "src/wasm/opcodes.def").read_text(), re.M)

def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n: return bytes(out)

IMM = {
    "None": b"", "BlockType": b"\x40", "Label": b"\x00", "BrTable": b"\x00\x00",
    "Func": b"\x00", "CallIndirect": b"\x00\x00", "Local": b"\x00", "Global": b"\x00",
    "Table": b"\x00", "MemArg": b"\x00\x00", "Mem": b"\x00", "I32": b"\x00", "I64": b"\x00",
    "F32": b"\x00" * 4, "F64": b"\x00" * 8, "V128": b"\x00" * 16, "Shuffle": bytes(range(16)),
    "Lane": b"\x00", "MemArgLane": b"\x00\x00\x00", "SelectT": b"\x01\x7f", "RefType": b"\x70",
    "Data": b"\x00", "MemInit": b"\x00\x00", "MemCopy": b"\x00\x00", "Elem": b"\x00",
    "TableInit": b"\x00\x00", "TableCopy": b"\x00\x00",
}
skip = {"End", "Else"}
bodies, names = [], []
for name, text, prefix, code, imm in rows:
    if name in skip: continue
    p = int(prefix, 16); c = int(code, 0)
    op = bytes([c]) if p == 0 else bytes([p]) + uleb(c)
    extra_end = b"\x0b" if name in ("Block", "Loop", "If") else b""
    body = b"\x00" + op + IMM[imm] + extra_end + b"\x0b"
    bodies.append(uleb(len(body)) + body); names.append(text)

def section(id, payload): return bytes([id]) + uleb(len(payload)) + payload
n = len(bodies)
mod = b"\x00asm\x01\x00\x00\x00"
mod += section(1, b"\x01\x60\x00\x00")
mod += section(3, uleb(n) + b"\x00" * n)
mod += section(4, b"\x01\x70\x00\x00")
mod += section(5, b"\x01\x00\x00")
mod += section(6, b"\x01\x7f\x01\x41\x00\x0b")
mod += section(9, b"\x01\x01\x00\x00")           # passive elem: elemkind funcref, 0 items
mod += section(12, b"\x01")
mod += section(10, uleb(n) + b"".join(bodies))
mod += section(11, b"\x01\x01\x00")             # passive data, 0 bytes
with tempfile.TemporaryDirectory() as d:
    f = pathlib.Path(d) / "all.wasm"; f.write_bytes(mod)
    out = subprocess.run(["wasm2wat", "--no-check", "--enable-all", str(f)],
                         capture_output=True, text=True)
    if out.returncode: print(out.stderr); sys.exit(1)
funcs = re.split(r"\n  \(func ", out.stdout)[1:]
bad = 0
for text, body in zip(names, funcs):
    first = body.split("\n")[1].strip() if "\n" in body else ""
    got = first.split()[0].rstrip(")") if first else ""
    if got != text:
        bad += 1; print(f"MISMATCH {text}: wabt says {first!r}")
print(f"{len(names)} instructions checked, {bad} mismatches")
sys.exit(1 if bad else 0)
