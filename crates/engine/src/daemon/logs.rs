//! What a container's processes wrote, as the daemon's `json-file` log driver keeps it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::world::World;

/// An output stream of a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a container's main process wrote, as the daemon's log driver keeps it: each line with
/// the stream it came on and its time (json-file stores `"stream":"stdout"` or `"stderr"` and
/// `"time"` per line), so
/// `docker logs` writes each back to the same stream. A container with a terminal (`-t`) has
/// one stream: everything is stdout.
/// Emulation note: a process's output reaches the log with its stdout before its stderr. Docker
/// copies the two pipes in two goroutines, so their order varies from run to run (`echo one;
/// echo two >&2; echo three` logged `one three two`, `one two three` and `two one three` on
/// Engine 20.10); stdout first is one of those orders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerLog {
    entries: Vec<LogEntry>,
}

/// One entry of the json-file log: a line (with its newline), or the last part of a write
/// that did not end in one, with the stream and the logical time it was written at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub stream: Stream,
    pub time: u64,
    pub bytes: Vec<u8>,
}

impl ContainerLog {
    /// Appends what one process wrote at `time`; with a terminal both streams are the
    /// terminal's output.
    pub fn record(&mut self, stdout: &[u8], stderr: &[u8], tty: bool, time: u64) {
        let err_stream = if tty { Stream::Stdout } else { Stream::Stderr };
        self.write(Stream::Stdout, stdout, time);
        self.write(err_stream, stderr, time);
    }

    /// Appends `bytes` written on `stream` at `time`, one entry a line.
    pub fn write(&mut self, stream: Stream, bytes: &[u8], time: u64) {
        for line in bytes.split_inclusive(|b| *b == b'\n') {
            match self.entries.last_mut() {
                // The rest of a line begun by the same stream at the same time.
                Some(e) if e.stream == stream && e.time == time && !e.bytes.ends_with(b"\n") => {
                    e.bytes.extend_from_slice(line)
                }
                _ => self.entries.push(LogEntry {
                    stream,
                    time,
                    bytes: line.to_vec(),
                }),
            }
        }
    }

    /// The entries in the order they were logged.
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// Both streams as one text, in the order they were logged.
    pub fn text(&self) -> String {
        let bytes: Vec<u8> = self
            .entries
            .iter()
            .flat_map(|e| e.bytes.iter().copied())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl World {
    /// Container `id`'s log (`docker logs`); `None` if it never logged.
    pub fn logs(&self, id: &str) -> Option<&ContainerLog> {
        self.logs.get(id).map(|log| &**log)
    }

    /// Container `id`'s log to append to: this world's own copy, made now if other copies of
    /// the world share it.
    fn log_mut(&mut self, id: &str) -> &mut ContainerLog {
        Arc::make_mut(self.logs.entry(id.to_string()).or_default())
    }

    /// Appends what a process of container `id` wrote to its log now (the main process's
    /// output; a `docker exec`'s is not logged).
    pub fn log_output(&mut self, id: &str, stdout: &[u8], stderr: &[u8], tty: bool) {
        let now = self.now();
        self.log_output_at(id, stdout, stderr, tty, now);
    }

    /// [`World::log_output`] of output written at logical time `at` (a process that ran on
    /// while the clock moved past it).
    pub fn log_output_at(&mut self, id: &str, stdout: &[u8], stderr: &[u8], tty: bool, at: u64) {
        self.log_mut(id).record(stdout, stderr, tty, at);
    }

    /// Appends `bytes` on `stream` to container `id`'s log.
    pub fn log_write(&mut self, id: &str, stream: Stream, bytes: &[u8]) {
        let now = self.now();
        self.log_mut(id).write(stream, bytes, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_merges_both_streams_into_stdout() {
        let mut log = ContainerLog::default();
        log.record(b"out\n", b"err\n", true, 7);
        assert!(log.entries().iter().all(|e| e.stream == Stream::Stdout));
        assert_eq!(log.entries().len(), 2);
        let mut log = ContainerLog::default();
        log.record(b"out\n", b"err\n", false, 7);
        assert_eq!(log.entries()[1].stream, Stream::Stderr);
        assert_eq!(log.text(), "out\nerr\n");
    }
}
