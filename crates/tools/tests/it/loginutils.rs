//! `adduser`, `addgroup`, `deluser` and `delgroup` over Alpine 3.20's account files.
//!
//! Debian's `busybox` has none of these applets, so the expected texts are not recorded: they
//! follow BusyBox 1.36.1's source (`loginutils/`, `libbb/update_passwd.c`) with Alpine's build
//! configuration and patches, as `src/loginutils.rs` says.

use std::collections::BTreeMap;

use layerbox_fstree::{Cred, FileSystem, FileType, Tree};
use layerbox_tools::{run, Ctx, Flavor, Output};

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
bin:x:1:1:bin:/bin:/sbin/nologin\n\
daemon:x:2:2:daemon:/sbin:/sbin/nologin\n\
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin\n\
sync:x:5:0:sync:/sbin:/bin/sync\n\
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown\n\
halt:x:7:0:halt:/sbin:/sbin/halt\n\
mail:x:8:12:mail:/var/mail:/sbin/nologin\n\
news:x:9:13:news:/usr/lib/news:/sbin/nologin\n\
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin\n\
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin\n\
ftp:x:21:21::/var/lib/ftp:/sbin/nologin\n\
sshd:x:22:22:sshd:/dev/null:/sbin/nologin\n\
games:x:35:35:games:/usr/games:/sbin/nologin\n\
ntp:x:123:123:NTP:/var/empty:/sbin/nologin\n\
guest:x:405:100:guest:/dev/null:/sbin/nologin\n\
nobody:x:65534:65534:nobody:/:/sbin/nologin\n\
";
const GROUP: &str = "root:x:0:root\n\
bin:x:1:root,bin,daemon\n\
daemon:x:2:root,bin,daemon\n\
sys:x:3:root,bin\n\
adm:x:4:root,daemon\n\
tty:x:5:\n\
disk:x:6:root\n\
lp:x:7:lp\n\
kmem:x:9:\n\
wheel:x:10:root\n\
floppy:x:11:root\n\
mail:x:12:mail\n\
news:x:13:news\n\
uucp:x:14:uucp\n\
cron:x:16:cron\n\
audio:x:18:\n\
cdrom:x:19:\n\
dialout:x:20:root\n\
ftp:x:21:\n\
sshd:x:22:\n\
input:x:23:\n\
tape:x:26:root\n\
video:x:27:root\n\
netdev:x:28:\n\
kvm:x:34:kvm\n\
games:x:35:\n\
shadow:x:42:\n\
www-data:x:82:\n\
users:x:100:games\n\
ntp:x:123:\n\
abuild:x:300:\n\
utmp:x:406:\n\
ping:x:999:\n\
nogroup:x:65533:\n\
nobody:x:65534:\n\
";
const SHADOW: &str = "root:*::0:::::\n\
bin:!::0:::::\n\
daemon:!::0:::::\n\
lp:!::0:::::\n\
sync:!::0:::::\n\
shutdown:!::0:::::\n\
halt:!::0:::::\n\
mail:!::0:::::\n\
news:!::0:::::\n\
uucp:!::0:::::\n\
cron:!::0:::::\n\
ftp:!::0:::::\n\
sshd:!::0:::::\n\
games:!::0:::::\n\
ntp:!::0:::::\n\
guest:!::0:::::\n\
nobody:!::0:::::\n\
";

/// Seconds at which the tests run: day 20785 since the epoch.
const NOW: u64 = 1_795_850_151;

fn alpine() -> Tree {
    let mut t = Tree::new();
    let r = Cred::root();
    t.mkdir_all(&r, "/etc", 0o755, 0).unwrap();
    t.mkdir_all(&r, "/home", 0o755, 0).unwrap();
    t.write_file(&r, "/etc/passwd", PASSWD.as_bytes(), 0o644, 0)
        .unwrap();
    t.write_file(&r, "/etc/group", GROUP.as_bytes(), 0o644, 0)
        .unwrap();
    t.write_file(&r, "/etc/shadow", SHADOW.as_bytes(), 0o640, 0)
        .unwrap();
    t.chown(&r, "/etc/shadow", Some(0), Some(42)).unwrap();
    t
}

fn exec_as(fs: &mut Tree, cred: Cred, stdin: &[u8], line: &str) -> Output {
    let env = BTreeMap::new();
    let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    let mut ctx = Ctx {
        fs,
        cred,
        cwd: "/".into(),
        env: &env,
        now: NOW,
        flavor: Flavor::BusyBox,
        stdin,
        hostname: "c1".into(),
        user_name: None,
        group_name: None,
        mounts: &[],
        tty: false,
        umask: layerbox_tools::DEFAULT_UMASK,
        work: None,
        max_output: layerbox_tools::MAX_OUTPUT,
        exec: None,
    };
    run(&words[0], &words[1..], &mut ctx).unwrap()
}

fn exec(fs: &mut Tree, line: &str) -> Output {
    exec_as(fs, Cred::root(), b"", line)
}

fn read(fs: &Tree, path: &str) -> String {
    String::from_utf8_lossy(&fs.read_file(&Cred::root(), path).unwrap()).into_owned()
}

/// The lines of `path` that `old` did not have.
fn added(fs: &Tree, path: &str, old: &str) -> Vec<String> {
    let now = read(fs, path);
    let old: Vec<&str> = old.lines().collect();
    now.lines()
        .filter(|l| !old.contains(l))
        .map(str::to_string)
        .collect()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn adduser_d_writes_passwd_shadow_group_and_a_setgid_home() {
    let mut fs = alpine();
    let o = exec(&mut fs, "adduser -D app");
    assert_eq!((err(&o).as_str(), o.code), ("", 0));
    assert_eq!(
        added(&fs, "/etc/passwd", PASSWD),
        ["app:x:1000:1000:Linux User,,,:/home/app:/bin/sh"]
    );
    assert_eq!(
        added(&fs, "/etc/shadow", SHADOW),
        ["app:!:20785:0:99999:7:::"]
    );
    assert_eq!(added(&fs, "/etc/group", GROUP), ["app:x:1000:"]);
    let home = fs.stat(&Cred::root(), "/home/app").unwrap();
    assert_eq!(
        (home.kind, home.mode, home.uid, home.gid),
        (FileType::Dir, 0o2755, 1000, 1000)
    );
    // The files keep their modes and owners; the old ones stay as `FILE-` backups.
    let shadow = fs.stat(&Cred::root(), "/etc/shadow").unwrap();
    assert_eq!(
        (shadow.mode & 0o7777, shadow.uid, shadow.gid),
        (0o640, 0, 42)
    );
    assert_eq!(read(&fs, "/etc/passwd-"), PASSWD);
    assert_eq!(read(&fs, "/etc/group-"), GROUP);
    assert!(!fs.exists(&Cred::root(), "/etc/passwd+"));
}

#[test]
fn a_second_user_takes_the_next_free_id_and_a_taken_name_is_refused() {
    let mut fs = alpine();
    exec(&mut fs, "adduser -D app");
    let o = exec(&mut fs, "adduser -D bob");
    assert_eq!(o.code, 0);
    assert!(read(&fs, "/etc/passwd").contains("bob:x:1001:1001:"));
    let o = exec(&mut fs, "adduser -D app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("adduser: user 'app' in use\n", 1)
    );
    let o = exec(&mut fs, "adduser -D -u 1001 carol");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("adduser: uid '1001' in use\n", 1)
    );
    let o = exec(&mut fs, "addgroup app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("addgroup: group 'app' in use\n", 1)
    );
}

#[test]
fn system_users_and_groups_count_from_100_with_nologin_and_nogroup() {
    let mut fs = alpine();
    // The course's `addgroup -S app && adduser -S app -G app`, options after the name.
    assert_eq!(exec(&mut fs, "addgroup -S app").code, 0);
    assert_eq!(added(&fs, "/etc/group", GROUP), ["app:x:101:"]);
    let o = exec(&mut fs, "adduser -S app -G app");
    assert_eq!((err(&o).as_str(), o.code), ("", 0));
    assert_eq!(
        added(&fs, "/etc/passwd", PASSWD),
        ["app:x:100:101:Linux User,,,:/home/app:/sbin/nologin"]
    );
    assert!(read(&fs, "/etc/group").contains("\napp:x:101:app\n"));
    let o = exec(&mut fs, "adduser -S svc");
    assert_eq!(o.code, 0);
    assert!(
        read(&fs, "/etc/passwd").contains("svc:x:101:65533:Linux User,,,:/home/svc:/sbin/nologin")
    );
    assert!(read(&fs, "/etc/group").contains("\nnogroup:x:65533:svc\n"));
}

#[test]
fn options_set_every_field_and_h_leaves_no_home() {
    let mut fs = alpine();
    let o = exec(
        &mut fs,
        "adduser -D -H -h /srv -s /bin/ash -g App -u 2000 app",
    );
    assert_eq!(o.code, 0);
    assert_eq!(
        added(&fs, "/etc/passwd", PASSWD),
        ["app:x:2000:2000:App:/srv:/bin/ash"]
    );
    assert!(!fs.exists(&Cred::root(), "/srv"));
}

#[test]
fn an_existing_home_is_taken_over_without_the_skeleton() {
    let mut fs = alpine();
    let r = Cred::root();
    fs.mkdir(&r, "/data", 0o700, 0).unwrap();
    fs.mkdir_all(&r, "/etc/skel/.config", 0o755, 0).unwrap();
    fs.write_file(&r, "/etc/skel/.profile", b"x\n", 0o600, 0)
        .unwrap();
    assert_eq!(exec(&mut fs, "adduser -D -h /data app").code, 0);
    let data = fs.stat(&r, "/data").unwrap();
    assert_eq!((data.mode, data.uid, data.gid), (0o2755, 1000, 1000));
    assert!(!fs.exists(&r, "/data/.profile"));
    // A new home gets the skeleton's files with their modes, owned by the user.
    assert_eq!(exec(&mut fs, "adduser -D bob").code, 0);
    let p = fs.stat(&r, "/home/bob/.profile").unwrap();
    assert_eq!((p.mode & 0o7777, p.uid, p.gid), (0o600, 1001, 1001));
    assert!(fs.stat(&r, "/home/bob/.config").unwrap().is_dir());
    // `-k` names a skeleton that must exist; the user is made anyway.
    let o = exec(&mut fs, "adduser -D -k /nope carol");
    assert_eq!(
        (err(&o).as_str(), o.code),
        (
            "adduser: can't stat '/nope': No such file or directory\n",
            0
        )
    );
}

#[test]
fn without_d_adduser_runs_passwd_which_reads_end_of_file() {
    let mut fs = alpine();
    let o = exec(&mut fs, "adduser app");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "Changing password for app\nNew password: \n"
    );
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("passwd: password for app is unchanged\n", 1)
    );
    // The account was made before passwd ran.
    assert!(read(&fs, "/etc/passwd").contains("\napp:x:1000:"));
    let o = exec_as(&mut fs, Cred::root(), b"secret\n", "adduser bob");
    assert_eq!(o.code, 69);
}

#[test]
fn refusals_in_busybox_words() {
    let mut fs = alpine();
    let o = exec_as(&mut fs, Cred::user(1000, 1000), b"", "adduser -D app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("adduser: permission denied (are you root?)\n", 1)
    );
    let o = exec(&mut fs, "adduser -D -G nope app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("adduser: unknown group nope\n", 1)
    );
    let o = exec(&mut fs, "adduser -D -u x app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("adduser: invalid number 'x'\n", 1)
    );
    let o = exec(&mut fs, "adduser -D -u 300000 app");
    assert_eq!(
        err(&o),
        "adduser: number 300000 is not in 0..256000 range\n"
    );
    let o = exec(&mut fs, "adduser -D a@b");
    assert_eq!(
        err(&o),
        "adduser: illegal character with code 64 at position 1\n"
    );
    let o = exec(&mut fs, "adduser -D -x");
    assert!(err(&o).contains("Usage: adduser [OPTIONS] USER [GROUP]\n"));
    assert_eq!(o.code, 1);
    let o = exec(&mut fs, "adduser");
    assert!(err(&o).starts_with("BusyBox v1.36.1"));
    let o = exec(&mut fs, "addgroup -g 34 kvm2");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("addgroup: gid '34' in use\n", 1)
    );
    assert_eq!(read(&fs, "/etc/passwd"), PASSWD);
    assert_eq!(read(&fs, "/etc/group"), GROUP);
}

#[test]
fn addgroup_user_group_adds_a_member_once() {
    let mut fs = alpine();
    exec(&mut fs, "adduser -D app");
    assert_eq!(exec(&mut fs, "addgroup app wheel").code, 0);
    assert_eq!(exec(&mut fs, "adduser app users").code, 0);
    assert_eq!(exec(&mut fs, "addgroup app wheel").code, 0);
    let group = read(&fs, "/etc/group");
    assert!(group.contains("\nwheel:x:10:root,app\n"), "{group}");
    assert!(group.contains("\nusers:x:100:games,app\n"), "{group}");
    let o = exec(&mut fs, "addgroup nobody2 wheel");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("addgroup: unknown user nobody2\n", 1)
    );
}

#[test]
fn deluser_removes_the_user_its_memberships_and_its_own_group() {
    let mut fs = alpine();
    exec(&mut fs, "adduser -D app");
    exec(&mut fs, "addgroup app wheel");
    let o = exec(&mut fs, "deluser app");
    assert_eq!((err(&o).as_str(), o.code), ("", 0));
    assert_eq!(read(&fs, "/etc/passwd"), PASSWD);
    assert_eq!(read(&fs, "/etc/shadow"), SHADOW);
    assert_eq!(read(&fs, "/etc/group"), GROUP);
    // The home stays unless asked.
    assert!(fs.exists(&Cred::root(), "/home/app"));
    exec(&mut fs, "adduser -D bob");
    assert_eq!(exec(&mut fs, "deluser --remove-home bob").code, 0);
    assert!(!fs.exists(&Cred::root(), "/home/bob"));
    let o = exec(&mut fs, "deluser app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("deluser: unknown user app\n", 1)
    );
}

#[test]
fn delgroup_refuses_a_primary_group_and_removes_members() {
    let mut fs = alpine();
    exec(&mut fs, "adduser -D app");
    let o = exec(&mut fs, "delgroup app");
    assert_eq!(
        (err(&o).as_str(), o.code),
        (
            "delgroup: 'app' still has 'app' as their primary group!\n",
            1
        )
    );
    exec(&mut fs, "addgroup app wheel");
    assert_eq!(exec(&mut fs, "delgroup app wheel").code, 0);
    assert!(read(&fs, "/etc/group").contains("\nwheel:x:10:root\n"));
    let o = exec(&mut fs, "delgroup app wheel");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("delgroup: can't find app in /etc/group\n", 0)
    );
    assert_eq!(exec(&mut fs, "delgroup ping").code, 0);
    assert!(!read(&fs, "/etc/group").contains("ping:"));
    let o = exec(&mut fs, "delgroup nope");
    assert_eq!(
        (err(&o).as_str(), o.code),
        ("delgroup: unknown group nope\n", 1)
    );
}
