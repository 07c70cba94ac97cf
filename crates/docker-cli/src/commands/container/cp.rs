//! `docker cp`: files between the host and a container (or a tar stream on stdin/stdout), with
//! the daemon's archive rules (owners, hard links, walk order).

use layerbox_fstree::{Cred, Errno, FileSystem, FileType, Store};
use layerbox_sh::Output;
use layerbox_tools::tar::{self, TarEntry, TarError, TarKind};

use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::reply::daemon_error;
use crate::{reply, Cli};

pub const CP: Command = Command {
    path: "cp",
    args: Arity::Exact(2),
    usage: "docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
    flags: &[
        switch("archive", Some('a')),
        switch("follow-link", Some('L')),
        switch("quiet", Some('q')),
    ],
    interspersed: true,
    not_modelled: &[],};

/// One file of the archive, its path relative to the copied root (`""` is the root itself).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) rel: String,
    pub(crate) kind: EntryKind,
    pub(crate) mode: u32,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) mtime: u64,
}

#[derive(Debug, Clone)]
pub(crate) enum EntryKind {
    Dir,
    File(Vec<u8>),
    Symlink(String),
    /// Another name of the file archived earlier at this `rel`.
    Link(String),
}

/// `CONTAINER:PATH` or a local path (the CLI's `splitCpArg`).
pub(crate) fn split_arg(arg: &str) -> (Option<&str>, &str) {
    if arg.starts_with('/') || arg.starts_with('.') {
        return (None, arg);
    }
    match arg.split_once(':') {
        Some((c, p)) if !c.is_empty() => (Some(c), p),
        _ => (None, arg),
    }
}

/// Reads `path` and everything under it from `fs` as `cred`.
pub(crate) fn collect(
    fs: &dyn Store,
    cred: &Cred,
    path: &str,
) -> Result<Vec<Entry>, layerbox_fstree::Errno> {
    let mut out = Vec::new();
    // (device, inode) of each file with several names, and the first name met.
    let mut linked: Vec<((u64, u64), String)> = Vec::new();
    let mut stack = vec![(path.to_string(), String::new())];
    while let Some((p, rel)) = stack.pop() {
        let st = fs.lstat(cred, &p)?;
        let kind = match st.kind {
            FileType::Dir => {
                let mut names: Vec<String> =
                    fs.read_dir(cred, &p)?.into_iter().map(|e| e.name).collect();
                layerbox_order::sort(&mut names);
                for n in names.into_iter().rev() {
                    let child_rel = if rel.is_empty() {
                        n.clone()
                    } else {
                        format!("{rel}/{n}")
                    };
                    stack.push((layerbox_fstree::path::join(&p, &n), child_rel));
                }
                EntryKind::Dir
            }
            FileType::File if st.nlink > 1 => {
                let key = (fs.device(&p), st.ino);
                match linked.iter().find(|(k, _)| *k == key) {
                    Some((_, first)) => EntryKind::Link(first.clone()),
                    None => {
                        linked.push((key, rel.clone()));
                        EntryKind::File(fs.read_file(cred, &p)?.to_vec())
                    }
                }
            }
            FileType::File => EntryKind::File(fs.read_file(cred, &p)?.to_vec()),
            FileType::Symlink => EntryKind::Symlink(fs.readlink(cred, &p)?),
            // Emulation note: a device node (only `/dev`'s, which `docker cp` does not see
            // mounted) is left out of the archive.
            FileType::CharDev => continue,
        };
        out.push(Entry {
            rel,
            kind,
            mode: st.mode,
            uid: st.uid,
            gid: st.gid,
            mtime: st.mtime,
        });
    }
    // The stack gives filepath.Walk's order: parents first, names sorted.
    Ok(out)
}

/// Where a copy goes: `dest` itself, or `dest/NAME` when it is an existing directory.
pub(crate) enum Target {
    /// Create (or overwrite) this path.
    At(String),
}

/// Where writing a copy failed: the system call as Go's `os` names it (`mkdir`, `open`,
/// `symlink`, `link`, `chmod`), its path, and the errno.
pub(crate) struct WriteError {
    op: &'static str,
    path: String,
    errno: layerbox_fstree::Errno,
}

impl WriteError {
    /// Go's `*PathError` text, as the CLI prints a local extraction's failure
    /// (`mkdir /home/user/d/x: permission denied`, recorded).
    fn go_text(&self) -> String {
        format!(
            "{} {}: {}",
            self.op,
            self.path,
            self.errno.strerror().to_lowercase()
        )
    }

    /// The daemon's reply when extracting into a container failed: a full disk fails inside
    /// the archive's extraction, which names the write; other errors are the errno's.
    fn daemon_text(&self) -> String {
        if self.errno == Errno::ENOSPC {
            format!(
                "Error response from daemon: Error processing tar file(exit status 1): {}",
                self.go_text()
            )
        } else {
            format!("Error response from daemon: {}", self.errno.strerror())
        }
    }
}

/// Writes the entries at `target` in `fs` as `cred`; `owner` overrides every owner.
pub(crate) fn write_entries(
    fs: &mut dyn Store,
    cred: &Cred,
    target: &str,
    entries: &[Entry],
    owner: Option<(u32, u32)>,
    now: u64,
) -> Result<(), WriteError> {
    let path_of = |e: &Entry| {
        if e.rel.is_empty() {
            target.to_string()
        } else {
            format!("{}/{}", target.trim_end_matches('/'), e.rel)
        }
    };
    let mut root_kept = false;
    for e in entries {
        let path = path_of(e);
        let at = |op: &'static str| {
            let path = path.clone();
            move |errno| WriteError { op, path, errno }
        };
        let existing = fs.lstat(cred, &path).ok();
        match &e.kind {
            // The copied directory itself onto one that exists (`docker cp d/. c:/tmp`): the
            // target keeps its own mode, owner and times (recorded: cp-dir-contents-root).
            EntryKind::Dir
                if e.rel.is_empty() && existing.is_some_and(|st| st.kind == FileType::Dir) =>
            {
                root_kept = true;
                continue;
            }
            EntryKind::Dir => match existing {
                Some(st) if st.kind == FileType::Dir => {}
                Some(_) => {
                    fs.remove_all(cred, &path, now).map_err(at("unlinkat"))?;
                    fs.mkdir(cred, &path, e.mode, now).map_err(at("mkdir"))?;
                }
                None => fs.mkdir(cred, &path, e.mode, now).map_err(at("mkdir"))?,
            },
            EntryKind::File(bytes) => {
                if existing.is_some_and(|st| st.kind != FileType::File) {
                    fs.remove_all(cred, &path, now).map_err(at("unlinkat"))?;
                }
                // Go opens the file, then writes it: a full disk fails the write.
                fs.write_file(cred, &path, bytes, e.mode, now)
                    .map_err(|errno| {
                        let op = if errno == Errno::ENOSPC {
                            "write"
                        } else {
                            "open"
                        };
                        at(op)(errno)
                    })?;
            }
            EntryKind::Symlink(to) => {
                if existing.is_some() {
                    fs.remove_all(cred, &path, now).map_err(at("unlinkat"))?;
                }
                // Go's *LinkError names the target and the path.
                fs.symlink(cred, to, &path, now)
                    .map_err(|errno| WriteError {
                        op: "symlink",
                        path: format!("{to} {path}"),
                        errno,
                    })?;
                let (uid, gid) = owner.unwrap_or((e.uid, e.gid));
                let _ = fs.lchown(cred, &path, Some(uid), Some(gid));
                continue;
            }
            EntryKind::Link(first) => {
                if existing.is_some() {
                    fs.remove_all(cred, &path, now).map_err(at("unlinkat"))?;
                }
                let first = format!("{}/{first}", target.trim_end_matches('/'));
                // Go's *LinkError names both paths.
                fs.link(cred, &first, &path, now)
                    .map_err(|errno| WriteError {
                        op: "link",
                        path: format!("{first} {path}"),
                        errno,
                    })?;
                continue;
            }
        }
        fs.chmod(cred, &path, e.mode).map_err(at("chmod"))?;
        let (uid, gid) = owner.unwrap_or((e.uid, e.gid));
        // Emulation note: an owner the writer may not give is left as created.
        let _ = fs.chown(cred, &path, Some(uid), Some(gid));
    }
    // Times last, children before parents: writing a child changes its directory's mtime.
    for e in entries.iter().rev() {
        if root_kept && e.rel.is_empty() {
            continue;
        }
        if !matches!(e.kind, EntryKind::Symlink(_) | EntryKind::Link(_)) {
            let _ = fs.set_mtime(cred, &path_of(e), e.mtime);
        }
    }
    Ok(())
}

/// Where `src` (a directory or not, its path as typed) goes under `dest` in `fs`; or the
/// reason it cannot go there.
pub(crate) fn resolve_target(
    fs: &dyn Store,
    cred: &Cred,
    src_typed: &str,
    src_is_dir: bool,
    dest: &str,
    asserts_directory: bool,
) -> Result<Target, TargetError> {
    let base = src_typed
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    let contents_only = src_typed.ends_with("/.");
    match fs.stat(cred, dest) {
        Ok(st) if st.kind == FileType::Dir => {
            if src_is_dir && contents_only {
                Ok(Target::At(dest.to_string()))
            } else {
                Ok(Target::At(layerbox_fstree::path::join(dest, &base)))
            }
        }
        Ok(_) if src_is_dir => Err(TargetError::DirOntoFile),
        Ok(_) => Ok(Target::At(dest.to_string())),
        // archive.PrepareArchiveCopy: a file cannot make a directory that `d/` or `d/.` asks
        // for.
        Err(_) if !src_is_dir && asserts_directory => Err(TargetError::NoSuchDirectory),
        Err(_) => {
            let parent = layerbox_fstree::path::split(dest.trim_end_matches('/'))
                .map(|(p, _)| if p.is_empty() { "/" } else { p })
                .unwrap_or("/")
                .to_string();
            match fs.stat(cred, &parent) {
                Ok(st) if st.kind == FileType::Dir => Ok(Target::At(dest.to_string())),
                _ => Err(TargetError::NoParent(parent)),
            }
        }
    }
}

pub(crate) enum TargetError {
    DirOntoFile,
    NoParent(String),
    /// A file copied to a destination that does not exist but ends in `/` or `/.`.
    NoSuchDirectory,
}

/// archive's `assertsDirectory`: the path as typed ends in a separator or names `.`.
pub(crate) fn asserts_directory(typed: &str) -> bool {
    typed.ends_with('/') || typed == "." || typed.ends_with("/.")
}

pub(crate) fn absolute(cwd: &str, path: &str) -> String {
    let p = if path.starts_with('/') {
        path.to_string()
    } else {
        layerbox_fstree::path::join(cwd, path)
    };
    // `d/.` names `d`; the trailing `/.` only says "its contents".
    let trimmed = p.trim_end_matches("/.").trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

/// The bytes of the tar stream that carries `entries`.
pub(crate) fn tar_size(entries: &[Entry]) -> u64 {
    let blocks = |n: usize| (n as u64).div_ceil(512) * 512;
    1024 + entries
        .iter()
        .map(|e| {
            512 + match &e.kind {
                EntryKind::File(bytes) => blocks(bytes.len()),
                _ => 0,
            }
        })
        .sum::<u64>()
}

/// What the CLI says on a terminal once a copy is done (nothing when not on a terminal or
/// with `-q`).
pub(crate) fn copied(cli: &Cli<'_>, m: &Matches, entries: &[Entry], to: &str) -> Output {
    let mut out = Output::default();
    if cli.tty && !m.on("quiet") {
        reply::err_line(
            &mut out,
            format!(
                "Successfully copied {} to {to}",
                crate::formatter::units::human_size_precision(tar_size(entries), 3)
            ),
        );
    }
    out
}

pub(crate) fn fail(text: impl AsRef<str>) -> Output {
    let mut out = Output::default();
    reply::err_line(&mut out, text);
    out.code = 1;
    out
}

pub fn cp(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let archive = m.on("archive");
    let (src_c, src_p) = split_arg(&m.args[0]);
    let (dst_c, dst_p) = split_arg(&m.args[1]);
    let user = layerbox_engine::host::user_cred();
    let root = Cred::root();
    match (src_c, dst_c) {
        (None, None) => fail("must specify at least one container source"),
        (Some(_), Some(_)) => fail("copying between containers is not supported"),
        (Some(c), None) if dst_p == "-" => copy_out_as_tar(cli, c, src_p),
        (None, Some(c)) if src_p == "-" => copy_in_from_tar(cli, c, dst_p),
        (Some(c), None) => {
            // command.ValidateOutputPath runs before the CLI asks the daemon anything: the
            // cleaned destination's directory must exist (recorded).
            let typed_dest = if dst_p.starts_with('/') {
                dst_p.to_string()
            } else {
                layerbox_fstree::path::join(cli.cwd, dst_p)
            };
            if let Ok(clean) = layerbox_fstree::path::normalize(&typed_dest) {
                if let Some((dir, _)) = layerbox_fstree::path::split(&clean) {
                    if cli.world.host().stat(&user, dir) == Err(Errno::ENOENT) {
                        return fail(format!(
                            "invalid output path: directory \"{dir}\" does not exist"
                        ));
                    }
                }
            }
            let id = match cli.world.container_id(c) {
                Ok(id) => id,
                Err(e) => {
                    let mut out = Output::default();
                    daemon_error(&mut out, &e);
                    return out;
                }
            };
            if let Err(e) = cli.world.mount_for_cp(&id) {
                let mut out = Output::default();
                daemon_error(&mut out, &e);
                return out;
            }
            let src = absolute("/", src_p);
            let read = cli
                .world
                .with_container_fs(&id, true, |ns| collect(&*ns, &root, &src));
            let entries = match read {
                Ok(Ok(entries)) => entries,
                _ => {
                    return fail(format!(
                        "Error response from daemon: Could not find the file {src} in container {c}"
                    ))
                }
            };
            let src_is_dir = matches!(entries.first().map(|e| &e.kind), Some(EntryKind::Dir));
            let dest = absolute(cli.cwd, dst_p);
            let host = cli.world.host_mut();
            let typed = if src_p.ends_with("/.") {
                src_p.to_string()
            } else {
                src.clone()
            };
            // The CLI's ValidateOutputPath: the parent must exist, then the path as typed
            // (its trailing `/` or `/.` kept) must stat or not exist.
            let no_parent = |p: &str| {
                fail(format!(
                    "invalid output path: directory \"{p}\" does not exist"
                ))
            };
            if let Err(TargetError::NoParent(p)) =
                resolve_target(&*host, &user, &typed, src_is_dir, &dest, false)
            {
                return no_parent(&p);
            }
            let kept = if dst_p.ends_with("/.") {
                format!("{}/.", dest.trim_end_matches('/'))
            } else if dst_p.ends_with('/') && dest != "/" {
                format!("{dest}/")
            } else {
                dest.clone()
            };
            match host.stat(&user, &kept) {
                Err(e) if e != Errno::ENOENT => {
                    return fail(format!("stat {kept}: {}", e.go_text()));
                }
                _ => {}
            }
            let asserts = asserts_directory(dst_p);
            match resolve_target(&*host, &user, &typed, src_is_dir, &dest, asserts) {
                Err(TargetError::DirOntoFile) => fail("cannot copy directory"),
                Err(TargetError::NoParent(p)) => no_parent(&p),
                // archive.CopyInfoDestinationPath takes `d` itself as the parent of `d/.`.
                Err(TargetError::NoSuchDirectory) if dst_p.ends_with("/.") => {
                    fail(format!("stat {dest}: no such file or directory"))
                }
                Err(TargetError::NoSuchDirectory) => fail("no such directory"),
                Ok(Target::At(at)) => {
                    let owner = (!archive).then_some((user.uid, user.gid));
                    let now = cli.world.now();
                    match write_entries(cli.world.host_mut(), &user, &at, &entries, owner, now) {
                        Ok(()) => {
                            // The destination as typed, made absolute but not cleaned.
                            let shown = if dst_p.starts_with('/') {
                                dst_p.to_string()
                            } else {
                                format!("{}/{dst_p}", cli.cwd.trim_end_matches('/'))
                            };
                            copied(cli, m, &entries, &shown)
                        }
                        Err(e) => fail(e.go_text()),
                    }
                }
            }
        }
        (None, Some(c)) => {
            // The CLI first asks the daemon to stat the destination (an error is ignored),
            // which mounts a stopped container's volumes; it reads the local source next
            // (cli/command/container/cp.go), so a missing file is reported first (recorded).
            if let Ok(id) = cli.world.container_id(c) {
                let _ = cli.world.mount_for_cp(&id);
            }
            let src = absolute(cli.cwd, src_p);
            let entries = match collect(cli.world.host(), &user, &src) {
                Ok(entries) => entries,
                Err(e) => {
                    return fail(format!("lstat {src}: {}", e.strerror().to_lowercase()));
                }
            };
            let id = match cli.world.container_id(c) {
                Ok(id) => id,
                Err(e) => {
                    let mut out = Output::default();
                    daemon_error(&mut out, &e);
                    return out;
                }
            };
            let src_is_dir = matches!(entries.first().map(|e| &e.kind), Some(EntryKind::Dir));
            let dest = absolute("/", dst_p);
            // The daemon mounts the container's volumes and binds before it looks at the
            // destination: a source it cannot make fails the copy (recorded). The CLI's stat
            // of the destination failed the same way, so it took the destination for missing:
            // a file copied to `DIR/` stops at archive.PrepareArchiveCopy first.
            if let Err(e) = cli.world.mount_for_cp(&id) {
                if !src_is_dir && asserts_directory(dst_p) {
                    return fail("no such directory");
                }
                let mut out = Output::default();
                daemon_error(&mut out, &e);
                return out;
            }
            let Some(container) = cli.world.containers().get(&id) else {
                return fail(format!(
                    "Error response from daemon: No such container: {c}"
                ));
            };
            let read_only = rootfs_refuses(container, &dest);
            // The daemon refuses to extract into a read-only volume, bind or `--mount` tmpfs
            // (the deepest of the container's mount points holding the destination; moby's
            // checkIfPathIsInAVolume). A `--tmpfs` is none of them: into a read-only container
            // it is refused with the rootfs, and a `--mount` tmpfs takes the copy into the
            // container's own layer, under the tmpfs (the daemon mounts no tmpfs for it).
            let within = |mp: &&layerbox_engine::container::MountPoint| {
                dest == mp.destination
                    || dest.starts_with(&format!("{}/", mp.destination.trim_end_matches('/')))
            };
            let holder = container
                .mounts
                .iter()
                .filter(|mp| mp.listed())
                .filter(within)
                .max_by_key(|mp| mp.destination.len());
            if holder.is_some_and(|mp| !mp.rw) {
                return fail("Error response from daemon: mounted volume is marked read-only");
            }
            if read_only {
                return fail("Error response from daemon: container rootfs is marked read-only");
            }
            let typed = src_p.to_string();
            let now = cli.world.now();
            // The daemon extracts the CLI's tar as it is, owners included (the local files'
            // own uid and gid); `-a` chowns to the container's user when it names one
            // (moby's tarCopyOptions).
            let has_user = cli
                .world
                .containers()
                .get(&id)
                .is_some_and(|c| !c.config.user.is_empty());
            let owner = if archive && has_user {
                cli.world
                    .process_cred(&id, "")
                    .ok()
                    .map(|cred| (cred.uid, cred.gid))
            } else {
                None
            };
            let result = cli.world.with_container_fs(&id, true, |ns| {
                let asserts = asserts_directory(dst_p);
                match resolve_target(&*ns, &root, &typed, src_is_dir, &dest, asserts) {
                    Err(TargetError::DirOntoFile) => Err("cannot copy directory".to_string()),
                    Err(TargetError::NoSuchDirectory) => Err("no such directory".to_string()),
                    Err(TargetError::NoParent(p)) => Err(format!(
                        "Error response from daemon: Could not find the file {p} in container {c}"
                    )),
                    Ok(Target::At(at)) => write_entries(ns, &root, &at, &entries, owner, now)
                        .map_err(|e| e.daemon_text()),
                }
            });
            cli.world.unmount_after_cp(&id);
            match result {
                Ok(Ok(())) => copied(cli, m, &entries, &m.args[1]),
                Ok(Err(text)) => fail(text),
                Err(e) => {
                    let mut out = Output::default();
                    daemon_error(&mut out, &e);
                    out
                }
            }
        }
    }
}

/// The daemon's error for a container reference, as an output.
pub(crate) fn no_container(e: &layerbox_engine::error::EngineError) -> Output {
    let mut out = Output::default();
    daemon_error(&mut out, e);
    out
}

/// `docker cp CONTAINER:SRC -`: the archive of SRC on stdout, its members named from SRC's
/// last component (`/etc` gives `etc/`, `etc/hostname`, …; `/etc/.` gives `./`, `./hostname`).
pub(crate) fn copy_out_as_tar(cli: &mut Cli<'_>, c: &str, src_p: &str) -> Output {
    let id = match cli.world.container_id(c) {
        Ok(id) => id,
        Err(e) => return no_container(&e),
    };
    let src = absolute("/", src_p);
    let root = Cred::root();
    // The daemon archives inside the container's filesystem: owners are named from the
    // container's own `/etc/passwd` and `/etc/group`.
    let read = cli.world.with_container_fs(&id, true, |ns| {
        collect(&*ns, &root, &src).map(|entries| {
            let mut cache = layerbox_tools::Names::default();
            let names: Vec<(String, String)> = entries
                .iter()
                .map(|e| {
                    let user = cache.user(&*ns, e.uid).unwrap_or_default();
                    (user, cache.group(&*ns, e.gid).unwrap_or_default())
                })
                .collect();
            (entries, names)
        })
    });
    let (entries, names) = match read {
        Ok(Ok(read)) => read,
        _ => {
            return fail(format!(
                "Error response from daemon: Could not find the file {src} in container {c}"
            ))
        }
    };
    let base = if src_p.ends_with("/.") {
        ".".to_string()
    } else {
        match src.rsplit('/').next() {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => ".".to_string(),
        }
    };
    let members: Vec<TarEntry> = entries
        .iter()
        .zip(names)
        .map(|(e, (uname, gname))| {
            let mut name = if e.rel.is_empty() {
                base.clone()
            } else {
                format!("{base}/{}", e.rel)
            };
            let kind = match &e.kind {
                EntryKind::Dir => {
                    name.push('/');
                    TarKind::Dir
                }
                EntryKind::File(bytes) => TarKind::File(bytes.clone()),
                EntryKind::Symlink(to) => TarKind::Symlink(to.clone()),
                EntryKind::Link(first) => TarKind::Link(format!("{base}/{first}")),
            };
            TarEntry {
                name,
                kind,
                mode: e.mode & 0o7777,
                uid: e.uid,
                gid: e.gid,
                uname,
                gname,
                mtime: e.mtime,
            }
        })
        .collect();
    Output {
        stdout: tar::write(&members),
        ..Output::default()
    }
}

/// `docker cp - CONTAINER:DEST`: the archive on stdin extracted into directory DEST.
pub(crate) fn copy_in_from_tar(cli: &mut Cli<'_>, c: &str, dst_p: &str) -> Output {
    let id = match cli.world.container_id(c) {
        Ok(id) => id,
        Err(e) => return no_container(&e),
    };
    let dest = absolute("/", dst_p);
    let root = Cred::root();
    let is_dir = cli
        .world
        .with_container_fs(&id, true, |ns| ns.stat(&root, &dest).map(|st| st.is_dir()));
    if !matches!(is_dir, Ok(Ok(true))) {
        return fail(format!("destination \"{c}:{dst_p}\" must be a directory"));
    }
    // Go's tar reader: no bytes at all is an empty archive.
    let members = if cli.stdin.is_empty() {
        Vec::new()
    } else {
        match tar::read(cli.stdin) {
            Ok(members) => members,
            Err(e) => {
                let why = match e {
                    TarError::NotTar if cli.stdin.len() >= 512 => "archive/tar: invalid tar header",
                    _ => "unexpected EOF",
                };
                return fail(format!(
                    "Error response from daemon: Error processing tar file(exit status 1): {why}"
                ));
            }
        }
    };
    let mut entries: Vec<Entry> = Vec::new();
    for m in &members {
        let rel = m
            .name
            .trim_start_matches('/')
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if rel.is_empty() || rel == "." {
            continue;
        }
        let kind = match &m.kind {
            TarKind::Dir => EntryKind::Dir,
            TarKind::File(bytes) => EntryKind::File(bytes.clone()),
            TarKind::Symlink(to) => EntryKind::Symlink(to.clone()),
            TarKind::Link(to) => {
                let to = to
                    .trim_start_matches('/')
                    .trim_start_matches("./")
                    .trim_end_matches('/');
                if !entries.iter().any(|e| e.rel == to) {
                    continue;
                }
                EntryKind::Link(to.to_string())
            }
        };
        entries.push(Entry {
            rel,
            kind,
            mode: m.mode,
            uid: m.uid,
            gid: m.gid,
            mtime: m.mtime,
        });
    }
    let read_only = cli
        .world
        .containers()
        .get(&id)
        .is_some_and(|container| rootfs_refuses(container, &dest));
    if read_only {
        return fail("Error response from daemon: container rootfs is marked read-only");
    }
    let now = cli.world.now();
    let result = cli.world.with_container_fs(&id, true, |ns| {
        write_entries(ns, &root, &dest, &entries, None, now)
    });
    match result {
        Ok(Ok(())) => Output::default(),
        Ok(Err(e)) => fail(e.daemon_text()),
        Err(e) => no_container(&e),
    }
}

/// Whether the daemon refuses to extract to `dest` because the container's root filesystem is
/// read-only and no mount point of it (a volume, a bind, a `--mount` tmpfs) holds `dest`.
fn rootfs_refuses(container: &layerbox_engine::container::Container, dest: &str) -> bool {
    container.host_config.read_only
        && !container.mounts.iter().any(|mp| {
            mp.listed()
                && (dest == mp.destination
                    || dest.starts_with(&format!("{}/", mp.destination.trim_end_matches('/'))))
        })
}
