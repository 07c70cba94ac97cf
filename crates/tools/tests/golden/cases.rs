// Recorded by tests/record/record.py from BusyBox 1.35 (Debian) and GNU coreutils 9.1 on
// Debian 12; regenerate, never edit by hand. (flavor, command line, stdin, stdout, stderr, code)
pub const CASES: &[(&str, &str, &str, &str, &str, i32)] = &[
    (
        "BusyBox",
        r#"ls"#,
        r#""#,
        r#"a b
a.txt
app.json
d
lnk
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls"#,
        r#""#,
        r#"a b
a.txt
app.json
d
lnk
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -l"#,
        r#""#,
        r#"total 20
-rw-r--r--    1 root     root             1 Jan  2  2020 a b
-rw-r--r--    1 root     root             6 Nov 28 07:15 a.txt
-rw-r--r--    1 root     root            77 Jun  1  2025 app.json
drwxr-xr-x    3 root     root          4096 Nov 28 07:15 d
lrwxrwxrwx    1 root     root             5 Nov 28 07:15 lnk -> a.txt
-rw-r--r--    1 root     root            15 Nov 28 07:15 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -l"#,
        r#""#,
        r#"total 20
-rw-r--r-- 1 root root    1 Jan  2  2020 a b
-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt
-rw-r--r-- 1 root root   77 Jun  1  2025 app.json
drwxr-xr-x 3 root root 4096 Nov 28 07:15 d
lrwxrwxrwx 1 root root    5 Nov 28 07:15 lnk -> a.txt
-rw-r--r-- 1 root root   15 Nov 28 07:15 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -ln"#,
        r#""#,
        r#"total 20
-rw-r--r--    1 0        0                1 Jan  2  2020 a b
-rw-r--r--    1 0        0                6 Nov 28 07:15 a.txt
-rw-r--r--    1 0        0               77 Jun  1  2025 app.json
drwxr-xr-x    3 0        0             4096 Nov 28 07:15 d
lrwxrwxrwx    1 0        0                5 Nov 28 07:15 lnk -> a.txt
-rw-r--r--    1 0        0               15 Nov 28 07:15 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -ln"#,
        r#""#,
        r#"total 20
-rw-r--r-- 1 0 0    1 Jan  2  2020 a b
-rw-r--r-- 1 0 0    6 Nov 28 07:15 a.txt
-rw-r--r-- 1 0 0   77 Jun  1  2025 app.json
drwxr-xr-x 3 0 0 4096 Nov 28 07:15 d
lrwxrwxrwx 1 0 0    5 Nov 28 07:15 lnk -> a.txt
-rw-r--r-- 1 0 0   15 Nov 28 07:15 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -lh"#,
        r#""#,
        r#"total 20K    
-rw-r--r--    1 root     root           1 Jan  2  2020 a b
-rw-r--r--    1 root     root           6 Nov 28 07:15 a.txt
-rw-r--r--    1 root     root          77 Jun  1  2025 app.json
drwxr-xr-x    3 root     root        4.0K Nov 28 07:15 d
lrwxrwxrwx    1 root     root           5 Nov 28 07:15 lnk -> a.txt
-rw-r--r--    1 root     root          15 Nov 28 07:15 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -lh"#,
        r#""#,
        r#"total 20K
-rw-r--r-- 1 root root    1 Jan  2  2020 a b
-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt
-rw-r--r-- 1 root root   77 Jun  1  2025 app.json
drwxr-xr-x 3 root root 4.0K Nov 28 07:15 d
lrwxrwxrwx 1 root root    5 Nov 28 07:15 lnk -> a.txt
-rw-r--r-- 1 root root   15 Nov 28 07:15 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -la d"#,
        r#""#,
        r#"total 12
drwxr-xr-x    3 root     root          4096 Nov 28 07:15 .
drwxr-xr-x    3 root     root          4096 Nov 28 07:15 ..
drwxr-xr-x    2 root     root          4096 Nov 28 07:15 e
-rw-r--r--    1 root     root             0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -la d"#,
        r#""#,
        r#"total 12
drwxr-xr-x 3 root root 4096 Nov 28 07:15 .
drwxr-xr-x 3 root root 4096 Nov 28 07:15 ..
drwxr-xr-x 2 root root 4096 Nov 28 07:15 e
-rw-r--r-- 1 root root    0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -l a.txt d"#,
        r#""#,
        r#"-rw-r--r--    1 root     root             6 Nov 28 07:15 a.txt

d:
total 4
drwxr-xr-x    2 root     root          4096 Nov 28 07:15 e
-rw-r--r--    1 root     root             0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -l a.txt d"#,
        r#""#,
        r#"-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt

d:
total 4
drwxr-xr-x 2 root root 4096 Nov 28 07:15 e
-rw-r--r-- 1 root root    0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -1 d"#,
        r#""#,
        r#"e
f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -1 d"#,
        r#""#,
        r#"e
f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -A d"#,
        r#""#,
        r#"e
f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -A d"#,
        r#""#,
        r#"e
f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -R"#,
        r#""#,
        r#".:
a b
a.txt
app.json
d
lnk
s.txt

./d:
e
f

./d/e:
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -R"#,
        r#""#,
        r#".:
a b
a.txt
app.json
d
lnk
s.txt

./d:
e
f

./d/e:
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -ld d"#,
        r#""#,
        r#"drwxr-xr-x    3 root     root          4096 Nov 28 07:15 d
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -ld d"#,
        r#""#,
        r#"drwxr-xr-x 3 root root 4096 Nov 28 07:15 d
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -lr"#,
        r#""#,
        r#"total 20
-rw-r--r--    1 root     root            15 Nov 28 07:15 s.txt
lrwxrwxrwx    1 root     root             5 Nov 28 07:15 lnk -> a.txt
drwxr-xr-x    3 root     root          4096 Nov 28 07:15 d
-rw-r--r--    1 root     root            77 Jun  1  2025 app.json
-rw-r--r--    1 root     root             6 Nov 28 07:15 a.txt
-rw-r--r--    1 root     root             1 Jan  2  2020 a b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -lr"#,
        r#""#,
        r#"total 20
-rw-r--r-- 1 root root   15 Nov 28 07:15 s.txt
lrwxrwxrwx 1 root root    5 Nov 28 07:15 lnk -> a.txt
drwxr-xr-x 3 root root 4096 Nov 28 07:15 d
-rw-r--r-- 1 root root   77 Jun  1  2025 app.json
-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt
-rw-r--r-- 1 root root    1 Jan  2  2020 a b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls /nope"#,
        r#""#,
        r#""#,
        r#"ls: /nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"ls /nope"#,
        r#""#,
        r#""#,
        r#"ls: cannot access '/nope': No such file or directory
"#,
        2,
    ),
    (
        "BusyBox",
        r#"ls -y"#,
        r#""#,
        r#""#,
        r#"ls: invalid option -- 'y'
BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...

List directory contents

	-1	One column output
	-a	Include names starting with .
	-A	Like -a, but exclude . and ..
	-x	List by lines
	-d	List directory names, not contents
	-L	Follow symlinks
	-H	Follow symlinks on command line
	-R	Recurse
	-p	Append / to directory names
	-F	Append indicator (one of */=@|) to names
	-l	Long format
	-i	List inode numbers
	-n	List numeric UIDs and GIDs instead of names
	-s	List allocated blocks
	-lc	List ctime
	-lu	List atime
	--full-time	List full date/time
	-h	Human readable sizes (1K 243M 2G)
	--group-directories-first
	-S	Sort by size
	-X	Sort by extension
	-v	Sort by version
	-t	Sort by mtime
	-tc	Sort by ctime
	-tu	Sort by atime
	-r	Reverse sort order
	-w N	Format N columns wide
	--color[={always,never,auto}]
"#,
        1,
    ),
    (
        "Coreutils",
        r#"ls -y"#,
        r#""#,
        r#""#,
        r#"ls: invalid option -- 'y'
Try 'ls --help' for more information.
"#,
        2,
    ),
    (
        "BusyBox",
        r#"ls -l lnk"#,
        r#""#,
        r#"lrwxrwxrwx    1 root     root             5 Nov 28 07:15 lnk -> a.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -l lnk"#,
        r#""#,
        r#"lrwxrwxrwx 1 root root 5 Nov 28 07:15 lnk -> a.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls d nope"#,
        r#""#,
        r#"d:
e
f
"#,
        r#"ls: nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"ls d nope"#,
        r#""#,
        r#"d:
e
f
"#,
        r#"ls: cannot access 'nope': No such file or directory
"#,
        2,
    ),
    (
        "BusyBox",
        r#"cat a.txt s.txt"#,
        r#""#,
        r#"hello
b
a
b
b
c
10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cat a.txt s.txt"#,
        r#""#,
        r#"hello
b
a
b
b
c
10
9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cat /x"#,
        r#""#,
        r#""#,
        r#"cat: can't open '/x': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cat /x"#,
        r#""#,
        r#""#,
        r#"cat: /x: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cat d"#,
        r#""#,
        r#""#,
        r#"cat: read error: Is a directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cat d"#,
        r#""#,
        r#""#,
        r#"cat: d: Is a directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cat -n s.txt"#,
        r#""#,
        r#"     1	b
     2	a
     3	b
     4	b
     5	c
     6	10
     7	9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cat -n s.txt"#,
        r#""#,
        r#"     1	b
     2	a
     3	b
     4	b
     5	c
     6	10
     7	9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cat"#,
        r#"from stdin
"#,
        r#"from stdin
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cat"#,
        r#"from stdin
"#,
        r#"from stdin
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"echo hello world"#,
        r#""#,
        r#"hello world
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"echo hello world"#,
        r#""#,
        r#"hello world
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"echo -n x"#, r#""#, r#"x"#, r#""#, 0),
    ("Coreutils", r#"echo -n x"#, r#""#, r#"x"#, r#""#, 0),
    (
        "BusyBox",
        r#"echo -e 'a\tb\nc'"#,
        r#""#,
        r#"a	b
c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"echo -e 'a\tb\nc'"#,
        r#""#,
        r#"a	b
c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"printf '%s-%d\n' a 1 b 2"#,
        r#""#,
        r#"a-1
b-2
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"printf '%s-%d\n' a 1 b 2"#,
        r#""#,
        r#"a-1
b-2
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"printf '%5s|%-3d|%x|%c\n' hi 7 255 xyz"#,
        r#""#,
        r#"   hi|7  |ff|x
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"printf '%5s|%-3d|%x|%c\n' hi 7 255 xyz"#,
        r#""#,
        r#"   hi|7  |ff|x
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"printf '%d\n' abc"#,
        r#""#,
        r#"0
"#,
        r#"printf: invalid number 'abc'
"#,
        1,
    ),
    (
        "Coreutils",
        r#"printf '%d\n' abc"#,
        r#""#,
        r#"0
"#,
        r#"printf: ‘abc’: expected a numeric value
"#,
        1,
    ),
    (
        "BusyBox",
        r#"mkdir d"#,
        r#""#,
        r#""#,
        r#"mkdir: can't create directory 'd': File exists
"#,
        1,
    ),
    (
        "Coreutils",
        r#"mkdir d"#,
        r#""#,
        r#""#,
        r#"mkdir: cannot create directory ‘d’: File exists
"#,
        1,
    ),
    (
        "BusyBox",
        r#"mkdir a/b"#,
        r#""#,
        r#""#,
        r#"mkdir: can't create directory 'a/b': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"mkdir a/b"#,
        r#""#,
        r#""#,
        r#"mkdir: cannot create directory ‘a/b’: No such file or directory
"#,
        1,
    ),
    ("BusyBox", r#"mkdir -p x/y/z"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"mkdir -p x/y/z"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"mkdir -p a.txt"#,
        r#""#,
        r#""#,
        r#"mkdir: can't create directory 'a.txt': File exists
"#,
        1,
    ),
    (
        "Coreutils",
        r#"mkdir -p a.txt"#,
        r#""#,
        r#""#,
        r#"mkdir: cannot create directory ‘a.txt’: File exists
"#,
        1,
    ),
    (
        "BusyBox",
        r#"mkdir"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: mkdir [-m MODE] [-p] DIRECTORY...

Create DIRECTORY

	-m MODE	Mode
	-p	No error if exists; make parent directories as needed
"#,
        1,
    ),
    (
        "Coreutils",
        r#"mkdir"#,
        r#""#,
        r#""#,
        r#"mkdir: missing operand
Try 'mkdir --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"rmdir d"#,
        r#""#,
        r#""#,
        r#"rmdir: 'd': Directory not empty
"#,
        1,
    ),
    (
        "Coreutils",
        r#"rmdir d"#,
        r#""#,
        r#""#,
        r#"rmdir: failed to remove 'd': Directory not empty
"#,
        1,
    ),
    (
        "BusyBox",
        r#"rmdir nope"#,
        r#""#,
        r#""#,
        r#"rmdir: 'nope': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"rmdir nope"#,
        r#""#,
        r#""#,
        r#"rmdir: failed to remove 'nope': No such file or directory
"#,
        1,
    ),
    ("BusyBox", r#"rmdir d/e"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"rmdir d/e"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"rm nope"#,
        r#""#,
        r#""#,
        r#"rm: can't remove 'nope': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"rm nope"#,
        r#""#,
        r#""#,
        r#"rm: cannot remove 'nope': No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"rm d"#,
        r#""#,
        r#""#,
        r#"rm: 'd' is a directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"rm d"#,
        r#""#,
        r#""#,
        r#"rm: cannot remove 'd': Is a directory
"#,
        1,
    ),
    ("BusyBox", r#"rm -f nope"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"rm -f nope"#, r#""#, r#""#, r#""#, 0),
    ("BusyBox", r#"rm -r d"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"rm -r d"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"rm"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: rm [-irf] FILE...

Remove (unlink) FILEs

	-i	Always prompt before removing
	-f	Never prompt
	-R,-r	Recurse
"#,
        1,
    ),
    (
        "Coreutils",
        r#"rm"#,
        r#""#,
        r#""#,
        r#"rm: missing operand
Try 'rm --help' for more information.
"#,
        1,
    ),
    ("BusyBox", r#"rm -rf"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"rm -rf"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"touch /proc/x/y"#,
        r#""#,
        r#""#,
        r#"touch: /proc/x/y: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"touch /proc/x/y"#,
        r#""#,
        r#""#,
        r#"touch: cannot touch '/proc/x/y': No such file or directory
"#,
        1,
    ),
    ("BusyBox", r#"touch new"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"touch new"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"touch"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...

Update mtime of FILEs

	-c	Don't create files
	-h	Don't follow links
	-a	Change only atime
	-m	Change only mtime
	-d DT	Date/time to use
	-t DT	Date/time to use
	-r FILE	Use FILE's date/time
"#,
        1,
    ),
    (
        "Coreutils",
        r#"touch"#,
        r#""#,
        r#""#,
        r#"touch: missing file operand
Try 'touch --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cp nope x"#,
        r#""#,
        r#""#,
        r#"cp: can't stat 'nope': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cp nope x"#,
        r#""#,
        r#""#,
        r#"cp: cannot stat 'nope': No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cp d x"#,
        r#""#,
        r#""#,
        r#"cp: omitting directory 'd'
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cp d x"#,
        r#""#,
        r#""#,
        r#"cp: -r not specified; omitting directory 'd'
"#,
        1,
    ),
    ("BusyBox", r#"cp a.txt b.txt"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"cp a.txt b.txt"#, r#""#, r#""#, r#""#, 0),
    ("BusyBox", r#"cp -r d d2"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"cp -r d d2"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"cp a.txt"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: cp [-arPLHpfinlsTu] SOURCE DEST
or: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }

Copy SOURCEs to DEST

	-a	Same as -dpR
	-R,-r	Recurse
	-d,-P	Preserve symlinks (default if -R)
	-L	Follow all symlinks
	-H	Follow symlinks on command line
	-p	Preserve file attributes if possible
	-f	Overwrite
	-i	Prompt before overwrite
	-n	Don't overwrite
	-l,-s	Create (sym)links
	-T	Refuse to copy if DEST is a directory
	-t DIR	Copy all SOURCEs into DIR
	-u	Copy only newer files
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cp a.txt"#,
        r#""#,
        r#""#,
        r#"cp: missing destination file operand after 'a.txt'
Try 'cp --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cp a.txt s.txt nope"#,
        r#""#,
        r#""#,
        r#"cp: can't create 'nope/a.txt': No such file or directory
cp: can't create 'nope/s.txt': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cp a.txt s.txt nope"#,
        r#""#,
        r#""#,
        r#"cp: target 'nope': No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cp a.txt a.txt"#,
        r#""#,
        r#""#,
        r#"cp: 'a.txt' and 'a.txt' are the same file
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cp a.txt a.txt"#,
        r#""#,
        r#""#,
        r#"cp: 'a.txt' and 'a.txt' are the same file
"#,
        1,
    ),
    (
        "BusyBox",
        r#"mv nope x"#,
        r#""#,
        r#""#,
        r#"mv: can't rename 'nope': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"mv nope x"#,
        r#""#,
        r#""#,
        r#"mv: cannot stat 'nope': No such file or directory
"#,
        1,
    ),
    ("BusyBox", r#"mv a.txt d"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"mv a.txt d"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"mv a.txt"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: mv [-finT] SOURCE DEST
or: mv [-fin] SOURCE... { -t DIRECTORY | DIRECTORY }

Rename SOURCE to DEST, or move SOURCEs to DIRECTORY

	-f	Don't prompt before overwriting
	-i	Interactive, prompt before overwrite
	-n	Don't overwrite an existing file
	-T	Refuse to move if DEST is a directory
	-t DIR	Move all SOURCEs into DIR
"#,
        1,
    ),
    (
        "Coreutils",
        r#"mv a.txt"#,
        r#""#,
        r#""#,
        r#"mv: missing destination file operand after 'a.txt'
Try 'mv --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"ln -s a.txt lnk"#,
        r#""#,
        r#""#,
        r#"ln: lnk: File exists
"#,
        1,
    ),
    (
        "Coreutils",
        r#"ln -s a.txt lnk"#,
        r#""#,
        r#""#,
        r#"ln: failed to create symbolic link 'lnk': File exists
"#,
        1,
    ),
    (
        "BusyBox",
        r#"ln a.txt d/f"#,
        r#""#,
        r#""#,
        r#"ln: d/f: File exists
"#,
        1,
    ),
    (
        "Coreutils",
        r#"ln a.txt d/f"#,
        r#""#,
        r#""#,
        r#"ln: failed to create hard link 'd/f': File exists
"#,
        1,
    ),
    ("BusyBox", r#"ln -s a.txt newlink"#, r#""#, r#""#, r#""#, 0),
    (
        "Coreutils",
        r#"ln -s a.txt newlink"#,
        r#""#,
        r#""#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ln"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR

Create a link LINK or DIR/TARGET to the specified TARGET(s)

	-s	Make symlinks instead of hardlinks
	-f	Remove existing destinations
	-n	Don't dereference symlinks - treat like normal file
	-b	Make a backup of the target (if exists) before link operation
	-S SUF	Use suffix instead of ~ when making backup files
	-T	Treat LINK as a file, not DIR
	-v	Verbose
"#,
        1,
    ),
    (
        "Coreutils",
        r#"ln"#,
        r#""#,
        r#""#,
        r#"ln: missing file operand
Try 'ln --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"chmod 777 nope"#,
        r#""#,
        r#""#,
        r#"chmod: nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chmod 777 nope"#,
        r#""#,
        r#""#,
        r#"chmod: cannot access 'nope': No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"chmod zz a.txt"#,
        r#""#,
        r#""#,
        r#"chmod: invalid mode 'zz'
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chmod zz a.txt"#,
        r#""#,
        r#""#,
        r#"chmod: invalid mode: ‘zz’
Try 'chmod --help' for more information.
"#,
        1,
    ),
    ("BusyBox", r#"chmod u+x a.txt"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"chmod u+x a.txt"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"chmod"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: chmod [-Rcvf] MODE[,MODE]... FILE...

MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]

	-R	Recurse
	-c	List changed files
	-v	Verbose
	-f	Hide errors
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chmod"#,
        r#""#,
        r#""#,
        r#"chmod: missing operand
Try 'chmod --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"chmod 644"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: chmod [-Rcvf] MODE[,MODE]... FILE...

MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]

	-R	Recurse
	-c	List changed files
	-v	Verbose
	-f	Hide errors
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chmod 644"#,
        r#""#,
        r#""#,
        r#"chmod: missing operand after ‘644’
Try 'chmod --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"chown bob a.txt"#,
        r#""#,
        r#""#,
        r#"chown: unknown user bob
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chown bob a.txt"#,
        r#""#,
        r#""#,
        r#"chown: invalid user: ‘bob’
"#,
        1,
    ),
    (
        "BusyBox",
        r#"chown nope:root a.txt"#,
        r#""#,
        r#""#,
        r#"chown: unknown user/group nope:root
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chown nope:root a.txt"#,
        r#""#,
        r#""#,
        r#"chown: invalid user: ‘nope:root’
"#,
        1,
    ),
    (
        "BusyBox",
        r#"chown root:nosuchgrp a.txt"#,
        r#""#,
        r#""#,
        r#"chown: unknown user/group root:nosuchgrp
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chown root:nosuchgrp a.txt"#,
        r#""#,
        r#""#,
        r#"chown: invalid group: ‘root:nosuchgrp’
"#,
        1,
    ),
    ("BusyBox", r#"chown root a.txt"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"chown root a.txt"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"chown"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: chown [-RhLHPcvf]... USER[:[GRP]] FILE...

Change the owner and/or group of FILEs to USER and/or GRP

	-h	Affect symlinks instead of symlink targets
	-L	Traverse all symlinks to directories
	-H	Traverse symlinks on command line only
	-P	Don't traverse symlinks (default)
	-R	Recurse
	-c	List changed files
	-v	Verbose
	-f	Hide errors
"#,
        1,
    ),
    (
        "Coreutils",
        r#"chown"#,
        r#""#,
        r#""#,
        r#"chown: missing operand
Try 'chown --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"head nope"#,
        r#""#,
        r#""#,
        r#"head: nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"head nope"#,
        r#""#,
        r#""#,
        r#"head: cannot open 'nope' for reading: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"head -n 2 s.txt a.txt"#,
        r#""#,
        r#"==> s.txt <==
b
a

==> a.txt <==
hello
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"head -n 2 s.txt a.txt"#,
        r#""#,
        r#"==> s.txt <==
b
a

==> a.txt <==
hello
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"head -3 s.txt"#,
        r#""#,
        r#"b
a
b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"head -3 s.txt"#,
        r#""#,
        r#"b
a
b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"head -n x s.txt"#,
        r#""#,
        r#""#,
        r#"head: invalid number 'x'
"#,
        1,
    ),
    (
        "Coreutils",
        r#"head -n x s.txt"#,
        r#""#,
        r#""#,
        r#"head: invalid number of lines: ‘x’
"#,
        1,
    ),
    (
        "BusyBox",
        r#"head d"#,
        r#""#,
        r#""#,
        r#"head: d: Input/output error
"#,
        1,
    ),
    (
        "Coreutils",
        r#"head d"#,
        r#""#,
        r#""#,
        r#"head: error reading 'd': Is a directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"tail -n 2 s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"tail -n 2 s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"tail -n +6 s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"tail -n +6 s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"tail nope"#,
        r#""#,
        r#""#,
        r#"tail: can't open 'nope': No such file or directory
tail: no files
"#,
        1,
    ),
    (
        "Coreutils",
        r#"tail nope"#,
        r#""#,
        r#""#,
        r#"tail: cannot open 'nope' for reading: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"tail d"#,
        r#""#,
        r#""#,
        r#"tail: read error: Is a directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"tail d"#,
        r#""#,
        r#""#,
        r#"tail: error reading 'd': Is a directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"tail -f a.txt"#,
        r#""#,
        r#"hello
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"tail -f a.txt"#,
        r#""#,
        r#"hello
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"wc s.txt a.txt"#,
        r#""#,
        r#"        7         7        15 s.txt
        1         1         6 a.txt
        8         8        21 total
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"wc s.txt a.txt"#,
        r#""#,
        r#" 7  7 15 s.txt
 1  1  6 a.txt
 8  8 21 total
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"wc -l s.txt"#,
        r#""#,
        r#"7 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"wc -l s.txt"#,
        r#""#,
        r#"7 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"wc nope"#,
        r#""#,
        r#""#,
        r#"wc: nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"wc nope"#,
        r#""#,
        r#""#,
        r#"wc: nope: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"wc d"#,
        r#""#,
        r#"        0         0         0 d
"#,
        r#"wc: d: Is a directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"wc d"#,
        r#""#,
        r#"      0       0       0 d
"#,
        r#"wc: d: Is a directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"wc"#,
        r#"hi
"#,
        r#"        1         1         3
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"wc"#,
        r#"hi
"#,
        r#"      1       1       3
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox", r#"wc -l"#, r#"hi
"#, r#"1
"#, r#""#, 0,
    ),
    (
        "Coreutils",
        r#"wc -l"#,
        r#"hi
"#,
        r#"1
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"wc -w s.txt"#,
        r#""#,
        r#"7 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"wc -w s.txt"#,
        r#""#,
        r#"7 s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep b s.txt"#,
        r#""#,
        r#"b
b
b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep b s.txt"#,
        r#""#,
        r#"b
b
b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -c b s.txt a.txt"#,
        r#""#,
        r#"s.txt:3
a.txt:0
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -c b s.txt a.txt"#,
        r#""#,
        r#"s.txt:3
a.txt:0
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -n b s.txt"#,
        r#""#,
        r#"1:b
3:b
4:b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -n b s.txt"#,
        r#""#,
        r#"1:b
3:b
4:b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -v b s.txt"#,
        r#""#,
        r#"a
c
10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -v b s.txt"#,
        r#""#,
        r#"a
c
10
9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -i HELLO a.txt"#,
        r#""#,
        r#"hello
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -i HELLO a.txt"#,
        r#""#,
        r#"hello
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -l b s.txt a.txt"#,
        r#""#,
        r#"s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -l b s.txt a.txt"#,
        r#""#,
        r#"s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep x nope"#,
        r#""#,
        r#""#,
        r#"grep: nope: No such file or directory
"#,
        2,
    ),
    (
        "Coreutils",
        r#"grep x nope"#,
        r#""#,
        r#""#,
        r#"grep: nope: No such file or directory
"#,
        2,
    ),
    ("BusyBox", r#"grep zzz s.txt"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"grep zzz s.txt"#, r#""#, r#""#, r#""#, 1),
    (
        "Coreutils",
        r#"grep -r hello ."#,
        r#""#,
        r#"./a.txt:hello
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"grep -r hello d/e"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"grep -r hello d/e"#, r#""#, r#""#, r#""#, 1),
    ("BusyBox", r#"grep -r hello d"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"grep -r hello d"#, r#""#, r#""#, r#""#, 1),
    (
        "BusyBox",
        r#"grep '^1' s.txt"#,
        r#""#,
        r#"10
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep '^1' s.txt"#,
        r#""#,
        r#"10
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep '[0-9]$' s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep '[0-9]$' s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"grep d"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"grep d"#, r#""#, r#""#, r#""#, 1),
    ("BusyBox", r#"grep -q b s.txt"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"grep -q b s.txt"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"grep hi"#,
        r#"hi
ho
"#,
        r#"hi
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep hi"#,
        r#"hi
ho
"#,
        r#"hi
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"sort s.txt"#,
        r#""#,
        r#"10
9
a
b
b
b
c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"sort s.txt"#,
        r#""#,
        r#"10
9
a
b
b
b
c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"sort -n s.txt"#,
        r#""#,
        r#"a
b
b
b
c
9
10
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"sort -n s.txt"#,
        r#""#,
        r#"a
b
b
b
c
9
10
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"sort -r s.txt"#,
        r#""#,
        r#"c
b
b
b
a
9
10
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"sort -r s.txt"#,
        r#""#,
        r#"c
b
b
b
a
9
10
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"sort -u s.txt"#,
        r#""#,
        r#"10
9
a
b
c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"sort -u s.txt"#,
        r#""#,
        r#"10
9
a
b
c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"sort nope"#,
        r#""#,
        r#""#,
        r#"sort: nope: No such file or directory
"#,
        2,
    ),
    (
        "Coreutils",
        r#"sort nope"#,
        r#""#,
        r#""#,
        r#"sort: cannot read: nope: No such file or directory
"#,
        2,
    ),
    (
        "BusyBox",
        r#"uniq s.txt"#,
        r#""#,
        r#"b
a
b
c
10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"uniq s.txt"#,
        r#""#,
        r#"b
a
b
c
10
9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"uniq -c s.txt"#,
        r#""#,
        r#"      1 b
      1 a
      2 b
      1 c
      1 10
      1 9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"uniq -c s.txt"#,
        r#""#,
        r#"      1 b
      1 a
      2 b
      1 c
      1 10
      1 9
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"uniq nope"#,
        r#""#,
        r#""#,
        r#"uniq: can't open 'nope': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"uniq nope"#,
        r#""#,
        r#""#,
        r#"uniq: nope: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"tee out.txt"#,
        r#"abc
"#,
        r#"abc
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"tee out.txt"#,
        r#"abc
"#,
        r#"abc
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"tee /nope/x"#,
        r#"abc
"#,
        r#"abc
"#,
        r#"tee: /nope/x: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"tee /nope/x"#,
        r#"abc
"#,
        r#"abc
"#,
        r#"tee: /nope/x: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"basename /a/b.txt .txt"#,
        r#""#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"basename /a/b.txt .txt"#,
        r#""#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"basename /a/b/"#,
        r#""#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"basename /a/b/"#,
        r#""#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"basename"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...

Strip directory path and SUFFIX from FILE

	-a		All arguments are FILEs
	-s SUFFIX	Remove SUFFIX (implies -a)
"#,
        1,
    ),
    (
        "Coreutils",
        r#"basename"#,
        r#""#,
        r#""#,
        r#"basename: missing operand
Try 'basename --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"dirname /a/b/"#,
        r#""#,
        r#"/a
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"dirname /a/b/"#,
        r#""#,
        r#"/a
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"dirname a"#,
        r#""#,
        r#".
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"dirname a"#,
        r#""#,
        r#".
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"dirname"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: dirname FILENAME

Strip non-directory suffix from FILENAME
"#,
        1,
    ),
    (
        "Coreutils",
        r#"dirname"#,
        r#""#,
        r#""#,
        r#"dirname: missing operand
Try 'dirname --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"readlink lnk"#,
        r#""#,
        r#"a.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"readlink lnk"#,
        r#""#,
        r#"a.txt
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"readlink a.txt"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"readlink a.txt"#, r#""#, r#""#, r#""#, 1),
    (
        "BusyBox",
        r#"readlink -f lnk"#,
        r#""#,
        r#"/tmp/g/a.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"readlink -f lnk"#,
        r#""#,
        r#"/tmp/g/a.txt
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"readlink -f nope/x"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"readlink -f nope/x"#, r#""#, r#""#, r#""#, 1),
    (
        "BusyBox",
        r#"find d/e"#,
        r#""#,
        r#"d/e
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"find d/e"#,
        r#""#,
        r#"d/e
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"find d -name e"#,
        r#""#,
        r#"d/e
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"find d -name e"#,
        r#""#,
        r#"d/e
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"find d -type f"#,
        r#""#,
        r#"d/f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"find d -type f"#,
        r#""#,
        r#"d/f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"find d -name 'f*'"#,
        r#""#,
        r#"d/f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"find d -name 'f*'"#,
        r#""#,
        r#"d/f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"find . -maxdepth 1 -type d"#,
        r#""#,
        r#".
./d
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"find . -maxdepth 1 -type d"#,
        r#""#,
        r#".
./d
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"find nope"#,
        r#""#,
        r#""#,
        r#"find: nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"find nope"#,
        r#""#,
        r#""#,
        r#"find: ‘nope’: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"find d -foo"#,
        r#""#,
        r#""#,
        r#"find: unrecognized: -foo
BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: find [-HL] [PATH]... [OPTIONS] [ACTIONS]

Search for files and perform actions on them.
First failed action stops processing of current file.
Defaults: PATH is current directory, action is '-print'

	-L,-follow	Follow symlinks
	-H		...on command line only
	-xdev		Don't descend directories on other filesystems
	-maxdepth N	Descend at most N levels. -maxdepth 0 applies
			actions to command line arguments only
	-mindepth N	Don't act on first N levels
	-depth		Act on directory *after* traversing it

Actions:
	( ACTIONS )	Group actions for -o / -a
	! ACT		Invert ACT's success/failure
	ACT1 [-a] ACT2	If ACT1 fails, stop, else do ACT2
	ACT1 -o ACT2	If ACT1 succeeds, stop, else do ACT2
			Note: -a has higher priority than -o
	-name PATTERN	Match file name (w/o directory name) to PATTERN
	-iname PATTERN	Case insensitive -name
	-path PATTERN	Match path to PATTERN
	-ipath PATTERN	Case insensitive -path
	-regex PATTERN	Match path to regex PATTERN
	-type X		File type is X (one of: f,d,l,b,c,s,p)
	-executable	File is executable
	-perm MASK	At least one mask bit (+MASK), all bits (-MASK),
			or exactly MASK bits are set in file's mode
	-mtime DAYS	mtime is greater than (+N), less than (-N),
			or exactly N days in the past
	-atime DAYS	atime +N/-N/N days in the past
	-ctime DAYS	ctime +N/-N/N days in the past
	-mmin MINS	mtime is greater than (+N), less than (-N),
			or exactly N minutes in the past
	-amin MINS	atime +N/-N/N minutes in the past
	-cmin MINS	ctime +N/-N/N minutes in the past
	-newer FILE	mtime is more recent than FILE's
	-inum N		File has inode number N
	-samefile FILE	File is same as FILE
	-user NAME/ID	File is owned by given user
	-group NAME/ID	File is owned by given group
	-size N[bck]	File size is N (c:bytes,k:kbytes,b:512 bytes(def.))
			+/-N: file size is bigger/smaller than N
	-links N	Number of links is greater than (+N), less than (-N),
			or exactly N
	-empty		Match empty file/directory
	-prune		If current file is directory, don't descend into it
If none of the following actions is specified, -print is assumed
	-print		Print file name
	-print0		Print file name, NUL terminated
	-exec CMD ARG ;	Run CMD with all instances of {} replaced by
			file name. Fails if CMD exits with nonzero
	-exec CMD ARG + Run CMD with {} replaced by list of file names
	-quit		Exit
"#,
        1,
    ),
    (
        "Coreutils",
        r#"find d -foo"#,
        r#""#,
        r#""#,
        r#"find: unknown predicate `-foo'
"#,
        1,
    ),
    (
        "BusyBox",
        r#"du d"#,
        r#""#,
        r#"4	d/e
8	d
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"du d"#,
        r#""#,
        r#"4	d/e
8	d
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"du -s d"#,
        r#""#,
        r#"8	d
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"du -s d"#,
        r#""#,
        r#"8	d
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"du -sh d"#,
        r#""#,
        r#"8.0K	d
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"du -sh d"#,
        r#""#,
        r#"8.0K	d
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"du -a d/e"#,
        r#""#,
        r#"4	d/e
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"du -a d/e"#,
        r#""#,
        r#"4	d/e
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"du nope"#,
        r#""#,
        r#""#,
        r#"du: nope: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"du nope"#,
        r#""#,
        r#""#,
        r#"du: cannot access 'nope': No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"pwd"#,
        r#""#,
        r#"/tmp/g
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"pwd"#,
        r#""#,
        r#"/tmp/g
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"sleep x"#,
        r#""#,
        r#""#,
        r#"sleep: invalid number 'x'
"#,
        1,
    ),
    (
        "Coreutils",
        r#"sleep x"#,
        r#""#,
        r#""#,
        r#"sleep: invalid time interval ‘x’
Try 'sleep --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"sleep"#,
        r#""#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: sleep [N]...

Pause for a time equal to the total of the args given, where each arg can
have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays
"#,
        1,
    ),
    (
        "Coreutils",
        r#"sleep"#,
        r#""#,
        r#""#,
        r#"sleep: missing operand
Try 'sleep --help' for more information.
"#,
        1,
    ),
    ("BusyBox", r#"sleep 1"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"sleep 1"#, r#""#, r#""#, r#""#, 0),
    ("BusyBox", r#"true"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"true"#, r#""#, r#""#, r#""#, 0),
    ("BusyBox", r#"false"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"false"#, r#""#, r#""#, r#""#, 1),
    (
        "BusyBox",
        r#"stat nope"#,
        r#""#,
        r#""#,
        r#"stat: can't stat 'nope': No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"stat nope"#,
        r#""#,
        r#""#,
        r#"stat: cannot statx 'nope': No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"ls -l a.txt d"#,
        r#""#,
        r#"-rw-r--r--    1 root     root             6 Nov 28 07:15 a.txt

d:
total 4
drwxr-xr-x    2 root     root          4096 Nov 28 07:15 e
-rw-r--r--    1 root     root             0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -l a.txt d"#,
        r#""#,
        r#"-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt

d:
total 4
drwxr-xr-x 2 root root 4096 Nov 28 07:15 e
-rw-r--r-- 1 root root    0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -lt"#,
        r#""#,
        r#"total 20
-rw-r--r--    1 root     root             6 Nov 28 07:15 a.txt
drwxr-xr-x    3 root     root          4096 Nov 28 07:15 d
lrwxrwxrwx    1 root     root             5 Nov 28 07:15 lnk -> a.txt
-rw-r--r--    1 root     root            15 Nov 28 07:15 s.txt
-rw-r--r--    1 root     root            77 Jun  1  2025 app.json
-rw-r--r--    1 root     root             1 Jan  2  2020 a b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -lt"#,
        r#""#,
        r#"total 20
-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt
drwxr-xr-x 3 root root 4096 Nov 28 07:15 d
lrwxrwxrwx 1 root root    5 Nov 28 07:15 lnk -> a.txt
-rw-r--r-- 1 root root   15 Nov 28 07:15 s.txt
-rw-r--r-- 1 root root   77 Jun  1  2025 app.json
-rw-r--r-- 1 root root    1 Jan  2  2020 a b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -lS"#,
        r#""#,
        r#"total 20
drwxr-xr-x    3 root     root          4096 Nov 28 07:15 d
-rw-r--r--    1 root     root            77 Jun  1  2025 app.json
-rw-r--r--    1 root     root            15 Nov 28 07:15 s.txt
-rw-r--r--    1 root     root             6 Nov 28 07:15 a.txt
lrwxrwxrwx    1 root     root             5 Nov 28 07:15 lnk -> a.txt
-rw-r--r--    1 root     root             1 Jan  2  2020 a b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -lS"#,
        r#""#,
        r#"total 20
drwxr-xr-x 3 root root 4096 Nov 28 07:15 d
-rw-r--r-- 1 root root   77 Jun  1  2025 app.json
-rw-r--r-- 1 root root   15 Nov 28 07:15 s.txt
-rw-r--r-- 1 root root    6 Nov 28 07:15 a.txt
lrwxrwxrwx 1 root root    5 Nov 28 07:15 lnk -> a.txt
-rw-r--r-- 1 root root    1 Jan  2  2020 a b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cp a.txt s.txt a.txt"#,
        r#""#,
        r#""#,
        r#"cp: can't stat 'a.txt/a.txt': Not a directory
cp: can't stat 'a.txt/s.txt': Not a directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cp a.txt s.txt a.txt"#,
        r#""#,
        r#""#,
        r#"cp: target 'a.txt': Not a directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"grep -e a -e c s.txt"#,
        r#""#,
        r#"a
c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -e a -e c s.txt"#,
        r#""#,
        r#"a
c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -x b s.txt"#,
        r#""#,
        r#"b
b
b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -x b s.txt"#,
        r#""#,
        r#"b
b
b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"grep -E '1|9' s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"grep -E '1|9' s.txt"#,
        r#""#,
        r#"10
9
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"grep -F . s.txt"#, r#""#, r#""#, r#""#, 1),
    ("Coreutils", r#"grep -F . s.txt"#, r#""#, r#""#, r#""#, 1),
    (
        "BusyBox",
        r#"head -n -2 s.txt"#,
        r#""#,
        r#"b
a
b
b
c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"head -n -2 s.txt"#,
        r#""#,
        r#"b
a
b
b
c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"uniq -d s.txt"#,
        r#""#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"uniq -d s.txt"#,
        r#""#,
        r#"b
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"mkdir -m 700 m"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"mkdir -m 700 m"#, r#""#, r#""#, r#""#, 0),
    ("BusyBox", r#"rm -r d/e"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"rm -r d/e"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"id"#,
        r#""#,
        r#"uid=0(root) gid=0(root)
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"id"#,
        r#""#,
        r#"uid=0(root) gid=0(root) groups=0(root)
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"whoami"#,
        r#""#,
        r#"root
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"whoami"#,
        r#""#,
        r#"root
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"hostname"#,
        r#""#,
        r#"vm
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"hostname"#,
        r#""#,
        r#"vm
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ls -l /tmp/g/d"#,
        r#""#,
        r#"total 4
drwxr-xr-x    2 root     root          4096 Nov 28 07:15 e
-rw-r--r--    1 root     root             0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ls -l /tmp/g/d"#,
        r#""#,
        r#"total 4
drwxr-xr-x 2 root root 4096 Nov 28 07:15 e
-rw-r--r-- 1 root root    0 Nov 28 07:15 f
"#,
        r#""#,
        0,
    ),
    ("BusyBox", r#"chmod -R go-rx d"#, r#""#, r#""#, r#""#, 0),
    ("Coreutils", r#"chmod -R go-rx d"#, r#""#, r#""#, r#""#, 0),
    (
        "BusyBox",
        r#"echo a 'b  c'"#,
        r#""#,
        r#"a b  c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"echo a 'b  c'"#,
        r#""#,
        r#"a b  c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"printf 'x\n'"#,
        r#""#,
        r#"x
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"printf 'x\n'"#,
        r#""#,
        r#"x
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"printf '%3d|%-5s|\n' 42 ab"#,
        r#""#,
        r#" 42|ab   |
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"printf '%3d|%-5s|\n' 42 ab"#,
        r#""#,
        r#" 42|ab   |
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"wc -c a.txt"#,
        r#""#,
        r#"6 a.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"wc -c a.txt"#,
        r#""#,
        r#"6 a.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"dirname /a"#,
        r#""#,
        r#"/
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"dirname /a"#,
        r#""#,
        r#"/
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"basename a/b/c.txt .txt"#,
        r#""#,
        r#"c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"basename a/b/c.txt .txt"#,
        r#""#,
        r#"c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"touch new ;; stat -c '%n %a %U %G %s %F' new"#,
        r#""#,
        r#"--
new 644 root root 0 regular empty file
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"touch new ;; stat -c '%n %a %U %G %s %F' new"#,
        r#""#,
        r#"--
new 644 root root 0 regular empty file
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"mkdir -p x/y ;; ls -R x"#,
        r#""#,
        r#"--
x:
y

x/y:
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"mkdir -p x/y ;; ls -R x"#,
        r#""#,
        r#"--
x:
y

x/y:
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"mkdir -m 700 m ;; stat -c '%n %a %F' m"#,
        r#""#,
        r#"--
m 700 directory
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"mkdir -m 700 m ;; stat -c '%n %a %F' m"#,
        r#""#,
        r#"--
m 700 directory
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"chmod u+x,go-r a.txt ;; stat -c '%a' a.txt"#,
        r#""#,
        r#"--
700
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"chmod u+x,go-r a.txt ;; stat -c '%a' a.txt"#,
        r#""#,
        r#"--
700
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"chmod 600 a.txt ;; stat -c '%a' a.txt"#,
        r#""#,
        r#"--
600
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"chmod 600 a.txt ;; stat -c '%a' a.txt"#,
        r#""#,
        r#"--
600
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"chmod a=rx,u+w s.txt ;; stat -c '%a' s.txt"#,
        r#""#,
        r#"--
755
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"chmod a=rx,u+w s.txt ;; stat -c '%a' s.txt"#,
        r#""#,
        r#"--
755
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"chmod -R go-rx d ;; stat -c '%n %a' d d/e d/f"#,
        r#""#,
        r#"--
d 700
d/e 700
d/f 600
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"chmod -R go-rx d ;; stat -c '%n %a' d d/e d/f"#,
        r#""#,
        r#"--
d 700
d/e 700
d/f 600
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"chown 1000:1000 a.txt ;; stat -c '%u %g' a.txt"#,
        r#""#,
        r#"--
1000 1000
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"chown 1000:1000 a.txt ;; stat -c '%u %g' a.txt"#,
        r#""#,
        r#"--
1000 1000
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"chown nobody a.txt ;; stat -c '%U %G' a.txt"#,
        r#""#,
        r#"--
nobody root
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"chown nobody a.txt ;; stat -c '%U %G' a.txt"#,
        r#""#,
        r#"--
nobody root
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cp a.txt b.txt ;; stat -c '%n %a %s' b.txt"#,
        r#""#,
        r#"--
b.txt 644 6
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cp a.txt b.txt ;; stat -c '%n %a %s' b.txt"#,
        r#""#,
        r#"--
b.txt 644 6
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cp -r d d2 ;; ls -R d2"#,
        r#""#,
        r#"--
d2:
e
f

d2/e:
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cp -r d d2 ;; ls -R d2"#,
        r#""#,
        r#"--
d2:
e
f

d2/e:
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cp -a d d3 ;; stat -c '%n %a %Y' d3 d3/f"#,
        r#""#,
        r#"--
d3 755 1795850105
d3/f 644 1795850105
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cp -a d d3 ;; stat -c '%n %a %Y' d3 d3/f"#,
        r#""#,
        r#"--
d3 755 1795850105
d3/f 644 1795850105
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cp a.txt d ;; ls -R d"#,
        r#""#,
        r#"--
d:
a.txt
e
f

d/e:
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cp a.txt d ;; ls -R d"#,
        r#""#,
        r#"--
d:
a.txt
e
f

d/e:
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"mv a.txt d ;; ls -R d"#,
        r#""#,
        r#"--
d:
a.txt
e
f

d/e:
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"mv a.txt d ;; ls -R d"#,
        r#""#,
        r#"--
d:
a.txt
e
f

d/e:
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"mv d dd ;; ls -R dd"#,
        r#""#,
        r#"--
dd:
e
f

dd/e:
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"mv d dd ;; ls -R dd"#,
        r#""#,
        r#"--
dd:
e
f

dd/e:
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"rm -r d ;; ls"#,
        r#""#,
        r#"--
a b
a.txt
app.json
lnk
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"rm -r d ;; ls"#,
        r#""#,
        r#"--
a b
a.txt
app.json
lnk
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"rm a.txt lnk ;; ls"#,
        r#""#,
        r#"--
a b
app.json
d
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"rm a.txt lnk ;; ls"#,
        r#""#,
        r#"--
a b
app.json
d
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ln -s a.txt newlink ;; readlink newlink"#,
        r#""#,
        r#"--
a.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ln -s a.txt newlink ;; readlink newlink"#,
        r#""#,
        r#"--
a.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ln a.txt hard ;; stat -c '%h' a.txt"#,
        r#""#,
        r#"--
2
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ln a.txt hard ;; stat -c '%h' a.txt"#,
        r#""#,
        r#"--
2
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"ln -sf s.txt lnk ;; readlink lnk"#,
        r#""#,
        r#"--
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"ln -sf s.txt lnk ;; readlink lnk"#,
        r#""#,
        r#"--
s.txt
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"tee out.txt ;; cat out.txt"#,
        r#"abc
"#,
        r#"abc
--
abc
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"tee out.txt ;; cat out.txt"#,
        r#"abc
"#,
        r#"abc
--
abc
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"tee -a a.txt ;; cat a.txt"#,
        r#"more
"#,
        r#"more
--
hello
more
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"tee -a a.txt ;; cat a.txt"#,
        r#"more
"#,
        r#"more
--
hello
more
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"rmdir d/e ;; ls -R d"#,
        r#""#,
        r#"--
d:
f
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"rmdir d/e ;; ls -R d"#,
        r#""#,
        r#"--
d:
f
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"touch -c nofile ;; ls nofile"#,
        r#""#,
        r#"--
"#,
        r#"ls: nofile: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"touch -c nofile ;; ls nofile"#,
        r#""#,
        r#"--
"#,
        r#"ls: cannot access 'nofile': No such file or directory
"#,
        2,
    ),
    (
        "BusyBox",
        r#"cut"#,
        r#"a:b:c
"#,
        r#""#,
        r#"cut: expected a list of bytes, characters, or fields
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut"#,
        r#"a:b:c
"#,
        r#""#,
        r#"cut: you must specify a list of bytes, characters, or fields
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cut -f1 -c1"#,
        r#"a:b:c
"#,
        r#""#,
        r#"BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.

Usage: cut [OPTIONS] [FILE]...

Print selected fields from FILEs to stdout

	-b LIST	Output only bytes from LIST
	-c LIST	Output only characters from LIST
	-d SEP	Field delimiter for input (default -f TAB, -F run of whitespace)
	-O SEP	Field delimiter for output (default = -d for -f, one space for -F)
	-D	Don't sort/collate sections or match -fF lines without delimiter
	-f LIST	Print only these fields (-d is single char)
	-F LIST	Print only these fields (-d is regex)
	-s	Output only lines containing delimiter
	-n	Ignored
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -f1 -c1"#,
        r#"a:b:c
"#,
        r#""#,
        r#"cut: only one list may be specified
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cut -d: -f2"#,
        r#"a:b:c
xyz
"#,
        r#"b
xyz
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: -f2"#,
        r#"a:b:c
xyz
"#,
        r#"b
xyz
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -s -f2"#,
        r#"a:b:c
xyz
"#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: -s -f2"#,
        r#"a:b:c
xyz
"#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -f2-"#,
        r#"a:b:c
xyz
"#,
        r#"b:c
xyz
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: -f2-"#,
        r#"a:b:c
xyz
"#,
        r#"b:c
xyz
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -f-2"#,
        r#"a:b:c
"#,
        r#"a:b
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: -f-2"#,
        r#"a:b:c
"#,
        r#"a:b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -f3,1"#,
        r#"a:b:c
"#,
        r#"a:c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: -f3,1"#,
        r#"a:b:c
"#,
        r#"a:c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -f 1-2,2-3"#,
        r#"a:b:c
"#,
        r#"a:b:c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: -f 1-2,2-3"#,
        r#"a:b:c
"#,
        r#"a:b:c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d" " -f1-3"#,
        r#"tmpfs /scratch tmpfs rw,nosuid 0 0
"#,
        r#"tmpfs /scratch tmpfs
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d" " -f1-3"#,
        r#"tmpfs /scratch tmpfs rw,nosuid 0 0
"#,
        r#"tmpfs /scratch tmpfs
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -f x"#,
        r#"a
"#,
        r#""#,
        r#"cut: invalid number 'x'
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -f x"#,
        r#"a
"#,
        r#""#,
        r#"cut: invalid field value ‘x’
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cut -f 3-1"#,
        r#"a
"#,
        r#""#,
        r#"cut: 1<2
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -f 3-1"#,
        r#"a
"#,
        r#""#,
        r#"cut: invalid decreasing range
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cut -s -c1"#,
        r#"a
"#,
        r#""#,
        r#"cut: suppressing non-delimited lines makes sense only when operating on fields
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -s -c1"#,
        r#"a
"#,
        r#""#,
        r#"cut: suppressing non-delimited lines makes sense
	only when operating on fields
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cut -c 2-"#,
        r#"abc
xy
"#,
        r#"bc
y
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -c 2-"#,
        r#"abc
xy
"#,
        r#"bc
y
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -b 1,1,2"#,
        r#"abc
"#,
        r#"ab
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -b 1,1,2"#,
        r#"abc
"#,
        r#"ab
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -c2 s.txt"#,
        r#""#,
        r#"




0

"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -c2 s.txt"#,
        r#""#,
        r#"




0

"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -f1 nofile"#,
        r#""#,
        r#""#,
        r#"cut: nofile: No such file or directory
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -d: -f1 nofile"#,
        r#""#,
        r#""#,
        r#"cut: nofile: No such file or directory
"#,
        1,
    ),
    (
        "BusyBox",
        r#"cut -d: -D -f3,1"#,
        r#"a:b:c
"#,
        r#"c:a
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -d: -O+ -f1,3"#,
        r#"a:b:c
"#,
        r#"a+c
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -F2"#,
        r#"a   b  c
"#,
        r#"b
"#,
        r#""#,
        0,
    ),
    (
        "BusyBox",
        r#"cut -f 0"#,
        r#"a
"#,
        r#"a
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d ab -f1"#,
        r#"a
"#,
        r#""#,
        r#"cut: the delimiter must be a single character
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -f 0"#,
        r#"a
"#,
        r#""#,
        r#"cut: fields are numbered from 1
Try 'cut --help' for more information.
"#,
        1,
    ),
    (
        "Coreutils",
        r#"cut -d: --complement -f2"#,
        r#"a:b:c
"#,
        r#"a:c
"#,
        r#""#,
        0,
    ),
    (
        "Coreutils",
        r#"cut -d: --output-delimiter=+ -f1,3"#,
        r#"a:b:c
"#,
        r#"a+c
"#,
        r#""#,
        0,
    ),
];
