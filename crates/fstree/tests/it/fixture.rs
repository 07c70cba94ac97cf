//! A small starting filesystem, built as a plain tree or scattered over union layers.

use layerbox_fstree::{Cred, FileSystem, Store, Tree, Union};

pub fn root() -> Cred {
    Cred::root()
}

pub fn alice() -> Cred {
    Cred::user(1000, 1000)
}

pub fn bob() -> Cred {
    Cred::user(1001, 1001)
}

/// One fixture entry.
pub enum E {
    Dir(&'static str, u32, u32),
    File(&'static str, &'static str, u32, u32),
    Symlink(&'static str, &'static str),
    Link(&'static str, &'static str),
}

/// The starting tree: (entry, owner uid=gid).
pub const FIXTURE: &[E] = &[
    E::Dir("/etc", 0o755, 0),
    E::File("/etc/hostname", "box\n", 0o644, 0),
    E::File("/etc/passwd", "root:x:0:0\n", 0o644, 0),
    E::File("/etc/shadow", "secret\n", 0o600, 0),
    E::Dir("/etc/apt", 0o755, 0),
    E::File("/etc/apt/sources.list", "deb main\n", 0o644, 0),
    E::Symlink("/etc/localtime", "../usr/share/zoneinfo/UTC"),
    E::Dir("/usr", 0o755, 0),
    E::Dir("/usr/bin", 0o755, 0),
    E::File("/usr/bin/sh", "#!sh\n", 0o755, 0),
    E::File("/usr/bin/ls", "ELF ls\n", 0o755, 0),
    E::Link("/usr/bin/ls", "/usr/bin/dir"),
    E::Dir("/usr/share", 0o755, 0),
    E::Dir("/usr/share/zoneinfo", 0o755, 0),
    E::File("/usr/share/zoneinfo/UTC", "TZif\n", 0o644, 0),
    E::Symlink("/bin", "usr/bin"),
    E::Dir("/tmp", 0o1777, 0),
    E::File("/tmp/alice.txt", "mine\n", 0o644, 1000),
    E::Dir("/home", 0o755, 0),
    E::Dir("/home/alice", 0o700, 1000),
    E::File("/home/alice/notes.txt", "todo\n", 0o600, 1000),
    E::Dir("/var", 0o755, 0),
    E::Dir("/var/empty", 0o755, 0),
];

fn apply(fs: &mut dyn Store, e: &E) {
    let r = root();
    match *e {
        E::Dir(p, mode, owner) => {
            if !fs.exists(&r, p) {
                fs.mkdir_all(&r, p, 0o755, 1).unwrap();
            }
            fs.chmod(&r, p, mode).unwrap();
            fs.chown(&r, p, Some(owner), Some(owner)).unwrap();
        }
        E::File(p, text, mode, owner) => {
            ensure_parent(fs, p);
            fs.write_file(&r, p, text.as_bytes(), mode, 1).unwrap();
            fs.chmod(&r, p, mode).unwrap();
            fs.chown(&r, p, Some(owner), Some(owner)).unwrap();
        }
        E::Symlink(p, target) => {
            ensure_parent(fs, p);
            fs.symlink(&r, target, p, 1).unwrap();
        }
        E::Link(existing, new) => {
            ensure_parent(fs, new);
            fs.link(&r, existing, new, 1).unwrap();
        }
    }
}

fn ensure_parent(fs: &mut dyn Store, p: &str) {
    let parent = layerbox_fstree::path::split(p).unwrap().0;
    fs.mkdir_all(&root(), parent, 0o755, 1).unwrap();
}

/// The fixture as one plain tree.
pub fn tree() -> Tree {
    let mut t = Tree::new();
    for e in FIXTURE {
        apply(&mut t, e);
    }
    t
}

/// The fixture scattered over `n` committed layers (entry `i` in layer `i % n`, a hard link in
/// its file's layer), with an overridden file and a whited-out one when `n >= 2`, under an
/// empty upper layer.
pub fn union(n: usize) -> Union {
    let mut u = Union::new(Vec::new());
    let mut layer_of_file = 0;
    for k in 0..n {
        if n >= 2 && k == 0 {
            apply(&mut u, &E::File("/etc/hostname", "old\n", 0o600, 5));
            apply(&mut u, &E::File("/etc/removed", "gone\n", 0o644, 0));
            apply(&mut u, &E::Dir("/etc/removed.d", 0o755, 0));
            apply(&mut u, &E::File("/etc/removed.d/x", "x\n", 0o644, 0));
        }
        if n >= 2 && k == 1 {
            u.unlink(&root(), "/etc/removed", 1).unwrap();
            u.remove_all(&root(), "/etc/removed.d", 1).unwrap();
        }
        for (i, e) in FIXTURE.iter().enumerate() {
            let here = match e {
                E::Link(..) => layer_of_file == k,
                _ => i % n == k,
            };
            if matches!(e, E::File("/usr/bin/ls", ..)) {
                layer_of_file = i % n;
            }
            if here || (matches!(e, E::File("/etc/hostname", ..)) && n >= 2 && k == n - 1) {
                apply(&mut u, e);
            }
        }
        u.commit_and_restack();
    }
    u.take_events();
    u
}

/// Sanity: the fixture builders agree with each other.
pub fn listing(fs: &dyn Store) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec!["/".to_string()];
    while let Some(p) = stack.pop() {
        for e in fs.read_dir(&root(), &p).unwrap() {
            let child = layerbox_fstree::path::join(&p, &e.name);
            let st = fs.lstat(&root(), &child).unwrap();
            let body = match e.kind {
                layerbox_fstree::FileType::Dir => {
                    stack.push(child.clone());
                    String::new()
                }
                layerbox_fstree::FileType::File => {
                    String::from_utf8_lossy(&fs.read_file(&root(), &child).unwrap()).into_owned()
                }
                layerbox_fstree::FileType::Symlink => fs.readlink(&root(), &child).unwrap(),
                layerbox_fstree::FileType::CharDev => format!("{:?}", st.rdev),
            };
            let nlink = if e.kind == layerbox_fstree::FileType::Dir {
                0
            } else {
                st.nlink
            };
            out.push(format!(
                "{} {nlink} {}:{} {child} {body:?}",
                st.mode_string(),
                st.uid,
                st.gid
            ));
        }
    }
    out.sort();
    out
}
