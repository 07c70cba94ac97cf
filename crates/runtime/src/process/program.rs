//! What a command in a container names, decided in one place for `docker run`, `docker exec`,
//! `RUN`, an attached shell and a nested `sh -c`: a program layerbox models (it runs), a file
//! that exists in the container but is not modelled (layerbox says so), or nothing (the caller
//! says Docker's or ash's "not found").

use std::cell::RefCell;
use std::collections::BTreeMap;

use layerbox_fstree::{FileSystem, FileType, MAY_EXEC};
use layerbox_sh::Output;
use layerbox_tools::{Ctx, Exec, Flavor, SharedStore};

use super::{to_sh, ContainerSide};

/// The exit status of a program that exists but that layerbox does not model (69,
/// `EX_UNAVAILABLE`; its one home, with the reasons, is the shell crate, whose builtins say it
/// too).
pub use layerbox_sh::NOT_MODELLED;

/// What a program that layerbox does not model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmodelled {
    /// A link to BusyBox's multi-call binary (`/usr/bin/awk -> /bin/busybox`), or an applet
    /// named to it (`busybox awk`).
    Applet,
    /// Any other executable file in a container (`/usr/local/bin/postgres`).
    InImage,
    /// A program on the Debian host's `PATH`.
    OnHost,
}

/// `layerbox: NAME is not modelled (BusyBox applet)` on stderr, with exit status
/// [`NOT_MODELLED`]; for an editor or a network tool, what to do instead.
pub fn not_modelled(name: &str, what: Unmodelled) -> Output {
    let kind = match what {
        Unmodelled::Applet => " (BusyBox applet)",
        Unmodelled::InImage => " (program in the image)",
        Unmodelled::OnHost => "",
    };
    let base = name.rsplit('/').next().unwrap_or(name);
    let why = match why_not(base) {
        Some(Why::Editor) if what == Unmodelled::OnHost => EDITOR_ON_HOST,
        Some(Why::Editor) => EDITOR_IN_CONTAINER,
        Some(Why::Network) => NETWORK,
        None => "",
    };
    Output {
        stderr: format!("layerbox: {name} is not modelled{kind}{why}\n").into_bytes(),
        code: NOT_MODELLED,
        ..Output::default()
    }
}

/// Why a kind of program cannot be modelled here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// A full-screen editor: the terminal shows lines, not a screen.
    Editor,
    /// A network tool: there is no network beyond HTTP to the servers layerbox runs.
    Network,
}

fn why_not(program: &str) -> Option<Why> {
    match program {
        "vi" | "vim" | "view" | "vimdiff" | "nano" | "pico" | "emacs" | "mcedit" => {
            Some(Why::Editor)
        }
        "ping" | "ping6" | "nc" | "netcat" | "ncat" | "nslookup" | "dig" | "host" | "telnet"
        | "traceroute" | "traceroute6" | "tracepath" | "arping" | "ftpget" | "ftpput" | "tftp"
        | "ssh" | "scp" | "sftp" | "whois" | "ntpd" | "udhcpc" | "ss" | "netstat" => {
            Some(Why::Network)
        }
        _ => None,
    }
}

/// What to use instead of a full-screen editor in a container.
const EDITOR_IN_CONTAINER: &str = ": there is no full-screen editor here; write a file with \
    cat > FILE <<'EOF' (then its lines, then EOF), or edit a bind-mounted file in the Host \
    panel's editor";

/// What to use instead of a full-screen editor on the host.
const EDITOR_ON_HOST: &str = ": there is no full-screen editor here; write a file with \
    cat > FILE <<'EOF' (then its lines, then EOF), or use the Host panel's editor";

/// What the network is, for a tool that needs more of it.
const NETWORK: &str = ": the only network here is HTTP, with curl and wget, to servers \
    that containers run";

/// Where BusyBox's applet links are (`busybox --install`).
const APPLET_DIRS: [&str; 4] = ["/bin", "/sbin", "/usr/bin", "/usr/sbin"];

/// The [`Exec`] hook a tool gets from a shell's host (a container's process, or the Docker
/// host's shell): it runs programs through that host's own `exec`, the lookup the shell uses,
/// so "not found" and "not modelled" answer as at the prompt.
pub struct HostExec<'c, 'r, H: ?Sized> {
    pub host: &'c RefCell<&'r mut H>,
}

impl<H: layerbox_sh::Host + ?Sized> Exec for HostExec<'_, '_, H> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<layerbox_tools::Output> {
        // The tool is waiting for this program, so nothing else holds the cell.
        let mut host = self.host.try_borrow_mut().ok()?;
        let out = host.exec(argv, stdin, env, cwd)?;
        let mut stderr = out.stderr_first;
        stderr.extend_from_slice(&out.stderr);
        Some(layerbox_tools::Output {
            stdout: out.stdout,
            stderr,
            code: out.code,
        })
    }
}

/// BusyBox 1.36's `NOEXEC` and `NOFORK` applets: ash runs them in its forked child without
/// `exec`, so `ps` shows them as `{ps} sh -c …` (`APPLET_NOEXEC`/`APPLET_NOFORK` in the
/// applets' sources).
const NOEXEC: &[&str] = &[
    "arch",
    "awk",
    "basename",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "chroot",
    "cksum",
    "cp",
    "crc32",
    "cut",
    "date",
    "dd",
    "df",
    "dirname",
    "dos2unix",
    "echo",
    "env",
    "expr",
    "false",
    "find",
    "fold",
    "free",
    "fsync",
    "groups",
    "head",
    "hostid",
    "id",
    "kill",
    "killall",
    "killall5",
    "link",
    "ln",
    "logname",
    "ls",
    "md5sum",
    "minips",
    "mkdir",
    "mkfifo",
    "mknod",
    "mktemp",
    "mv",
    "nice",
    "nohup",
    "nproc",
    "paste",
    "printenv",
    "printf",
    "ps",
    "pstree",
    "pwd",
    "pwdx",
    "readlink",
    "realpath",
    "rm",
    "rmdir",
    "seq",
    "sha1sum",
    "sha256sum",
    "sha3sum",
    "sha512sum",
    "shuf",
    "sort",
    "stat",
    "stty",
    "sync",
    "sysctl",
    "tac",
    "test",
    "touch",
    "true",
    "truncate",
    "tty",
    "unix2dos",
    "unlink",
    "uptime",
    "users",
    "usleep",
    "w",
    "who",
    "whoami",
    "xargs",
    "yes",
];

/// ash's builtins that the shell hands to its host to run: they run in the shell's process.
const ASH_BUILTINS: &[&str] = &[
    "echo", "printf", "kill", "test", "[", "true", "false", "pwd",
];

/// The [`Exec`] hook of a program run in a container: [`HostExec`]'s lookup, and the
/// container's process table for `ps`, `top`, `kill`, `pgrep` and `pkill`.
struct SideExec<'c, 'a, 'b> {
    side: &'c RefCell<&'c mut ContainerSide<'a, 'b>>,
}

impl Exec for SideExec<'_, '_, '_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<layerbox_tools::Output> {
        let cell: &RefCell<&mut ContainerSide<'_, '_>> = self.side;
        HostExec { host: cell }.exec(argv, stdin, env, cwd)
    }

    fn processes(&mut self) -> Option<Vec<layerbox_tools::ProcInfo>> {
        let side = self.side.try_borrow().ok()?;
        let now = side.now + side.slept;
        Some(side.procs.infos(side.running, now))
    }

    fn signal(&mut self, pid: u32, signal: u32) -> Result<(), layerbox_tools::SignalError> {
        let mut side = self
            .side
            .try_borrow_mut()
            .map_err(|_| layerbox_tools::SignalError::NoSuchProcess)?;
        let now = side.now + side.slept;
        let uid = side.cred.uid;
        side.procs.signal(uid, pid, signal, now)
    }
}

/// BusyBox's multi-call binary in the sample images.
const BUSYBOX: &str = "/bin/busybox";

impl ContainerSide<'_, '_> {
    /// The mount table for `mount` and `df` as it is now: the host disk's lines (and the
    /// overlay root on it) show what the session's storage holds after this process's
    /// writes so far.
    fn live_mounts(&self) -> Vec<layerbox_tools::MountInfo> {
        let mut mounts = self.mounts.clone();
        if let Some(space) = self.ns.disk_space() {
            for m in mounts.iter_mut().filter(|m| {
                m.device == layerbox_engine::mount_table::HOST_DISK
                    || (m.fstype == "overlay" && m.target == "/")
            }) {
                m.blocks = space.blocks;
                m.used = space.used;
                m.avail = space.avail;
            }
        }
        mounts
    }

    /// Runs one program; `None` when nothing of that name exists (the caller says "not
    /// found").
    pub(super) fn run_argv(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        argv.first()?;
        if self.blocked {
            return Some(Output::default());
        }
        let pid = self.begin_program(argv);
        self.pids.push(pid);
        let blocked_before = self.waiting_for;
        let out = self.run_program(argv, stdin, env, cwd);
        self.pids.pop();
        self.end_program(pid, blocked_before);
        out
    }

    /// The process a program runs in: the process itself (its own command, or a shell's last
    /// command, which ash runs in place), or a child the shell forks. A program that BusyBox
    /// runs without `exec` (`NOEXEC` applets) keeps the shell's command line.
    fn begin_program(&mut self, argv: &[String]) -> u32 {
        let in_place = std::mem::take(&mut self.in_place);
        let parent = self.pids.last().copied().unwrap_or(1);
        let name = argv.first().map(String::as_str).unwrap_or("");
        let comm = crate::procs::comm_of(argv);
        let noexec = !name.contains('/') && NOEXEC.contains(&name);
        let shown = if noexec {
            self.procs
                .get(parent)
                .map(|p| p.argv.clone())
                .unwrap_or_else(|| argv.to_vec())
        } else {
            argv.to_vec()
        };
        // ash's builtins that reach the host (`echo`, `printf`, `kill`, `test`) fork nothing.
        let own = self.depth == 0 || ASH_BUILTINS.contains(&name);
        let pid = if own {
            parent
        } else if in_place && self.background == 0 {
            self.procs.replace(parent, &shown, &comm);
            parent
        } else {
            let now = self.now + self.slept;
            self.procs.fork(parent, &shown, &comm, now)
        };
        if self.background > 0 && pid != parent {
            self.last_job = Some(pid);
        }
        self.running = pid;
        pid
    }

    /// After a program: a forked child that ended leaves the table; one the process now
    /// waits in, or a background job that runs on, stays.
    fn end_program(&mut self, pid: u32, was_waiting: bool) {
        let parent = self.pids.last().copied().unwrap_or(1);
        if pid == parent {
            return;
        }
        if self.background > 0 && self.waiting_for && !was_waiting {
            if let Some(until) = self.job_until.take() {
                self.procs.ends_at(pid, until);
            }
            return;
        }
        self.job_until = None;
        if self.blocked {
            if self.child.is_none() && self.depth <= 1 {
                self.child = Some(pid);
            }
            return;
        }
        self.procs.end(pid);
    }

    fn run_program(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let name = argv.first()?;
        if let Some(out) = self.run_modelled(argv, stdin, env, cwd) {
            return Some(out);
        }
        let path = self.find_program(name, env, cwd)?;
        if self.is_applet_link(&path) {
            return Some(not_modelled(name, Unmodelled::Applet));
        }
        if let Some(script) = self.read_script(&path) {
            let mut shell_args = vec![path];
            shell_args.extend(argv[1..].iter().cloned());
            return Some(self.run_script(&script, &shell_args, stdin, env, cwd));
        }
        let executable = self
            .ns
            .stat(&self.cred, &path)
            .is_ok_and(|s| self.cred.may(&s, MAY_EXEC));
        executable.then(|| not_modelled(name, Unmodelled::InImage))
    }

    /// Runs `argv` if layerbox models the program it names (by its base name, as BusyBox
    /// dispatches an applet); `None` otherwise.
    fn run_modelled(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let name = argv.first()?;
        let args = &argv[1..];
        let base = name.rsplit('/').next().unwrap_or(name);
        match base {
            "sh" | "ash" => return Some(self.run_sh(name, args, stdin, env, cwd)),
            "sleep" => {
                return Some(match layerbox_tools::sleep_seconds(args, Flavor::BusyBox) {
                    Ok(seconds) => {
                        if self.background > 0 || self.detached {
                            self.sleep_detached(seconds);
                        } else {
                            self.slept = self.slept.saturating_add(seconds.ceil() as u64);
                        }
                        Output::default()
                    }
                    Err(out) => to_sh(out),
                })
            }
            "httpd" => return Some(self.httpd(args, cwd)),
            "busybox" => return self.run_busybox(name, args, stdin, env, cwd),
            "wget" => return Some(self.wget(args, env, cwd)),
            "tail" if args.iter().any(|a| a == "-f" || a == "-F") && self.detached => {
                self.block();
                return Some(Output::default());
            }
            "su" => return Some(self.su(args, stdin, env, cwd)),
            // The `test` and `[` applets are ash's builtin, run as a program (a health check,
            // `docker run alpine test -f FILE`, `busybox [`).
            "test" | "[" => {
                let mut positional = vec![base.to_string()];
                positional.extend(args.iter().cloned());
                let script = format!("{base} \"$@\"");
                return Some(self.run_script(&script, &positional, stdin, env, cwd));
            }
            _ => {}
        }
        if !layerbox_tools::is_tool(name, Flavor::BusyBox) {
            return None;
        }
        if layerbox_tools::runs_programs(name) {
            return self.run_runner(name, args, stdin, env, cwd);
        }
        let mounts = self.live_mounts();
        let mut ctx = Ctx {
            fs: &mut *self.ns,
            cred: self.cred.clone(),
            cwd: cwd.to_string(),
            env,
            now: self.now + self.slept,
            flavor: Flavor::BusyBox,
            stdin,
            hostname: self.hostname.clone(),
            user_name: None,
            group_name: None,
            mounts: &mounts,
            tty: self.tty,
            exec: None,
            umask: self.umask,
            work: Some(self.budget.work()),
            max_output: layerbox_tools::max_output(self.budget.divisor()),
        };
        layerbox_tools::run(name, args, &mut ctx).map(to_sh)
    }

    /// A tool that runs other programs (`xargs`, `find -exec`, `timeout`, `nohup`): it reaches
    /// the namespace through a [`SharedStore`] and starts programs through [`run_argv`], the
    /// same lookup the shell uses, while this process's state (time slept, servers) carries on.
    ///
    /// [`run_argv`]: ContainerSide::run_argv
    fn run_runner(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let cred = self.cred.clone();
        let now = self.now + self.slept;
        let hostname = self.hostname.clone();
        let mounts = self.live_mounts();
        let tty = self.tty;
        let umask = self.umask;
        let budget = self.budget;
        let cell = RefCell::new(&mut *self);
        let mut hook = SideExec { side: &cell };
        let mut fs = SharedStore::new(&cell, |side| &*side.ns, |side| &mut *side.ns);
        let mut ctx = Ctx {
            fs: &mut fs,
            cred,
            cwd: cwd.to_string(),
            env,
            now,
            flavor: Flavor::BusyBox,
            stdin,
            hostname,
            user_name: None,
            group_name: None,
            mounts: &mounts,
            tty,
            exec: Some(&mut hook),
            umask,
            work: Some(budget.work()),
            max_output: layerbox_tools::max_output(budget.divisor()),
        };
        layerbox_tools::run(name, args, &mut ctx).map(to_sh)
    }

    /// BusyBox's multi-call binary: `busybox APPLET ARGS...` runs the applet as its link would;
    /// an applet it has but layerbox does not model says so, and a name it does not have gets
    /// BusyBox's `applet not found` (127). `None` when no `busybox` is there to run.
    fn run_busybox(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let Some(applet) = args.first().filter(|a| !a.starts_with('-')) else {
            // `busybox`, `busybox --list`, `busybox --help`: the binary's own listings.
            self.find_program(name, env, cwd)?;
            return Some(not_modelled(name, Unmodelled::InImage));
        };
        if let Some(out) = self.run_modelled(args, stdin, env, cwd) {
            return Some(out);
        }
        self.find_program(name, env, cwd)?;
        let applet = applet.rsplit('/').next().unwrap_or(applet);
        // Emulation note: the applets this BusyBox has are the links to it in the container,
        // so `busybox sed` after `rm /bin/sed` is `applet not found`.
        let linked = APPLET_DIRS.iter().any(|dir| {
            let path = layerbox_fstree::path::join(dir, applet);
            self.is_applet_link(&path)
        });
        Some(if linked {
            not_modelled(applet, Unmodelled::Applet)
        } else {
            Output {
                stderr: format!("{applet}: applet not found\n").into_bytes(),
                code: 127,
                ..Output::default()
            }
        })
    }

    /// Whether `path` is BusyBox's binary under another name: a symlink that ends at a file
    /// called `busybox` (Alpine), or a hard link to [`BUSYBOX`] (the busybox image).
    fn is_applet_link(&self, path: &str) -> bool {
        let Ok(found) = self.ns.resolve(&self.cred, path, true) else {
            return false;
        };
        let Some(stat) = found.stat.filter(|s| s.kind == FileType::File) else {
            return false;
        };
        if found.path.rsplit('/').next() == Some("busybox") {
            return true;
        }
        stat.nlink > 1
            && self
                .ns
                .stat(&self.cred, BUSYBOX)
                .is_ok_and(|b| b.kind == FileType::File && b.ino == stat.ino)
    }

    /// The file `name` names: a path, or the first match on `$PATH`.
    pub(super) fn find_program(
        &self,
        name: &str,
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<String> {
        let is_file = |p: &str| {
            self.ns
                .stat(&self.cred, p)
                .is_ok_and(|s| s.kind == FileType::File)
        };
        if name.contains('/') {
            let p = if name.starts_with('/') {
                name.to_string()
            } else {
                layerbox_fstree::path::join(cwd, name)
            };
            return is_file(&p).then_some(p);
        }
        let path = env
            .get("PATH")
            .map(String::as_str)
            .unwrap_or("/usr/bin:/bin");
        path.split(':')
            .filter(|d| !d.is_empty())
            .map(|d| layerbox_fstree::path::join(d, name))
            .find(|p| is_file(p))
    }

    /// A `#!/bin/sh` script's text (other files are not programs this model can run).
    fn read_script(&self, path: &str) -> Option<String> {
        let content = self.ns.read_file(&self.cred, path).ok()?;
        let text = String::from_utf8_lossy(&content).into_owned();
        let first = text.lines().next().unwrap_or("");
        let interp = first.strip_prefix("#!")?.split_whitespace().next()?;
        matches!(interp.rsplit('/').next(), Some("sh" | "ash")).then_some(text)
    }
}
