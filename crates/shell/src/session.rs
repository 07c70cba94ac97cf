//! A learner's session: the Docker host, its bash in `/home/user`, and one line at a time.

use std::collections::BTreeMap;

use layerbox_engine::change::Change;
use layerbox_engine::host::USER_HOME;
use layerbox_sh::{Dialect, Shell, Stream};

use crate::docker::Daemon;
use crate::host_side::HostSide;

/// The host prompt the REPL shows.
pub const PROMPT: &str = "user@docker-host:~$ ";

/// The PATH of the host's login shell (Debian's default for a user).
const HOST_PATH: &str = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games";

/// What one typed line printed, its exit status and what it did to storage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineResult {
    /// stdout and stderr in the order written.
    pub transcript: Vec<(Stream, Vec<u8>)>,
    pub code: i32,
    pub changes: Vec<Change>,
}

impl LineResult {
    /// Both streams as one text, in order.
    pub fn text(&self) -> String {
        let bytes: Vec<u8> = self
            .transcript
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// A Docker host with the learner at its shell.
#[derive(Debug, Clone)]
pub struct Session {
    pub daemon: Daemon,
    pub shell: Shell,
    /// Whether output goes to a terminal (`ls` columns); replay and tests say no.
    pub tty: bool,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    /// A fresh session: the sample images pulled, no containers, no volumes, an empty home, the
    /// logical clock at its fixed start.
    pub fn new() -> Session {
        let env: BTreeMap<String, String> = [
            ("PATH", HOST_PATH),
            ("HOME", USER_HOME),
            ("USER", "user"),
            ("LOGNAME", "user"),
            ("LANG", "C.UTF-8"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Session {
            daemon: Daemon::new(),
            shell: Shell::new(Dialect::Bash, env, USER_HOME),
            tty: false,
        }
    }

    /// Runs one line typed at the host prompt.
    pub fn run_line(&mut self, line: &str) -> LineResult {
        let mut host = HostSide::new(&mut self.daemon, self.tty);
        let result = self.shell.run(line, &mut host);
        LineResult {
            transcript: result.transcript,
            code: result.code,
            changes: self.daemon.world.take_changes(),
        }
    }
}
