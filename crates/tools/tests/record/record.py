#!/usr/bin/env python3
"""Run each case of cases.txt against the real BusyBox and GNU coreutils on this machine (a fresh
fixture per case) and write tests/golden/busybox.txt and tests/golden/coreutils.txt in the format
tests/golden/README.md describes. Usage (from crates/tools, on Debian 12 with busybox installed):
python3 tests/record/record.py"""
import os, shlex, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(os.path.dirname(HERE), "golden")
BANNER_REAL = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n"
BANNER_OURS = "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n"
ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/root"}

# Each flavour's file and what its header says about where the cases come from.
FILES = {
    "BusyBox": ("busybox.txt", "BusyBox 1.35 (Debian 12's busybox, its banner rewritten to 1.36.1's)"),
    "Coreutils": ("coreutils.txt", "GNU coreutils 9.1 on Debian 12"),
}


def run(flavor, line, stdin, fresh):
    if fresh:
        subprocess.run(["sh", os.path.join(HERE, "fixture.sh")], check=True)
    argv = shlex.split(line)
    exe = "/usr/bin/busybox"
    if flavor == "BusyBox":
        argv = ["busybox"] + argv
    else:
        exe = "/usr/bin/" + argv[0] if os.path.exists("/usr/bin/" + argv[0]) else "/bin/" + argv[0]
    try:
        p = subprocess.run(argv, executable=exe, cwd="/tmp/g", env=ENV, input=stdin.encode(), capture_output=True, timeout=2)
    except subprocess.TimeoutExpired as t:
        # A follower (tail -f): what it printed before it would wait.
        return (t.stdout or b"").decode(), (t.stderr or b"").decode(), 0
    out, err = p.stdout.decode(), p.stderr.decode()
    err = err.replace(BANNER_REAL, BANNER_OURS)
    # A program killed by a signal (BusyBox's `timeout`): the status a shell shows, 128 + N.
    code = 128 - p.returncode if p.returncode < 0 else p.returncode
    return out, err, code


def stream(fd, text):
    """The lines of one stream: `N| line` for each line ending in a newline (`N|` alone for an
    empty one), `N~ rest` for a last line without one."""
    lines = text.split("\n")
    last = lines.pop()
    out = [f"{fd}|" + (" " + l if l else "") for l in lines]
    if last:
        out.append(f"{fd}~ {last}")
    return out


def case_text(line, stdin, out, err, code):
    assert "\n" not in line and line == line.strip(), f"a command line must be one trimmed line: {line!r}"
    rows = [f"=== {line}"] + stream(0, stdin) + stream(1, out) + stream(2, err) + [f"rc {code}"]
    return "".join(r + "\n" for r in rows)


def header(flavor):
    _, source = FILES[flavor]
    return (
        f"# {source}, recorded by tests/record/record.py:\n"
        "# one run per case of tests/record/cases.txt in /tmp/g after tests/record/fixture.sh.\n"
        "# Regenerate, never edit by hand. The format is in README.md: `=== command line`, then `0|`\n"
        "# stdin, `1|` stdout and `2|` stderr lines, `N~` a last line without a newline, `rc` the exit code.\n"
    )


def write(cases):
    """cases: (flavor, line, stdin, stdout, stderr, code) in recording order."""
    for flavor, (name, _) in FILES.items():
        with open(os.path.join(GOLDEN, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(header(flavor))
            for c in cases:
                if c[0] == flavor:
                    f.write(case_text(*c[1:]))


def main():
    lines = [l.rstrip("\n") for l in open(os.path.join(HERE, "cases.txt")) if l.strip() and not l.startswith("#")]
    cases = []
    for c in lines:
        flavors, _, rest = c.partition(" ")
        stdin = ""
        rest, _, check = rest.partition(" ;; ")
        if " <<< " in rest:
            rest, stdin = rest.split(" <<< ", 1)
            stdin = stdin.encode().decode("unicode_escape")
        if check:
            rest = rest + " ;; " + check
        for f in (["BusyBox", "Coreutils"] if flavors == "both" else [{"bb": "BusyBox", "gnu": "Coreutils"}[flavors]]):
            first, _, check = rest.partition(" ;; ")
            out, err, code = run(f, first, stdin, fresh=True)
            if check:
                # Follow-up command to show the effect on the tree.
                o2, e2, c2 = run(f, check, "", fresh=False)
                out, err, code = out + "--\n" + o2, err + e2, c2 if code == 0 else code
            cases.append((f, rest, stdin, out, err, code))
    write(cases)
    print(f"record.py: {len(cases)} cases written to {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    main()
