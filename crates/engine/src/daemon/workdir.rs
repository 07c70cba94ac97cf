//! The working directory the daemon makes for a container (moby's `SetupWorkingDirectory`): at
//! create, in the container's own filesystem before any mount is made, with its symlinks
//! followed inside the container's root; at start the runtime makes it again through the
//! mounts, so a working directory under a volume appears in the volume.

use layerbox_fstree::{Cred, Errno, FileSystem, FileType, Store};

use crate::error::EngineError;

/// Where overlay2 shows container `id`'s merged filesystem, as the daemon's messages name it:
/// under the container's layer's own id (a random id in Docker, never the container's), here
/// derived from the container's.
pub(crate) fn merged_dir(id: &str) -> String {
    let layer = crate::clock::IdGenerator::digest_of(format!("{id}:rw").as_bytes());
    format!("/var/lib/docker/overlay2/{layer}/merged")
}

/// Go's `symlink.FollowSymlinkInScope` over a container's root: `path` (absolute and clean)
/// with every symlink resolved inside the root (`..` never leaves it). A missing component
/// ends the walk and the rest is kept as written; any other failure is the path that failed
/// `lstat` and its errno.
fn follow_in_scope(fs: &dyn Store, path: &str) -> Result<String, (String, Errno)> {
    let root = Cred::root();
    let mut pending: Vec<String> = path
        .split('/')
        .filter(|c| !c.is_empty())
        .rev()
        .map(str::to_string)
        .collect();
    let mut resolved: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(c) = pending.pop() {
        match c.as_str() {
            "." => continue,
            ".." => {
                resolved.pop();
                continue;
            }
            _ => {}
        }
        let here = format!("/{}", [resolved.join("/"), c.clone()].join("/")).replace("//", "/");
        match fs.lstat(&root, &here) {
            Err(Errno::ENOENT) => {
                resolved.push(c);
                resolved.extend(pending.into_iter().rev());
                break;
            }
            Err(e) => return Err((here, e)),
            Ok(st) if st.kind == FileType::Symlink => {
                links += 1;
                if links > 255 {
                    return Err((here, Errno::ELOOP));
                }
                let target = fs.readlink(&root, &here).map_err(|e| (here.clone(), e))?;
                if target.starts_with('/') {
                    resolved.clear();
                }
                pending.extend(
                    target
                        .split('/')
                        .filter(|c| !c.is_empty())
                        .rev()
                        .map(str::to_string),
                );
            }
            Ok(_) => resolved.push(c),
        }
    }
    Ok(format!("/{}", resolved.join("/")))
}

/// Makes working directory `dir` (absolute and clean) in container `id`'s filesystem `fs`,
/// root-owned, mode 0755, with its missing parents, as the daemon does at create.
pub(crate) fn make_at_create(
    fs: &mut dyn Store,
    id: &str,
    dir: &str,
    now: u64,
) -> Result<(), EngineError> {
    let merged = merged_dir(id);
    let lstat_error = |path: &str, e: Errno| {
        EngineError::system(format!("lstat {merged}{path}: {}", e.go_text()))
    };
    let path = follow_in_scope(&*fs, dir).map_err(|(p, e)| lstat_error(&p, e))?;
    match fs.mkdir_all(&Cred::root(), &path, 0o755, now) {
        Ok(()) => Ok(()),
        Err(Errno::EEXIST) => Err(EngineError::system(format!(
            "Cannot mkdir: {dir} is not a directory"
        ))),
        Err(e) => Err(EngineError::system(format!(
            "mkdir {merged}{path}: {}",
            e.go_text()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerbox_fstree::{Meta, NewNode, Tree};

    fn tree() -> Tree {
        let mut t = Tree::new();
        let root = Cred::root();
        t.mkdir_all(&root, "/bin", 0o755, 0).expect("bin");
        t.insert(
            "/bin/busybox",
            NewNode::File(Default::default()),
            Meta::new(0o755, 0, 0, 0),
            0,
        )
        .expect("busybox");
        t.symlink(&root, "busybox", "/bin/sh", 0).expect("sh");
        t.symlink(&root, "/../../bin", "/up", 0).expect("up");
        t
    }

    #[test]
    fn symlinks_are_followed_inside_the_root() {
        let t = tree();
        assert_eq!(follow_in_scope(&t, "/up/sh"), Ok("/bin/busybox".into()));
        assert_eq!(follow_in_scope(&t, "/new/dir"), Ok("/new/dir".into()));
        assert_eq!(
            follow_in_scope(&t, "/bin/sh/x"),
            Err(("/bin/busybox/x".into(), Errno::ENOTDIR))
        );
    }

    #[test]
    fn a_file_in_the_way_fails_as_the_daemon_says() {
        let mut t = tree();
        let e = make_at_create(&mut t, "abc", "/bin/busybox", 0).expect_err("file");
        assert_eq!(e.message, "Cannot mkdir: /bin/busybox is not a directory");
        let e = make_at_create(&mut t, "abc", "/bin/sh/x", 0).expect_err("below a file");
        assert_eq!(
            e.message,
            format!("lstat {}/bin/busybox/x: not a directory", merged_dir("abc"))
        );
        assert!(merged_dir("abc").starts_with("/var/lib/docker/overlay2/"));
        assert!(!merged_dir("abc").contains("/abc/"), "the layer's own id");
        make_at_create(&mut t, "abc", "/srv/app", 0).expect("made");
        let st = t.stat(&Cred::root(), "/srv/app").expect("stat");
        assert_eq!(
            (st.kind, st.mode & 0o7777, st.uid),
            (FileType::Dir, 0o755, 0)
        );
    }
}
