//! A container's processes: its command (or `docker exec`'s) run by BusyBox ash and the
//! BusyBox tools over the container's mount namespace, as the container's user.
//!
//! Emulation note: there is no scheduler. A process runs to completion at once; `sleep` in the
//! foreground moves the logical clock. In a detached process the first `sleep` (or `tail -f`)
//! stands for the moment it blocks for good: the container keeps running and the rest of
//! its script does not run.

use std::collections::BTreeMap;

use layerbox_engine::container::MountPoint;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::namespace::ContainerNs;
use layerbox_engine::world::World;
use layerbox_engine::EngineError;
use layerbox_fstree::{Cred, FileSystem, FileType, Store};
use layerbox_sh::{Dialect, Output, RunResult, Shell};
use layerbox_tools::{Ctx, Flavor, MountInfo};

/// How deep scripts may start scripts (`sh -c 'sh -c ...'`) before the process gives up.
const MAX_DEPTH: u32 = 16;

/// What to run in a container.
#[derive(Debug, Clone, Default)]
pub struct ProcessSpec {
    pub argv: Vec<String>,
    /// `-u`/`--user`; empty: the container's user.
    pub user: String,
    /// `-w`; `None`: the container's working directory.
    pub cwd: Option<String>,
    /// `-e` of `docker exec`, over the container's environment.
    pub env: Vec<String>,
    pub stdin: Vec<u8>,
    /// Started with `-d` (or `docker start` without `-a`).
    pub detached: bool,
    /// With a terminal (`-t`): the daemon sets `TERM=xterm`.
    pub tty: bool,
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Exited(i32),
    /// Still running (a detached process that blocked).
    Running,
}

/// Why the process could not be started, in the daemon's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    Engine(EngineError),
    /// `exec: "NAME": executable file not found in $PATH`.
    NotFound(String),
}

/// What a process in a container starts with: its environment, cwd, credentials and view.
struct Prepared {
    env: BTreeMap<String, String>,
    cwd: String,
    cred: Cred,
    mounts: Vec<MountInfo>,
    hostname: String,
}

/// The environment, cwd and credentials the runtime gives a process `spec` in container `id`.
fn prepare(world: &mut World, id: &str, spec: &ProcessSpec) -> Result<Prepared, StartError> {
    let container = world
        .containers
        .get(id)
        .ok_or_else(|| StartError::Engine(layerbox_engine::world::no_such_container(id)))?;
    let mut env_list = container.config.env.clone();
    if spec.tty {
        // The daemon adds TERM for a process with a terminal (CreateDaemonEnvironment).
        env_list.push("TERM=xterm".into());
    }
    for e in &spec.env {
        let key = e.split('=').next().unwrap_or("");
        env_list.retain(|x| x.split('=').next().unwrap_or("") != key);
        env_list.push(e.clone());
    }
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    env.insert("HOSTNAME".into(), container.short_id().to_string());
    for e in &env_list {
        let (k, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
        env.insert(k.to_string(), v.to_string());
    }
    let cwd = spec
        .cwd
        .clone()
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| container.config.working_dir.clone());
    let cwd = if cwd.is_empty() { "/".to_string() } else { cwd };
    let hostname = container.short_id().to_string();
    let mounts = mount_table(&container.mounts, container.host_config.read_only);
    let mut cred = world
        .process_cred(id, &spec.user)
        .map_err(StartError::Engine)?;
    if cred.groups.is_empty() {
        // The runtime always lists the primary group among the supplementary ones.
        cred.groups.push(cred.gid);
    }
    env.entry("HOME".into()).or_insert_with(|| {
        if cred.uid == 0 {
            "/root".into()
        } else {
            "/".into()
        }
    });
    Ok(Prepared {
        env,
        cwd,
        cred,
        mounts,
        hostname,
    })
}

/// Runs `spec` in container `id`; returns what it printed and how it ended.
pub fn run(world: &mut World, id: &str, spec: &ProcessSpec) -> Result<(Output, Ended), StartError> {
    let Prepared {
        env,
        cwd,
        cred,
        mounts,
        hostname,
    } = prepare(world, id, spec)?;
    let now = world.now();
    let detached = spec.detached;
    let (result, slept) = world
        .with_container_fs(id, false, |ns| {
            let mut side = ContainerSide {
                ns,
                cred,
                mounts,
                hostname,
                now,
                detached,
                slept: 0,
                blocked: false,
                depth: 0,
            };
            let out = side.run_argv(&spec.argv, &spec.stdin, &env, &cwd);
            let end = if side.blocked {
                Ended::Running
            } else {
                Ended::Exited(out.as_ref().map(|o| o.code).unwrap_or(127))
            };
            (out.map(|o| (o, end)), side.slept)
        })
        .map_err(StartError::Engine)?;
    world.clock.advance(slept);
    result.ok_or_else(|| StartError::NotFound(spec.argv.first().cloned().unwrap_or_default()))
}

/// Whether `argv` starts BusyBox ash reading commands from its terminal: `sh`, `/bin/sh`,
/// `ash`, with no script and no `-c`.
pub fn is_interactive_shell(argv: &[String]) -> bool {
    let Some(name) = argv.first() else {
        return false;
    };
    let base = name.rsplit('/').next().unwrap_or(name);
    matches!(base, "sh" | "ash")
        && argv[1..]
            .iter()
            .all(|a| a.starts_with('-') && !a.contains('c'))
}

/// BusyBox ash on the learner's terminal inside a container (`docker exec -it c sh`, `docker
/// run -it alpine`): each typed line runs in the container's namespace as the process's user,
/// with the shell's variables and cwd kept from line to line.
#[derive(Debug, Clone)]
pub struct InteractiveShell {
    /// The container's full id.
    pub container: String,
    pub shell: Shell,
    cred: Cred,
    mounts: Vec<MountInfo>,
    hostname: String,
    /// The user's home in the container's `/etc/passwd` (ash's prompt shows it as `~`).
    home: String,
}

impl InteractiveShell {
    /// Starts the shell `spec.argv` names in running container `id`.
    pub fn start(
        world: &mut World,
        id: &str,
        spec: &ProcessSpec,
    ) -> Result<InteractiveShell, StartError> {
        let Prepared {
            env,
            cwd,
            cred,
            mounts,
            hostname,
        } = prepare(world, id, spec)?;
        let uid = cred.uid;
        let (passwd, cwd_ok) = world
            .with_container_fs(id, false, |ns| {
                let passwd = ns
                    .read_file(&Cred::root(), "/etc/passwd")
                    .map(|c| String::from_utf8_lossy(&c).into_owned())
                    .unwrap_or_default();
                let cwd_ok = ns.stat(&cred, &cwd).is_ok_and(|s| s.kind == FileType::Dir);
                (passwd, cwd_ok)
            })
            .map_err(StartError::Engine)?;
        let home = passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.len() >= 6 && f[2].parse() == Ok(uid))
            .map(|f| f[5].to_string())
            .unwrap_or_default();
        let cwd = if cwd_ok { cwd } else { "/".to_string() };
        let mut shell = Shell::new(Dialect::BusyBoxAsh, env, &cwd);
        shell.interactive = true;
        Ok(InteractiveShell {
            container: id.to_string(),
            shell,
            cred,
            mounts,
            hostname,
            home,
        })
    }

    /// Runs one typed line; `exited` in the result says the shell has ended (`exit`).
    pub fn run_line(&mut self, world: &mut World, line: &str) -> Result<RunResult, EngineError> {
        let now = world.now();
        let cred = self.cred.clone();
        let mounts = self.mounts.clone();
        let hostname = self.hostname.clone();
        let shell = &mut self.shell;
        let (result, slept) = world.with_container_fs(&self.container, false, |ns| {
            let mut side = ContainerSide {
                ns,
                cred,
                mounts,
                hostname,
                now,
                detached: false,
                slept: 0,
                blocked: false,
                depth: 0,
            };
            let result = shell.run(line, &mut side);
            (result, side.slept)
        })?;
        world.clock.advance(slept);
        Ok(result)
    }

    /// BusyBox ash's default prompt `\w \$ `: the cwd (the user's home as `~`, unless the home
    /// is `/`), then `#` for root and `$` for anyone else.
    pub fn prompt(&self) -> String {
        let cwd = &self.shell.cwd;
        let home = self.home.as_str();
        let shown = match cwd.strip_prefix(home) {
            Some(rest) if home.len() > 1 && (rest.is_empty() || rest.starts_with('/')) => {
                format!("~{rest}")
            }
            _ => cwd.clone(),
        };
        let sign = if self.cred.uid == 0 { '#' } else { '$' };
        format!("{shown} {sign} ")
    }
}

/// The container's mount table for `mount` and `df`: the overlay root, then each mount.
fn mount_table(mounts: &[MountPoint], read_only: bool) -> Vec<MountInfo> {
    let disk = |device: &str, target: &str, fstype: &str, options: &str| MountInfo {
        device: device.into(),
        target: target.into(),
        fstype: fstype.into(),
        options: options.into(),
        blocks: 61_255_492,
        used: 9_873_232,
        avail: 48_240_936,
    };
    let mut table = vec![disk(
        "overlay",
        "/",
        "overlay",
        if read_only {
            "ro,relatime,lowerdir=/var/lib/docker/overlay2/l,upperdir=/var/lib/docker/overlay2/diff,workdir=/var/lib/docker/overlay2/work"
        } else {
            "rw,relatime,lowerdir=/var/lib/docker/overlay2/l,upperdir=/var/lib/docker/overlay2/diff,workdir=/var/lib/docker/overlay2/work"
        },
    )];
    for m in mounts {
        let rw = if m.rw { "rw" } else { "ro" };
        table.push(match m.kind {
            MountType::Tmpfs => {
                let kib = m
                    .spec
                    .as_ref()
                    .and_then(|s| s.tmpfs_size)
                    .map(|b| b / 1024)
                    .unwrap_or(1_024_000);
                MountInfo {
                    device: "tmpfs".into(),
                    target: m.destination.clone(),
                    fstype: "tmpfs".into(),
                    options: format!("{rw},nosuid,nodev,noexec,relatime"),
                    blocks: kib,
                    used: 0,
                    avail: kib,
                }
            }
            _ => disk(
                "/dev/sda1",
                &m.destination,
                "ext4",
                &format!("{rw},relatime"),
            ),
        });
    }
    table
}

/// One process tree inside a container's namespace.
struct ContainerSide<'a, 'b> {
    ns: &'a mut ContainerNs<'b>,
    cred: Cred,
    mounts: Vec<MountInfo>,
    hostname: String,
    now: u64,
    detached: bool,
    slept: u64,
    blocked: bool,
    depth: u32,
}

fn to_sh(out: layerbox_tools::Output) -> Output {
    Output {
        stdout: out.stdout,
        stderr: out.stderr,
        code: out.code,
    }
}

impl ContainerSide<'_, '_> {
    /// Runs one program; `None` when there is no such program.
    fn run_argv(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let name = argv.first()?;
        if self.blocked {
            return Some(Output::default());
        }
        let args = &argv[1..];
        let base = name.rsplit('/').next().unwrap_or(name);
        match base {
            "sh" | "ash" => return Some(self.run_sh(name, args, stdin, env, cwd)),
            "sleep" => {
                return Some(match layerbox_tools::sleep_seconds(args, Flavor::BusyBox) {
                    Ok(seconds) => {
                        if self.detached {
                            self.blocked = true;
                        } else {
                            self.slept = self.slept.saturating_add(seconds.ceil() as u64);
                        }
                        Output::default()
                    }
                    Err(out) => to_sh(out),
                })
            }
            "tail" if args.iter().any(|a| a == "-f" || a == "-F") && self.detached => {
                self.blocked = true;
                return Some(Output::default());
            }
            _ => {}
        }
        if layerbox_tools::is_tool(name, Flavor::BusyBox) {
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
                mounts: &self.mounts,
                tty: false,
            };
            return layerbox_tools::run(name, args, &mut ctx).map(to_sh);
        }
        let path = self.find_program(name, env, cwd)?;
        let script = self.read_script(&path)?;
        let mut shell_args = vec![path];
        shell_args.extend(args.iter().cloned());
        Some(self.run_script(&script, &shell_args, stdin, env, cwd))
    }

    /// The file `name` names: a path, or the first match on `$PATH`.
    fn find_program(
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

    /// `sh [-c SCRIPT [NAME [ARGS...]] | FILE [ARGS...]]`.
    fn run_sh(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Output {
        match args.first().map(String::as_str) {
            Some("-c") => match args.get(1) {
                Some(script) => {
                    let mut positional = args[2..].to_vec();
                    if positional.is_empty() {
                        positional.push(name.to_string());
                    }
                    self.run_script(script, &positional, stdin, env, cwd)
                }
                None => Output {
                    stderr: b"sh: -c requires an argument\n".to_vec(),
                    code: 2,
                    ..Output::default()
                },
            },
            Some(file) => {
                let path = if file.starts_with('/') {
                    file.to_string()
                } else {
                    layerbox_fstree::path::join(cwd, file)
                };
                match self.ns.read_file(&self.cred, &path) {
                    Ok(content) => {
                        let text = String::from_utf8_lossy(&content).into_owned();
                        self.run_script(&text, args, stdin, env, cwd)
                    }
                    Err(e) => Output {
                        stderr: format!("sh: can't open '{file}': {e}\n").into_bytes(),
                        code: 2,
                        ..Output::default()
                    },
                }
            }
            // An interactive shell reading commands from stdin.
            None => {
                let text = String::from_utf8_lossy(stdin).into_owned();
                self.run_script(&text, &[name.to_string()], &[], env, cwd)
            }
        }
    }

    /// Runs script text in a fresh BusyBox ash; `positional[0]` is `$0`.
    fn run_script(
        &mut self,
        script: &str,
        positional: &[String],
        _stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Output {
        if self.depth >= MAX_DEPTH {
            return Output {
                stderr: b"sh: can't fork: Resource temporarily unavailable\n".to_vec(),
                code: 2,
                ..Output::default()
            };
        }
        let mut shell = Shell::new(Dialect::BusyBoxAsh, env.clone(), cwd);
        shell.interactive = false;
        if let Some(zero) = positional.first() {
            shell.name = zero.clone();
        }
        shell.args = positional.iter().skip(1).cloned().collect();
        self.depth += 1;
        let result = shell.run(script, self);
        self.depth -= 1;
        Output {
            stdout: result.stdout,
            stderr: result.stderr,
            code: result.code,
        }
    }
}

impl layerbox_sh::Host for ContainerSide<'_, '_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        self.run_argv(argv, stdin, env, cwd)
    }

    fn fs(&mut self) -> (&mut dyn Store, &Cred, u64) {
        let now = self.now + self.slept;
        (&mut *self.ns, &self.cred, now)
    }
}
