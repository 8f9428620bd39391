#!/usr/bin/env python3
"""End-to-end tests of WASI preview 1: real guest programs (tests/guests, built by CMake) run
with the bantam CLI; each case checks stdout, stderr, the exit status and the files left on
the host. Exit status: 0 pass, 1 fail, 77 skip (a guest was not built).

usage: run_wasi_e2e.py --bantam build/bantam --guests build/tests/guests [CASE...]"""

import argparse
import difflib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Skip(Exception):
    pass


class Failure(Exception):
    pass


class Ctx:
    def __init__(self, bantam, guests, tmp):
        self.bantam = bantam
        self.guests = guests
        self.tmp = tmp

    def guest(self, name):
        path = os.path.join(self.guests, name + ".wasm")
        if not os.path.exists(path):
            raise Skip(f"{name}.wasm was not built (its toolchain is missing)")
        return path

    def run(self, args, stdin=b"", env=None, timeout=60, cwd=None):
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        full_env.update(env or {})
        p = subprocess.run([self.bantam, "run"] + args, input=stdin, capture_output=True, timeout=timeout,
                           env=full_env, cwd=cwd or self.tmp)
        return Result(args, p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"))

    def dir(self, *parts):
        path = os.path.join(self.tmp, *parts)
        os.makedirs(path, exist_ok=True)
        return path


class Result:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def describe(self):
        return (f"command: bantam run {' '.join(self.args)}\nexit status: {self.code}\n"
                f"--- stdout ---\n{self.out}--- stderr ---\n{self.err}")

    def expect(self, code=0, out=None, err_contains=(), out_contains=()):
        problems = []
        if self.code != code:
            problems.append(f"exit status {self.code}, expected {code}")
        if out is not None and self.out != out:
            diff = "".join(difflib.unified_diff(out.splitlines(True), self.out.splitlines(True),
                                                "expected stdout", "actual stdout"))
            problems.append("stdout differs:\n" + diff)
        for s in out_contains:
            if s not in self.out:
                problems.append(f"stdout lacks {s!r}")
        for s in err_contains:
            if s not in self.err:
                problems.append(f"stderr lacks {s!r}")
        if problems:
            raise Failure("\n".join(problems) + "\n\n" + self.describe())
        return self


def check(cond, what):
    if not cond:
        raise Failure(what)


def read(path):
    with open(path, "rb") as f:
        return f.read().decode()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


# --- arguments, environment, stdio, exit status ---

@case
def c_args_env(ctx):
    hello = ctx.guest("hello")
    ctx.run(["--env", "FOO=bar", "--env", "EMPTY=", hello, "one", "two words", "--env", "FOO", "--env", "EMPTY",
             "--env", "HOME"]).expect(0, f"""argc=9
argv[0]={hello}
argv[1]=one
argv[2]=two words
argv[3]=--env
argv[4]=FOO
argv[5]=--env
argv[6]=EMPTY
argv[7]=--env
argv[8]=HOME
environ has 2 entries
env FOO=bar
env EMPTY=
env HOME=(unset)
""")


@case
def c_inherit_env(ctx):
    hello = ctx.guest("hello")
    env = {"BANTAM_E2E": "inherited", "OVERRIDE": "host", "FROM_HOST": "x"}
    r = ctx.run(["--inherit-env", "--env", "OVERRIDE=flag", hello, "--env", "BANTAM_E2E", "--env", "OVERRIDE"],
                env=env)
    r.expect(0, out_contains=["env BANTAM_E2E=inherited\n", "env OVERRIDE=flag\n"])
    # --env KEY takes the host's value; without --inherit-env nothing else comes through.
    ctx.run(["--env", "FROM_HOST", hello, "--env", "FROM_HOST", "--env", "BANTAM_E2E"], env=env).expect(
        0, out_contains=["environ has 1 entries\n", "env FROM_HOST=x\n", "env BANTAM_E2E=(unset)\n"])


@case
def c_stdin_and_exit(ctx):
    hello = ctx.guest("hello")
    r = ctx.run([hello, "--stdin", "--stderr", "complaint", "--exit", "7"], stdin=b"line 1\nline 2\nno newline")
    r.expect(7, err_contains=["complaint\n"],
             out_contains=["line 1\nline 2\nno newline", "stdin: 24 bytes, 2 lines\n", "exiting with 7\n"])
    ctx.run([hello, "--exit", "0"]).expect(0)
    ctx.run([hello, "--exit", "125"]).expect(125)


@case
def c_exit_status_out_of_range(ctx):
    # As Wasmtime: 126 and up would read as "not executable", "not found" or a signal.
    ctx.run([ctx.guest("hello"), "--exit", "200"]).expect(1, err_contains=["status 200", "outside of [0..126)"])


@case
def c_max_memory(ctx):
    hello = ctx.guest("hello")
    ctx.run([hello, "--alloc", "64000000"]).expect(0, out_contains=["malloc(64000000) ok, last byte 1"])
    ctx.run(["--max-memory", "16M", hello, "--alloc", "64000000"]).expect(
        3, out_contains=["malloc(64000000) failed"])
    ctx.run(["--max-memory", "lots", hello]).expect(1, err_contains=["--max-memory"])


# --- files and directories ---

FILES_OUT = """mkdir work: OK
fopen w: OK
read back: hello from stdio
open rw: OK
write: 10
lseek set 3: 3
read 2: 2 '34'
tell: 5
lseek end -2: 8
lseek before start: -1 EINVAL
pwrite: 2
pread: 4 '0XY3'
tell after pread: 8
ftruncate 4: OK
size: 4
ftruncate 6: OK
size: 6 regular=1
posix_fallocate: OK
size: 100
posix_fadvise: OK
fsync: OK
fdatasync: OK
read closed: -1 EBADF
append flag: 1
fcntl setfl 0: OK
c.txt: 32
symlink: OK
readlink: 5 'b.bin'
stat link: regular=1 size=100
lstat link: symlink=1 size=5
through link: '0XY3'
open nofollow: ELOOP
link: OK
hard link: nlink=2 same_ino=1
rename: OK
old name: ENOENT
utimensat: OK
times: atime=1000 mtime=2000 mtime_ns=500
futimens: OK
times: atime=1000 mtime=3000
mkdir sub: OK
mkdir sub/deeper: OK
listing: . .. b.bin c.txt hard link renamed.txt sub
open missing: ENOENT
open under a file: ENOTDIR
mkdir existing: EEXIST
create exclusive existing: EEXIST
open directory for writing: EISDIR
rmdir non-empty: ENOTEMPTY
unlink a directory: EISDIR
rmdir a file: ENOTDIR
rename file onto directory: EISDIR
renamed.txt: OK
b.bin: OK
c.txt: OK
link: OK
hard: OK
rmdir deeper: OK
rmdir sub: OK
rmdir work: OK
isatty(stdout)=0
done
"""


@case
def c_files(ctx):
    host = ctx.dir("data")
    ctx.run(["--dir", f"{host}::/sandbox", ctx.guest("files"), "/sandbox"]).expect(0, FILES_OUT)
    check(sorted(os.listdir(host)) == ["keep.txt"], f"host directory holds {sorted(os.listdir(host))}")
    check(read(os.path.join(host, "keep.txt")) == "kept by files.wasm\n", "keep.txt has the wrong contents")


@case
def c_readdir_large(ctx):
    host = ctx.dir("big")
    ctx.run(["--dir", f"{host}::/d", ctx.guest("readdir"), "/d", "5000"], timeout=120).expect(0, """created 5000
listed 5002 entries: 5000 files, 2 dot entries
seekdir returns to the same entries: yes
after rewinddir: 5002 entries
removed 5000
left: 2 entries
rmdir: OK
""")
    check(os.listdir(host) == [], "the guest left files behind")


SANDBOX_OUT = """preopens found: yes
open ../outside/secret: ENOTCAPABLE
open ..: ENOTCAPABLE
open /etc/passwd: ENOTCAPABLE
open sub/../../outside/secret: ENOTCAPABLE
mkdir ../planted: ENOTCAPABLE
symlink /etc/passwd: EPERM
symlink ..: OK
open up/outside/secret: ENOTCAPABLE
create up/outside/new: ENOTCAPABLE
open host symlink etc/passwd: ENOTCAPABLE
symlink loop: OK
open loop: ELOOP
open symlink nofollow: ELOOP
create mine: OK
close mine: OK
rename mine ../stolen: ENOTCAPABLE
rename mine up/outside/stolen: ENOTCAPABLE
rename ../outside/secret in: ENOTCAPABLE
link mine ../hard: ENOTCAPABLE
link up/outside/secret in: ENOTCAPABLE
unlink up/outside/secret: ENOTCAPABLE
stat up/: ENOTCAPABLE
set times up/outside: ENOTCAPABLE
open ro/data.txt for writing: OK
read ro/data.txt: OK
contents: read only data
write ro/data.txt: ENOTCAPABLE
truncate ro/data.txt: ENOTCAPABLE
open ro/data.txt truncating: ENOTCAPABLE
create ro/new: ENOTCAPABLE
mkdir ro/dir: ENOTCAPABLE
unlink ro/data.txt: ENOTCAPABLE
rename ro/data.txt: ENOTCAPABLE
rename ro/data.txt to sandbox: ENOTCAPABLE
symlink in ro: ENOTCAPABLE
set times in ro: ENOTCAPABLE
ro file may write: no
fopen /ro/data.txt w: ENOTCAPABLE
fopen /etc/passwd: ENOTCAPABLE
fd_close 99: EBADF
path_open with a file as directory: ENOTDIR
path_open relative to stdout: EBADF
fd_read from a directory: EBADF
done
"""


@case
def c_sandbox(ctx):
    sandbox, ro, outside = ctx.dir("sandbox"), ctx.dir("ro"), ctx.dir("outside")
    os.makedirs(os.path.join(sandbox, "sub"))
    os.symlink("/etc", os.path.join(sandbox, "etc"))  # planted by someone else: never followed out
    write(os.path.join(outside, "secret"), "SECRET\n")
    write(os.path.join(ro, "data.txt"), "read only data\n")
    before = os.stat(outside).st_mtime_ns, os.stat(os.path.join(outside, "secret")).st_mtime_ns
    ctx.run(["--dir", f"{sandbox}::/sandbox", "--dir", f"{ro}::/ro:ro", ctx.guest("sandbox")]).expect(0, SANDBOX_OUT)
    check(sorted(os.listdir(outside)) == ["secret"], f"outside now holds {sorted(os.listdir(outside))}")
    check(read(os.path.join(outside, "secret")) == "SECRET\n", "the outside file changed")
    after = os.stat(outside).st_mtime_ns, os.stat(os.path.join(outside, "secret")).st_mtime_ns
    check(before == after, "times outside the sandbox changed")
    check(sorted(os.listdir(ctx.tmp)) == ["outside", "ro", "sandbox"], f"{sorted(os.listdir(ctx.tmp))} next to it")
    check(sorted(os.listdir(ro)) == ["data.txt"] and read(os.path.join(ro, "data.txt")) == "read only data\n",
          "the read-only directory changed")
    check(sorted(os.listdir(sandbox)) == ["etc", "loop", "mine", "sub", "up"], f"sandbox: {sorted(os.listdir(sandbox))}")


@case
def c_dir_syntax(ctx):
    readdir = ctx.guest("readdir")
    host = ctx.dir("plain")
    # Without ::GUEST the guest sees the host path as written.
    ctx.run(["--dir", host, readdir, host, "3"]).expect(0, out_contains=["created 3\n", "rmdir: OK\n"])
    ctx.run(["--dir", "plain", readdir, "plain", "1"]).expect(0, out_contains=["created 1\n"])
    # :ro on a directory: nothing can be created beneath it.
    ctx.run(["--dir", f"{host}::/r:ro", readdir, "/r", "1"]).expect(1, "mkdir: ENOTCAPABLE\n")
    ctx.run(["--dir", f"{host}:ro", readdir, host, "1"]).expect(1, "mkdir: ENOTCAPABLE\n")
    # A guest directory named "ro" is not the read-only mark.
    ctx.run(["--dir", f"{host}::ro", readdir, "ro", "1"]).expect(0, out_contains=["created 1\n"])
    check(os.listdir(host) == [], "files left behind")


# --- clocks, polling, randomness ---

CLOCKS_OUT = """clock_getres realtime: OK
clock_getres monotonic: OK
realtime after 2020: yes
time() agrees: yes
clock_res_get process cputime: OK
clock_time_get thread cputime: OK
clock_time_get clock 9: EINVAL
monotonic never goes back: yes
nanosleep 50ms slept at least 50ms: yes
and less than 5s: yes
poll two clocks: OK
events: 1, first userdata 22
poll absolute realtime: OK
waited at least 15ms: yes
poll nothing: EINVAL
poll on a cputime clock: EINVAL
poll stdin+stdout: 2 ready, stdin readable, stdout writable
stdin said: ready
getentropy: OK
random_get: OK
random bytes look random: yes
random_get 1 MiB: OK
random_get outside memory: EFAULT
sched_yield: OK
proc_raise SIGUSR1: ENOTSUP
proc_raise 99: EINVAL
done
"""


@case
def c_clocks(ctx):
    ctx.run([ctx.guest("clocks")], stdin=b"ready\n").expect(0, CLOCKS_OUT)


# --- sockets ---

@case
def c_sockets(ctx):
    guest = ctx.guest("sockets")
    with socket.socket() as probe:  # a free port for --tcplisten
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    p = subprocess.Popen([ctx.bantam, "run", "--tcplisten", f"127.0.0.1:{port}", guest],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reply = b""
    try:
        deadline = time.time() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                if time.time() > deadline or p.poll() is not None:
                    raise Failure("could not connect to the guest's socket")
                time.sleep(0.05)
        with conn:
            conn.sendall(b"hello sockets\n")
            while True:
                chunk = conn.recv(100)
                if not chunk:
                    break
                reply += chunk
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    check(reply == b"HELLO SOCKETS\n", f"the guest answered {reply!r}")
    Result(["--tcplisten", f"127.0.0.1:{port}", guest], p.returncode, out.decode(), err.decode()).expect(0, """listener found: yes
poll listener: OK
events: 1 userdata 7
sock_accept: OK
sock_recv peek: OK
peeked: hello
received: hello sockets
sock_send: OK
sent 14 bytes
sock_shutdown: OK
sock_send after shutdown: EPIPE
sock_recv on stdout: ENOTSOCK
sock_accept on the connection: ENOTCAPABLE
fd_close: OK
done
""")


# --- traps, timeouts, fuel ---

@case
def c_traps(ctx):
    trap = ctx.guest("trap")
    for kind, message in [("unreachable", "unreachable"), ("div0", "integer divide by zero"),
                          ("oob", "out of bounds memory access"), ("recurse", "call stack exhausted")]:
        r = ctx.run([trap, kind]).expect(134, f"about to {kind}\n", err_contains=[f"trap: {message}"])
        check("\n  0: " in r.err, f"no backtrace for {kind}:\n{r.err}")
    ctx.run([trap]).expect(0, "about to (nothing)\n")


@case
def c_timeout_and_fuel(ctx):
    trap, clocks = ctx.guest("trap"), ctx.guest("clocks")
    start = time.time()
    ctx.run(["--timeout", "300ms", trap, "loop"], timeout=30).expect(134, "about to loop\n",
                                                                      err_contains=["interrupted"])
    # A guest sleeping in poll_oneoff is interrupted too, not after its hour.
    ctx.run(["--timeout", "0.3", clocks, "--sleep-forever"], timeout=30).expect(134, "sleeping\n",
                                                                                  err_contains=["interrupted"])
    check(time.time() - start < 20, "timeouts took too long")
    ctx.run(["--fuel", "200000", trap, "loop"], timeout=60).expect(134, "about to loop\n",
                                                                   err_contains=["all fuel consumed"])
    ctx.run(["--timeout", "60s", trap]).expect(0, "about to (nothing)\n")
    ctx.run(["--timeout", "soon", trap]).expect(1, err_contains=["--timeout"])


# --- the raw preview 1 calls ---

WASI_RAW_OUT = """args_sizes_get: OK
args: 2, {argsize} bytes
args_get: OK
last arg: lastarg
environ_sizes_get: OK
environ_get: OK
env: GREETING=hi
args_get into unmapped memory: EFAULT
fd_prestat_get 3: OK
fd_prestat_dir_name: OK
preopen 3: /work (5 bytes)
fd_prestat_dir_name too small: ENAMETOOLONG
fd_prestat_get 4: EBADF
fd_prestat_get stdout: EBADF
fd_fdstat_get dir: OK
dir filetype 3, may create files yes, may truncate by fd no
fd_fdstat_get stdout: OK
stdout may seek: no, may write: yes
fd_seek stdout: ESPIPE
fd_tell stdin: ESPIPE
fd_pwrite stdout: ESPIPE
fd_sync stdout: EBADF
fd_write: OK
fd_tell: OK
position: 5
fd_advise: OK
fd_advise bad advice: EINVAL
fd_allocate: OK
fd_datasync: OK
fd_fdstat_set_flags append: OK
fd_fdstat_get file: OK
flags: append=1
fd_fdstat_set_flags sync: EINVAL
fd_filestat_set_times: OK
fd_filestat_set_times both: EINVAL
fd_filestat_get: OK
size 64, mtim 7000000000, type 4
fd_fdstat_set_rights drop write: OK
fd_write without the right: ENOTCAPABLE
fd_fdstat_set_rights regain: ENOTCAPABLE
fd_pread: OK
pread: hello
fd_renumber: OK
old number closed: EBADF
fd_pread renumbered: OK
pread: hello
fd_renumber to a closed number: EBADF
path_symlink: OK
path_readlink: OK
readlink into 3 bytes: 3 'f.t'
path_filestat_get nofollow: OK
link type 7 size 5
path_filestat_get follow: OK
target type 4
path_filestat_set_times: OK
path_open directory+create: EINVAL
path_open bad lookup flags: EINVAL
path_create_directory: OK
path_rename: OK
path_link: OK
path_unlink_file dir: EISDIR
path_remove_directory non-empty: ENOTEMPTY
fd_readdir: OK
entries: 4 (complete)
fd_readdir small buffer: OK
used 30 of 30
fd_readdir from cookie 3: OK
one entry left: yes
fd_readdir on a file: EBADF
fd_close dir: OK
path_unlink_file d/link: OK
path_unlink_file d/hard: OK
path_remove_directory: OK
path_unlink_file f.txt: OK
path_unlink_file g.txt: OK
clock_res_get 7: EINVAL
close the pre-open: OK
fd_prestat_get after close: EBADF
done
"""


@case
def c_wasi_raw(ctx):
    guest = ctx.guest("wasi_raw")
    work = ctx.dir("work")
    expected = WASI_RAW_OUT.replace("{argsize}", str(len(guest) + 1 + len("lastarg") + 1))
    ctx.run(["--env", "GREETING=hi", "--dir", f"{work}::/work", guest, "lastarg"]).expect(0, expected)
    check(os.listdir(work) == [], "files left behind")


# --- usage errors of the CLI ---

@case
def c_usage_errors(ctx):
    hello = ctx.guest("hello")
    ctx.run(["--dir", os.path.join(ctx.tmp, "missing"), hello]).expect(1, "", err_contains=["missing"])
    ctx.run(["--dir", "::/x", hello]).expect(1, "", err_contains=["--dir"])
    ctx.run(["--env", "=x", hello]).expect(1, "", err_contains=["KEY=VALUE"])
    ctx.run(["--tcplisten", "nonsense", hello]).expect(1, "", err_contains=["--tcplisten"])
    ctx.run(["--invoke", "nope", hello]).expect(1, "", err_contains=["nope"])


# --- C++ and Rust ---

@case
def cpp_streams(ctx):
    guest = ctx.guest("streams")
    host = ctx.dir("cppdir")
    ctx.run(["--env", "USER_NAME", "--dir", f"{host}::/d", guest, "/d"], stdin=b"1 2\n3\n40",
            env={"USER_NAME": "ann"}).expect(0, """mkdir: ok
sum of squares: 385
size: 28
listing: bantam.txt cpp.txt numbers.txt wasi.txt wasm.txt
rmdir: ok
random_device gives different values: yes
mt19937(1234) first: 822569775
steady_clock is monotonic: yes
system_clock after 2020: yes
hello, ann
stdin total: 46
""", err_contains=["to stderr\n"])
    check(os.listdir(host) == [], "files left behind")
    ctx.run(["--dir", f"{host}::/d", guest, "/d"]).expect(1, out_contains=["hello, nobody\n", "stdin total: 0\n"])


@case
def rust_std_fs(ctx):
    guest = ctx.guest("std_fs")
    host = ctx.dir("rs")
    write(os.path.join(host, "target.txt"), "target text\n")
    os.symlink("target.txt", os.path.join(host, "link"))
    ctx.run(["--env", "RUST_GUEST=yes", "--dir", host, guest, host, "5"], stdin=b"abc\nhello\n").expect(5, f"""args: {host} 5
env RUST_GUEST=yes
read_to_string: hello, rust
from offset 7: "rust\\nappended\\n"
len 21 is_file true readonly false
read_link: target.txt
symlink_metadata is_symlink: true
through the link: target text
moved: 2
read_dir: hello.txt x
open missing: NotFound
remove_dir non-empty: error
removed: true
slept >= 30ms: true
after 2020: true
reversed: cba
reversed: olleh
""", err_contains=["exiting with 5\n"])
    check(sorted(os.listdir(host)) == ["link", "target.txt"], f"host directory holds {sorted(os.listdir(host))}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bantam")
    ap.add_argument("--guests")
    ap.add_argument("cases", nargs="*", help="cases to run (default: all)")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print(";".join(CASES))  # a CMake list
        return 0
    if not a.bantam or not a.guests:
        ap.error("--bantam and --guests are required")
    names = a.cases or list(CASES)
    status = 0
    for name in names:
        if name not in CASES:
            print(f"unknown case {name}; known: {', '.join(CASES)}")
            return 1
        tmp = tempfile.mkdtemp(prefix=f"bantam-e2e-{name}-")
        try:
            CASES[name](Ctx(os.path.abspath(a.bantam), os.path.abspath(a.guests), tmp))
            print(f"PASS {name}")
        except Skip as e:
            print(f"SKIP {name}: {e}")
            status = status or 77
        except (Failure, subprocess.TimeoutExpired) as e:
            print(f"FAIL {name}\n{e}")
            status = 1
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
