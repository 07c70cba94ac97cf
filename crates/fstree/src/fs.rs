//! `FileSystem`: the POSIX operations (stat, mkdir, rename, ...) with their permission and
//! precondition checks, written once over any [`Store`]. The bodies take `&dyn Store`, so the web
//! bundle carries one copy of each operation rather than one per store type.

use crate::path::{self, is_within, join};
use crate::resolve::{resolve, resolve_with_parent, Found, Last, Resolved};
use crate::store::{Attr, Content, DirEntry, NewNode, Store};
use crate::{
    Cred, Errno, FileType, FsResult, Meta, Stat, MAY_EXEC, MAY_READ, MAY_WRITE, S_ISGID, S_ISVTX,
};

/// POSIX filesystem operations on absolute paths, for the caller `cred`, at logical time `now`.
///
/// Implemented for every [`Store`] (a plain [`Tree`](crate::Tree), a [`Union`](crate::Union),
/// a caller's mount namespace). Each operation resolves its paths with [`resolve`], checks
/// what Linux checks in Linux's order (existence, `EROFS`, permission: search on every
/// directory walked, write+search on a parent to create or remove, the sticky bit, ownership
/// for `chmod`/`chown`), then calls one [`Store`] primitive. Nothing here panics.
pub trait FileSystem: Store {
    /// [`resolve`] over this filesystem.
    fn resolve(&self, cred: &Cred, path: &str, follow: bool) -> FsResult<Resolved> {
        resolve(self, cred, path, follow)
    }

    /// `lstat(2)`: the node itself, a final symlink not followed.
    fn lstat(&self, cred: &Cred, path: &str) -> FsResult<Stat> {
        stat_path(self.as_dyn_store(), cred, path, false)
    }

    /// `stat(2)`: symlinks followed.
    fn stat(&self, cred: &Cred, path: &str) -> FsResult<Stat> {
        stat_path(self.as_dyn_store(), cred, path, true)
    }

    /// Whether `path` names something (symlinks followed).
    fn exists(&self, cred: &Cred, path: &str) -> bool {
        self.stat(cred, path).is_ok()
    }

    /// The entries of a directory in the store's order (by name; newest first on a tmpfs);
    /// needs read permission.
    fn read_dir(&self, cred: &Cred, path: &str) -> FsResult<Vec<DirEntry>> {
        self.entries(&readable(self.as_dyn_store(), cred, path, true)?)
    }

    /// The content of a regular file, or what a character device gives one read (at most
    /// [`ENDLESS_READ`](crate::ENDLESS_READ) bytes of an endless one); needs read permission.
    fn read_file(&self, cred: &Cred, path: &str) -> FsResult<Content> {
        fs_read_file(self.as_dyn_store(), cred, path, crate::ENDLESS_READ)
    }

    /// [`FileSystem::read_file`] by a reader that wants at most `max` bytes (`head -c 16`):
    /// an endless device gives that many; a regular file gives all its content.
    fn read_file_max(&self, cred: &Cred, path: &str, max: usize) -> FsResult<Content> {
        fs_read_file(self.as_dyn_store(), cred, path, max)
    }

    /// `readlink(2)`: `EINVAL` if `path` is not a symlink.
    fn readlink(&self, cred: &Cred, path: &str) -> FsResult<String> {
        fs_readlink(self.as_dyn_store(), cred, path)
    }

    /// `open(O_WRONLY|O_CREAT|O_TRUNC)` + `write`: replace the content of a file, creating it
    /// with `mode` (umask already applied) if absent. A final symlink is followed, even a
    /// dangling one (its target is created).
    fn write_file(
        &mut self,
        cred: &Cred,
        path: &str,
        data: &[u8],
        mode: u32,
        now: u64,
    ) -> FsResult<()> {
        let s = self.as_dyn_store_mut();
        open_for_write(s, cred, path, mode, now, Write::Replace(data))
    }

    /// How many more bytes the regular file `path` (symlinks followed) may grow by before a
    /// write is `ENOSPC`, when its store knows ([`Store::room`]).
    fn room_at(&self, cred: &Cred, path: &str) -> Option<u64> {
        let r = resolve(self.as_dyn_store(), cred, path, true).ok()?;
        r.stat?;
        self.room(&r.path)
    }

    /// `open(O_WRONLY|O_CREAT|O_APPEND)` + `write`.
    fn append_file(
        &mut self,
        cred: &Cred,
        path: &str,
        data: &[u8],
        mode: u32,
        now: u64,
    ) -> FsResult<()> {
        let s = self.as_dyn_store_mut();
        open_for_write(s, cred, path, mode, now, Write::Append(data))
    }

    /// Create an empty file if `path` is absent (what `touch` does before setting times).
    /// Returns whether a file was created.
    fn create_file(&mut self, cred: &Cred, path: &str, mode: u32, now: u64) -> FsResult<bool> {
        fs_create_file(self.as_dyn_store_mut(), cred, path, mode, now)
    }

    /// `mkdir(2)`: a final symlink is not followed (`EEXIST`).
    fn mkdir(&mut self, cred: &Cred, path: &str, mode: u32, now: u64) -> FsResult<()> {
        fs_mkdir(self.as_dyn_store_mut(), cred, path, mode, now)
    }

    /// `mkdir -p`: create every missing directory; `EEXIST` if the path names a non-directory,
    /// `ENOTDIR` if an intermediate one does.
    fn mkdir_all(&mut self, cred: &Cred, path: &str, mode: u32, now: u64) -> FsResult<()> {
        fs_mkdir_all(self.as_dyn_store_mut(), cred, path, mode, now)
    }

    /// `rmdir(2)`: `EBUSY` for `/`, `EINVAL` for `.`, `ENOTEMPTY` for `..` or a directory with
    /// entries (merged ones too, in a union).
    fn rmdir(&mut self, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
        fs_rmdir(self.as_dyn_store_mut(), cred, path, now)
    }

    /// `unlink(2)`: `EISDIR` for a directory.
    fn unlink(&mut self, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
        fs_unlink(self.as_dyn_store_mut(), cred, path, now)
    }

    /// `rm -r`: remove `path` and everything below it, symlinks not followed; stops at the
    /// first error (`ENOENT` if `path` is absent).
    fn remove_all(&mut self, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
        fs_remove_all(self.as_dyn_store_mut(), cred, path, now)
    }

    /// `rename(2)`: a file replaces a file, a directory replaces an empty directory; `EISDIR`
    /// / `ENOTDIR` for a type mismatch, `EINVAL` for moving a directory into itself,
    /// `ENOTEMPTY` for replacing a non-empty directory (or an ancestor), `EBUSY` for `/`, `.`
    /// and `..`, `EXDEV` between devices. Renaming a name onto another name of the same inode
    /// does nothing.
    fn rename(&mut self, cred: &Cred, from: &str, to: &str, now: u64) -> FsResult<()> {
        fs_rename(self.as_dyn_store_mut(), cred, from, to, now)
    }

    /// `symlink(2)`: create `path` pointing at `target` (stored as given, resolved on use).
    fn symlink(&mut self, cred: &Cred, target: &str, path: &str, now: u64) -> FsResult<()> {
        fs_symlink(self.as_dyn_store_mut(), cred, target, path, now)
    }

    /// `link(2)`: a new name `new` for the non-directory `existing` (not followed if a
    /// symlink); `EPERM` for a directory, `EXDEV` between devices.
    fn link(&mut self, cred: &Cred, existing: &str, new: &str, now: u64) -> FsResult<()> {
        fs_link(self.as_dyn_store_mut(), cred, existing, new, now)
    }

    /// `chmod(2)`: owner or root only (`EPERM`).
    fn chmod(&mut self, cred: &Cred, path: &str, mode: u32) -> FsResult<()> {
        let attr = Attr {
            mode: Some(mode),
            ..Attr::default()
        };
        let allowed = |st: &Stat| cred.owns(st);
        change_attr(self.as_dyn_store_mut(), cred, path, true, &allowed, attr)
    }

    /// `chown(2)`: root changes anything; an owner may only change the group to one of its own
    /// groups (`EPERM` otherwise). `None` leaves that id alone. A symlink's target changes.
    fn chown(
        &mut self,
        cred: &Cred,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> FsResult<()> {
        chown_at(self.as_dyn_store_mut(), cred, path, true, uid, gid)
    }

    /// `lchown(2)`: [`FileSystem::chown`] of a final symlink itself.
    fn lchown(
        &mut self,
        cred: &Cred,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> FsResult<()> {
        chown_at(self.as_dyn_store_mut(), cred, path, false, uid, gid)
    }

    /// `utimes(2)` with given times: set the modification time; only the owner or root may
    /// (`EPERM`).
    fn set_mtime(&mut self, cred: &Cred, path: &str, mtime: u64) -> FsResult<()> {
        let allowed = |st: &Stat| cred.owns(st);
        let attr = Attr {
            mtime: Some(mtime),
            ..Attr::default()
        };
        change_attr(self.as_dyn_store_mut(), cred, path, true, &allowed, attr)
    }

    /// `utimes(2)` with no times, "set to now" (`touch FILE`): the owner, root, or anyone who
    /// may write the file; `EACCES` for the rest.
    fn touch_now(&mut self, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
        let s = self.as_dyn_store_mut();
        let r = resolve(s, cred, path, true)?;
        let st = r.stat.ok_or(Errno::ENOENT)?;
        if s.read_only(&r.path) {
            return Err(Errno::EROFS);
        }
        if !cred.owns(&st) && !cred.may(&st, MAY_WRITE) {
            return Err(Errno::EACCES);
        }
        let attr = Attr {
            mtime: Some(now),
            ..Attr::default()
        };
        s.set_attr(&r.path, attr)
    }
}

impl<S: Store + ?Sized> FileSystem for S {}

/// `resolve(s, cred, path, follow)?.stat`, `ENOENT` if nothing is there.
fn stat_path(s: &dyn Store, cred: &Cred, path: &str, follow: bool) -> FsResult<Stat> {
    if path.len() >= crate::path::PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    match s.stat_fast(cred, path, follow) {
        Some(r) => r?.ok_or(Errno::ENOENT),
        None => resolve(s, cred, path, follow)?.stat.ok_or(Errno::ENOENT),
    }
}

/// `attr` set on the existing node `path` names (a final symlink followed if `follow`),
/// `EROFS` checked, if `allowed` says the caller may change it (`EPERM` otherwise).
fn change_attr(
    s: &mut dyn Store,
    cred: &Cred,
    path: &str,
    follow: bool,
    allowed: &dyn Fn(&Stat) -> bool,
    attr: Attr,
) -> FsResult<()> {
    let r = resolve(s, cred, path, follow)?;
    let st = r.stat.ok_or(Errno::ENOENT)?;
    if s.read_only(&r.path) {
        return Err(Errno::EROFS);
    }
    if !allowed(&st) {
        return Err(Errno::EPERM);
    }
    s.set_attr(&r.path, attr)
}

/// `may_create`: write and search permission on directory `dir`, and a writable mount.
fn may_write_dir(s: &dyn Store, cred: &Cred, dir: &str) -> FsResult<()> {
    if s.read_only(dir) {
        return Err(Errno::EROFS);
    }
    let st = s.node(dir).ok_or(Errno::ENOENT)?;
    if !cred.may(&st, MAY_WRITE | MAY_EXEC) {
        return Err(Errno::EACCES);
    }
    Ok(())
}

/// `may_delete`: [`may_write_dir`] on the parent, then the sticky-directory rule: only the
/// entry's owner, the directory's owner or root may remove it (`EPERM`).
fn may_delete(s: &dyn Store, cred: &Cred, dir: &str, victim: &Stat) -> FsResult<()> {
    may_write_dir(s, cred, dir)?;
    let d = s.node(dir).ok_or(Errno::ENOENT)?;
    if d.mode & S_ISVTX != 0 && !cred.is_root() && cred.uid != victim.uid && cred.uid != d.uid {
        return Err(Errno::EPERM);
    }
    Ok(())
}

/// The checks shared by `rmdir` and `unlink`, in Linux's order: `EROFS`, `ENOENT`, permission.
fn removable(s: &dyn Store, cred: &Cred, r: &Resolved) -> FsResult<Stat> {
    if s.read_only(&r.parent) {
        return Err(Errno::EROFS);
    }
    let st = r.stat.ok_or(Errno::ENOENT)?;
    may_delete(s, cred, &r.parent, &st)?;
    Ok(st)
}

/// Create `node` where `r` says, owned by the caller: the group is the parent's if the parent
/// is set-group-ID (and a new directory inherits that bit), else the caller's. `parent` is the
/// parent directory's stat if resolution had it (else the store is asked).
fn create(
    s: &mut dyn Store,
    cred: &Cred,
    r: &Found<'_>,
    parent: Option<Stat>,
    node: NewNode,
    mode: u32,
    now: u64,
) -> FsResult<()> {
    if r.name().is_none() {
        return Err(Errno::EEXIST);
    }
    if r.trailing_slash && node != NewNode::Dir {
        return Err(Errno::EISDIR);
    }
    // `may_write_dir`, with the parent's stat looked up once.
    if s.read_only(&r.parent) {
        return Err(Errno::EROFS);
    }
    let parent = match parent {
        Some(st) => st,
        None => s.node(&r.parent).ok_or(Errno::ENOENT)?,
    };
    if !cred.may(&parent, MAY_WRITE | MAY_EXEC) {
        return Err(Errno::EACCES);
    }
    let mut meta = Meta::new(mode, cred.uid, cred.gid, now);
    if parent.mode & S_ISGID != 0 {
        meta.gid = parent.gid;
        if node == NewNode::Dir {
            meta.mode |= S_ISGID;
        }
    }
    s.insert_resolved(&r.path, &parent, node, meta, now)
}

/// What [`open_for_write`] does to the file's bytes.
enum Write<'d> {
    /// `O_TRUNC`: the file becomes these bytes.
    Replace(&'d [u8]),
    /// `O_APPEND`: these bytes go after the old ones.
    Append(&'d [u8]),
}

/// Open `path` for writing (creating it if absent) and write to it as `w` says.
fn open_for_write(
    s: &mut dyn Store,
    cred: &Cred,
    path: &str,
    mode: u32,
    now: u64,
    w: Write<'_>,
) -> FsResult<()> {
    let (r, parent) = resolve_with_parent(s, cred, path, true)?;
    match r.stat {
        None => {
            let (Write::Replace(data) | Write::Append(data)) = w;
            let node = NewNode::File(Content::from(data));
            create(s, cred, &r, parent, node, mode, now)
        }
        Some(st) if st.is_dir() => Err(Errno::EISDIR),
        Some(st) => {
            // Opening an existing file: with O_TRUNC (`>`) `do_open` asks the mount for write
            // access (EROFS) before `may_open`'s permission check (EACCES); with O_APPEND (`>>`)
            // the permission comes first (recorded: read-only-rootfs-permission-order). A
            // device is written on whatever mount it sits.
            let truncates = matches!(w, Write::Replace(_));
            if truncates && s.read_only(&r.path) && st.rdev.is_none() {
                return Err(Errno::EROFS);
            }
            if !cred.may(&st, MAY_WRITE) {
                return Err(Errno::EACCES);
            }
            if s.read_only(&r.path) && st.rdev.is_none() {
                return Err(Errno::EROFS);
            }
            if let Some(device) = st.rdev {
                // Opening is writing nothing; only a terminal that is not there fails it.
                let (Write::Replace(data) | Write::Append(data)) = w;
                return match device {
                    crate::Device::Tty | crate::Device::Ptmx => Err(Errno::ENXIO),
                    _ if data.is_empty() => Ok(()),
                    _ => device.write(),
                };
            }
            match w {
                Write::Replace(data) => {
                    // Read as before, so a store that counts reads (a network share) counts
                    // the same operations.
                    s.content(&r.path)?;
                    s.replace_content(&r.path, Content::from(data), now)
                }
                Write::Append(data) => s.append_content(&r.path, data, now),
            }
        }
    }
}

/// The path of what `path` names (symlinks followed) once it may be read as a directory
/// (`dir`) or as a file: `ENOTDIR` or `EISDIR` for the other type, `EACCES` without read
/// permission.
fn readable(s: &dyn Store, cred: &Cred, path: &str, dir: bool) -> FsResult<String> {
    let r = resolve(s, cred, path, true)?;
    let st = r.stat.ok_or(Errno::ENOENT)?;
    if st.is_dir() != dir {
        return Err(if dir { Errno::ENOTDIR } else { Errno::EISDIR });
    }
    if !cred.may(&st, MAY_READ) {
        return Err(Errno::EACCES);
    }
    Ok(r.path)
}

/// [`FileSystem::read_file_max`], compiled once for every store type: a device's node gives
/// what its device reads, seeded by the node (its inode and time), so one node gives one stream.
fn fs_read_file(s: &dyn Store, cred: &Cred, path: &str, max: usize) -> FsResult<Content> {
    let r = resolve(s, cred, path, true)?;
    let st = r.stat.ok_or(Errno::ENOENT)?;
    if st.is_dir() {
        return Err(Errno::EISDIR);
    }
    if !cred.may(&st, MAY_READ) {
        return Err(Errno::EACCES);
    }
    match st.rdev {
        Some(device) => device
            .read(max, st.ino ^ st.mtime.rotate_left(32))
            .map(Content::from),
        None => s.content(&r.path),
    }
}

/// [`FileSystem::readlink`], compiled once for every store type.
fn fs_readlink(s: &dyn Store, cred: &Cred, path: &str) -> FsResult<String> {
    let r = resolve(s, cred, path, false)?;
    match r.stat {
        None => Err(Errno::ENOENT),
        Some(st) if st.kind != FileType::Symlink => Err(Errno::EINVAL),
        Some(_) => s.link_target(&r.path),
    }
}

/// [`FileSystem::create_file`], compiled once for every store type.
fn fs_create_file(
    s: &mut dyn Store,
    cred: &Cred,
    path: &str,
    mode: u32,
    now: u64,
) -> FsResult<bool> {
    let (r, parent) = resolve_with_parent(s, cred, path, true)?;
    if r.stat.is_some() {
        return Ok(false);
    }
    create(
        s,
        cred,
        &r,
        parent,
        NewNode::File(Content::from(&[][..])),
        mode,
        now,
    )?;
    Ok(true)
}

/// [`FileSystem::mkdir`], compiled once for every store type.
fn fs_mkdir(s: &mut dyn Store, cred: &Cred, path: &str, mode: u32, now: u64) -> FsResult<()> {
    let (r, parent) = resolve_with_parent(s, cred, path, false)?;
    if r.stat.is_some() {
        return Err(Errno::EEXIST);
    }
    create(s, cred, &r, parent, NewNode::Dir, mode, now)
}

/// [`FileSystem::mkdir_all`], compiled once for every store type.
fn fs_mkdir_all(s: &mut dyn Store, cred: &Cred, path: &str, mode: u32, now: u64) -> FsResult<()> {
    if !path.starts_with('/') {
        return Err(Errno::EINVAL);
    }
    if path.len() >= path::PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let parts: Vec<&str> = path::components(path).collect();
    for i in 1..=parts.len() {
        let prefix = path::from_components(parts[..i].iter().copied());
        match s.stat(cred, &prefix) {
            Ok(st) if st.is_dir() => {}
            Ok(_) if i == parts.len() => return Err(Errno::EEXIST),
            Ok(_) => return Err(Errno::ENOTDIR),
            Err(Errno::ENOENT) => s.mkdir(cred, &prefix, mode, now)?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// [`FileSystem::rmdir`], compiled once for every store type.
fn fs_rmdir(s: &mut dyn Store, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
    let r = resolve(s, cred, path, false)?;
    match r.last {
        Last::Root => return Err(Errno::EBUSY),
        Last::Dot => return Err(Errno::EINVAL),
        Last::DotDot => return Err(Errno::ENOTEMPTY),
        Last::Name(_) => {}
    }
    let st = removable(s, cred, &r)?;
    if !st.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    if !s.entries(&r.path)?.is_empty() {
        return Err(Errno::ENOTEMPTY);
    }
    s.delete(&r.path, now)
}

/// [`FileSystem::unlink`], compiled once for every store type.
fn fs_unlink(s: &mut dyn Store, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
    let r = resolve(s, cred, path, false)?;
    if r.name().is_none() {
        return Err(Errno::EISDIR);
    }
    let st = removable(s, cred, &r)?;
    if st.is_dir() {
        return Err(Errno::EISDIR);
    }
    s.delete(&r.path, now)
}

/// [`FileSystem::remove_all`], compiled once for every store type.
fn fs_remove_all(s: &mut dyn Store, cred: &Cred, path: &str, now: u64) -> FsResult<()> {
    let r = resolve(s, cred, path, false)?;
    if r.stat.is_none() {
        return Err(Errno::ENOENT);
    }
    // Iterative post-order walk: deep trees must not exhaust the (small, on wasm32) stack.
    let mut stack = vec![(r.path, false)];
    while let Some((p, expanded)) = stack.pop() {
        let Some(st) = s.node(&p) else { continue };
        if !st.is_dir() {
            s.unlink(cred, &p, now)?;
        } else if expanded {
            s.rmdir(cred, &p, now)?;
        } else {
            let children = s.read_dir(cred, &p)?;
            stack.push((p.clone(), true));
            stack.extend(children.into_iter().map(|e| (join(&p, &e.name), false)));
        }
    }
    Ok(())
}

/// [`FileSystem::rename`], compiled once for every store type.
fn fs_rename(s: &mut dyn Store, cred: &Cred, from: &str, to: &str, now: u64) -> FsResult<()> {
    let rf = resolve(s, cred, from, false)?;
    let rt = resolve(s, cred, to, false)?;
    if s.device(&rf.parent) != s.device(&rt.parent) {
        return Err(Errno::EXDEV);
    }
    if rf.name().is_none() || rt.name().is_none() {
        return Err(Errno::EBUSY);
    }
    if s.read_only(&rf.parent) || s.read_only(&rt.parent) {
        return Err(Errno::EROFS);
    }
    let src = rf.stat.ok_or(Errno::ENOENT)?;
    if !src.is_dir() && (rf.trailing_slash || rt.trailing_slash) {
        return Err(Errno::ENOTDIR);
    }
    if rf.path == rt.path {
        return Ok(());
    }
    if is_within(&rt.path, &rf.path) {
        return Err(Errno::EINVAL);
    }
    if let Some(dst) = rt.stat {
        if is_within(&rf.path, &rt.path) {
            return Err(Errno::ENOTEMPTY);
        }
        if dst.ino == src.ino {
            return Ok(());
        }
    }
    may_delete(s, cred, &rf.parent, &src)?;
    match rt.stat {
        Some(dst) => {
            if src.is_dir() && !dst.is_dir() {
                return Err(Errno::ENOTDIR);
            }
            if !src.is_dir() && dst.is_dir() {
                return Err(Errno::EISDIR);
            }
            may_delete(s, cred, &rt.parent, &dst)?;
            if dst.is_dir() && !s.entries(&rt.path)?.is_empty() {
                return Err(Errno::ENOTEMPTY);
            }
        }
        None => may_write_dir(s, cred, &rt.parent)?,
    }
    // A directory moving to another parent rewrites its `..`: it needs write permission.
    if src.is_dir() && rf.parent != rt.parent && !cred.may(&src, MAY_WRITE) {
        return Err(Errno::EACCES);
    }
    s.move_node(&rf.path, &rt.path, now)
}

/// [`FileSystem::symlink`], compiled once for every store type.
fn fs_symlink(s: &mut dyn Store, cred: &Cred, target: &str, path: &str, now: u64) -> FsResult<()> {
    if target.is_empty() {
        return Err(Errno::ENOENT);
    }
    let (r, parent) = resolve_with_parent(s, cred, path, false)?;
    if r.stat.is_some() {
        return Err(Errno::EEXIST);
    }
    create(
        s,
        cred,
        &r,
        parent,
        NewNode::Symlink(target.to_string()),
        0o777,
        now,
    )
}

/// [`FileSystem::link`], compiled once for every store type.
fn fs_link(s: &mut dyn Store, cred: &Cred, existing: &str, new: &str, now: u64) -> FsResult<()> {
    let rs = resolve(s, cred, existing, false)?;
    let src = rs.stat.ok_or(Errno::ENOENT)?;
    let rt = resolve(s, cred, new, false)?;
    if rt.stat.is_some() || rt.name().is_none() {
        return Err(Errno::EEXIST);
    }
    if s.device(&rs.path) != s.device(&rt.parent) {
        return Err(Errno::EXDEV);
    }
    may_write_dir(s, cred, &rt.parent)?;
    if src.is_dir() {
        return Err(Errno::EPERM);
    }
    s.add_link(&rs.path, &rt.path, now)
}

/// `chown`/`lchown`: `follow` says whether a final symlink is followed.
fn chown_at(
    s: &mut dyn Store,
    cred: &Cred,
    path: &str,
    follow: bool,
    uid: Option<u32>,
    gid: Option<u32>,
) -> FsResult<()> {
    let allowed = |st: &Stat| {
        cred.is_root()
            || (cred.owns(st)
                && uid.is_none_or(|u| u == st.uid)
                && gid.is_none_or(|g| g == st.gid || cred.in_group(g)))
    };
    let attr = Attr {
        uid,
        gid,
        ..Attr::default()
    };
    change_attr(s, cred, path, follow, &allowed, attr)
}
