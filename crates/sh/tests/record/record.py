#!/usr/bin/env python3
"""Record the cases in cases.txt from the real BusyBox ash and bash on this machine (Debian 12,
busybox-static 1.35 and bash 5.2) at an interactive prompt, as tests/golden/*-scripts.txt.
Usage (from crates/sh): python3 tests/record/record.py"""
import os, shutil, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "golden")
SHELLS = {
    "ash": (["busybox", "sh", "-i"], "busybox sh -i"),
    "bash": (["bash", "--norc", "--noprofile", "-i"], "bash --norc --noprofile -i"),
}
NOISE = ("sh: can't access tty", "bash: cannot set terminal process group",
         "bash: no job control in this shell")

def fixture():
    shutil.rmtree("/tmp/rs", ignore_errors=True)
    os.makedirs("/tmp/rs/w/sub"); os.makedirs("/tmp/rs/w/ro"); os.makedirs("/tmp/rs/home")
    for f in ["a.txt", "b.txt", "c.log", "sub/x"]:
        open("/tmp/rs/w/" + f, "w").close()

def run(argv, case):
    fixture()
    env = {"HOME": "/tmp/rs/home", "PATH": "/usr/bin:/bin", "PS1": "", "PS2": "", "LANG": "C.UTF-8"}
    text = case.replace("␤", "\n").replace("⇥", "\t") + "\n"
    p = subprocess.run(argv, input=text.encode(), capture_output=True, cwd="/tmp/rs/w", env=env, timeout=5)
    err = [l for l in p.stderr.decode().split("\n") if l and not l.startswith(NOISE)]
    # bash -i echoes each input line (readline without a terminal).
    typed = {l.strip() for l in text.split("\n")}
    err = [l for l in err if l.replace("\x07", "").strip() not in typed]
    # bash -i prints "exit" when its input ends.
    if err and err[-1] == "exit":
        err.pop()
    out = [l for l in p.stdout.decode().split("\n")]
    if out and out[-1] == "":
        out.pop()
    # ash's start-up banner: two blank lines, two lines of text, one blank line.
    if len(out) >= 5 and out[2].startswith("BusyBox v") and out[3].startswith("Enter 'help'"):
        out = out[5:]
    return out, err, p.returncode

cases = [l.rstrip("\n") for l in open(os.path.join(HERE, "cases.txt"), encoding="utf-8")
         if l.strip() and not l.startswith("#")]
for name, (argv, shown) in SHELLS.items():
    with open(os.path.join(GOLDEN, f"{name}-scripts.txt"), "w", encoding="utf-8") as g:
        g.write(f"# Recorded by tests/record/record.py from the real shell on Debian 12 (`printf \"%s\\n\" \"$case\" | {shown}`,\n")
        g.write("# PS1 and PS2 empty, start-up banner and job-control notices removed), one case per run, in\n")
        g.write("# /tmp/rs/w holding a.txt b.txt c.log sub/ x ro/, HOME=/tmp/rs/home. ␤ in a case is a newline, ⇥ a tab.\n")
        g.write("# `=== input`, then `1| ` stdout lines, `2| ` stderr lines, `rc` the shell's exit status.\n")
        for case in cases:
            out, err, rc = run(argv, case)
            g.write(f"=== {case}\n")
            for l in out: g.write(f"1| {l}\n")
            for l in err: g.write(f"2| {l}\n")
            g.write(f"rc {rc}\n")
