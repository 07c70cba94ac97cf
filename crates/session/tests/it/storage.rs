//! One storage limit for the whole session, across the host, containers' writable layers,
//! volumes, tmpfs and the layers it made: a write past it fails as on a full disk, in each
//! program's own words, and `df` on the host and in a container agrees with it.

use layerbox_engine::storage::STORAGE_LIMIT;
use layerbox_session::Session;

/// Runs `line` and returns its text.
fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

/// The used and available 1K-blocks of `df`'s last line.
fn df_numbers(text: &str) -> (u64, u64) {
    let last = text.lines().last().unwrap_or_default();
    let cols: Vec<&str> = last.split_whitespace().collect();
    (cols[2].parse().unwrap(), cols[3].parse().unwrap())
}

/// A session with about 124 MiB stored: 31 MiB in a container's writable layer, the same
/// committed as an image, 31 MiB in a volume and 31 MiB copied to the host.
fn nearly_full() -> Session {
    let mut s = Session::new();
    for line in [
        "docker run --name c1 -v data:/data alpine sh -c 'dd if=/dev/zero of=/y bs=1M count=31 && dd if=/dev/zero of=/data/y bs=1M count=31' 2>/dev/null",
        "docker commit c1 big >/dev/null",
        "docker cp c1:/y y",
    ] {
        let r = s.run_line(line);
        assert_eq!(r.code, 0, "{line}: {}", r.text());
    }
    let used = s.storage().used;
    assert!(used > 124 << 20 && used < STORAGE_LIMIT, "{used}");
    s
}

#[test]
fn the_host_containers_volumes_and_tmpfs_share_one_limit() {
    let mut s = nearly_full();
    // The host: GNU cat says so, and the part that fit stays.
    let r = s.run_line("cat y > y2");
    assert_eq!(r.text(), "cat: write error: No space left on device\n");
    assert_eq!(r.code, 1);
    // A container's writable layer, a volume and a tmpfs: BusyBox dd says so.
    for path in ["/z", "/data/z", "/t/z"] {
        let r = s.run_line(&format!(
            "docker run --rm -v data:/data --tmpfs /t alpine dd if=/dev/zero of={path} bs=1M count=8"
        ));
        let text = r.text();
        assert!(
            text.starts_with(&format!(
                "dd: error writing '{path}': No space left on device\n"
            )),
            "{path}: {text}"
        );
        assert_eq!(r.code, 1, "{path}");
    }
    assert!(s.storage().used <= STORAGE_LIMIT, "{}", s.storage().used);
    // A shell's loop of appends in a container ends at the full disk, in ash's words.
    let r = s.run_line(
        "docker run --rm alpine sh -c 'while :; do cat /etc/passwd >> /f || break; done; echo stopped'",
    );
    assert_eq!(
        r.text(),
        "cat: write error: No space left on device\nstopped\n"
    );
    // Freed space is free again.
    run(
        &mut s,
        "rm y2; docker rm -f c1; docker rmi big; docker volume rm data",
    );
    assert!(s.storage().used < 32 << 20, "{}", s.storage().used);
    assert_eq!(run(&mut s, "echo ok > f; cat f"), "ok\n");
}

#[test]
fn df_on_the_host_and_in_a_container_shows_the_sessions_storage() {
    let mut s = nearly_full();
    let host = df_numbers(&run(&mut s, "df /"));
    let container = df_numbers(&run(&mut s, "docker run --rm alpine df /"));
    let volume = df_numbers(&run(
        &mut s,
        "docker run --rm -v data:/data alpine df /data",
    ));
    let used = s.storage().used.div_ceil(1024);
    assert_eq!(host, (used, (STORAGE_LIMIT >> 10) - used));
    // The container's own Docker files (hostname, hosts) are on the same disk while it runs.
    assert!(container.0.abs_diff(used) <= 1, "{container:?} {used}");
    assert_eq!(container, volume);
    // A process sees its own writes in `df` at once.
    let text = run(
        &mut s,
        "docker run --rm alpine sh -c 'df / | tail -n 1; dd if=/dev/zero of=/z bs=1M count=8 2>/dev/null; df / | tail -n 1'",
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(df_numbers(lines[1]).1, 0, "{text}");
    assert!(lines[1].ends_with("100% /"), "{text}");
}

#[test]
fn a_commit_or_a_build_past_the_limit_fails_and_makes_no_image() {
    let mut s = nearly_full();
    let r = s.run_line("docker commit c1 big2");
    assert_eq!(
        r.text(),
        "Error response from daemon: no space left on device\n"
    );
    assert_eq!(r.code, 1);
    assert_eq!(run(&mut s, "docker images -q big2"), "");
    run(
        &mut s,
        "printf 'FROM alpine\\nRUN dd if=/dev/zero of=/q bs=1M count=8\\n' > Dockerfile",
    );
    let r = s.run_line("docker build -q -t q .");
    assert!(
        r.text()
            .contains("dd: error writing '/q': No space left on device"),
        "{}",
        r.text()
    );
    assert_eq!(r.code, 1);
    assert_eq!(run(&mut s, "docker images -q q"), "");
    // A COPY of more than is free: the step's layer does not fit.
    let mut s = nearly_full();
    run(
        &mut s,
        "mkdir ctx; printf 'FROM alpine\\nCOPY y /y\\n' > ctx/Dockerfile; mv y ctx/y",
    );
    let r = s.run_line("docker build -q -t q2 ctx");
    assert!(
        r.text().ends_with(
            "Step 2/2 : COPY y /y\nError response from daemon: no space left on device\n"
        ),
        "{}",
        r.text()
    );
    assert_eq!(r.code, 1);
    assert_eq!(run(&mut s, "docker images -q q2"), "");
}

#[test]
fn docker_cp_into_a_full_session_says_no_space_left_on_device() {
    let mut s = nearly_full();
    // Into a container, the daemon's extraction fails; out of one, the CLI's.
    let r = s.run_line("docker cp y c1:/y2");
    assert_eq!(
        r.text(),
        "Error response from daemon: Error processing tar file(exit status 1): write /y2: no space left on device\n"
    );
    assert_eq!(r.code, 1);
    let r = s.run_line("docker cp c1:/y y3");
    assert_eq!(r.text(), "write /home/user/y3: no space left on device\n");
    assert_eq!(r.code, 1);
}
