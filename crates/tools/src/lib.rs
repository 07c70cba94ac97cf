//! The programs a learner runs (`ls`, `cat`, `cp`, `grep`, `mount`, ...) over an fstree
//! filesystem, in two flavours: BusyBox 1.36 as in Alpine (inside containers) and GNU coreutils
//! 9.1 as in Debian 12 (on the host), each with the real program's options, wording and exit
//! codes.
//!
//! # Design
//!
//! [`run`] looks a program up by its basename in one table and calls it with a [`Ctx`]: the
//! filesystem (any [`Store`], so a container's mount namespace too), the caller's credentials,
//! working directory, environment, stdin and the logical clock. A tool returns an [`Output`]
//! (stdout, stderr, exit code) and changes the filesystem through [`FileSystem`] calls only, so
//! every permission and read-only rule comes from fstree and every message is the errno's
//! `strerror()` text in the flavour's sentence.
//!
//! Code map: `cli.rs` (option parsing and the diagnostics all tools share: quoting, usage
//! errors, errno messages), `users.rs` (names of ids over fstree's `passwd`), `clock.rs`
//! (`strftime` over fstree's `calendar`), `datetime.rs` (date strings for `date -d` and `touch
//! -d -t`), `human.rs` (`-h` sizes), `ls.rs`, `mkdir.rs`, `files.rs` (rmdir rm touch cp mv ln),
//! `loginutils.rs` (adduser addgroup deluser delgroup, BusyBox only), `attrs.rs` (stat chmod
//! chown chgrp readlink), `text.rs` (echo cat head tail wc uniq tee), `printf.rs` (printf over
//! C's conversions), `sort.rs` (sort's keys and orderings), `cut.rs`, `grep.rs`, `regex/` (BRE and ERE: a
//! Pike VM, and a bounded backtracker for back-references), `find.rs`, `paths.rs` (pwd basename
//! dirname), `info.rs` (id whoami hostname uname date env sleep true false), `mount.rs` (mount
//! df du), `number.rs` (decimal text as `f64`), `awk/` (BusyBox's awk), `exec.rs` (the
//! [`Exec`] hook through which `xargs.rs`, `find -exec` and `timeout.rs` (timeout nohup) run
//! other programs), `which.rs`, `sed/` (the stream editor: `parse.rs` reads a script,
//! `exec.rs` runs its cycle), `tr.rs`, `seq.rs` (seq yes: producers bounded by the output
//! limit), `layout.rs` (nl fold rev), `expr.rs`, `digest.rs` (md5sum sha1sum sha256sum
//! base64), `bytes.rs` (cmp od hexdump), `names.rs` (realpath mktemp), `truncate.rs`,
//! `install.rs`, `dd.rs`, `diff.rs` (Myers' edit script, normal and unified), `pager.rs` (more
//! less).
//!
//! # Invariants
//!
//! * No panic on any input (a proptest feeds arbitrary arguments to every tool).
//! * No clock, no randomness, no I/O: time is [`Ctx::now`], files are [`Ctx::fs`].
//! * Long-running programs (`sleep`, `tail -f`) only validate their arguments; the shell owns
//!   time ([`sleep_seconds`]).
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

pub use layerbox_fstree::{Cred, Store};

mod attrs;
mod awk;
mod bytes;
mod cli;
mod clock;
mod cp_link;
mod cut;
mod datetime;
mod dd;
mod diff;
mod digest;
mod dump;
mod exec;
mod expr;
mod files;
mod find;
mod grep;
pub mod gzip;
mod human;
mod info;
mod install;
mod layout;
mod loginutils;
mod ls;
mod mkdir;
mod mount;
mod names;
pub mod number;
mod pager;
mod paths;
mod printf;
mod procs;
mod regex;
mod sed;
mod seq;
mod sort;
mod sysinfo;
pub mod tar;
mod text;
mod timeout;
mod tr;
mod truncate;
mod users;
mod which;
mod xargs;

pub use exec::{Exec, SharedStore};
pub use info::sleep_seconds;
pub use procs::{signal_name, signal_number, ProcInfo, SignalError};
pub use users::Names;

/// Which implementation of the tools to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// BusyBox 1.36 as Alpine ships it: what a learner meets inside a container.
    BusyBox,
    /// GNU coreutils 9.1 as Debian 12 ships it: what a learner meets on the Docker host.
    Coreutils,
}

/// One line of the mount table (`/proc/mounts`) plus the numbers `df` shows for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MountInfo {
    /// The source column: `overlay`, `tmpfs`, `/dev/sda1`.
    pub device: String,
    /// Canonical mount point.
    pub target: String,
    /// `overlay`, `ext4`, `tmpfs`, `proc`...
    pub fstype: String,
    /// The options column, e.g. `rw,relatime`.
    pub options: String,
    /// Size in 1024-byte blocks.
    pub blocks: u64,
    /// Used 1024-byte blocks.
    pub used: u64,
    /// Available 1024-byte blocks (less than `blocks - used` on filesystems with reserved blocks).
    pub avail: u64,
}

/// Everything a tool may look at or change.
pub struct Ctx<'a> {
    /// The filesystem (use the [`FileSystem`](layerbox_fstree::FileSystem) calls on it).
    pub fs: &'a mut dyn Store,
    pub cred: Cred,
    /// Canonical absolute working directory.
    pub cwd: String,
    pub env: &'a BTreeMap<String, String>,
    /// Logical seconds since the epoch: `touch`, `date` and `ls -l` dates.
    pub now: u64,
    pub flavor: Flavor,
    pub stdin: &'a [u8],
    pub hostname: String,
    /// The caller's user name if the shell knows it; else looked up in `/etc/passwd`.
    pub user_name: Option<String>,
    /// The caller's group name if the shell knows it; else looked up in `/etc/group`.
    pub group_name: Option<String>,
    pub mounts: &'a [MountInfo],
    /// Stdout is a terminal: `ls` prints columns and GNU `ls` quotes names (`'a b'`).
    pub tty: bool,
    /// How the tool runs another program (`xargs`, `find -exec`, `timeout`, `nohup`, awk's
    /// `system()` and pipes): the
    /// caller's own lookup (see [`Exec`]). The caller lends it for the tools that
    /// [`runs_programs`] names; without it they say running programs is not modelled.
    pub exec: Option<&'a mut dyn Exec>,
    /// The process's file mode creation mask (the shell's `umask`; [`DEFAULT_UMASK`] unless
    /// it set one): what `touch`, `mkdir` and `cp` create is masked by it, and so is `chmod +x`.
    pub umask: u32,
    /// The work the typed line has left for its programs (the shell's `Budget::work`), shared
    /// by every program the line starts; `None` for a run on its own. A program that bounds
    /// its work (grep, sed, awk) takes the smaller of its own bound and this, and takes off
    /// what it did ([`Ctx::work_cap`], [`Ctx::spend_work`]).
    pub work: Option<&'a std::cell::Cell<u64>>,
    /// The most this run may print, stdout and stderr together: [`MAX_OUTPUT`], or less
    /// under a test's scaled line budget ([`max_output`]).
    pub max_output: usize,
}

impl Ctx<'_> {
    /// The work a run may do: `own`, its own bound, or what the typed line has left if that
    /// is less.
    pub fn work_cap(&self, own: usize) -> usize {
        match self.work {
            Some(left) => own.min(usize::try_from(left.get()).unwrap_or(usize::MAX)),
            None => own,
        }
    }

    /// Takes `used` units of work off the typed line's.
    pub fn spend_work(&self, used: usize) {
        if let Some(left) = self.work {
            left.set(
                left.get()
                    .saturating_sub(u64::try_from(used).unwrap_or(u64::MAX)),
            );
        }
    }

    /// Takes `units` of the typed line's work; `false` when it has not so many (then none is
    /// left, and the program stops without a message of its own: the shell says why).
    pub fn take_work(&self, units: u64) -> bool {
        match self.work {
            Some(left) => {
                let had = left.get();
                left.set(had.saturating_sub(units));
                had >= units
            }
            None => true,
        }
    }

    /// Whether the typed line's work is gone (after [`Ctx::spend_work`]): a run that stopped
    /// then stopped on the line's bound, not its own, and says nothing of its own; the shell
    /// ends the line with the budget's message.
    pub fn line_work_gone(&self) -> bool {
        self.work.is_some_and(|left| left.get() == 0)
    }
}

/// Units of the typed line's work a path's walk through one directory takes (the shell's
/// `PATH_WORK`): `mkdir -p` takes it for each directory of each prefix it makes, so a path of
/// thousands of directories ends at the line's budget, not after seconds of walks.
pub const PATH_WORK: u64 = 25;

/// The umask a container's process and the host's login shell start with.
pub const DEFAULT_UMASK: u32 = 0o022;

/// What a program printed and its exit status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
}

/// The most one program may print, stdout and stderr together.
/// Emulation note: a real program writes as long as it runs; here a program's output past this
/// is dropped and [`run`] adds `layerbox: PROG: output too large, stopped (layerbox limit)`.
pub const MAX_OUTPUT: usize = 64 << 20;

/// [`MAX_OUTPUT`] under a line budget whose limits are divided by `divisor` (the shell's
/// `Budget::scaled`, which only tests use): what a caller puts in [`Ctx::max_output`].
pub fn max_output(divisor: u64) -> usize {
    MAX_OUTPUT / usize::try_from(divisor.max(1)).unwrap_or(usize::MAX).max(1)
}

std::thread_local! {
    /// The output limit of the program running now ([`Ctx::max_output`], set by [`run`] for
    /// the length of the call), which [`Output::full`] reads.
    static OUTPUT_LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_OUTPUT) };
}

/// The most the program running now may print (see [`Ctx::max_output`]).
pub(crate) fn output_limit() -> usize {
    OUTPUT_LIMIT.with(std::cell::Cell::get)
}

impl Output {
    /// Append text to stdout (nothing once [`Output::full`]).
    pub fn out(&mut self, s: impl AsRef<[u8]>) {
        if !self.full() {
            self.stdout.extend_from_slice(s.as_ref());
        }
    }

    /// Append text to stderr (nothing once [`Output::full`]).
    pub fn err(&mut self, s: impl AsRef<[u8]>) {
        if !self.full() {
            self.stderr.extend_from_slice(s.as_ref());
        }
    }

    /// The program has printed [`MAX_OUTPUT`] bytes (its [`Ctx::max_output`]): whatever
    /// loops over its input stops.
    pub fn full(&self) -> bool {
        self.stdout.len() + self.stderr.len() >= output_limit()
    }

    /// How many bytes at the end of `stderr` the layerbox limit line that [`run`] adds takes (0
    /// if the program did not reach [`MAX_OUTPUT`]): it is said when the output stopped, so
    /// it goes after the output, and not at all if writing the output failed before.
    pub fn limit_note_len(&self) -> usize {
        if !self.full() || !self.stderr.ends_with(b"(layerbox limit)\n") {
            return 0;
        }
        let body = &self.stderr[..self.stderr.len() - 1];
        let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if self.stderr[start..].starts_with(b"layerbox: ") {
            self.stderr.len() - start
        } else {
            0
        }
    }

    /// Append `prog: msg\n` to stderr and set the exit code.
    pub fn fail(&mut self, prog: &str, msg: impl std::fmt::Display, code: i32) {
        self.err(format!("{prog}: {msg}\n"));
        self.code = code;
    }

    /// An output with only an exit code.
    pub fn code(code: i32) -> Output {
        Output {
            code,
            ..Output::default()
        }
    }
}

type ToolFn = fn(&str, &[String], &mut Ctx<'_>) -> Output;

/// Every program modelled, by name, sorted: the names (`NAMES`) and, at the same index, the
/// programs (`PROGRAMS`). Two tables, so what reads only the names (Tab completion on the web
/// page, [`is_tool`]) holds no program: the page's wasm module, which runs none, is linked
/// without them.
macro_rules! tools {
    ($($name:literal => $program:path,)*) => {
        const NAMES: &[&str] = &[$($name),*];
        const PROGRAMS: &[ToolFn] = &[$($program),*];
    };
}

tools! {
    "addgroup" => loginutils::addgroup,
    "adduser" => loginutils::adduser,
    "awk" => awk::awk,
    "base64" => digest::base64,
    "basename" => paths::basename,
    "cat" => text::cat,
    "chgrp" => attrs::chgrp,
    "chmod" => attrs::chmod,
    "chown" => attrs::chown,
    "cmp" => bytes::cmp,
    "cp" => files::cp,
    "cut" => cut::cut,
    "date" => info::date,
    "dd" => dd::dd,
    "delgroup" => loginutils::deluser,
    "deluser" => loginutils::deluser,
    "df" => mount::df,
    "diff" => diff::diff,
    "dirname" => paths::dirname,
    "du" => mount::du,
    "echo" => text::echo,
    "env" => info::env,
    "expr" => expr::expr,
    "false" => info::false_,
    "find" => find::find,
    "fold" => layout::fold,
    "free" => sysinfo::free,
    "grep" => grep::grep,
    "head" => text::head,
    "hexdump" => bytes::hexdump,
    "hostname" => info::hostname,
    "id" => info::id,
    "install" => install::install,
    "kill" => procs::kill,
    "less" => pager::pager,
    "ln" => files::ln,
    "ls" => ls::ls,
    "md5sum" => digest::sum,
    "mkdir" => mkdir::mkdir,
    "mktemp" => names::mktemp,
    "more" => pager::pager,
    "mount" => mount::mount,
    "mv" => files::mv,
    "nl" => layout::nl,
    "nohup" => timeout::nohup,
    "od" => bytes::od,
    "pgrep" => procs::pgrep,
    "pkill" => procs::pgrep,
    "printf" => text::printf,
    "ps" => procs::ps,
    "pwd" => paths::pwd,
    "readlink" => attrs::readlink,
    "realpath" => names::realpath,
    "rev" => layout::rev,
    "rm" => files::rm,
    "rmdir" => files::rmdir,
    "sed" => sed::sed,
    "seq" => seq::seq,
    "sha1sum" => digest::sum,
    "sha256sum" => digest::sum,
    "sleep" => info::sleep,
    "sort" => text::sort,
    "stat" => attrs::stat,
    "tail" => text::tail,
    "tar" => tar::tar,
    "tee" => text::tee,
    "timeout" => timeout::timeout,
    "top" => procs::top,
    "touch" => files::touch,
    "tr" => tr::tr,
    "true" => info::true_,
    "truncate" => truncate::truncate,
    "uname" => info::uname,
    "uniq" => text::uniq,
    "uptime" => sysinfo::uptime,
    "wc" => text::wc,
    "which" => which::which,
    "whoami" => info::whoami,
    "xargs" => xargs::xargs,
    "yes" => seq::yes,
}

/// The index in `NAMES` (and `PROGRAMS`) of the program `name` (a bare name or a path).
fn lookup(name: &str) -> Option<usize> {
    let base = name.rsplit('/').next().unwrap_or(name);
    NAMES.iter().position(|n| *n == base)
}

/// Programs modelled only as the Debian host has them (BusyBox's `tar` is not modelled).
const COREUTILS_ONLY: &[&str] = &["tar"];

/// Programs modelled only as BusyBox has them (the Debian host's `awk` is mawk, which is not
/// modelled; its `which` answers from the host's program list in `crates/session`; Debian's
/// `adduser` is an interactive Perl script, and the host has no `addgroup` of BusyBox's kind).
const BUSYBOX_ONLY: &[&str] = &[
    "addgroup", "adduser", "awk", "delgroup", "deluser", "free", "kill", "pgrep", "pkill", "ps",
    "top", "uptime", "which",
];

/// Whether `name` (a bare name or a path such as `/bin/ls`) is a program this crate models
/// in `flavor`.
pub fn is_tool(name: &str, flavor: Flavor) -> bool {
    lookup(name).is_some_and(|i| match flavor {
        Flavor::Coreutils => !BUSYBOX_ONLY.contains(&NAMES[i]),
        Flavor::BusyBox => !COREUTILS_ONLY.contains(&NAMES[i]),
    })
}

/// Programs that run other programs: their caller lends [`Ctx::exec`] (with the filesystem
/// as a [`SharedStore`]) when it runs them.
const RUNS_PROGRAMS: &[&str] = &[
    "awk", "find", "kill", "nohup", "pgrep", "pkill", "ps", "timeout", "top", "xargs",
];

/// Whether `name` (a bare name or a path) runs other programs, so its caller must lend
/// [`Ctx::exec`].
pub fn runs_programs(name: &str) -> bool {
    lookup(name).is_some_and(|i| RUNS_PROGRAMS.contains(&NAMES[i]))
}

/// The names of every program modelled, sorted.
pub fn tool_names() -> impl Iterator<Item = &'static str> {
    NAMES.iter().copied()
}

/// Run program `name` with `args` (argv without argv\[0\]); `None` if it is not modelled (the
/// caller then says it is not modelled, or "not found" when no such program exists).
pub fn run(name: &str, args: &[String], ctx: &mut Ctx<'_>) -> Option<Output> {
    if !is_tool(name, ctx.flavor) {
        return None;
    }
    let i = lookup(name)?;
    let (prog, f) = (NAMES[i], PROGRAMS[i]);
    // The limit of the program that runs this one (through `xargs`, `find -exec`) comes back
    // when this one ends.
    let outer = OUTPUT_LIMIT.with(|limit| limit.replace(ctx.max_output.min(MAX_OUTPUT)));
    let mut out = f(prog, args, ctx);
    OUTPUT_LIMIT.with(|limit| limit.set(outer));
    if out.full() {
        out.stderr.extend_from_slice(
            format!("layerbox: {prog}: output too large, stopped (layerbox limit)\n").as_bytes(),
        );
        out.code = out.code.max(1);
    }
    Some(out)
}
