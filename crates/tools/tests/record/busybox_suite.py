#!/usr/bin/env python3
"""Run BusyBox's own test suite (../shared/busybox-testsuite, `testing "name" "command" "expected"
"input" "stdin"`) against the real `busybox` on this machine and write what it printed to
tests/busybox-suite/cases.txt, in the format tests/busybox-suite/README.md describes.

Each `APPLET.tests` file of the applets in SUITES runs as BusyBox's runner runs it (`busybox sh`,
in a scratch directory, its setup lines between the cases included), except that `testing` is
ours: for each case it writes `input` and the stdin as the original does, takes a snapshot of the
scratch tree, and runs the command as `busybox sh -c COMMAND < stdin` with every applet of
`busybox --list` first on PATH. The suite's expected strings are not used: the real program is
the reference, since the suite follows BusyBox's git head. Cases that need what the model does not
have are marked `skip REASON` by the rules in `skip_reason`.

Usage (from crates/tools, on Debian 12 with busybox installed):
python3 tests/record/busybox_suite.py [SUITE_DIR]"""
import os, re, shutil, stat, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(os.path.dirname(HERE), "busybox-suite", "cases.txt")
ROOT = "/tmp/bbsuite"
BIN = ROOT + "/bin"
WORK = ROOT + "/w"
SHIM = ROOT + "/testing.sh"
JOURNAL = ROOT + "/journal"
ENV = {"PATH": BIN, "HOME": "/root", "ECHO": "echo", "LANG": "C"}

# Applets whose suite is recorded: every program of the tools table (lib.rs), the shell's `test`,
# and the text and file applets the container world needs (issue 14), so that a program added to
# the model later is replayed without recording again. A suite of an applet the model does not
# have is replayed as skipped.
EXTRA = ["test", "sed", "awk", "tr", "xargs", "nl", "rev", "fold", "diff", "od", "hexdump",
         "realpath", "md5sum", "sha1sum", "sha256sum", "seq", "expand", "unexpand", "comm"]

# Whole suites not run, each with the reason.
SUITE_SKIPS = {
    "mount": "mounts loop devices and bind mounts on the machine that records",
}

SHIM_TEXT = r'''# testing.sh for tests/record/busybox_suite.py: each case is handed to the recorder.
export FAILCOUNT=0
export SKIP=
optional() { SKIP=; }
testing() {
  if [ $# -ne 5 ]; then echo "Test $1 has wrong number of arguments: $# (must be 5)" >&2; exit 1; fi
  echo -ne "$4" > input
  echo -ne "$5" > __ROOT__/stdin
  printf '%s' "$1" > __ROOT__/name
  printf '%s' "$2" > __ROOT__/cmd
  __PY__ __ME__ --case "$PWD"
  return $(cat __ROOT__/rc)
}
'''


def tool_names():
    src = open(os.path.join(TOOLS, "src", "lib.rs"), encoding="utf-8").read()
    table = src[src.index("const TOOLS"):]
    table = table[: table.index("];")]
    return re.findall(r'\("([a-z0-9_\[-]+)",', table)


def skip_reason(cmd, inp, stdin, timed_out):
    """Why a case cannot be compared with the model, by rule, or None."""
    text = cmd + "\n" + inp + "\n" + stdin
    if timed_out:
        return "did not end within 5 seconds (waits on time or a terminal)"
    if "/proc" in cmd:
        return "reads /proc of the recording machine"
    if re.search(r"/dev/(?!null)", cmd):
        return "uses a device file of the recording machine"
    if re.search(r"/(usr|bin|sbin|etc|lib)\b", cmd) and "$PWD" not in cmd:
        return "reads the recording machine's system files"
    if "$(dirname" in text or re.search(re.escape(ROOT) + r"/(?!w\b)", cmd):
        return "reads the test suite's own files"
    return None


def snapshot(top):
    """The scratch tree as lines: `d MODE MTIME PATH`, `f MODE MTIME PATH` then its content as
    `f|`/`f~` lines, `l MTIME PATH -> TARGET`; paths relative to the scratch directory."""
    rows = []
    for dirpath, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(dirs + files):
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, top)
            st = os.lstat(p)
            mode = "%o" % stat.S_IMODE(st.st_mode)
            mt = int(st.st_mtime)
            if stat.S_ISLNK(st.st_mode):
                rows.append(b"l %d %s -> %s" % (mt, rel.encode(), os.readlink(p).encode()))
            elif stat.S_ISDIR(st.st_mode):
                rows.append(b"d %s %d %s" % (mode.encode(), mt, rel.encode()))
            elif stat.S_ISREG(st.st_mode):
                rows.append(b"f %s %d %s" % (mode.encode(), mt, rel.encode()))
                rows += stream(b"f", open(p, "rb").read())
            else:
                rows.append(b"# not a file, directory or link: " + rel.encode())
    return rows


def stream(tag, data):
    lines = data.split(b"\n")
    last = lines.pop()
    out = [tag + b"|" + (b" " + l if l else b"") for l in lines]
    if last:
        out.append(tag + b"~ " + last)
    return out


def record_case(cwd):
    """Called by the shim's `testing` for one case; cwd is the script's directory then."""
    name = open(ROOT + "/name", "rb").read()
    cmd = open(ROOT + "/cmd", "rb").read()
    stdin = open(ROOT + "/stdin", "rb").read()
    inp = open(os.path.join(cwd, "input"), "rb").read()
    suite = os.environ["BBSUITE_FILE"]
    rel = os.path.relpath(cwd, WORK)
    tree = snapshot(WORK)
    now = int(time.time())
    timed_out = False
    try:
        p = subprocess.run(["busybox", "sh", "-c", cmd], executable="/usr/bin/busybox", cwd=cwd,
                           env=ENV, input=stdin, capture_output=True, timeout=5)
        out, code = p.stdout, p.returncode
    except subprocess.TimeoutExpired as t:
        out, code, timed_out = t.stdout or b"", -1, True
    if code < 0:
        code = 128 - code
    reason = skip_reason(cmd.decode(errors="replace"), inp.decode(errors="replace"),
                         stdin.decode(errors="replace"), timed_out)
    rows = [b"=== %s: %s" % (suite.encode(), (name or cmd.split(b"\n")[0]).replace(b"\n", b" "))]
    rows += [b"cwd " + rel.encode(), b"now %d" % now]
    if reason:
        rows.append(b"skip " + reason.encode())
    rows += stream(b"$", cmd)
    rows += tree
    rows += stream(b"0", stdin)
    rows += stream(b"1", out)
    rows.append(b"rc %d" % code)
    with open(JOURNAL, "ab") as j:
        j.write(b"".join(r + b"\n" for r in rows))
    with open(ROOT + "/rc", "w") as f:
        f.write(str(code if code < 256 else 1))


def run_suite(suite_dir, applet):
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    text = open(os.path.join(suite_dir, applet + ".tests"), encoding="utf-8", errors="surrogateescape").read()
    text = text.replace(". ./testing.sh", ". " + SHIM)
    script = ROOT + "/" + applet + ".tests"
    with open(script, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    env = dict(ENV, BBSUITE_FILE=applet + ".tests")
    try:
        subprocess.run(["busybox", "sh", script], executable="/usr/bin/busybox", cwd=WORK, env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    except subprocess.TimeoutExpired:
        print(f"busybox_suite.py: {applet}.tests did not end in 10 minutes", file=sys.stderr)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        record_case(sys.argv[2])
        return
    suite_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOOLS, "..", "..", "..", "shared", "busybox-testsuite")
    if not os.path.isdir(suite_dir):
        suite_dir = "/work/shared/busybox-testsuite"
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(BIN)
    applets = subprocess.run(["busybox", "--list"], capture_output=True, check=True).stdout.decode().split()
    for a in applets:
        os.symlink("/usr/bin/busybox", os.path.join(BIN, a))
    with open(SHIM, "w") as f:
        f.write(SHIM_TEXT.replace("__ROOT__", ROOT).replace("__PY__", sys.executable)
                .replace("__ME__", os.path.abspath(__file__)))
    version = subprocess.run(["busybox"], capture_output=True).stdout.decode().split("\n")[0]
    wanted = sorted(set(tool_names()) | set(EXTRA))
    suites = [a for a in wanted if os.path.exists(os.path.join(suite_dir, a + ".tests"))]
    head = [
        "# BusyBox's test suite (shared/busybox-testsuite) run against the real busybox, recorded by",
        "# tests/record/busybox_suite.py; the format is in README.md. Regenerate, never edit by hand.",
        f"# reference: {version}",
        f"# scratch: {WORK}",
        "# applets: " + " ".join(applets),
    ]
    body = b""
    for applet in suites:
        if applet in SUITE_SKIPS:
            head.append(f"# suite skipped: {applet}.tests: {SUITE_SKIPS[applet]}")
            continue
        if os.path.exists(JOURNAL):
            os.remove(JOURNAL)
        run_suite(suite_dir, applet)
        if os.path.exists(JOURNAL):
            body += open(JOURNAL, "rb").read()
        print(f"busybox_suite.py: {applet}.tests recorded", file=sys.stderr)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write("".join(h + "\n" for h in head).encode() + body)
    count = body.count(b"\n=== ") + 1
    print(f"busybox_suite.py: {count} cases written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
