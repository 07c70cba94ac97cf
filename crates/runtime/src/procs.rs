//! The process table of a container (its PID namespace, as `ps`, `top`, `kill` and `docker
//! top` see it): PID 1 is the container's command, each `docker exec` starts a process with a
//! higher PID, and the programs a shell forks, its background jobs (`&`) and the programs
//! detached loops wait in are processes of their own until they end.
//!
//! PIDs are deterministic, as recorded from Engine 20.10 with runc
//! (`tests/conformance/processes-ps-in-containers.txt`): after a start the next free PID is 6
//! (runc's own threads took 2 to 5); a `docker exec` process takes the next PID (one more for
//! the first exec of a container's first run) and runc's threads for it take the five after it;
//! a program a shell forks takes the next PID.
//! Emulation note: runc's thread count varies on a real machine, so the real gaps between
//! exec'd PIDs are 5 to 7; here they are always 6. Command substitutions and subshells fork no
//! process here, and the stages of a pipeline run one after the other, so a `ps` in a pipeline
//! does not see the stages after it.

use layerbox_tools::{ProcInfo, SignalError};

/// Signals the kernel never lets a process of a container send to the container's PID 1
/// (`SIGKILL`, `SIGSTOP`: PID 1 of a namespace ignores them from inside it).
const UNBLOCKABLE: [u32; 2] = [9, 19];

/// What a process in the table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// The container's command, PID 1.
    #[default]
    Main,
    /// A `docker exec` process.
    Exec,
    /// A program a shell forked (a job started with `&`, the `sleep` a loop waits in).
    Child,
}

/// One process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    pub ppid: u32,
    /// The session: PID 1's or the `docker exec` process's.
    pub sid: u32,
    pub uid: u32,
    pub gid: u32,
    /// `/proc/PID/cmdline`.
    pub argv: Vec<String>,
    /// `/proc/PID/comm`.
    pub comm: String,
    pub role: Role,
    /// The logical time it started.
    pub started: u64,
    /// A `sleep` in the background ends by itself at this time.
    pub until: Option<u64>,
    /// It has a terminal (`-t`).
    pub tty: bool,
    /// It ended and its parent has not reaped it yet (a zombie: `[comm]`, state `Z`).
    pub zombie: bool,
}

/// A container's processes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcTable {
    procs: Vec<Proc>,
    /// The next PID the kernel gives.
    next: u32,
    /// How many times the container has started.
    starts: u32,
    /// `docker exec` processes since the container started.
    execs: u32,
    /// Signals PID 1's shell traps (`trap … TERM`): `kill` delivers those.
    pub main_traps: Vec<String>,
    /// Trapped signals sent to PID 1 during a run, for the runtime to deliver.
    pub pending: Vec<String>,
    /// Processes a `kill` ended during a run (the runtime ends what waits in them).
    pub killed: Vec<u32>,
    /// The signal that ended each process a `kill` ended, for its parent's `wait PID`.
    pub ended_by: Vec<(u32, u32)>,
    /// What each process maps (`VSZ`): BusyBox's binary and a stack.
    pub vsz_kb: u64,
}

/// The first PID free after a start (runc's threads took the ones after PID 1).
const FIRST_FREE: u32 = 6;
/// PIDs runc's threads take after a `docker exec` process's own.
const EXEC_THREADS: u32 = 5;

/// Emulation note: a process's virtual size is the BusyBox binary of the sample images (all
/// their programs are BusyBox) rounded up to KiB, plus 160 KiB of stack, vDSO and heap.
pub const VSZ_KB: u64 = 1_982_256_u64.div_ceil(1024) + 160;

impl ProcTable {
    /// The container starts (again): no process is left, the next PID is 6.
    pub fn start(&mut self) {
        self.procs.clear();
        self.next = FIRST_FREE;
        self.starts = self.starts.saturating_add(1);
        self.execs = 0;
        self.main_traps.clear();
        self.pending.clear();
        self.killed.clear();
        self.ended_by.clear();
        self.vsz_kb = VSZ_KB;
    }

    /// The container's command starts as PID 1.
    pub fn main(&mut self, argv: &[String], uid: u32, gid: u32, now: u64, tty: bool) -> u32 {
        if self.starts == 0 {
            self.start();
        }
        self.procs.retain(|p| p.pid != 1);
        self.procs.push(Proc {
            pid: 1,
            ppid: 0,
            sid: 1,
            uid,
            gid,
            argv: argv.to_vec(),
            comm: comm_of(argv),
            role: Role::Main,
            started: now,
            until: None,
            tty,
            zombie: false,
        });
        1
    }

    /// A `docker exec` process starts: its PID.
    pub fn exec(&mut self, argv: &[String], uid: u32, gid: u32, now: u64, tty: bool) -> u32 {
        if self.starts == 0 {
            self.start();
        }
        let first = u32::from(self.starts == 1 && self.execs == 0);
        let pid = self.next.saturating_add(first);
        self.next = pid.saturating_add(1 + EXEC_THREADS);
        self.execs = self.execs.saturating_add(1);
        self.procs.push(Proc {
            pid,
            ppid: 0,
            sid: pid,
            uid,
            gid,
            argv: argv.to_vec(),
            comm: comm_of(argv),
            role: Role::Exec,
            started: now,
            until: None,
            tty,
            zombie: false,
        });
        pid
    }

    /// Process `parent` forks a child that runs `argv` (`comm` its program's name): its PID.
    pub fn fork(&mut self, parent: u32, argv: &[String], comm: &str, now: u64) -> u32 {
        let pid = self.next;
        self.next = self.next.saturating_add(1);
        let (sid, uid, gid, tty) = self
            .get(parent)
            .map_or((parent, 0, 0, false), |p| (p.sid, p.uid, p.gid, p.tty));
        self.procs.push(Proc {
            pid,
            ppid: parent,
            sid,
            uid,
            gid,
            argv: argv.to_vec(),
            comm: comm.to_string(),
            role: Role::Child,
            started: now,
            until: None,
            tty,
            zombie: false,
        });
        pid
    }

    /// Process `pid` now runs `argv` in place (`exec`, or ash running a last command).
    pub fn replace(&mut self, pid: u32, argv: &[String], comm: &str) {
        if let Some(p) = self.procs.iter_mut().find(|p| p.pid == pid) {
            p.argv = argv.to_vec();
            p.comm = comm.to_string();
        }
    }

    /// Process `pid` is a background `sleep` that ends by itself at `until`.
    pub fn ends_at(&mut self, pid: u32, until: u64) {
        if let Some(p) = self.procs.iter_mut().find(|p| p.pid == pid) {
            p.until = Some(until);
        }
    }

    /// Process `pid` ends; its children are PID 1's now, and a shell there reaps the ones that
    /// ended (a `sleep` or another program as PID 1 never does: they stay zombies).
    pub fn end(&mut self, pid: u32) {
        self.procs.retain(|p| p.pid != pid);
        let reaps = self
            .get(1)
            .is_some_and(|p| matches!(p.comm.as_str(), "sh" | "ash"));
        for p in &mut self.procs {
            if p.ppid == pid {
                p.ppid = 1;
            }
        }
        if reaps {
            self.procs.retain(|p| !(p.zombie && p.ppid == 1));
        }
    }

    /// Process `pid` ended and nobody reaps it: a child of a process in the container stays a
    /// zombie; a process whose parent is outside (runc's shim) is gone.
    fn unreaped(&mut self, pid: u32) {
        let parent = self.get(pid).map_or(0, |p| p.ppid);
        if parent == 0 {
            self.end(pid);
            return;
        }
        for p in &mut self.procs {
            if p.pid == pid {
                p.zombie = true;
                p.argv.clear();
                p.until = None;
            }
            if p.ppid == pid {
                p.ppid = 1;
            }
        }
    }

    /// The background sleeps that have ended by `now` leave the table, or stay as zombies
    /// under a PID 1 that reaps nothing.
    pub fn expire(&mut self, now: u64) {
        let ended: Vec<u32> = self
            .procs
            .iter()
            .filter(|p| p.until.is_some_and(|u| u <= now))
            .map(|p| p.pid)
            .collect();
        let reaps = self
            .get(1)
            .is_some_and(|p| matches!(p.comm.as_str(), "sh" | "ash"));
        for pid in ended {
            let orphan = self.get(pid).is_some_and(|p| p.ppid == 1);
            if orphan && !reaps {
                self.unreaped(pid);
            } else {
                self.end(pid);
            }
        }
    }

    /// Every process, by PID.
    pub fn procs(&self) -> Vec<&Proc> {
        let mut all: Vec<&Proc> = self.procs.iter().collect();
        layerbox_order::sort_by_key(&mut all, |p| p.pid);
        all
    }

    pub fn get(&self, pid: u32) -> Option<&Proc> {
        self.procs.iter().find(|p| p.pid == pid)
    }

    /// No process runs (the container stopped).
    pub fn clear(&mut self) {
        self.procs.clear();
    }

    /// The table as `ps` reads it from `/proc` at logical time `now`, with `me` the process
    /// that lists (running).
    pub fn infos(&self, me: u32, now: u64) -> Vec<ProcInfo> {
        let mut table = self.clone();
        table.expire(now);
        table
            .procs()
            .into_iter()
            .map(|p| ProcInfo {
                pid: p.pid,
                ppid: p.ppid,
                pgid: p.sid,
                sid: p.sid,
                uid: p.uid,
                gid: p.gid,
                argv: p.argv.clone(),
                comm: p.comm.clone(),
                running: p.pid == me,
                zombie: p.zombie,
                vsz_kb: self.vsz_kb,
                rss_kb: 0,
                tty: p.tty.then_some((136, 0)),
                started: p.started,
            })
            .collect()
    }

    /// `kill(pid, signal)` from a process running as `uid`: PID 1 ignores what it does not
    /// trap (and `KILL` and `STOP` from inside); another process ends.
    pub fn signal(&mut self, uid: u32, pid: u32, signal: u32, now: u64) -> Result<(), SignalError> {
        self.expire(now);
        let target = self.get(pid).ok_or(SignalError::NoSuchProcess)?;
        if uid != 0 && uid != target.uid {
            return Err(SignalError::NotPermitted);
        }
        if signal == 0 {
            return Ok(());
        }
        if pid == 1 {
            if UNBLOCKABLE.contains(&signal) {
                return Ok(());
            }
            let name = layerbox_tools::signal_name(signal).unwrap_or("");
            if self.main_traps.iter().any(|t| t == name) {
                self.pending.push(name.to_string());
            }
            return Ok(());
        }
        if target.zombie {
            return Ok(());
        }
        // Emulation note: a killed child is taken as reaped by its shell at once (ash reaps
        // without blocking before its next command); on a real machine a shell that exits
        // first leaves it a zombie under PID 1 now and then.
        self.end(pid);
        self.killed.push(pid);
        self.ended_by.push((pid, signal));
        Ok(())
    }
}

/// A program's name as the kernel keeps it (`comm`: the file's base name, 15 bytes).
pub fn comm_of(argv: &[String]) -> String {
    let name = argv.first().map(String::as_str).unwrap_or("");
    let base = name.rsplit('/').next().unwrap_or(name);
    base.chars().take(15).collect()
}

/// The host PIDs `docker top` shows for container number `index` (in creation order).
/// Emulation note: host PIDs are made up, deterministically: the container's shim is
/// `4000 + 1000 × index` and a process is the shim's PID + 20 + its PID in the container;
/// the transcripts' normaliser numbers host PIDs by first appearance (`<pidN>`).
pub fn host_pid(index: usize, pid: u32) -> u32 {
    shim_pid(index).saturating_add(20).saturating_add(pid)
}

/// The containerd shim's host PID for container number `index`.
pub fn shim_pid(index: usize) -> u32 {
    u32::try_from(index)
        .unwrap_or(u32::MAX / 1000)
        .saturating_mul(1000)
        .saturating_add(4000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn exec_pids_follow_runcs_threads_as_recorded() {
        let mut t = ProcTable::default();
        t.start();
        t.main(&argv("sleep 1000"), 0, 0, 0, false);
        let pids: Vec<u32> = (0..3)
            .map(|_| t.exec(&argv("ps"), 0, 0, 0, false))
            .collect();
        assert_eq!(pids, vec![7, 13, 19]);
        t.start();
        t.main(&argv("sleep 1000"), 0, 0, 0, false);
        assert_eq!(
            t.exec(&argv("ps"), 0, 0, 0, false),
            6,
            "a second run has no extra PID"
        );
    }

    #[test]
    fn a_fork_takes_the_next_pid_and_orphans_go_to_pid_1() {
        let mut t = ProcTable::default();
        t.start();
        t.main(&argv("sleep 1000"), 0, 0, 0, false);
        let sh = t.exec(&argv("sh -c x"), 0, 0, 0, false);
        let job = t.fork(sh, &argv("sleep 500"), "sleep", 0);
        assert_eq!((sh, job), (7, 13));
        t.end(sh);
        assert_eq!(t.get(job).map(|p| p.ppid), Some(1));
    }

    #[test]
    fn pid_1_ignores_untrapped_signals_and_kill_from_inside() {
        let mut t = ProcTable::default();
        t.start();
        t.main(&argv("sleep 1000"), 0, 0, 0, false);
        assert_eq!(t.signal(0, 1, 15, 0), Ok(()));
        assert_eq!(t.signal(0, 1, 9, 0), Ok(()));
        assert!(t.get(1).is_some());
        assert_eq!(t.signal(405, 1, 15, 0), Err(SignalError::NotPermitted));
        assert_eq!(t.signal(0, 999, 15, 0), Err(SignalError::NoSuchProcess));
        t.main_traps.push("TERM".into());
        assert_eq!(t.signal(0, 1, 15, 0), Ok(()));
        assert_eq!(t.pending, vec!["TERM".to_string()]);
    }

    #[test]
    fn a_background_sleep_ends_by_itself() {
        let mut t = ProcTable::default();
        t.start();
        t.main(&argv("sh"), 0, 0, 0, false);
        let job = t.fork(1, &argv("sleep 5"), "sleep", 10);
        t.ends_at(job, 15);
        assert_eq!(t.infos(1, 14).len(), 2);
        assert_eq!(t.infos(1, 15).len(), 1);
    }
}
