//! The host's `/dev`: a devtmpfs with the devices programs open, as on any Linux host.

use layerbox_session::Session;

#[test]
fn host_programs_open_the_devices_in_dev() {
    let mut s = Session::new();
    let r = s.run_line("cat /dev/null; echo status $?");
    assert_eq!(r.text(), "status 0\n");
    assert_eq!(
        s.run_line("head -c 3 /dev/zero | od -An -tx1").text(),
        " 00 00 00\n"
    );
    assert_eq!(s.run_line("head -c 5 /dev/urandom | wc -c").text(), "5\n");
    let r = s.run_line("echo hi > /dev/full");
    assert_eq!(
        r.text(),
        "bash: echo: write error: No space left on device\n"
    );
    assert_eq!(r.code, 1);
    // GNU dd copies nothing from /dev/null into a new file.
    let r = s.run_line("dd if=/dev/null of=empty 2>/dev/null; wc -c < empty");
    assert_eq!(r.text(), "0\n");
    assert_eq!(
        s.run_line("ls -l /dev/null /dev/tty").text(),
        "crw-rw-rw- 1 root root 1, 3 Jun  1 09:00 /dev/null\ncrw-rw-rw- 1 root root 5, 0 Jun  1 09:00 /dev/tty\n"
    );
}

#[test]
fn the_host_dev_is_its_own_mount() {
    let mut s = Session::new();
    // A tmpfs directory: 40 bytes and 20 for each entry, and no blocks.
    assert_eq!(
        s.run_line("stat -c '%s %b %F' /dev /dev/shm").text(),
        "280 0 directory\n40 0 directory\n"
    );
}
