//! The native `layerbox` binary: `layerbox` is an interactive Docker host terminal on stdin;
//! `layerbox replay FILE` runs FILE's `$ ` lines in one fresh session and prints a transcript.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use layerbox_session::Session;

/// Runs each `$ ` line of `text` in one fresh session; returns the transcript text.
fn replay(text: &str) -> String {
    let mut session = Session::new();
    let mut out = String::new();
    for line in text.lines() {
        let Some(command) = line.strip_prefix("$ ") else {
            continue;
        };
        out.push_str(line);
        out.push('\n');
        let result = session.run_line(command);
        let printed = result.text();
        out.push_str(&printed);
        if !printed.is_empty() && !printed.ends_with('\n') {
            out.push('\n');
        }
        if result.code != 0 {
            out.push_str(&format!("[exit {}]\n", result.code));
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

fn repl() -> ExitCode {
    let mut session = Session::new();
    session.tty = true;
    let stdin = io::stdin();
    let mut stdout = io::stdout();
    let mut input = stdin.lock();
    while !session.closed() {
        let _ = write!(stdout, "{}", session.prompt());
        let _ = stdout.flush();
        let mut line = String::new();
        let result = match input.read_line(&mut line) {
            // Ctrl-D (or the end of piped input).
            Ok(0) | Err(_) => session.end_of_input(),
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
        [cmd, file] if cmd == "replay" => match std::fs::read_to_string(file) {
            Ok(text) => {
                print!("{}", replay(&text));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("layerbox: {file}: {e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: layerbox [replay FILE]");
            ExitCode::from(2)
        }
    }
}
