//! Conformance transcripts: the `tests/conformance/*.txt` format (parse and format) and the normaliser that replaces what varies run to run with placeholders.
//!
//! # Format
//!
//! ```text
//! # Docker Engine 20.10.24 (overlay2), docker CLI 28.2.2      <- header: leading `#` lines,
//! # What the session shows.                                   <- ended by a blank line
//!
//! # a comment about the next command                          <- `#` lines right before `$ `
//! $ docker volume rm myvol                                    <- the command, run by `bash -c`
//! Error response from daemon: remove myvol: volume is in use - [<id1>]
//! [exit 1]                                                    <- only when the code is not 0
//! ```
//!
//! A comment `# wait N` before a command says the learner waited N seconds before typing it:
//! the recorder sleeps N seconds of real time, a replay passes N seconds of logical time.
//!
//! Output is stdout and stderr interleaved in the order written, as lines; whether the last line
//! ended in a newline is not kept. A block whose comments include `# current-docker: …` or
//! `# hand-written` keeps its written output when re-recorded (its command still runs); a
//! header line `# hand-written` keeps the whole session. Ambiguity: output lines that start with
//! `# ` directly before the next `$ ` line read back as that command's comments, so sessions
//! avoid commands whose output ends in such a line.
//!
//! # Normalisation
//!
//! [`Normalizer`] is applied to the real engine's output when recording and to layerbox's output
//! at replay time, so both sides compare equal when only these differ:
//! - ids: every run of 64 lowercase hex digits, and every 12-digit run that is a known id's prefix
//!   or holds a letter, becomes `<idN>`, numbered by first appearance (per session); a 12-digit
//!   prefix and its 64-digit id share a number. `sha256:` stays in front (`sha256:<id3>`).
//!   A run of 12 to 63 hex digits cut short by `…` (a truncated table cell) is an id too.
//! - times: RFC 3339 (`2026-11-28T06:45:55.123456789Z`, `+00:00` offsets) and Go's
//!   `2026-11-28 06:45:55 +0000 UTC` become `<time>`; `ls -l` dates (`Nov 28 06:45`,
//!   `Nov 28  2025`) become `<mtime>`.
//! - `docker top` tables: host PIDs become `<pidN>` (by first appearance), the `C` and `STIME`
//!   columns `<c>` and `<stime>` (the recording machine's CPU share and clock);
//! - durations: `N seconds ago`, `About a minute ago`, … become `<ago>`; `Up 3 seconds` becomes
//!   `Up <ago>`; so `Exited (0) 5 seconds ago` becomes `Exited (0) <ago>`. Because a duration's
//!   length moves the table columns, in a command output where a duration was replaced every
//!   run of three or more spaces becomes exactly three (table alignment is then not compared).
//! - Not normalised: sizes (they follow from the content, which both sides share), `docker cp`
//!   byte counts, and everything else. Emulation note: the recorder also rewrites its engine's
//!   data root to `/var/lib/docker` before normalising (see xtask/src/record.rs).

use std::fmt::Write as _;

/// A whole session file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// The leading `#` lines (Engine and CLI versions, what the session shows), without the blank line after them.
    pub header: Vec<String>,
    /// The commands in order.
    pub blocks: Vec<Block>,
}

/// One `$ ` command with its comments and what it printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    /// The `#` lines right before the command, as written.
    pub comments: Vec<String>,
    /// The command without the `$ ` prefix.
    pub command: String,
    /// stdout and stderr, interleaved, one entry a line.
    pub output: Vec<String>,
    /// The exit code.
    pub exit: i32,
}

impl Block {
    /// How long the learner waited before typing the command: a comment `# wait N` (seconds)
    /// among its comments. The recorder sleeps that long before running it; a replay lets the
    /// same logical time pass (`Session::wait`). Several add up.
    pub fn waited(&self) -> u64 {
        self.comments.iter().filter_map(|c| wait_directive(c)).sum()
    }

    /// Whether the block's output is written by hand (current Docker differs from the engine recorded).
    pub fn is_hand_written(&self) -> bool {
        self.comments.iter().any(|comment| {
            comment.starts_with("# current-docker:") || comment.starts_with("# hand-written")
        })
    }
}

impl Transcript {
    /// Reads a session file. Never fails: lines that are neither header, comment nor command are output.
    pub fn parse(text: &str) -> Transcript {
        let lines: Vec<&str> = text.lines().collect();
        let mut transcript = Transcript::default();
        let mut at = 0;
        // The header: leading `#` lines, ended by a blank line.
        let leading = lines.iter().take_while(|line| is_comment(line)).count();
        if leading > 0 && lines.get(leading).is_some_and(|line| line.is_empty()) {
            transcript.header = lines[..leading].iter().map(|l| l.to_string()).collect();
            at = leading + 1;
        }
        let mut pending: Vec<String> = Vec::new();
        for line in &lines[at..] {
            if let Some(command) = line.strip_prefix("$ ") {
                transcript.blocks.push(Block {
                    comments: std::mem::take(&mut pending),
                    command: command.to_string(),
                    output: Vec::new(),
                    exit: 0,
                });
            } else if is_comment(line) {
                pending.push(line.to_string());
            } else {
                match transcript.blocks.last_mut() {
                    Some(block) => {
                        block.output.append(&mut pending);
                        block.output.push(line.to_string());
                    }
                    // Text before the first command that is not a header: keep it as header.
                    None => {
                        transcript.header.append(&mut pending);
                        transcript.header.push(line.to_string());
                    }
                }
            }
        }
        if let Some(block) = transcript.blocks.last_mut() {
            block.output.append(&mut pending);
        }
        for block in &mut transcript.blocks {
            if let Some(code) = block.output.last().and_then(|line| exit_marker(line)) {
                block.exit = code;
                block.output.pop();
            }
        }
        transcript
    }

    /// Writes the session file: header, a blank line, then each block.
    pub fn format(&self) -> String {
        let mut text = String::new();
        for line in &self.header {
            text.push_str(line);
            text.push('\n');
        }
        if !self.header.is_empty() {
            text.push('\n');
        }
        for block in &self.blocks {
            for comment in &block.comments {
                text.push_str(comment);
                text.push('\n');
            }
            text.push_str("$ ");
            text.push_str(&block.command);
            text.push('\n');
            for line in &block.output {
                text.push_str(line);
                text.push('\n');
            }
            if block.exit != 0 {
                let _ = writeln!(text, "[exit {}]", block.exit);
            }
        }
        text
    }

    /// Whether the whole session is written by hand (a header line `# hand-written`).
    pub fn is_hand_written(&self) -> bool {
        self.header
            .iter()
            .any(|line| line.starts_with("# hand-written"))
    }
}

fn is_comment(line: &str) -> bool {
    line == "#" || line.starts_with("# ")
}

/// The seconds of a `# wait N` comment line.
pub fn wait_directive(line: &str) -> Option<u64> {
    line.strip_prefix("# wait ")?.trim().parse().ok()
}

fn exit_marker(line: &str) -> Option<i32> {
    line.strip_prefix("[exit ")?.strip_suffix(']')?.parse().ok()
}

/// Splits captured output into transcript lines (a final newline does not make an empty line);
/// carriage returns ending a line (progress output, `Sending build context … 2.048kB\r\r\n`)
/// are dropped, as a terminal shows them.
pub fn output_lines(captured: &str) -> Vec<String> {
    captured
        .lines()
        .map(|line| line.trim_end_matches('\r').to_string())
        .collect()
}

/// Replaces ids, times and durations with placeholders; keeps its id numbering across calls, so use one per session.
#[derive(Debug, Default, Clone)]
pub struct Normalizer {
    /// First 12 hex digits of every id seen, in order of first appearance: `<id1>` is index 0.
    ids: Vec<String>,
    /// Host PIDs `docker top` showed, in order of first appearance: `<pid1>` is index 0.
    pids: Vec<String>,
    /// Container names the daemon made up, in order of first appearance: `<name1>` is index 0.
    names: Vec<String>,
}

impl Normalizer {
    /// A normaliser that has seen no ids yet.
    pub fn new() -> Normalizer {
        Normalizer::default()
    }

    /// Normalises every block's output of a transcript (commands and comments stay as written).
    pub fn normalize_transcript(&mut self, transcript: &Transcript) -> Transcript {
        let mut normalized = transcript.clone();
        for block in &mut normalized.blocks {
            block.output = self.normalize_lines(&block.output);
        }
        normalized
    }

    /// Normalises the output lines of one command.
    pub fn normalize_lines(&mut self, lines: &[String]) -> Vec<String> {
        let mut replaced_duration = false;
        let mut out: Vec<String> = lines
            .iter()
            .map(|line| {
                let line = replace_times(line);
                let line = replace_ls_dates(&line);
                let (line, replaced) = replace_durations(&line);
                replaced_duration |= replaced;
                let line = self.replace_names(&line);
                self.replace_ids(&line)
            })
            .collect();
        if replaced_duration {
            for line in &mut out {
                *line = collapse_wide_gaps(line);
            }
        }
        if let Some(columns) = out.first().and_then(|h| top_columns(h)) {
            for line in out.iter_mut().skip(1) {
                *line = self.replace_top_row(line, &columns);
            }
        }
        out
    }

    /// A row of a `docker top` table with its host PIDs numbered (`<pidN>`, by first
    /// appearance in the session) and its CPU share and start time as `<c>` and `<stime>`:
    /// they are the recording machine's.
    fn replace_top_row(&mut self, line: &str, columns: &[(usize, String)]) -> String {
        let mut out = String::new();
        for (i, (start, name)) in columns.iter().enumerate() {
            let end = columns.get(i + 1).map(|(s, _)| *s);
            let Some(cell) = line.get(*start..end.unwrap_or(line.len()).min(line.len())) else {
                return line.to_string();
            };
            let value = cell.trim_end();
            let shown = match name.as_str() {
                "PID" | "PPID" if !value.is_empty() => {
                    let n = match self.pids.iter().position(|p| p == value) {
                        Some(i) => i + 1,
                        None => {
                            self.pids.push(value.to_string());
                            self.pids.len()
                        }
                    };
                    format!("<pid{n}>")
                }
                "C" => "<c>".to_string(),
                "STIME" => "<stime>".to_string(),
                _ => value.to_string(),
            };
            match end {
                Some(e) => {
                    let width = e - start;
                    let _ = write!(out, "{shown:<width$}");
                    if shown.len() >= width {
                        out.push(' ');
                    }
                }
                None => out.push_str(&shown),
            }
        }
        out
    }

    /// Normalises one piece of text (one command's output, lines joined by `\n`).
    pub fn normalize(&mut self, text: &str) -> String {
        let lines = output_lines(text);
        let mut joined = self.normalize_lines(&lines).join("\n");
        if text.ends_with('\n') {
            joined.push('\n');
        }
        joined
    }

    fn id_number(&mut self, hex: &str) -> usize {
        let prefix = &hex[..12];
        match self.ids.iter().position(|known| known == prefix) {
            Some(index) => index + 1,
            None => {
                self.ids.push(prefix.to_string());
                self.ids.len()
            }
        }
    }

    /// A container name Docker made up (`flamboyant_murdock`) as `<nameN>`, numbered by first
    /// appearance: the daemon picks it at random, layerbox from the id.
    fn replace_names(&mut self, line: &str) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(start) = rest.find(|c: char| c.is_ascii_lowercase()) {
            let word_len = rest[start..]
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                .unwrap_or(rest.len() - start);
            let word = &rest[start..start + word_len];
            let before_ok = start == 0
                || !rest[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            out.push_str(&rest[..start]);
            if before_ok && layerbox_engine::names::is_generated(word) {
                let n = match self.names.iter().position(|known| known == word) {
                    Some(i) => i + 1,
                    None => {
                        self.names.push(word.to_string());
                        self.names.len()
                    }
                };
                let _ = write!(out, "<name{n}>");
            } else {
                out.push_str(word);
            }
            rest = &rest[start + word_len..];
        }
        out.push_str(rest);
        out
    }

    fn is_known(&self, hex: &str) -> bool {
        self.ids.iter().any(|known| known == hex)
    }

    fn replace_ids(&mut self, line: &str) -> String {
        let bytes = line.as_bytes();
        let mut out = String::with_capacity(line.len());
        let mut at = 0;
        let mut copied = 0;
        while at < bytes.len() {
            let starts_word = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
            if starts_word && is_lower_hex(bytes[at]) {
                let len = bytes[at..]
                    .iter()
                    .take_while(|byte| is_lower_hex(**byte))
                    .count();
                let end = at + len;
                let ends_word = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
                let run = &line[at..end];
                // A longer id cut by a table column ends in `…` (`COPY file:b4883d1a3be4…`).
                let cut = (12..64).contains(&len) && line[end..].starts_with('…');
                let is_id = ends_word
                    && (len == 64
                        || cut
                        || (len == 12
                            && (self.is_known(run)
                                || run.bytes().any(|b| b.is_ascii_alphabetic())
                                || id_context(line, at, end))));
                if is_id {
                    out.push_str(&line[copied..at]);
                    let number = self.id_number(run);
                    let _ = write!(out, "<id{number}>");
                    copied = end;
                }
                at = end;
            } else {
                at += 1;
            }
        }
        out.push_str(&line[copied..]);
        out
    }
}

/// The columns of a `docker top` header (the CLI's tabwriter makes every cell but the last
/// at least 20 wide) that names a `PID` column: each column's start and name.
fn top_columns(header: &str) -> Option<Vec<(usize, String)>> {
    let mut columns = Vec::new();
    let mut at = 0;
    let bytes = header.as_bytes();
    while at < bytes.len() {
        if bytes[at] == b' ' {
            at += 1;
            continue;
        }
        let end = header[at..].find(' ').map_or(header.len(), |i| at + i);
        columns.push((at, header[at..end].to_string()));
        at = end;
    }
    let wide = columns
        .windows(2)
        .all(|w| w[1].0 - w[0].0 >= 20 && w[0].1.len() <= 17);
    let pid = columns.iter().any(|(_, n)| n == "PID");
    (columns.len() >= 2 && wide && pid).then_some(columns)
}

/// Whether the 12 digits at `at..end` stand where only a short id stands: a line of their
/// own (`docker ps -q`), or after the builder's and `docker run`'s words for an id. About one
/// id in 280 has no letter.
fn id_context(line: &str, at: usize, end: usize) -> bool {
    const BEFORE: [&str; 5] = [
        " ---> ",
        "Successfully built ",
        "Running in ",
        "Removing intermediate container ",
        "sha256:",
    ];
    (at == 0 && end == line.len()) || BEFORE.iter().any(|b| line[..at].ends_with(b))
}

fn is_lower_hex(byte: u8) -> bool {
    byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)
}

/// Length of the digits run at `at` if it is exactly `count` ASCII digits.
fn digits(bytes: &[u8], at: usize, count: usize) -> bool {
    bytes.len() >= at + count && bytes[at..at + count].iter().all(u8::is_ascii_digit)
}

fn byte_is(bytes: &[u8], at: usize, want: u8) -> bool {
    bytes.get(at) == Some(&want)
}

/// Matches `YYYY-MM-DD?HH:MM:SS` with `?` one of `T` or space, then an optional fraction;
/// returns the end of the match and what follows is handled by the caller.
fn date_time(bytes: &[u8], at: usize, separator: u8) -> Option<usize> {
    let ok = digits(bytes, at, 4)
        && byte_is(bytes, at + 4, b'-')
        && digits(bytes, at + 5, 2)
        && byte_is(bytes, at + 7, b'-')
        && digits(bytes, at + 8, 2)
        && byte_is(bytes, at + 10, separator)
        && digits(bytes, at + 11, 2)
        && byte_is(bytes, at + 13, b':')
        && digits(bytes, at + 14, 2)
        && byte_is(bytes, at + 16, b':')
        && digits(bytes, at + 17, 2);
    if !ok {
        return None;
    }
    let mut end = at + 19;
    if byte_is(bytes, end, b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    Some(end)
}

/// The end of an RFC 3339 time (`…Z` or `…+hh:mm`) or a Go `time.Time` string (`… +0000 UTC`) at `at`.
fn time_at(bytes: &[u8], at: usize) -> Option<usize> {
    if let Some(end) = date_time(bytes, at, b'T') {
        if byte_is(bytes, end, b'Z') {
            return Some(end + 1);
        }
        let sign = bytes.get(end).is_some_and(|b| *b == b'+' || *b == b'-');
        if sign
            && digits(bytes, end + 1, 2)
            && byte_is(bytes, end + 3, b':')
            && digits(bytes, end + 4, 2)
        {
            return Some(end + 6);
        }
        return Some(end);
    }
    let end = date_time(bytes, at, b' ')?;
    // ` +0000 UTC` (zone name: upper-case letters)
    let sign = bytes.get(end + 1).is_some_and(|b| *b == b'+' || *b == b'-');
    if byte_is(bytes, end, b' ')
        && sign
        && digits(bytes, end + 2, 4)
        && byte_is(bytes, end + 6, b' ')
    {
        let zone = bytes[end + 7..]
            .iter()
            .take_while(|b| b.is_ascii_uppercase())
            .count();
        if zone > 0 {
            return Some(end + 7 + zone);
        }
    }
    Some(end)
}

fn replace_times(line: &str) -> String {
    replace_matches(line, "<time>", |bytes, at| {
        let starts = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if starts {
            time_at(bytes, at)
        } else {
            None
        }
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `ls -l` dates: `Nov 28 06:45` or `Nov  3  2025` (day padded to 2, year padded to 5).
fn ls_date_at(bytes: &[u8], at: usize) -> Option<usize> {
    let starts = at == 0 || bytes[at - 1] == b' ';
    let month = bytes.get(at..at + 3)?;
    if !starts || !MONTHS.iter().any(|m| m.as_bytes() == month) || !byte_is(bytes, at + 3, b' ') {
        return None;
    }
    let day_ok =
        (byte_is(bytes, at + 4, b' ') || digits(bytes, at + 4, 1)) && digits(bytes, at + 5, 1);
    if !day_ok || !byte_is(bytes, at + 6, b' ') {
        return None;
    }
    let time =
        digits(bytes, at + 7, 2) && byte_is(bytes, at + 9, b':') && digits(bytes, at + 10, 2);
    let year = byte_is(bytes, at + 7, b' ') && digits(bytes, at + 8, 4);
    let end = at + 12;
    let ends = end == bytes.len() || bytes[end] == b' ';
    ((time || year) && ends).then_some(end)
}

fn replace_ls_dates(line: &str) -> String {
    replace_matches(line, "<mtime>", ls_date_at)
}

/// Replaces every match found by `matcher` (which returns the end of a match at a position).
fn replace_matches(
    line: &str,
    placeholder: &str,
    matcher: impl Fn(&[u8], usize) -> Option<usize>,
) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        match matcher(bytes, at) {
            Some(end) if end > at => {
                out.push_str(&line[copied..at]);
                out.push_str(placeholder);
                copied = end;
                at = end;
            }
            _ => at += 1,
        }
    }
    out.push_str(&line[copied..]);
    out
}

const UNITS: [&str; 7] = ["second", "minute", "hour", "day", "week", "month", "year"];

/// The end of a go-units `HumanDuration` at `at` (`Less than a second`, `About a minute`,
/// `About an hour`, `N seconds`, `1 minute` …).
fn duration_at(line: &str, at: usize) -> Option<usize> {
    let rest = &line[at..];
    for fixed in ["Less than a second", "About a minute", "About an hour"] {
        if rest.starts_with(fixed) {
            return Some(at + fixed.len());
        }
    }
    let number = rest.bytes().take_while(u8::is_ascii_digit).count();
    if number == 0 || !rest[number..].starts_with(' ') {
        return None;
    }
    let after = &rest[number + 1..];
    for unit in UNITS {
        if let Some(tail) = after.strip_prefix(unit) {
            let plural = usize::from(tail.starts_with('s'));
            return Some(at + number + 1 + unit.len() + plural);
        }
    }
    None
}

/// Replaces `<duration> ago` with `<ago>` and `Up <duration>` with `Up <ago>`.
fn replace_durations(line: &str) -> (String, bool) {
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    let mut at = 0;
    let mut replaced = false;
    while at < line.len() {
        let starts = at == 0 || line.as_bytes()[at - 1] == b' ' || line.as_bytes()[at - 1] == b'\t';
        if !starts || !line.is_char_boundary(at) {
            at += 1;
            continue;
        }
        if line[at..].starts_with("Up ") {
            let start = at + 3;
            if let Some(end) = duration_at(line, start) {
                out.push_str(&line[copied..start]);
                out.push_str("<ago>");
                copied = end;
                at = end;
                replaced = true;
                continue;
            }
        }
        if let Some(end) = duration_at(line, at) {
            if line[end..].starts_with(" ago") {
                out.push_str(&line[copied..at]);
                out.push_str("<ago>");
                copied = end + 4;
                at = end + 4;
                replaced = true;
                continue;
            }
        }
        at += 1;
    }
    out.push_str(&line[copied..]);
    (out, replaced)
}

/// Turns every run of three or more spaces into exactly three (the CLI's table padding).
fn collapse_wide_gaps(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut spaces = 0;
    for ch in line.chars() {
        if ch == ' ' {
            spaces += 1;
            continue;
        }
        let keep = if spaces >= 3 { 3 } else { spaces };
        out.extend(std::iter::repeat_n(' ', keep));
        spaces = 0;
        out.push(ch);
    }
    out.extend(std::iter::repeat_n(
        ' ',
        if spaces >= 3 { 3 } else { spaces },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID_A: &str = "3f4e0c5b6a7d8e9f00112233445566778899aabbccddeeff0011223344556677";
    const ID_B: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn parse_and_format_round_trip() {
        let text = "\
# Docker Engine 20.10.24, docker CLI 28.2.2
# Volumes in use cannot be removed.

$ docker volume create myvol
myvol
# the container is stopped but still uses the volume
$ docker volume rm myvol
Error response from daemon: remove myvol: volume is in use - [<id1>]
[exit 1]
$ echo

$ true
";
        let transcript = Transcript::parse(text);
        assert_eq!(transcript.header.len(), 2);
        assert_eq!(transcript.blocks.len(), 4);
        let rm = &transcript.blocks[1];
        assert_eq!(
            rm.comments,
            ["# the container is stopped but still uses the volume"]
        );
        assert_eq!(rm.command, "docker volume rm myvol");
        assert_eq!(rm.exit, 1);
        assert_eq!(rm.output.len(), 1);
        assert_eq!(transcript.blocks[2].output, [""]);
        assert!(transcript.blocks[3].output.is_empty());
        assert_eq!(transcript.format(), text);
    }

    /// Every recorded session reads back to the same text, with a header naming the engine.
    #[test]
    fn every_conformance_session_round_trips() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).expect("tests/conformance exists") {
            let path = entry.expect("readable directory").path();
            if path.extension().is_none_or(|ext| ext != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable session");
            let transcript = Transcript::parse(&text);
            assert_eq!(transcript.format(), text, "{}", path.display());
            assert!(
                transcript
                    .header
                    .first()
                    .is_some_and(|line| line.starts_with("# Recorded from Docker Engine")),
                "{}: header",
                path.display()
            );
            assert!(!transcript.blocks.is_empty(), "{}", path.display());
            count += 1;
        }
        assert!(count >= 40, "only {count} sessions");
    }

    #[test]
    fn comments_before_the_first_command_without_blank_line_are_not_header() {
        let transcript = Transcript::parse("# just a comment\n$ true\n");
        assert!(transcript.header.is_empty());
        assert_eq!(transcript.blocks[0].comments, ["# just a comment"]);
    }

    #[test]
    fn output_lines_starting_with_hash_stay_output_when_followed_by_output() {
        let transcript =
            Transcript::parse("$ cat /etc/shells\n# valid login shells\n/bin/sh\n$ true\n");
        assert_eq!(
            transcript.blocks[0].output,
            ["# valid login shells", "/bin/sh"]
        );
        assert!(transcript.blocks[1].comments.is_empty());
    }

    #[test]
    fn hand_written_marks() {
        let transcript = Transcript::parse(
            "# hand-written\n\n# current-docker: 20.10 prunes named volumes too\n$ docker volume prune -f\nTotal reclaimed space: 0B\n",
        );
        assert!(transcript.is_hand_written());
        assert!(transcript.blocks[0].is_hand_written());
    }

    #[test]
    fn ids_are_numbered_by_first_appearance_and_prefixes_share_numbers() {
        let mut normalizer = Normalizer::new();
        let short_b = &ID_B[..12];
        let text = format!(
            "{short_b}\n{ID_A}\n[{ID_B}]\n/var/lib/docker/volumes/{ID_A}/_data\nsha256:{ID_B}\n"
        );
        assert_eq!(
            normalizer.normalize(&text),
            "<id1>\n<id2>\n[<id1>]\n/var/lib/docker/volumes/<id2>/_data\nsha256:<id1>\n"
        );
        // numbering carries over to the next command of the session
        assert_eq!(normalizer.normalize(&ID_A[..12]), "<id2>");
    }

    #[test]
    fn names_docker_made_up_are_numbered() {
        let mut normalizer = Normalizer::new();
        assert_eq!(
            normalizer.normalize("c1 flamboyant_murdock\n/ecstatic_robinson2 my_app\n"),
            "c1 <name1>\n/<name2> my_app\n"
        );
        assert_eq!(normalizer.normalize("flamboyant_murdock"), "<name1>");
        assert_eq!(
            normalizer.normalize("x-flamboyant_murdock"),
            "x-flamboyant_murdock"
        );
    }

    #[test]
    fn a_short_id_without_letters_is_an_id_where_only_ids_stand() {
        let mut normalizer = Normalizer::new();
        assert_eq!(
            normalizer.normalize(" ---> 053642282417\nSuccessfully built 053642282417\n"),
            " ---> <id1>\nSuccessfully built <id1>\n"
        );
        assert_eq!(normalizer.normalize("123456789012"), "<id2>");
        assert_eq!(
            normalizer.normalize("size 210987654321"),
            "size 210987654321"
        );
    }

    #[test]
    fn hex_words_that_are_not_ids_stay() {
        let mut normalizer = Normalizer::new();
        assert_eq!(
            normalizer.normalize("cafe deadbeef 123456789012 abc.txt"),
            "cafe deadbeef 123456789012 abc.txt"
        );
        // 13 hex digits or a longer word are not ids either
        assert_eq!(
            normalizer.normalize("0123456789abc x0123456789ab"),
            "0123456789abc x0123456789ab"
        );
    }

    #[test]
    fn ids_cut_short_by_an_ellipsis_share_the_full_ids_number() {
        let mut normalizer = Normalizer::new();
        let cut = format!("COPY file:{}… 3B", &ID_A[..16]);
        assert_eq!(normalizer.normalize(&cut), "COPY file:<id1>… 3B");
        assert_eq!(normalizer.normalize(ID_A), "<id1>");
        assert_eq!(normalizer.normalize("deadbeef…"), "deadbeef…");
    }

    #[test]
    fn docker_top_host_pids_are_numbered_and_cpu_and_start_time_hidden() {
        let mut normalizer = Normalizer::new();
        let header = format!(
            "{:<20}{:<20}{:<20}{:<20}{:<20}{:<20}{:<20}CMD",
            "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME"
        );
        let row = |pid: &str, ppid: &str, c: &str| {
            format!(
                "{:<20}{pid:<20}{ppid:<20}{c:<20}{:<20}{:<20}{:<20}sleep 1000",
                "root", "06:40", "?", "00:00:00"
            )
        };
        let lines = vec![
            header.clone(),
            row("6277", "6255", "4"),
            row("6377", "6255", "7"),
        ];
        let out = normalizer.normalize_lines(&lines);
        assert_eq!(out[0], header);
        assert!(out[1].starts_with("root                <pid1>              <pid2>              <c>                 <stime>             ?"));
        assert!(out[2].contains("<pid3>              <pid2>"));
        let ps = vec![
            "PID   USER     COMMAND".to_string(),
            "    1 root     sleep".to_string(),
        ];
        assert_eq!(
            normalizer.normalize_lines(&ps),
            ps,
            "a container's ps is left alone"
        );
    }

    #[test]
    fn times_become_placeholders() {
        let mut normalizer = Normalizer::new();
        assert_eq!(
            normalizer.normalize(r#""CreatedAt": "2026-11-28T06:45:55Z","#),
            r#""CreatedAt": "<time>","#
        );
        assert_eq!(
            normalizer.normalize(r#""Created": "2026-11-28T06:45:55.123456789Z""#),
            r#""Created": "<time>""#
        );
        assert_eq!(
            normalizer.normalize("at 2026-11-28T06:45:55+01:00."),
            "at <time>."
        );
        assert_eq!(
            normalizer.normalize("2026-11-28 06:45:55 +0000 UTC"),
            "<time>"
        );
    }

    #[test]
    fn ls_dates_become_placeholders() {
        let mut normalizer = Normalizer::new();
        assert_eq!(
            normalizer
                .normalize("-rw-r--r--    1 0        0                4 Nov 28 06:45 abc.txt"),
            "-rw-r--r--    1 0        0                4 <mtime> abc.txt"
        );
        assert_eq!(
            normalizer.normalize("drwxr-xr-x 2 0 0 4096 Sep  6  2024 bin"),
            "drwxr-xr-x 2 0 0 4096 <mtime> bin"
        );
        assert_eq!(normalizer.normalize("May the force"), "May the force");
    }

    #[test]
    fn durations_keep_the_status_word_and_code() {
        let mut normalizer = Normalizer::new();
        assert_eq!(
            normalizer.normalize("Exited (0) 5 seconds ago"),
            "Exited (0) <ago>"
        );
        assert_eq!(normalizer.normalize("Up Less than a second"), "Up <ago>");
        assert_eq!(
            normalizer.normalize("Up 1 second (Paused)"),
            "Up <ago> (Paused)"
        );
        assert_eq!(normalizer.normalize("About a minute ago"), "<ago>");
        assert_eq!(normalizer.normalize("Created"), "Created");
        assert_eq!(normalizer.normalize("I have 3 seconds"), "I have 3 seconds");
    }

    #[test]
    fn tables_with_durations_compare_without_alignment() {
        let mut normalizer = Normalizer::new();
        let table = "\
CONTAINER ID   IMAGE     COMMAND     CREATED                  STATUS                              PORTS     NAMES
0123456789ab   alpine    \"/bin/sh\"   Less than a second ago   Exited (0) Less than a second ago             c1";
        assert_eq!(
            normalizer.normalize(table),
            "\
CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES
<id1>   alpine   \"/bin/sh\"   <ago>   Exited (0) <ago>   c1"
        );
        // a table without durations keeps its alignment
        assert_eq!(
            normalizer.normalize("DRIVER    VOLUME NAME\nlocal     myvol"),
            "DRIVER    VOLUME NAME\nlocal     myvol"
        );
    }
}
