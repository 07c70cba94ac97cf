#!/bin/sh
# The scratch tree every recorded case starts from; tests/it/fixture.rs builds the same tree in fstree.
set -e
rm -rf /tmp/g && mkdir -p /tmp/g && cd /tmp/g
printf 'hello\n' > a.txt
printf 'x%.0s' $(seq 77) > app.json
printf '\n' > 'a b'
printf 'b\na\nb\nb\nc\n10\n9\n' > s.txt
mkdir -p d/e && : > d/f
ln -s a.txt lnk
touch -h -d '2026-11-28 07:15:05 UTC' a.txt s.txt d/f d/e d lnk
touch -d '2025-06-01 09:00 UTC' app.json
touch -d '2020-01-02 03:04 UTC' 'a b'
touch -d '2026-11-28 07:15:05 UTC' /tmp/g
