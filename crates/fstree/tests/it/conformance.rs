//! One POSIX conformance suite, run over a plain tree and over union views of 1, 2 and 5 layers.

use layerbox_fstree::{Errno, FileSystem, FileType, Store};

use crate::fixture::{alice, bob, root};

type Fs = dyn Store;

pub fn fixture_reads_back(fs: &mut Fs) {
    let r = root();
    assert_eq!(&*fs.read_file(&r, "/etc/hostname").unwrap(), b"box\n");
    assert_eq!(fs.stat(&r, "/etc/shadow").unwrap().mode, 0o600);
    assert_eq!(fs.stat(&r, "/tmp").unwrap().mode, 0o1777);
    assert_eq!(fs.stat(&r, "/home/alice").unwrap().uid, 1000);
    assert_eq!(fs.readlink(&r, "/bin").unwrap(), "usr/bin");
    assert_eq!(fs.lstat(&r, "/usr/bin/dir").unwrap().nlink, 2);
    assert_eq!(
        fs.lstat(&r, "/usr/bin/dir").unwrap().ino,
        fs.lstat(&r, "/usr/bin/ls").unwrap().ino
    );
    assert_eq!(fs.stat(&r, "/etc/removed"), Err(Errno::ENOENT));
    assert_eq!(fs.stat(&r, "/etc/removed.d"), Err(Errno::ENOENT));
}

pub fn read_dir_is_sorted_and_typed(fs: &mut Fs) {
    let names: Vec<(String, FileType)> = fs
        .read_dir(&root(), "/etc")
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.kind))
        .collect();
    let expected = [
        ("apt", FileType::Dir),
        ("hostname", FileType::File),
        ("localtime", FileType::Symlink),
        ("passwd", FileType::File),
        ("shadow", FileType::File),
    ];
    assert_eq!(names, expected.map(|(n, k)| (n.to_string(), k)));
    assert_eq!(fs.read_dir(&root(), "/etc/passwd"), Err(Errno::ENOTDIR));
    assert_eq!(fs.read_dir(&root(), "/nope"), Err(Errno::ENOENT));
}

pub fn mkdir_reports_posix_errors(fs: &mut Fs) {
    let r = root();
    fs.mkdir(&r, "/srv", 0o750, 2).unwrap();
    let st = fs.stat(&r, "/srv").unwrap();
    assert_eq!((st.kind, st.mode, st.mtime), (FileType::Dir, 0o750, 2));
    assert_eq!(fs.mkdir(&r, "/srv", 0o755, 2), Err(Errno::EEXIST));
    assert_eq!(fs.mkdir(&r, "/etc", 0o755, 2), Err(Errno::EEXIST));
    assert_eq!(
        fs.mkdir(&r, "/bin", 0o755, 2),
        Err(Errno::EEXIST),
        "a symlink is not followed"
    );
    assert_eq!(fs.mkdir(&r, "/no/such", 0o755, 2), Err(Errno::ENOENT));
    assert_eq!(fs.mkdir(&r, "/etc/passwd/x", 0o755, 2), Err(Errno::ENOTDIR));
    assert_eq!(fs.mkdir(&r, "/", 0o755, 2), Err(Errno::EEXIST));
    fs.mkdir(&r, "/srv/trailing/", 0o755, 2).unwrap();
}

pub fn mkdir_all_creates_missing_parents(fs: &mut Fs) {
    let r = root();
    fs.mkdir_all(&r, "/etc/apt/a/b/c", 0o700, 3).unwrap();
    assert_eq!(fs.stat(&r, "/etc/apt/a/b/c").unwrap().mode, 0o700);
    fs.mkdir_all(&r, "/etc/apt/a/b/c", 0o700, 3).unwrap();
    assert_eq!(
        fs.mkdir_all(&r, "/etc/passwd", 0o755, 3),
        Err(Errno::EEXIST)
    );
    assert_eq!(
        fs.mkdir_all(&r, "/etc/passwd/x", 0o755, 3),
        Err(Errno::ENOTDIR)
    );
    fs.mkdir_all(&r, "/bin/newdir", 0o755, 3).unwrap();
    assert!(
        fs.stat(&r, "/usr/bin/newdir").unwrap().is_dir(),
        "an intermediate symlink is followed"
    );
}

pub fn rmdir_reports_posix_errors(fs: &mut Fs) {
    let r = root();
    assert_eq!(fs.rmdir(&r, "/etc", 4), Err(Errno::ENOTEMPTY));
    assert_eq!(fs.rmdir(&r, "/etc/passwd", 4), Err(Errno::ENOTDIR));
    assert_eq!(fs.rmdir(&r, "/", 4), Err(Errno::EBUSY));
    assert_eq!(fs.rmdir(&r, "/tmp/.", 4), Err(Errno::EINVAL));
    assert_eq!(fs.rmdir(&r, "/tmp/..", 4), Err(Errno::ENOTEMPTY));
    assert_eq!(fs.rmdir(&r, "/nope", 4), Err(Errno::ENOENT));
    fs.rmdir(&r, "/var/empty", 4).unwrap();
    assert_eq!(fs.stat(&r, "/var/empty"), Err(Errno::ENOENT));
    assert!(fs.read_dir(&r, "/var").unwrap().is_empty());
    fs.mkdir(&r, "/var/empty", 0o700, 5).unwrap();
    assert!(fs.read_dir(&r, "/var/empty").unwrap().is_empty());
}

pub fn unlink_removes_one_name(fs: &mut Fs) {
    let r = root();
    assert_eq!(fs.unlink(&r, "/etc/apt", 4), Err(Errno::EISDIR));
    assert_eq!(fs.unlink(&r, "/nope", 4), Err(Errno::ENOENT));
    fs.unlink(&r, "/usr/bin/dir", 4).unwrap();
    assert_eq!(fs.lstat(&r, "/usr/bin/dir"), Err(Errno::ENOENT));
    assert_eq!(&*fs.read_file(&r, "/usr/bin/ls").unwrap(), b"ELF ls\n");
    fs.unlink(&r, "/bin", 4).unwrap();
    assert!(
        fs.stat(&r, "/usr/bin").is_ok(),
        "unlink does not follow a symlink"
    );
    assert_eq!(fs.unlink(&r, "/bin", 4), Err(Errno::ENOENT));
}

pub fn write_file_creates_and_truncates(fs: &mut Fs) {
    let r = root();
    fs.write_file(&r, "/etc/hostname", b"new", 0o600, 6)
        .unwrap();
    let st = fs.stat(&r, "/etc/hostname").unwrap();
    assert_eq!(
        (st.size, st.mode, st.mtime),
        (3, 0o644, 6),
        "an existing file keeps its mode"
    );
    fs.append_file(&r, "/etc/hostname", b"+more", 0o600, 7)
        .unwrap();
    assert_eq!(&*fs.read_file(&r, "/etc/hostname").unwrap(), b"new+more");
    fs.write_file(&r, "/etc/motd", b"hi", 0o640, 8).unwrap();
    assert_eq!(fs.stat(&r, "/etc/motd").unwrap().mode, 0o640);
    assert_eq!(
        fs.write_file(&r, "/etc", b"x", 0o644, 8),
        Err(Errno::EISDIR)
    );
    assert_eq!(
        fs.write_file(&r, "/etc/new/", b"x", 0o644, 8),
        Err(Errno::EISDIR)
    );
    assert_eq!(
        fs.write_file(&r, "/nope/x", b"x", 0o644, 8),
        Err(Errno::ENOENT)
    );
    assert_eq!(fs.read_file(&r, "/etc"), Err(Errno::EISDIR));
    assert!(fs.create_file(&r, "/etc/touched", 0o644, 9).unwrap());
    assert!(!fs.create_file(&r, "/etc/touched", 0o644, 9).unwrap());
    assert_eq!(fs.stat(&r, "/etc/touched").unwrap().size, 0);
}

pub fn rename_follows_posix_rules(fs: &mut Fs) {
    let r = root();
    fs.rename(&r, "/etc/passwd", "/etc/passwd-", 10).unwrap();
    assert_eq!(fs.stat(&r, "/etc/passwd"), Err(Errno::ENOENT));
    assert_eq!(&*fs.read_file(&r, "/etc/passwd-").unwrap(), b"root:x:0:0\n");
    fs.rename(&r, "/etc/passwd-", "/etc/hostname", 10).unwrap();
    assert_eq!(
        &*fs.read_file(&r, "/etc/hostname").unwrap(),
        b"root:x:0:0\n"
    );
    fs.mkdir(&r, "/d1", 0o755, 10).unwrap();
    fs.mkdir(&r, "/d2", 0o755, 10).unwrap();
    fs.write_file(&r, "/d1/f", b"f", 0o644, 10).unwrap();
    fs.rename(&r, "/d1", "/d2", 10).unwrap();
    assert_eq!(&*fs.read_file(&r, "/d2/f").unwrap(), b"f");
    fs.mkdir(&r, "/d3", 0o755, 10).unwrap();
    assert_eq!(fs.rename(&r, "/d3", "/d2", 10), Err(Errno::ENOTEMPTY));
    assert_eq!(fs.rename(&r, "/d2/f", "/d3", 10), Err(Errno::EISDIR));
    assert_eq!(fs.rename(&r, "/d3", "/d2/f", 10), Err(Errno::ENOTDIR));
    assert_eq!(fs.rename(&r, "/d2", "/d2/sub", 10), Err(Errno::EINVAL));
    assert_eq!(
        fs.rename(&r, "/d2/f", "/d2", 10),
        Err(Errno::ENOTEMPTY),
        "target is an ancestor"
    );
    assert_eq!(fs.rename(&r, "/nope", "/x", 10), Err(Errno::ENOENT));
    assert_eq!(fs.rename(&r, "/", "/x", 10), Err(Errno::EBUSY));
    fs.rename(&r, "/d2/f", "/d2/f", 10).unwrap();
    fs.rename(&r, "/usr/bin/ls", "/usr/bin/dir", 10).unwrap();
    assert!(
        fs.lstat(&r, "/usr/bin/ls").is_ok(),
        "renaming onto the same inode does nothing"
    );
    fs.rename(&r, "/bin", "/bin2", 10).unwrap();
    assert_eq!(fs.readlink(&r, "/bin2").unwrap(), "usr/bin");
}

pub fn symlinks_resolve_like_linux(fs: &mut Fs) {
    let r = root();
    assert_eq!(&*fs.read_file(&r, "/bin/sh").unwrap(), b"#!sh\n");
    assert_eq!(&*fs.read_file(&r, "/etc/localtime").unwrap(), b"TZif\n");
    assert_eq!(
        fs.lstat(&r, "/etc/localtime").unwrap().kind,
        FileType::Symlink
    );
    assert_eq!(
        fs.stat(&r, "/bin/..").unwrap().ino,
        fs.stat(&r, "/usr").unwrap().ino
    );
    fs.symlink(&r, "/loop2", "/loop1", 11).unwrap();
    fs.symlink(&r, "/loop1", "/loop2", 11).unwrap();
    assert_eq!(fs.stat(&r, "/loop1"), Err(Errno::ELOOP));
    assert_eq!(fs.lstat(&r, "/loop1").unwrap().kind, FileType::Symlink);
    fs.symlink(&r, "/etc/created-through-link", "/dangling", 11)
        .unwrap();
    fs.write_file(&r, "/dangling", b"x", 0o644, 11).unwrap();
    assert_eq!(
        &*fs.read_file(&r, "/etc/created-through-link").unwrap(),
        b"x"
    );
    let through = fs.resolve(&r, "/dangling", true).unwrap();
    assert_eq!(
        (
            through.parent.as_str(),
            through.path.as_str(),
            through.name()
        ),
        (
            "/etc",
            "/etc/created-through-link",
            Some("created-through-link")
        )
    );
    assert_eq!(fs.symlink(&r, "x", "/etc", 11), Err(Errno::EEXIST));
    assert_eq!(fs.symlink(&r, "", "/empty", 11), Err(Errno::ENOENT));
    assert_eq!(fs.readlink(&r, "/etc/passwd"), Err(Errno::EINVAL));
    let mut chain = String::from("/etc/hostname");
    for i in 0..41 {
        let name = format!("/c{i}");
        fs.symlink(&r, &chain, &name, 11).unwrap();
        chain = name;
    }
    assert_eq!(fs.stat(&r, "/c39").unwrap().size, 4, "40 hops resolve");
    assert_eq!(fs.stat(&r, "/c40"), Err(Errno::ELOOP), "41 hops do not");
}

pub fn paths_are_normalized(fs: &mut Fs) {
    let r = root();
    let want = fs.stat(&r, "/etc/hostname").unwrap();
    for p in [
        "//etc///./hostname",
        "/etc/../etc/hostname",
        "/../etc/hostname",
        "/usr/../etc/apt/../hostname",
    ] {
        assert_eq!(fs.stat(&r, p), Ok(want), "{p}");
    }
    for p in ["/etc/hostname", "//etc/./hostname", "/usr/../etc/hostname"] {
        let found = fs.resolve(&r, p, true).unwrap();
        assert_eq!(
            (found.parent.as_str(), found.path.as_str(), found.name()),
            ("/etc", "/etc/hostname", Some("hostname")),
            "{p}"
        );
    }
    let absent = fs.resolve(&r, "/etc/./absent", true).unwrap();
    assert_eq!(
        (absent.parent.as_str(), absent.path.as_str(), absent.stat),
        ("/etc", "/etc/absent", None)
    );
    assert_eq!(fs.stat(&r, "/etc/hostname/"), Err(Errno::ENOTDIR));
    assert_eq!(fs.stat(&r, "/etc/hostname/."), Err(Errno::ENOTDIR));
    assert_eq!(fs.stat(&r, "etc/hostname"), Err(Errno::EINVAL));
    assert_eq!(fs.stat(&r, ""), Err(Errno::ENOENT));
    let long = format!("/etc/{}", "x".repeat(256));
    assert_eq!(fs.stat(&r, &long), Err(Errno::ENAMETOOLONG));
    assert_eq!(
        fs.write_file(&r, &long, b"", 0o644, 1),
        Err(Errno::ENAMETOOLONG)
    );
    fs.write_file(&r, &format!("/etc/{}", "x".repeat(255)), b"", 0o644, 1)
        .unwrap();
    // PATH_MAX counts the terminating NUL: 4095 bytes resolve, 4096 do not.
    let deep = |len: usize| {
        format!("/{}", "a/".repeat(len / 2))
            .chars()
            .take(len)
            .collect::<String>()
    };
    assert_eq!(fs.stat(&r, &deep(4095)), Err(Errno::ENOENT));
    assert_eq!(fs.stat(&r, &deep(4096)), Err(Errno::ENAMETOOLONG));
    assert_eq!(
        fs.mkdir_all(&r, &deep(4096), 0o755, 1),
        Err(Errno::ENAMETOOLONG)
    );
}

pub fn permissions_are_checked(fs: &mut Fs) {
    assert_eq!(fs.read_file(&alice(), "/etc/shadow"), Err(Errno::EACCES));
    assert_eq!(
        fs.write_file(&alice(), "/etc/passwd", b"x", 0o644, 12),
        Err(Errno::EACCES)
    );
    assert_eq!(
        fs.write_file(&alice(), "/etc/new", b"x", 0o644, 12),
        Err(Errno::EACCES)
    );
    assert_eq!(fs.unlink(&alice(), "/etc/passwd", 12), Err(Errno::EACCES));
    assert_eq!(
        fs.stat(&bob(), "/home/alice/notes.txt"),
        Err(Errno::EACCES),
        "no search permission"
    );
    assert_eq!(
        &*fs.read_file(&alice(), "/home/alice/notes.txt").unwrap(),
        b"todo\n"
    );
    assert_eq!(
        fs.unlink(&bob(), "/tmp/alice.txt", 12),
        Err(Errno::EPERM),
        "sticky /tmp"
    );
    assert_eq!(
        fs.rename(&bob(), "/tmp/alice.txt", "/tmp/bob.txt", 12),
        Err(Errno::EPERM)
    );
    fs.write_file(&bob(), "/tmp/bob.txt", b"b", 0o644, 12)
        .unwrap();
    let st = fs.stat(&bob(), "/tmp/bob.txt").unwrap();
    assert_eq!((st.uid, st.gid), (1001, 1001));
    fs.unlink(&bob(), "/tmp/bob.txt", 12).unwrap();
    assert_eq!(fs.chmod(&bob(), "/tmp/alice.txt", 0o777), Err(Errno::EPERM));
    assert_eq!(
        fs.chown(&alice(), "/tmp/alice.txt", Some(0), None),
        Err(Errno::EPERM)
    );
    fs.chmod(&alice(), "/tmp/alice.txt", 0o600).unwrap();
    assert_eq!(fs.read_file(&bob(), "/tmp/alice.txt"), Err(Errno::EACCES));
    assert_eq!(
        &*fs.read_file(&root(), "/tmp/alice.txt").unwrap(),
        b"mine\n"
    );
    fs.unlink(&root(), "/tmp/alice.txt", 12).unwrap();
    assert_eq!(fs.read_dir(&bob(), "/home/alice"), Err(Errno::EACCES));
}

pub fn hard_links_share_an_inode(fs: &mut Fs) {
    let r = root();
    fs.link(&r, "/etc/passwd", "/etc/passwd.link", 13).unwrap();
    assert_eq!(fs.stat(&r, "/etc/passwd").unwrap().nlink, 2);
    fs.write_file(&r, "/etc/passwd.link", b"changed", 0o644, 13)
        .unwrap();
    assert_eq!(&*fs.read_file(&r, "/etc/passwd").unwrap(), b"changed");
    fs.unlink(&r, "/etc/passwd", 13).unwrap();
    assert_eq!(fs.stat(&r, "/etc/passwd.link").unwrap().nlink, 1);
    assert_eq!(fs.link(&r, "/etc/apt", "/etc/apt2", 13), Err(Errno::EPERM));
    assert_eq!(
        fs.link(&r, "/etc/hostname", "/etc/shadow", 13),
        Err(Errno::EEXIST)
    );
    assert_eq!(fs.link(&r, "/nope", "/x", 13), Err(Errno::ENOENT));
}

pub fn metadata_changes_show_in_stat(fs: &mut Fs) {
    let r = root();
    fs.chmod(&r, "/etc/hostname", 0o4755).unwrap();
    fs.chown(&r, "/etc/hostname", Some(7), Some(8)).unwrap();
    fs.set_mtime(&r, "/etc/hostname", 99).unwrap();
    let st = fs.stat(&r, "/etc/hostname").unwrap();
    assert_eq!((st.mode, st.uid, st.gid, st.mtime), (0o4755, 7, 8, 99));
    assert_eq!(st.mode_string(), "-rwsr-xr-x");
    fs.chmod(&r, "/bin", 0o700).unwrap();
    assert_eq!(
        fs.stat(&r, "/usr/bin").unwrap().mode,
        0o700,
        "chmod follows symlinks"
    );
    assert_eq!(fs.chmod(&r, "/nope", 0o700), Err(Errno::ENOENT));
}

pub fn lchown_changes_the_link_itself(fs: &mut Fs) {
    let r = root();
    let target = fs.stat(&r, "/usr/bin").unwrap();
    fs.lchown(&r, "/bin", Some(7), Some(8)).unwrap();
    let link = fs.lstat(&r, "/bin").unwrap();
    assert_eq!((link.kind, link.uid, link.gid), (FileType::Symlink, 7, 8));
    let after = fs.stat(&r, "/usr/bin").unwrap();
    assert_eq!((after.uid, after.gid), (target.uid, target.gid));
    fs.chown(&r, "/bin", Some(9), None).unwrap();
    assert_eq!(fs.stat(&r, "/usr/bin").unwrap().uid, 9, "chown follows");
    assert_eq!(fs.lstat(&r, "/bin").unwrap().uid, 7);
    assert_eq!(
        fs.lchown(&alice(), "/bin", Some(1000), None),
        Err(Errno::EPERM)
    );
}

pub fn remove_all_removes_a_whole_tree(fs: &mut Fs) {
    let r = root();
    fs.remove_all(&r, "/usr", 14).unwrap();
    assert_eq!(fs.stat(&r, "/usr"), Err(Errno::ENOENT));
    assert_eq!(
        fs.stat(&r, "/bin"),
        Err(Errno::ENOENT),
        "the symlink now dangles"
    );
    assert!(fs.lstat(&r, "/bin").is_ok());
    assert_eq!(fs.remove_all(&r, "/usr", 14), Err(Errno::ENOENT));
    assert_eq!(fs.remove_all(&bob(), "/home", 14), Err(Errno::EACCES));
    fs.mkdir(&r, "/usr", 0o755, 14).unwrap();
    assert!(fs.read_dir(&r, "/usr").unwrap().is_empty());
    let names: Vec<String> = fs
        .read_dir(&r, "/")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["bin", "etc", "home", "tmp", "usr", "var"]);
}

/// Generates one `#[test]` per check for one filesystem constructor.
macro_rules! suite {
    ($modname:ident, $make:expr) => {
        mod $modname {
            #[allow(unused_imports)]
            use super::*;
            suite!(@tests $make; fixture_reads_back, read_dir_is_sorted_and_typed, mkdir_reports_posix_errors,
                mkdir_all_creates_missing_parents, rmdir_reports_posix_errors, unlink_removes_one_name,
                write_file_creates_and_truncates, rename_follows_posix_rules, symlinks_resolve_like_linux,
                paths_are_normalized, permissions_are_checked, hard_links_share_an_inode,
                metadata_changes_show_in_stat, lchown_changes_the_link_itself,
                remove_all_removes_a_whole_tree);
        }
    };
    (@tests $make:expr; $($check:ident),*) => {
        $(
            #[test]
            fn $check() {
                let mut fs = $make;
                super::$check(&mut fs);
            }
        )*
    };
}

suite!(tree, crate::fixture::tree());
suite!(union_of_1_layer, crate::fixture::union(1));
suite!(union_of_2_layers, crate::fixture::union(2));
suite!(union_of_5_layers, crate::fixture::union(5));

#[test]
fn fixture_is_the_same_tree_however_it_is_layered() {
    let want = crate::fixture::listing(&crate::fixture::tree());
    for n in [1, 2, 5] {
        assert_eq!(
            crate::fixture::listing(&crate::fixture::union(n)),
            want,
            "{n} layers"
        );
    }
}
