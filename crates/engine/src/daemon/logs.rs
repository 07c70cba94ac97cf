//! What a container's processes wrote, as the daemon's `json-file` log driver keeps it.

use serde::{Deserialize, Serialize};

use crate::world::World;

/// An output stream of a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a container's main process wrote, as the daemon's log driver keeps it: each chunk with
/// the stream it came on (json-file stores `"stream":"stdout"` or `"stderr"` per line), so
/// `docker logs` writes each back to the same stream. A container with a terminal (`-t`) has
/// one stream: everything is stdout.
/// Emulation note: a process's output reaches the log with its stdout before its stderr. Docker
/// copies the two pipes in two goroutines, so their order varies from run to run (`echo one;
/// echo two >&2; echo three` logged `one three two`, `one two three` and `two one three` on
/// Engine 20.10); stdout first is one of those orders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerLog {
    chunks: Vec<(Stream, Vec<u8>)>,
}

impl ContainerLog {
    /// Appends what one process wrote; with a terminal both streams are the terminal's output.
    pub fn record(&mut self, stdout: &[u8], stderr: &[u8], tty: bool) {
        let err_stream = if tty { Stream::Stdout } else { Stream::Stderr };
        self.write(Stream::Stdout, stdout);
        self.write(err_stream, stderr);
    }

    /// Appends `bytes` written on `stream`.
    pub fn write(&mut self, stream: Stream, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((s, buf)) if *s == stream => buf.extend_from_slice(bytes),
            _ => self.chunks.push((stream, bytes.to_vec())),
        }
    }

    /// The chunks in the order they were logged.
    pub fn chunks(&self) -> &[(Stream, Vec<u8>)] {
        &self.chunks
    }

    /// Both streams as one text, in the order they were logged.
    pub fn text(&self) -> String {
        let bytes: Vec<u8> = self
            .chunks
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl World {
    /// Container `id`'s log (`docker logs`); `None` if it never logged.
    pub fn logs(&self, id: &str) -> Option<&ContainerLog> {
        self.logs.get(id)
    }

    /// Appends what a process of container `id` wrote to its log (the main process's output;
    /// a `docker exec`'s is not logged).
    pub fn log_output(&mut self, id: &str, stdout: &[u8], stderr: &[u8], tty: bool) {
        self.logs
            .entry(id.to_string())
            .or_default()
            .record(stdout, stderr, tty);
    }

    /// Appends `bytes` on `stream` to container `id`'s log.
    pub fn log_write(&mut self, id: &str, stream: Stream, bytes: &[u8]) {
        self.logs
            .entry(id.to_string())
            .or_default()
            .write(stream, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_merges_both_streams_into_stdout() {
        let mut log = ContainerLog::default();
        log.record(b"out\n", b"err\n", true);
        assert_eq!(log.chunks(), &[(Stream::Stdout, b"out\nerr\n".to_vec())]);
        let mut log = ContainerLog::default();
        log.record(b"out\n", b"err\n", false);
        assert_eq!(log.chunks().len(), 2);
        assert_eq!(log.text(), "out\nerr\n");
    }
}
