//! What the host's bash runs: `docker`, and GNU coreutils over the host filesystem as `user`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use layerbox_engine::mount_table;
use layerbox_fstree::{Cred, Store};
use layerbox_sh::{Budget, Output};
use layerbox_tools::{is_tool, Ctx, Flavor, MountInfo, SharedStore};

use layerbox_docker_cli::{Attach, Cli};
use layerbox_engine::world::World;
use layerbox_runtime::{Runtime, Unmodelled};

/// What the host side runs itself, besides the coreutils of `layerbox-tools`: procps's
/// `free`, `ps`, `top` and `uptime` come from `layerbox_runtime::procps`.
const OWN_PROGRAMS: &[&str] = &[
    "curl", "docker", "free", "ps", "sleep", "top", "uptime", "wget", "which",
];

/// Every program the host's bash can run, sorted: the one list behind Tab completion and
/// behind what the host side dispatches.
pub fn programs() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = OWN_PROGRAMS
        .iter()
        .copied()
        .chain(layerbox_tools::tool_names().filter(|n| is_tool(n, Flavor::Coreutils)))
        .collect();
    layerbox_order::sort(&mut names);
    names.dedup();
    names
}

/// The programs on the `PATH` of the learner on the Debian 12 host (`/usr/bin`, which `/bin`
/// is a link to): coreutils, the usual base system, Docker Engine's packages, and the tools a
/// developer's machine has (git, build-essential, python3, openssh-client, vim, nano, sudo,
/// curl, wget). The host's filesystem holds no `/usr/bin`, so this list stands for it: a name
/// here that [`programs`] does not run says it is not modelled. Sorted.
#[rustfmt::skip]
pub const ON_HOST_PATH: &[&str] = &[
    "[", "apt", "apt-cache", "apt-get", "arch", "awk", "b2sum", "base32", "base64", "basename",
    "basenc", "bash", "cat", "cc", "chcon", "chfn", "chgrp", "chmod", "chown", "chsh", "cksum",
    "clear", "cmp", "column", "comm", "containerd", "cp", "csplit", "ctr", "curl", "cut", "dash",
    "date", "dd", "df", "diff", "diff3", "dir", "dircolors", "dirname", "dmesg", "docker",
    "dockerd", "dpkg", "dpkg-query", "du", "echo", "egrep", "env", "expand", "expr", "factor",
    "false", "fgrep", "find", "findmnt", "flock", "fmt", "fold", "free", "g++", "gcc", "getent",
    "getopt", "git", "gpasswd", "grep", "groups", "gunzip", "gzip", "head", "hexdump", "hostid",
    "hostname", "hostnamectl", "iconv", "id", "install", "ionice", "ip", "join", "journalctl",
    "kill", "ldd", "less", "link", "ln", "locale", "logger", "login", "loginctl", "logname", "ls",
    "lsblk", "lscpu", "make", "man", "mawk", "md5sum", "mkdir", "mkfifo", "mknod", "mktemp",
    "more", "mount", "mv", "nano", "newgrp", "nice", "nl", "nohup", "nproc", "nsenter", "numfmt",
    "od", "passwd", "paste", "pathchk", "perl", "pgrep", "pidof", "ping", "pinky", "pkill", "pr",
    "printenv", "printf", "ps", "ptx", "pwd", "python3", "readlink", "realpath", "renice", "reset",
    "rev", "rm", "rmdir", "run-parts", "runc", "runcon", "scp", "script", "sdiff", "sed", "seq",
    "setsid", "sftp", "sh", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "shred",
    "shuf", "sleep", "sort", "split", "ss", "ssh", "ssh-keygen", "stat", "stdbuf", "stty", "su",
    "sudo", "sum", "sync", "systemctl", "tac", "tail", "tar", "taskset", "tee", "test",
    "timedatectl", "timeout", "top", "touch", "tput", "tr", "true", "truncate", "tsort", "tty",
    "umount", "uname", "unexpand", "uniq", "unlink", "unshare", "uptime", "users", "vdir", "vi",
    "vim", "vmstat", "w", "watch", "wc", "wget", "whereis", "which", "who", "whoami", "xargs",
    "xxd", "yes", "zcat",
];

/// `layerbox: NAME is not modelled` when `name` is a program on the host's `PATH` (typed
/// bare, or as `/usr/bin/NAME` or `/bin/NAME`) that [`programs`] does not run.
/// Whether `sudo ARGS` restarts the Docker daemon: `systemctl restart docker` or
/// `service docker restart`. Any other `sudo` stays not modelled.
fn daemon_restart(args: &[String]) -> bool {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    matches!(
        words.as_slice(),
        ["systemctl", "restart", "docker" | "docker.service"] | ["service", "docker", "restart"]
    )
}

/// Whether `name` (bare, or as `/usr/bin/NAME` or `/bin/NAME`) is a program of
/// [`ON_HOST_PATH`].
fn on_host_path(name: &str) -> bool {
    let (dir, base) = name.rsplit_once('/').unwrap_or(("", name));
    matches!(dir, "" | "/bin" | "/usr/bin") && ON_HOST_PATH.contains(&base)
}

fn not_modelled_on_path(name: &str) -> Option<Output> {
    on_host_path(name).then(|| layerbox_runtime::not_modelled(name, Unmodelled::OnHost))
}

/// The host side of the terminal: the learner (uid 1000) on the Debian host.
pub struct HostSide<'a> {
    world: &'a mut World,
    runtime: &'a mut Runtime,
    cred: Cred,
    tty: bool,
    /// The typed line's budget, lent to every process the line starts.
    budget: &'a Budget,
    /// A container shell a `docker` command attached to the terminal, for the session.
    pub attach: Option<Attach>,
    /// The umask of the shell that runs a program now (it says so before each one).
    umask: u32,
    /// What the containers' waiting processes may do while this line runs.
    background: Budget,
    /// Containers whose background work was cut short by [`HostSide::background`].
    pub cut: Vec<String>,
}

impl<'a> HostSide<'a> {
    pub fn new(
        world: &'a mut World,
        runtime: &'a mut Runtime,
        tty: bool,
        budget: &'a Budget,
    ) -> HostSide<'a> {
        HostSide {
            world,
            runtime,
            cred: layerbox_engine::host::user_cred(),
            tty,
            budget,
            attach: None,
            umask: layerbox_tools::DEFAULT_UMASK,
            background: Budget::scaled(layerbox_runtime::BACKGROUND_STEPS, budget.divisor()),
            cut: Vec::new(),
        }
    }

    /// Lets the containers' processes run up to the clock's time before a command looks.
    fn catch_up(&mut self) {
        let cut = self.runtime.catch_up(self.world, &self.background);
        self.cut.extend(cut);
    }
}

impl HostSide<'_> {
    /// A tool that runs other programs (`xargs`, `find -exec`, `timeout`, `nohup`): it reaches
    /// the host's files through a [`SharedStore`] and starts programs through this side's own
    /// [`exec`](layerbox_sh::Host::exec), so `docker`, `sleep` and "not modelled" answer as when
    /// the shell starts them.
    fn run_runner(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Output {
        let mounts = host_mounts(self.world);
        let now = self.world.now();
        let cred = self.cred.clone();
        let tty = self.tty;
        let umask = self.umask;
        let budget = self.budget;
        let cell = RefCell::new(&mut *self);
        let mut hook = layerbox_runtime::process::HostExec { host: &cell };
        let mut fs = SharedStore::new(
            &cell,
            |side| side.world.host(),
            |side| side.world.host_mut(),
        );
        let mut ctx = Ctx {
            fs: &mut fs,
            cred,
            cwd: cwd.to_string(),
            env,
            now,
            flavor: Flavor::Coreutils,
            stdin,
            hostname: "docker-host".into(),
            user_name: Some("user".into()),
            group_name: Some("user".into()),
            mounts: &mounts,
            tty,
            exec: Some(&mut hook),
            umask,
            work: Some(budget.work()),
            max_output: layerbox_tools::max_output(budget.divisor()),
        };
        let out = layerbox_tools::run(name, args, &mut ctx).unwrap_or_default();
        Output {
            stdout: out.stdout,
            stderr: out.stderr,
            code: out.code,
            ..Output::default()
        }
    }
}

/// Debian's `which` (debianutils): each name's path in every `PATH` directory that holds it
/// (`-a`) or the first. The host's `/usr/bin` is [`ON_HOST_PATH`] (and `/bin` links to it), so
/// `which` answers from that list: what it finds is what runs, or says it is not modelled.
fn which(args: &[String], env: &BTreeMap<String, String>) -> Output {
    let mut out = Output::default();
    let mut all = false;
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        if a == "--" {
            i += 1;
            break;
        }
        for c in a[1..].chars() {
            if c == 'a' {
                all = true;
            } else {
                out.stderr = format!("Illegal option -{c}\n").into_bytes();
                out.stdout = b"Usage: /usr/bin/which [-a] args\n".to_vec();
                out.code = 2;
                return out;
            }
        }
        i += 1;
    }
    let names = &args[i..];
    let on_host = |dir: &str, base: &str| {
        matches!(dir, "/bin" | "/usr/bin")
            && (ON_HOST_PATH.contains(&base) || programs().contains(&base))
    };
    let path = env.get("PATH").map(String::as_str).unwrap_or("");
    let mut missing = names.is_empty();
    for name in names {
        let mut found = false;
        if let Some((dir, base)) = name.rsplit_once('/') {
            if on_host(dir, base) {
                out.stdout.extend_from_slice(format!("{name}\n").as_bytes());
                found = true;
            }
        } else {
            for dir in path.split(':') {
                if on_host(dir.trim_end_matches('/'), name) {
                    out.stdout.extend_from_slice(
                        format!("{}/{name}\n", dir.trim_end_matches('/')).as_bytes(),
                    );
                    found = true;
                    if !all {
                        break;
                    }
                }
            }
        }
        missing |= !found;
    }
    out.code = i32::from(missing);
    out
}

/// The host's mount table as `df` and `mount` show it.
/// The disk's space is the session's storage limit's (`layerbox_engine::storage`).
fn host_mounts(world: &World) -> Vec<MountInfo> {
    let space = world.storage().space();
    vec![MountInfo {
        device: mount_table::HOST_DISK.into(),
        target: "/".into(),
        fstype: mount_table::HOST_DISK_FSTYPE.into(),
        options: format!("rw,{}", mount_table::HOST_DISK_OPTIONS),
        blocks: space.blocks,
        used: space.used,
        avail: space.avail,
    }]
}

impl layerbox_sh::Host for HostSide<'_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let name = argv.first()?;
        let args = &argv[1..];
        let base = name.rsplit('/').next().unwrap_or(name);
        // A foreground command before this one may have moved the clock (`sleep 3; cat f`).
        self.catch_up();
        if base == "docker" {
            let mut cli = Cli {
                world: self.world,
                runtime: self.runtime,
                attach: None,
                cwd,
                stdin,
                env,
                tty: self.tty,
                budget: self.budget,
                background: &self.background,
            };
            let out = layerbox_docker_cli::main(&mut cli, args);
            if let Some(attach) = cli.attach {
                self.attach = Some(attach);
            }
            return Some(out);
        }
        if base == "curl" {
            return Some(crate::http_client::curl(
                self.world,
                args,
                cwd,
                &self.cred,
                self.budget,
            ));
        }
        if base == "wget" {
            return Some(crate::http_client::wget(
                self.world,
                args,
                cwd,
                &self.cred,
                self.budget,
            ));
        }
        if base == "sleep" {
            return Some(
                match layerbox_tools::sleep_seconds(args, Flavor::Coreutils) {
                    Ok(seconds) => {
                        self.world.advance_clock(seconds.ceil() as u64);
                        Output::default()
                    }
                    Err(out) => Output {
                        stdout: out.stdout,
                        stderr: out.stderr,
                        code: out.code,
                        ..Output::default()
                    },
                },
            );
        }
        if base == "which" {
            return Some(which(args, env));
        }
        if layerbox_runtime::procps::PROGRAMS.contains(&base) && on_host_path(name) {
            return layerbox_runtime::procps::run(name, args, self.world, self.runtime, self.tty);
        }
        if base == "sudo" && daemon_restart(args) {
            // The daemon restarts; `systemctl` prints nothing (recorded in
            // `daemon-restart-policies`).
            self.runtime.restart_daemon(self.world, self.budget);
            return Some(Output::default());
        }
        if layerbox_tools::runs_programs(name) && is_tool(name, Flavor::Coreutils) {
            return Some(self.run_runner(name, args, stdin, env, cwd));
        }
        let mounts = host_mounts(self.world);
        let now = self.world.now();
        let mut ctx = Ctx {
            fs: self.world.host_mut(),
            cred: self.cred.clone(),
            cwd: cwd.to_string(),
            env,
            now,
            flavor: Flavor::Coreutils,
            stdin,
            hostname: "docker-host".into(),
            user_name: Some("user".into()),
            group_name: Some("user".into()),
            mounts: &mounts,
            tty: self.tty,
            exec: None,
            umask: self.umask,
            work: Some(self.budget.work()),
            max_output: layerbox_tools::max_output(self.budget.divisor()),
        };
        let Some(out) = layerbox_tools::run(name, args, &mut ctx) else {
            return not_modelled_on_path(name);
        };
        Some(Output {
            stdout: out.stdout,
            stderr: out.stderr,
            code: out.code,
            ..Output::default()
        })
    }

    fn fs(&mut self) -> (&mut dyn Store, &Cred, u64) {
        let now = self.world.now();
        (self.world.host_mut(), &self.cred, now)
    }

    fn umask(&mut self, mask: u32) {
        self.umask = mask;
    }

    /// A file on the host's `PATH` if its tree has one, else a program of [`ON_HOST_PATH`] in
    /// the first of `/usr/bin` and `/bin` that `PATH` names (`bash`'s `type ls` is
    /// `/usr/bin/ls` with Debian's `PATH`).
    fn locate(&mut self, name: &str, path: &str, cwd: &str) -> Option<String> {
        let (fs, cred, _) = self.fs();
        let in_tree = path.split(':').find_map(|dir| {
            let p = layerbox_fstree::path::join(if dir.is_empty() { cwd } else { dir }, name);
            let st = layerbox_fstree::FileSystem::stat(&*fs, cred, &p).ok()?;
            (st.kind == layerbox_fstree::FileType::File && cred.may(&st, layerbox_fstree::MAY_EXEC))
                .then(|| layerbox_fstree::path::join(dir, name))
        });
        in_tree.or_else(|| {
            ON_HOST_PATH.contains(&name).then_some(())?;
            let dir = path
                .split(':')
                .find(|d| matches!(*d, "/usr/bin" | "/bin"))?;
            Some(format!("{dir}/{name}"))
        })
    }
}
