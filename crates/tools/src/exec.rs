//! How a tool runs another program (`xargs`, `find -exec`, `timeout`, `nohup`): the [`Exec`]
//! hook its caller lends in [`Ctx::exec`], and [`SharedStore`], which lets the caller lend the
//! same world to the hook and, as the filesystem, to the tool.
//!
//! The hook is the caller's own program lookup (the container side's `PATH` search and applet
//! links, the host side's programs and `docker`), so what a name runs, "not found" and "not
//! modelled" are decided in one place whether the shell or a tool starts the program.

use std::cell::RefCell;
use std::collections::BTreeMap;

use layerbox_fstree::{Attr, Content, DirEntry, Errno, FsResult, Meta, NewNode, Stat, Store};

use crate::{Ctx, Output, ProcInfo, SignalError};

/// Runs a program for a tool.
pub trait Exec {
    /// Runs `argv` (`argv[0]` a name to look up on `env`'s `PATH`, or a path) with `stdin` as
    /// its input, in `cwd` with `env`, and returns what it printed and its status. `None` when
    /// nothing of that name exists: the tool then says so in its own words.
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output>;

    /// The processes the tool's process can see (`ps`, `top`, `pgrep`), itself among them
    /// marked [`ProcInfo::running`]; `None` where the caller keeps no process table.
    fn processes(&mut self) -> Option<Vec<ProcInfo>> {
        None
    }

    /// Sends signal `signal` (0: only check) to process `pid`, as the tool's user (`kill`,
    /// `pkill`).
    fn signal(&mut self, _pid: u32, _signal: u32) -> Result<(), SignalError> {
        Err(SignalError::NoSuchProcess)
    }
}

/// The caller lent no [`Exec`] hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoExec;

/// What a tool without a hook says when it would run a program (a caller that lends none:
/// the tools' own tests).
pub const NO_EXEC: &str = "running other programs is not modelled here";

impl Ctx<'_> {
    /// Runs `argv` through the caller's hook, in the tool's working directory and environment;
    /// [`NoExec`] when the caller lent no hook.
    pub fn run_program(&mut self, argv: &[String], stdin: &[u8]) -> Result<Option<Output>, NoExec> {
        let env = self.env;
        let cwd = self.cwd.clone();
        match self.exec.as_deref_mut() {
            Some(hook) => Ok(hook.exec(argv, stdin, env, &cwd)),
            None => Err(NoExec),
        }
    }
}

/// A filesystem inside a `RefCell` that an [`Exec`] hook reaches too: each call borrows the
/// cell for its own length only, so the tool's file calls and the programs it runs (which
/// borrow the cell while they run) never overlap. A call that finds the cell borrowed (which
/// the tools never cause) answers `EBUSY` rather than panicking.
pub struct SharedStore<'r, T> {
    cell: &'r RefCell<T>,
    get: fn(&T) -> &dyn Store,
    get_mut: fn(&mut T) -> &mut dyn Store,
}

impl<'r, T> SharedStore<'r, T> {
    /// The filesystem `get` finds in `cell`'s value.
    pub fn new(
        cell: &'r RefCell<T>,
        get: fn(&T) -> &dyn Store,
        get_mut: fn(&mut T) -> &mut dyn Store,
    ) -> Self {
        SharedStore { cell, get, get_mut }
    }

    fn read<R>(&self, absent: R, f: impl FnOnce(&dyn Store) -> R) -> R {
        match self.cell.try_borrow() {
            Ok(v) => f((self.get)(&v)),
            Err(_) => absent,
        }
    }

    fn write<R>(&self, f: impl FnOnce(&mut dyn Store) -> FsResult<R>) -> FsResult<R> {
        match self.cell.try_borrow_mut() {
            Ok(mut v) => f((self.get_mut)(&mut v)),
            Err(_) => Err(Errno::EBUSY),
        }
    }
}

impl<T> Store for SharedStore<'_, T> {
    fn node(&self, path: &str) -> Option<Stat> {
        self.read(None, |s| s.node(path))
    }
    fn entries(&self, path: &str) -> FsResult<Vec<DirEntry>> {
        self.read(Err(Errno::EBUSY), |s| s.entries(path))
    }
    fn content(&self, path: &str) -> FsResult<Content> {
        self.read(Err(Errno::EBUSY), |s| s.content(path))
    }
    fn link_target(&self, path: &str) -> FsResult<String> {
        self.read(Err(Errno::EBUSY), |s| s.link_target(path))
    }
    fn read_only(&self, path: &str) -> bool {
        self.read(true, |s| s.read_only(path))
    }
    fn device(&self, path: &str) -> u64 {
        self.read(0, |s| s.device(path))
    }
    fn insert(&mut self, path: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        self.write(|s| s.insert(path, node, meta, now))
    }
    fn delete(&mut self, path: &str, now: u64) -> FsResult<()> {
        self.write(|s| s.delete(path, now))
    }
    fn replace_content(&mut self, path: &str, content: Content, now: u64) -> FsResult<()> {
        self.write(|s| s.replace_content(path, content, now))
    }
    fn append_content(&mut self, path: &str, data: &[u8], now: u64) -> FsResult<()> {
        self.write(|s| s.append_content(path, data, now))
    }
    fn set_attr(&mut self, path: &str, attr: Attr) -> FsResult<()> {
        self.write(|s| s.set_attr(path, attr))
    }
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.write(|s| s.move_node(from, to, now))
    }
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.write(|s| s.add_link(from, to, now))
    }
    fn child_node(&self, dir: &str, at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        self.read(None, |s| s.child_node(dir, at, name))
    }
}
