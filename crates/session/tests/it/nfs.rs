//! NFS volumes (`docker volume create --opt type=nfs`) on the simulated file server.
//!
//! Emulation note: these are session tests, not conformance transcripts: the kernel of the
//! machine layerbox records on has no NFS client or server, so nothing here could be recorded
//! from a real Engine. They follow moby 20.10's local driver (`volume/local/local_unix.go`:
//! the options kept as given, `addr=` resolved before mounting, the mount at a container's
//! start, `error while mounting volume '…': failed to mount local volume: mount …, data: …`)
//! and the kernel's NFS client, as `layerbox_engine::nfs` documents.

use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

const CREATE: &str =
    "docker volume create --driver local --opt type=nfs --opt o=addr=10.0.2.20,rw --opt device=:/export nv";

#[test]
fn an_nfs_volume_keeps_its_options_and_mounts_at_start() {
    let mut s = Session::new();
    assert_eq!(run(&mut s, CREATE), "nv\n");
    assert_eq!(
        run(
            &mut s,
            "docker volume inspect --format '{{.Driver}} {{.Options}}' nv"
        ),
        "local map[device::/export o:addr=10.0.2.20,rw type:nfs]\n"
    );
    let out = run(
        &mut s,
        "docker run --rm -v nv:/data alpine sh -c 'echo hi > /data/f; grep /data /proc/mounts; df /data'",
    );
    assert_eq!(
        out,
        ":/export /data nfs rw,relatime,vers=3,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,mountaddr=10.0.2.20,mountvers=3,mountport=20048,mountproto=tcp,local_lock=none,addr=10.0.2.20 0 0\n\
Filesystem           1K-blocks      Used Available Use% Mounted on\n\
:/export             1073741824         4 1073741820   0% /data\n"
    );
}

#[test]
fn the_servers_files_are_the_shares_for_every_container_and_the_host() {
    let mut s = Session::new();
    run(&mut s, "echo from-host > /mnt/share/h.txt");
    run(&mut s, CREATE);
    assert_eq!(
        run(
            &mut s,
            "docker run --rm -v nv:/data alpine sh -c 'cat /data/h.txt; echo c1 > /data/c.txt'"
        ),
        "from-host\n"
    );
    assert_eq!(run(&mut s, "cat /mnt/share/c.txt"), "c1\n");
    run(
        &mut s,
        "docker run -d --name keep -v nv:/data alpine sleep 1000",
    );
    run(
        &mut s,
        "docker run --rm -v nv:/other alpine sh -c 'echo c2 > /other/d.txt'",
    );
    assert_eq!(run(&mut s, "docker exec keep cat /data/d.txt"), "c2\n");
    // Nothing is kept in the volume's own directory: the files live on the server.
    run(&mut s, "docker rm -f keep");
    assert_eq!(run(&mut s, "ls /mnt/share"), "c.txt\nd.txt\nh.txt\n");
}

#[test]
fn nfs_has_links_and_chmod_that_the_smb_view_refuses() {
    let mut s = Session::new();
    run(&mut s, CREATE);
    let out = run(
        &mut s,
        "docker run --rm -v nv:/data alpine sh -c 'echo x > /data/a; ln /data/a /data/hard; ln -s a /data/soft; chmod 600 /data/a; chown 1000 /data/a; stat -c \"%h %a %u %n\" /data/a; readlink /data/soft'",
    );
    assert_eq!(out, "2 600 1000 /data/a\na\n");
    // The same share bound into a container goes over SMB/CIFS, without them.
    let out = run(
        &mut s,
        "docker run --rm -v /mnt/share:/smb alpine sh -c 'ln -s a /smb/soft2; echo $?'",
    );
    assert!(out.contains("Operation not supported"), "{out}");
}

#[test]
fn the_share_latency_is_counted_as_for_binds() {
    let mut s = Session::new();
    run(&mut s, CREATE);
    let before = s.world().host().share.usage().0;
    run(
        &mut s,
        "docker run --rm -v nv:/data alpine sh -c 'echo x > /data/a; cat /data/a'",
    );
    assert!(s.world().host().share.usage().0 > before);
}

#[test]
fn a_fresh_volume_on_an_empty_export_is_filled_from_the_image() {
    let mut s = Session::new();
    run(&mut s, CREATE);
    run(&mut s, "docker run --rm -v nv:/etc/apk alpine true");
    assert!(run(&mut s, "ls /mnt/share").contains("repositories\n"));
}

#[test]
fn a_mount_that_fails_fails_the_start_in_the_daemons_words() {
    let mut s = Session::new();
    let cases = [
        ("o=addr=10.0.2.99,rw", ":/export", "mount :/export:/var/lib/docker/volumes/bad/_data, data: addr=10.0.2.99: no route to host"),
        ("o=addr=127.0.0.1", ":/export", "mount :/export:/var/lib/docker/volumes/bad/_data, data: addr=127.0.0.1: connection refused"),
        ("o=addr=192.0.2.7,ro", ":/export", "mount :/export:/var/lib/docker/volumes/bad/_data, flags: 0x1, data: addr=192.0.2.7: connection timed out"),
        ("o=addr=10.0.2.20", ":/srv", "mount :/srv:/var/lib/docker/volumes/bad/_data, data: addr=10.0.2.20: permission denied"),
        ("o=addr=10.0.2.20", ":/export/none", "mount :/export/none:/var/lib/docker/volumes/bad/_data, data: addr=10.0.2.20: no such file or directory"),
        ("o=rw", ":/export", "mount :/export:/var/lib/docker/volumes/bad/_data: invalid argument"),
    ];
    for (o, device, want) in cases {
        run(
            &mut s,
            &format!("docker volume create --opt type=nfs --opt {o} --opt device={device} bad"),
        );
        let out = run(&mut s, "docker run --rm -v bad:/data alpine true");
        let first = out.lines().next().unwrap_or("");
        assert_eq!(
            first,
            format!("docker: Error response from daemon: error while mounting volume '/var/lib/docker/volumes/bad/_data': failed to mount local volume: {want}"),
            "{o} {device}"
        );
        run(&mut s, "docker volume rm bad");
    }
    run(
        &mut s,
        "docker volume create --opt type=nfs --opt o=addr=nas.lan --opt device=:/export bad",
    );
    let out = run(&mut s, "docker run --rm -v bad:/data alpine true");
    assert!(out.starts_with("docker: Error response from daemon: error while mounting volume '/var/lib/docker/volumes/bad/_data': error resolving passed in nfs address: lookup nas.lan on 10.0.2.3:53: no such host\n"), "{out}");
}

#[test]
fn a_name_that_resolves_to_the_server_mounts_it() {
    let mut s = Session::new();
    run(
        &mut s,
        "mkdir /mnt/share/web && echo page > /mnt/share/web/index.html",
    );
    run(&mut s, "docker volume create --opt type=nfs --opt o=addr=fileserver,ro --opt device=fileserver:/export/web web");
    assert_eq!(
        run(
            &mut s,
            "docker run --rm -v web:/www alpine sh -c 'cat /www/index.html; touch /www/x'"
        ),
        "page\ntouch: /www/x: Read-only file system\n"
    );
}

#[test]
fn other_filesystem_types_stay_not_modelled() {
    let mut s = Session::new();
    run(&mut s, "docker volume create --opt type=cifs --opt device=//fileserver/share --opt o=addr=10.0.2.20 cv");
    let out = run(&mut s, "docker run --rm -v cv:/data alpine true");
    assert!(
        out.contains("layerbox: a volume of type cifs is not modelled"),
        "{out}"
    );
}
