//! `vfs::FileSystem` (vfs 0.13) over layerbox filesystems: a plain [`Tree`], a [`Union`], or a
//! container's files as its processes see them, so code written against `vfs` (and vfs's own
//! conformance suite) can run on the model. Native only: `vfs` is not built for wasm32.
//!
//! Every call runs as root (`Cred::root()`) through [`FileSystem`], so the POSIX rules of
//! `fstree` (and, in a container, its mounts) apply unchanged; `Errno`s become `VfsError`s.
//! The filesystem sits behind a `Mutex` because `vfs` calls take `&self` and must be
//! `Send + Sync`.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt;
use std::io::{self, Cursor, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use layerbox_fstree::{Content, Cred, Errno, FileSystem, FsResult, Store, Tree, Union, MAY_WRITE};
use vfs::error::VfsErrorKind;
use vfs::{SeekAndRead, SeekAndWrite, VfsError, VfsFileType, VfsMetadata, VfsResult};

use crate::error::EngineError;
use crate::world::World;

/// Mode of a directory `create_dir` makes: `0777` under the usual umask `022`.
const DIR_MODE: u32 = 0o755;
/// Mode of a file `create_file` makes: `0666` under the usual umask `022`.
const FILE_MODE: u32 = 0o644;

/// Something that can lend a layerbox filesystem, with its logical time, for one call.
pub trait Backend: Send + 'static {
    /// Runs `f` over the filesystem at the backend's current logical time (`now`).
    fn run<R>(&mut self, f: impl FnOnce(&mut dyn Store, u64) -> R) -> VfsResult<R>;
}

/// A filesystem the adapter owns outright ([`Tree`], [`Union`]) with its own logical clock.
#[derive(Debug)]
pub struct Owned<S> {
    pub store: S,
    /// The logical time (seconds since the epoch) given to every call; the caller moves it.
    pub now: u64,
}

impl<S: Store + Send + 'static> Backend for Owned<S> {
    fn run<R>(&mut self, f: impl FnOnce(&mut dyn Store, u64) -> R) -> VfsResult<R> {
        Ok(f(&mut self.store, self.now))
    }
}

/// A container inside a [`World`]: each call goes through [`World::with_container_fs`] (so
/// volumes, bind mounts and tmpfs are crossed, and the world records the changes) at the
/// world's clock.
#[derive(Debug)]
pub struct InContainer {
    pub world: World,
    /// The container's full id.
    pub id: String,
}

impl Backend for InContainer {
    fn run<R>(&mut self, f: impl FnOnce(&mut dyn Store, u64) -> R) -> VfsResult<R> {
        let now = self.world.now();
        self.world
            .with_container_fs(&self.id, false, |ns| f(ns, now))
            .map_err(engine_error)
    }
}

/// A `vfs::FileSystem` over the filesystem of backend `B`, with vfs's root mapped to directory
/// `base` (default `/`).
pub struct Vfs<B> {
    inner: Arc<Mutex<B>>,
    /// Canonical directory vfs's root maps to, without a trailing `/` (`""` for `/`).
    base: String,
    /// What the `Debug` output names (a whole `World` is too much to print).
    label: String,
}

/// vfs over a plain [`Tree`].
pub type VfsTree = Vfs<Owned<Tree>>;
/// vfs over a [`Union`] of layers (writes go to its upper layer, with copy-up and whiteouts).
pub type VfsUnion = Vfs<Owned<Union>>;
/// vfs over a container's files, as `docker exec` as root would see them.
pub type VfsContainer = Vfs<InContainer>;

impl<S: Store + Send + 'static> Vfs<Owned<S>> {
    /// An adapter owning `store`, every call at logical time `now`.
    pub fn new(store: S, now: u64) -> Self {
        Vfs::from_backend(Owned { store, now }, std::any::type_name::<S>())
    }
}

impl Vfs<InContainer> {
    /// An adapter owning `world`, over the container `reference` names (name, id or prefix).
    pub fn new(world: World, reference: &str) -> Result<Self, EngineError> {
        let id = world.container_id(reference)?;
        let label = format!("container {}", id.get(..12).unwrap_or(&id));
        Ok(Vfs::from_backend(InContainer { world, id }, &label))
    }
}

impl<B: Backend> Vfs<B> {
    /// An adapter over `backend`; `label` names it in `Debug` output.
    pub fn from_backend(backend: B, label: &str) -> Self {
        Vfs {
            inner: Arc::new(Mutex::new(backend)),
            base: String::new(),
            label: label.to_string(),
        }
    }

    /// Maps vfs's root to directory `base` (an absolute path, which should exist), e.g. a
    /// fresh `/vfs-test` inside a container. Symlinks are still resolved from the real `/`.
    pub fn with_base(mut self, base: &str) -> Self {
        self.base = base.trim_end_matches('/').to_string();
        self
    }

    /// Runs `f` with the backend (the `World` or tree), e.g. to advance the clock or take the
    /// world's change events.
    pub fn with_backend<R>(&self, f: impl FnOnce(&mut B) -> R) -> R {
        f(&mut lock(&self.inner))
    }

    /// The layerbox path of vfs path `path` (`""` is vfs's root, else `/a/b`).
    fn host_path(&self, path: &str) -> String {
        match (self.base.is_empty(), path.is_empty()) {
            (true, true) => "/".to_string(),
            (true, false) => path.to_string(),
            (false, _) => format!("{}{path}", self.base),
        }
    }

    /// Runs `f` as root on the filesystem, `Errno`s mapped to vfs errors.
    fn call<T>(&self, f: impl FnOnce(&mut dyn Store, &Cred, u64) -> FsResult<T>) -> VfsResult<T> {
        call(&self.inner, f)
    }
}

impl<B> fmt::Debug for Vfs<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vfs")
            .field("backend", &self.label)
            .field("base", &self.base)
            .finish()
    }
}

fn lock<B>(inner: &Mutex<B>) -> MutexGuard<'_, B> {
    // A panic inside one call leaves the filesystem consistent (every Store primitive is
    // all-or-nothing), so a poisoned lock is still usable.
    inner.lock().unwrap_or_else(PoisonError::into_inner)
}

fn call<B: Backend, T>(
    inner: &Mutex<B>,
    f: impl FnOnce(&mut dyn Store, &Cred, u64) -> FsResult<T>,
) -> VfsResult<T> {
    let cred = Cred::root();
    lock(inner)
        .run(|fs, now| f(fs, &cred, now))?
        .map_err(errno_error)
}

/// The vfs error for an errno: `ENOENT` is `FileNotFound`, `EEXIST` `FileExists` (callers that
/// know the existing node is a directory say `DirectoryExists`), `EOPNOTSUPP` `NotSupported`,
/// anything else `Other` with glibc's `strerror` text.
pub fn errno_error(e: Errno) -> VfsError {
    VfsError::from(match e {
        Errno::ENOENT => VfsErrorKind::FileNotFound,
        Errno::EEXIST => VfsErrorKind::FileExists,
        Errno::EOPNOTSUPP => VfsErrorKind::NotSupported,
        other => VfsErrorKind::Other(other.strerror().to_string()),
    })
}

fn engine_error(e: EngineError) -> VfsError {
    VfsError::from(VfsErrorKind::Other(e.to_string()))
}

/// `open(O_WRONLY)` checks for root on an existing file: not a directory, not read-only.
fn check_writable(fs: &mut dyn Store, cred: &Cred, path: &str) -> FsResult<()> {
    let r = fs.resolve(cred, path, true)?;
    let st = r.stat.ok_or(Errno::ENOENT)?;
    if st.is_dir() {
        return Err(Errno::EISDIR);
    }
    if fs.read_only(&r.path) {
        return Err(Errno::EROFS);
    }
    if !cred.may(&st, MAY_WRITE) {
        return Err(Errno::EACCES);
    }
    Ok(())
}

impl<B: Backend> vfs::FileSystem for Vfs<B> {
    fn read_dir(&self, path: &str) -> VfsResult<Box<dyn Iterator<Item = String> + Send>> {
        let p = self.host_path(path);
        let entries = self.call(|fs, cred, _| fs.read_dir(cred, &p))?;
        Ok(Box::new(entries.into_iter().map(|e| e.name)))
    }

    fn create_dir(&self, path: &str) -> VfsResult<()> {
        let p = self.host_path(path);
        self.call(|fs, cred, now| match fs.mkdir(cred, &p, DIR_MODE, now) {
            // vfs's `create_dir_all` needs to tell "already a directory" (fine) from "a file
            // is in the way"; like std's `create_dir_all`, a symlink to a directory counts.
            Err(Errno::EEXIST) if fs.stat(cred, &p).is_ok_and(|st| st.is_dir()) => Ok(true),
            other => other.map(|()| false),
        })
        .and_then(|existed| match existed {
            true => Err(VfsErrorKind::DirectoryExists.into()),
            false => Ok(()),
        })
    }

    fn open_file(&self, path: &str) -> VfsResult<Box<dyn SeekAndRead + Send>> {
        let p = self.host_path(path);
        // The reader shares the file's bytes (`Arc`): later writes do not change what it reads.
        let content = self.call(|fs, cred, _| fs.read_file(cred, &p))?;
        Ok(Box::new(Cursor::new(content)))
    }

    fn create_file(&self, path: &str) -> VfsResult<Box<dyn SeekAndWrite + Send>> {
        let p = self.host_path(path);
        // `open(O_WRONLY|O_CREAT|O_TRUNC)`: the file exists, empty, as soon as it is opened.
        self.call(|fs, cred, now| fs.write_file(cred, &p, &[], FILE_MODE, now))?;
        Ok(Box::new(Writer::new(self.inner.clone(), p, None)))
    }

    fn append_file(&self, path: &str) -> VfsResult<Box<dyn SeekAndWrite + Send>> {
        let p = self.host_path(path);
        // `open(O_WRONLY|O_APPEND)` without `O_CREAT`: the file must exist.
        let len = self.call(|fs, cred, _| {
            check_writable(fs, cred, &p)?;
            fs.stat(cred, &p).map(|st| st.size)
        })?;
        Ok(Box::new(Writer::new(self.inner.clone(), p, Some(len))))
    }

    fn metadata(&self, path: &str) -> VfsResult<VfsMetadata> {
        let p = self.host_path(path);
        let st = self.call(|fs, cred, _| fs.stat(cred, &p))?;
        Ok(VfsMetadata {
            file_type: if st.is_dir() {
                VfsFileType::Directory
            } else {
                VfsFileType::File
            },
            // Emulation note: vfs reports 0 for a directory; `stat` says 4096.
            len: if st.is_dir() { 0 } else { st.size },
            created: None,
            modified: Some(UNIX_EPOCH + Duration::from_secs(st.mtime)),
            accessed: None,
        })
    }

    /// `utimes(2)` on the modification time. Emulation note: logical time has one-second
    /// resolution, so a time with a sub-second part (or before the epoch) is `NotSupported`
    /// rather than silently truncated: what is set is always what `metadata` reads back.
    fn set_modification_time(&self, path: &str, time: SystemTime) -> VfsResult<()> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .ok()
            .filter(|d| d.subsec_nanos() == 0)
            .map(|d| d.as_secs())
            .ok_or(VfsErrorKind::NotSupported)?;
        let p = self.host_path(path);
        self.call(|fs, cred, _| fs.set_mtime(cred, &p, secs))
    }

    fn exists(&self, path: &str) -> VfsResult<bool> {
        let p = self.host_path(path);
        self.call(|fs, cred, _| match fs.stat(cred, &p) {
            Ok(_) => Ok(true),
            Err(Errno::ENOENT | Errno::ENOTDIR) => Ok(false),
            Err(e) => Err(e),
        })
    }

    fn remove_file(&self, path: &str) -> VfsResult<()> {
        let p = self.host_path(path);
        self.call(|fs, cred, now| fs.unlink(cred, &p, now))
    }

    fn remove_dir(&self, path: &str) -> VfsResult<()> {
        if path.is_empty() {
            // vfs's root is a mount point to its caller, even when `base` is a plain directory.
            return Err(errno_error(Errno::EBUSY));
        }
        let p = self.host_path(path);
        self.call(|fs, cred, now| fs.rmdir(cred, &p, now))
    }

    /// `cp` without `-p`: a new file with the source's permission bits and the same bytes,
    /// shared rather than copied (fstree content is an immutable `Arc`).
    fn copy_file(&self, src: &str, dest: &str) -> VfsResult<()> {
        let (s, d) = (self.host_path(src), self.host_path(dest));
        self.call(|fs, cred, now| {
            let st = fs.stat(cred, &s)?;
            let content: Content = fs.read_file(cred, &s)?;
            if !fs.create_file(cred, &d, st.mode & 0o777 & !0o022, now)? {
                return Err(Errno::EEXIST);
            }
            let target = fs.resolve(cred, &d, true)?.path;
            fs.replace_content(&target, content, now)
        })
    }

    fn move_file(&self, src: &str, dest: &str) -> VfsResult<()> {
        let (s, d) = (self.host_path(src), self.host_path(dest));
        self.call(|fs, cred, now| {
            if fs.lstat(cred, &s)?.is_dir() {
                return Err(Errno::EISDIR);
            }
            fs.rename(cred, &s, &d, now)
        })
    }

    fn move_dir(&self, src: &str, dest: &str) -> VfsResult<()> {
        let (s, d) = (self.host_path(src), self.host_path(dest));
        self.call(|fs, cred, now| {
            if !fs.lstat(cred, &s)?.is_dir() {
                return Err(Errno::ENOTDIR);
            }
            fs.rename(cred, &s, &d, now)
        })
    }
}

/// An open file written through vfs: writes are buffered and reach the filesystem on `flush`
/// and on drop (an error at drop is lost, as with `std::fs::File`).
///
/// Truncate mode (`create_file`) keeps the whole new content, so seeking back and
/// overwriting works, and writes it with `write_file`. Append mode (`append_file`, `O_APPEND`)
/// keeps only the bytes not yet appended and sends them with `append_file`; as on Linux,
/// every write goes to the end whatever the position.
struct Writer<B: Backend> {
    inner: Arc<Mutex<B>>,
    path: String,
    mode: WriteMode,
    dirty: bool,
}

enum WriteMode {
    /// The whole content, with the write position.
    Truncate(Cursor<Vec<u8>>),
    /// The bytes not yet appended; the file's length without them; the seek position.
    Append {
        pending: Vec<u8>,
        flushed_len: u64,
        pos: u64,
    },
}

impl<B: Backend> Writer<B> {
    fn new(inner: Arc<Mutex<B>>, path: String, append_to_len: Option<u64>) -> Self {
        let mode = match append_to_len {
            None => WriteMode::Truncate(Cursor::new(Vec::new())),
            Some(len) => WriteMode::Append {
                pending: Vec::new(),
                flushed_len: len,
                pos: len,
            },
        };
        Writer {
            inner,
            path,
            mode,
            dirty: false,
        }
    }

    fn write_back(&mut self) -> VfsResult<()> {
        if !self.dirty {
            return Ok(());
        }
        let path = &self.path;
        match &mut self.mode {
            WriteMode::Truncate(buf) => {
                let data = buf.get_ref();
                call(&self.inner, |fs, cred, now| {
                    fs.write_file(cred, path, data, FILE_MODE, now)
                })?;
            }
            WriteMode::Append {
                pending,
                flushed_len,
                ..
            } => {
                call(&self.inner, |fs, cred, now| {
                    fs.append_file(cred, path, pending, FILE_MODE, now)
                })?;
                *flushed_len += pending.len() as u64;
                pending.clear();
            }
        }
        self.dirty = false;
        Ok(())
    }
}

impl<B: Backend> Write for Writer<B> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match &mut self.mode {
            WriteMode::Truncate(buf) => buf.write_all(data)?,
            WriteMode::Append {
                pending,
                flushed_len,
                pos,
            } => {
                pending.extend_from_slice(data);
                *pos = *flushed_len + pending.len() as u64;
            }
        }
        self.dirty |= !data.is_empty();
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_back().map_err(io::Error::other)
    }
}

impl<B: Backend> Seek for Writer<B> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match &mut self.mode {
            WriteMode::Truncate(buf) => buf.seek(to),
            // The position only matters to the caller: appends ignore it.
            WriteMode::Append {
                pending,
                flushed_len,
                pos,
            } => {
                let len = *flushed_len + pending.len() as u64;
                let target = match to {
                    SeekFrom::Start(n) => Some(n),
                    SeekFrom::End(d) => len.checked_add_signed(d),
                    SeekFrom::Current(d) => pos.checked_add_signed(d),
                };
                *pos = target.ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "invalid seek to a negative position",
                    )
                })?;
                Ok(*pos)
            }
        }
    }
}

impl<B: Backend> Drop for Writer<B> {
    fn drop(&mut self) {
        // Nobody is left to tell about a failure (as with `close(2)` ignored by `File`).
        let _ = self.write_back();
    }
}
