//! The native `layerbox` binary: `layerbox` is an interactive Docker host terminal on stdin;
//! `layerbox replay FILE` runs FILE's `$ ` lines in one fresh session and prints a transcript.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use layerbox_session::Session;

const USAGE: &str = "\
usage: layerbox [replay [--mark-stderr] FILE]

  layerbox              a terminal on a fresh simulated Docker host (the sample images
                        pulled, an empty /home/user); type docker and shell commands,
                        Ctrl-D leaves a container shell, then the host
  layerbox replay FILE  run each `$ ` line of FILE in one fresh session and print what it
                        printed, in the format of tests/conformance/*.txt (a line
                        `# wait N` lets N seconds pass before the next command);
                        --mark-stderr wraps each piece of a line written to stderr in
                        \x01 and \x02 (for the differential tester)
  layerbox --help       this text
  layerbox --version    the version
";

/// What a replay printed, and the lines whose command was left open (an unclosed quote or
/// block), each with its line number.
struct Replayed {
    transcript: String,
    incomplete: Vec<(usize, String)>,
}

/// Runs each `$ ` line of `text` in one fresh session. Each line is one command, as the
/// recorder typed it: a line that leaves its command open is reported and dropped, so it
/// cannot swallow the lines after it.
fn replay(text: &str, mark_stderr: bool) -> Replayed {
    let mut session = Session::new();
    let mut out = String::new();
    let mut incomplete = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(seconds) = line
            .strip_prefix("# wait ")
            .and_then(|n| n.trim().parse::<u64>().ok())
        {
            // The learner waited that long before the next command (tests/conformance/README.md).
            let notice = session.wait(seconds).text();
            out.push_str(&notice);
            continue;
        }
        let Some(command) = line.strip_prefix("$ ") else {
            continue;
        };
        out.push_str(line);
        out.push('\n');
        let result = session.run_line(command);
        if session.awaiting_more() {
            session.drop_pending();
            incomplete.push((number + 1, command.to_string()));
            continue;
        }
        let printed = if mark_stderr {
            marked(&result)
        } else {
            result.text()
        };
        out.push_str(&printed);
        if !printed.is_empty() && !printed.ends_with('\n') {
            out.push('\n');
        }
        if result.code != 0 {
            out.push_str(&format!("[exit {}]\n", result.code));
        }
    }
    Replayed {
        transcript: out,
        incomplete,
    }
}

/// Both streams as one text, each piece of a line that stderr wrote wrapped in `\x01` and
/// `\x02`, so that a reader can tell which stream wrote what.
fn marked(result: &layerbox_session::LineResult) -> String {
    let mut out = String::new();
    for (stream, bytes) in &result.transcript {
        let text = String::from_utf8_lossy(bytes);
        match stream {
            layerbox_session::Stream::Stdout => out.push_str(&text),
            layerbox_session::Stream::Stderr => {
                for (i, piece) in text.split('\n').enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    // Carriage returns that end a line stay outside the marks, where a
                    // reader drops them as a terminal shows them (`Sending build context`).
                    let text = piece.trim_end_matches('\r');
                    if !text.is_empty() {
                        out.push('\x01');
                        out.push_str(text);
                        out.push('\x02');
                    }
                    out.push_str(&piece[text.len()..]);
                }
            }
        }
    }
    out
}

/// Writes what a line printed: stdout to stdout, stderr to stderr, in order.
fn print(result: &layerbox_session::LineResult, stdout: &mut io::Stdout) {
    for (stream, bytes) in &result.transcript {
        match stream {
            layerbox_session::Stream::Stdout => {
                let _ = stdout.write_all(bytes);
            }
            layerbox_session::Stream::Stderr => {
                let _ = stdout.flush();
                let _ = io::stderr().write_all(bytes);
            }
        }
    }
}

/// The terminal. Prompts (and `ls`'s columns) only when stdin is a terminal: piped input gets
/// the output alone, as `bash < script` does.
fn repl() -> ExitCode {
    let mut session = Session::new();
    let interactive = io::stdin().is_terminal();
    session.tty = interactive;
    let stdin = io::stdin();
    let mut stdout = io::stdout();
    let mut input = stdin.lock();
    while !session.closed() {
        if interactive {
            let _ = write!(stdout, "{}", session.prompt());
            let _ = stdout.flush();
        }
        let mut line = String::new();
        let result = match input.read_line(&mut line) {
            // Ctrl-D (or the end of piped input).
            Ok(0) | Err(_) => {
                let ended = session.end_of_input();
                // bash prints `exit` (and ash a newline) only at a terminal's Ctrl-D.
                if !interactive {
                    continue;
                }
                ended
            }
            Ok(_) => session.run_line(line.trim_end_matches('\n')),
        };
        print(&result, &mut stdout);
    }
    ExitCode::from(session.shell.last_status.clamp(0, 255) as u8)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => repl(),
        [flag] if flag == "--help" || flag == "-h" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        [flag] if flag == "--version" || flag == "-V" => {
            println!("layerbox {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        [cmd, file] | [cmd, _, file]
            if cmd == "replay" && (args.len() == 2 || args[1] == "--mark-stderr") =>
        {
            replay_file(file, args.len() == 3)
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `layerbox replay [--mark-stderr] FILE`.
fn replay_file(file: &str, mark_stderr: bool) -> ExitCode {
    match std::fs::read_to_string(file) {
        Ok(text) => {
            let replayed = replay(&text, mark_stderr);
            print!("{}", replayed.transcript);
            for (line, command) in &replayed.incomplete {
                eprintln!(
                        "layerbox: {file}:{line}: the command ends inside a quote or block, so it was not run: {command}"
                    );
            }
            if replayed.incomplete.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("layerbox: {file}: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_quote_in_a_replay_is_reported_and_does_not_swallow_the_next_lines() {
        let replayed = replay("$ echo \"oops\n$ echo after\n", false);
        assert_eq!(replayed.transcript, "$ echo \"oops\n$ echo after\nafter\n");
        assert_eq!(replayed.incomplete, vec![(1, "echo \"oops".to_string())]);
    }
}
