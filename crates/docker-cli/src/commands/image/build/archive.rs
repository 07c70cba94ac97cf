//! `ADD` of a local tar or gzip archive (found by its bytes): unpacked with the archive's owners,
//! modes and mtimes.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_tools::gzip::Compression;
use layerbox_tools::tar::{self, TarEntry, TarKind};

use crate::commands::image::build::context::context_rel;

/// What ADD finds in a source file (moby's `isArchivePath`: the bytes, decompressed if their
/// magic says so, start with a readable tar header).
pub(crate) enum Archive {
    No,
    Tar(Vec<TarEntry>),
    Unmodelled(Compression),
}

pub(crate) fn local_archive(data: &[u8]) -> Archive {
    let kind = Compression::detect(data);
    let tar = match kind {
        Compression::None => std::borrow::Cow::Borrowed(data),
        Compression::Gzip => match layerbox_tools::gzip::decompress(data) {
            Ok(bytes) => std::borrow::Cow::Owned(bytes),
            // A stream that does not decompress is no archive: copied as it is.
            Err(_) => return Archive::No,
        },
        other => return Archive::Unmodelled(other),
    };
    match tar::read(&tar) {
        Ok(entries) if !entries.is_empty() => Archive::Tar(entries),
        _ => Archive::No,
    }
}

/// moby's `chrootarchive.Untar` of an ADD archive into `dest`, the destination itself (created
/// 0755 if missing; `ADD files.tar /opt/` unpacks into `/opt`): every
/// member keeps the archive's owner, mode and mtime (20.10 applies no `--chown` to it); an
/// existing path is replaced unless both are directories; `.` itself is left as it is.
///
/// Emulation note: moby refuses a member that would land outside `dest` (`../x`) with a
/// breakout error; layerbox skips such a member.
pub(crate) fn unpack(
    fs: &mut layerbox_fstree::Union,
    dest: &str,
    entries: &[TarEntry],
    now: u64,
) -> Result<(), layerbox_fstree::Errno> {
    let root = Cred::root();
    if fs.stat(&root, dest).is_err() {
        fs.mkdir_all(&root, dest, 0o755, now)?;
    }
    for e in entries {
        let rel = context_rel(&e.name);
        if rel.is_empty() || e.name.split('/').any(|p| p == "..") {
            continue;
        }
        let path = layerbox_fstree::path::join(dest, &rel);
        if let Some((parent, _)) = layerbox_fstree::path::split(&path) {
            if fs.lstat(&root, parent).is_err() {
                fs.mkdir_all(&root, parent, 0o755, now)?;
            }
        }
        let existing = fs.lstat(&root, &path).ok();
        let both_dirs = existing.is_some_and(|st| st.is_dir()) && e.kind == TarKind::Dir;
        if existing.is_some() && !both_dirs {
            if existing.is_some_and(|st| st.is_dir()) {
                let _ = fs.remove_all(&root, &path, now);
            } else {
                fs.unlink(&root, &path, now)?;
            }
        }
        match &e.kind {
            TarKind::Dir => {
                if !both_dirs {
                    fs.mkdir(&root, &path, e.mode, now)?;
                }
            }
            TarKind::File(data) => fs.write_file(&root, &path, data, e.mode, now)?,
            TarKind::Symlink(target) => fs.symlink(&root, target, &path, now)?,
            TarKind::Link(target) => {
                let rel = context_rel(target);
                if rel.is_empty() || target.split('/').any(|p| p == "..") {
                    continue;
                }
                fs.link(&root, &layerbox_fstree::path::join(dest, &rel), &path, now)?;
                continue;
            }
        }
        if matches!(e.kind, TarKind::Symlink(_)) {
            fs.lchown(&root, &path, Some(e.uid), Some(e.gid))?;
        } else {
            fs.chmod(&root, &path, e.mode)?;
            fs.chown(&root, &path, Some(e.uid), Some(e.gid))?;
            fs.set_mtime(&root, &path, e.mtime)?;
        }
    }
    Ok(())
}
