//! What the host's bash runs: `docker`, and GNU coreutils over the host filesystem as `user`.

use std::collections::BTreeMap;

use layerbox_engine::mount_table;
use layerbox_fstree::{Cred, Store};
use layerbox_sh::{Budget, Output};
use layerbox_tools::{is_tool, Ctx, Flavor, MountInfo};

use layerbox_docker_cli::{Attach, Cli};
use layerbox_engine::world::World;
use layerbox_runtime::Runtime;

/// What the host side runs itself, besides the coreutils of `layerbox-tools`.
const OWN_PROGRAMS: &[&str] = &["curl", "docker", "sleep", "wget"];

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
        }
    }
}

/// The host's mount table as `df` and `mount` show it.
fn host_mounts() -> Vec<MountInfo> {
    let space = mount_table::HOST_DISK_SPACE;
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
                        stderr_first: Vec::new(),
                        stdout: out.stdout,
                        stderr: out.stderr,
                        code: out.code,
                    },
                },
            );
        }
        let mounts = host_mounts();
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
        };
        let out = layerbox_tools::run(name, args, &mut ctx)?;
        Some(Output {
            stderr_first: Vec::new(),
            stdout: out.stdout,
            stderr: out.stderr,
            code: out.code,
        })
    }

    fn fs(&mut self) -> (&mut dyn Store, &Cred, u64) {
        let now = self.world.now();
        (self.world.host_mut(), &self.cred, now)
    }
}
