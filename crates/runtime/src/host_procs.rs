//! The Docker host's process table, as the host's `ps` and `top` read it from `/proc`: the
//! Debian 12 host's own processes, then every running container's containerd shim and
//! processes with the host PIDs `docker top` shows (`procs::host_pid`), since a container's
//! process is a process of the host, in a PID namespace of its own.
//!
//! Emulation note: the host's own processes are a fixed, plausible set for a Debian 12 server
//! with Docker Engine that the learner reached over SSH (systemd, journald, udevd, cron,
//! logind, containerd, agetty, sshd, dockerd, the learner's `sshd`, `systemd --user` and
//! `-bash` on `pts/0`), all started when the machine booted at the session's start; of the
//! kernel's threads only `kthreadd` is listed. Their memory sizes are fixed; a container's
//! processes map BusyBox (`procs::VSZ_KB`) and hold no resident memory, as their own
//! `ps -o rss` says; no process has used CPU time. A container's process with a terminal
//! (`-t`) is on `pts/1`, the pseudo-terminal containerd opens after the learner's `pts/0`. The program that lists (`ps`, `top`) is
//! the child of the learner's shell with the next free PID; the other programs of its
//! pipeline (`ps aux | grep sleep`) run one after the other here, so they are not listed.

use layerbox_engine::clock::SESSION_START;
use layerbox_engine::container::Status;
use layerbox_engine::world::World;

use crate::procs;
use crate::Runtime;

/// One process of the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostProc {
    pub pid: u32,
    pub ppid: u32,
    pub pgid: u32,
    pub sid: u32,
    pub uid: u32,
    pub gid: u32,
    /// `/proc/PID/comm` (15 bytes at most).
    pub comm: String,
    /// `/proc/PID/cmdline` joined by spaces; empty for a kernel thread.
    pub args: String,
    /// The controlling terminal (`pts/0`, `tty1`), if any.
    pub tty: Option<String>,
    /// `ps`'s `STAT`: the state letter and its flags (`Ss`, `Ssl`, `R+`, `Z`).
    pub stat: String,
    /// Virtual size, resident size and shared memory, in KiB.
    pub vsz: u64,
    pub rss: u64,
    pub shr: u64,
    /// When it started (logical time).
    pub started: u64,
    /// It is a zombie: `[comm] <defunct>`.
    pub zombie: bool,
}

impl HostProc {
    /// `ps`'s `args`: the command line, `[comm]` for a kernel thread, or `[comm] <defunct>`.
    pub fn command_line(&self) -> String {
        if self.zombie {
            format!("[{}] <defunct>", self.comm)
        } else if self.args.is_empty() {
            format!("[{}]", self.comm)
        } else {
            self.args.clone()
        }
    }

    /// `ps`'s `comm` (`ucmd`): the program's name, a zombie's too.
    pub fn command_name(&self) -> String {
        self.comm.clone()
    }
}

/// The learner's login shell on the host (`-bash` on `pts/0`), parent of what the line runs.
pub const SHELL_PID: u32 = 1062;
/// The learner's terminal.
pub const USER_TTY: &str = "pts/0";

/// One of the host's own processes: PID, parent, uid, comm, command line, terminal, `STAT`,
/// VSZ, RSS and SHR in KiB.
type Own = (
    u32,
    u32,
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u64,
    u64,
    u64,
);

/// The host's own processes.
#[rustfmt::skip]
const OWN: [Own; 15] = [
    (1, 0, 0, "systemd", "/sbin/init", "", "Ss", 167_640, 11_976, 9_088),
    (2, 0, 0, "kthreadd", "", "", "S", 0, 0, 0),
    (236, 1, 0, "systemd-journal", "/lib/systemd/systemd-journald", "", "Ss", 49_348, 15_232, 14_208),
    (262, 1, 0, "systemd-udevd", "/lib/systemd/systemd-udevd", "", "Ss", 25_384, 6_280, 4_992),
    (455, 1, 0, "cron", "/usr/sbin/cron -f", "", "Ss", 6_684, 2_740, 2_476),
    (461, 1, 0, "systemd-logind", "/lib/systemd/systemd-logind", "", "Ss", 17_092, 7_884, 6_968),
    (498, 1, 0, "containerd", "/usr/bin/containerd", "", "Ssl", 1_800_740, 46_880, 31_104),
    (507, 1, 0, "agetty", "/sbin/agetty -o -p -- \\u --noclear - linux", "tty1", "Ss+", 5_876, 1_016, 912),
    (511, 1, 0, "sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", "", "Ss", 15_436, 9_320, 8_028),
    (602, 1, 0, "dockerd", "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock", "", "Ssl", 2_113_784, 86_920, 51_012),
    (1043, 511, 0, "sshd", "sshd: user [priv]", "", "Ss", 17_716, 10_976, 9_408),
    (1047, 1, 1000, "systemd", "/lib/systemd/systemd --user", "", "Ss", 18_960, 10_272, 8_704),
    (1048, 1047, 1000, "(sd-pam)", "(sd-pam)", "", "S", 169_104, 3_456, 1_372),
    (1061, 1043, 1000, "sshd", "sshd: user@pts/0", "", "S", 17_976, 6_760, 4_928),
    (SHELL_PID, 1061, 1000, "bash", "-bash", USER_TTY, "Ss", 8_264, 5_120, 3_584),
];

/// What a containerd shim maps and holds, in KiB.
const SHIM_MEMORY: (u64, u64, u64) = (720_256, 12_724, 9_856);

/// The host's processes at logical time `now`, by PID, with the program `argv` that lists
/// them (`ps aux`), which runs as the learner on their terminal.
pub fn host_processes(world: &World, runtime: &Runtime, argv: &[String]) -> Vec<HostProc> {
    let mut all: Vec<HostProc> = OWN
        .iter()
        .map(|&(pid, ppid, uid, comm, args, tty, stat, vsz, rss, shr)| {
            let sid = match pid {
                1048 => 1047,
                1061 => 1043,
                _ => pid,
            };
            HostProc {
                pid,
                ppid,
                pgid: sid,
                sid,
                uid,
                gid: uid,
                comm: comm.into(),
                args: args.into(),
                tty: (!tty.is_empty()).then(|| tty.to_string()),
                stat: stat.into(),
                vsz,
                rss,
                shr,
                started: SESSION_START,
                zombie: false,
            }
        })
        .collect();
    let now = world.now();
    for c in world.containers_newest_first().into_iter().rev() {
        if c.state.status != Status::Running {
            continue;
        }
        let index = world.creation_index(&c.id).unwrap_or(0);
        let shim = procs::shim_pid(index);
        let (vsz, rss, shr) = SHIM_MEMORY;
        all.push(HostProc {
            pid: shim,
            ppid: 1,
            pgid: shim,
            sid: shim,
            uid: 0,
            gid: 0,
            comm: "containerd-shim".into(),
            args: format!(
                "/usr/bin/containerd-shim-runc-v2 -namespace moby -id {} -address /run/containerd/containerd.sock",
                c.id
            ),
            tty: None,
            stat: "Sl".into(),
            vsz,
            rss,
            shr,
            started: c.state.started_at.unwrap_or(now),
            zombie: false,
        });
        let host = |pid: u32| {
            if pid == 0 {
                shim
            } else {
                procs::host_pid(index, pid)
            }
        };
        for p in runtime.processes(&c.id, now) {
            let leader = p.sid == p.pid;
            let mut stat = String::from(if p.zombie { "Z" } else { "S" });
            if leader && !p.zombie {
                stat.push('s');
            }
            if p.tty && !p.zombie {
                stat.push('+');
            }
            all.push(HostProc {
                pid: host(p.pid),
                ppid: host(p.ppid),
                pgid: host(p.sid),
                sid: host(p.sid),
                uid: p.uid,
                gid: p.gid,
                comm: p.comm.clone(),
                args: p.argv.join(" "),
                tty: p.tty.then(|| "pts/1".to_string()),
                stat,
                vsz: if p.zombie { 0 } else { procs::VSZ_KB },
                rss: 0,
                shr: 0,
                started: p.started,
                zombie: p.zombie,
            });
        }
    }
    let pid = all
        .iter()
        .map(|p| p.pid)
        .max()
        .unwrap_or(SHELL_PID)
        .saturating_add(1);
    all.push(HostProc {
        pid,
        ppid: SHELL_PID,
        pgid: pid,
        sid: SHELL_PID,
        uid: 1000,
        gid: 1000,
        comm: procs::comm_of(argv),
        args: argv.join(" "),
        tty: Some(USER_TTY.into()),
        stat: "R+".into(),
        vsz: 11_084,
        rss: 4_608,
        shr: 2_560,
        started: now,
        zombie: false,
    });
    layerbox_order::sort_by_key(&mut all, |p| p.pid);
    all
}
