//! What a program says, and how it exits, when writing its standard output fails (a full
//! tmpfs, `/dev/full`): each program's own words, measured from the real programs on this
//! machine (`PROG > /dev/full` with Debian's static BusyBox 1.35, as the images carry, and
//! GNU coreutils 9.1 with bash 5.2), since every program handles the failed write its own way.

use layerbox_fstree::Errno;

use crate::Dialect;

/// What a program does after a write to its standard output failed with `e`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailure {
    /// The line it prints on stderr, if any (with its newline).
    pub message: Option<String>,
    /// Its exit status; `None` keeps the one it would have had.
    pub code: Option<i32>,
    /// The shell prints the message as its own diagnostic (a builtin's `write error`).
    pub by_shell: bool,
}

/// How program `name` (as the shell found it) reports a failed write of its stdout.
///
/// Emulation note: a program not measured here says nothing and keeps its status; a program
/// stops at its first failed write (BusyBox `cat` goes on to its next file and says it again).
pub fn write_failure(dialect: Dialect, name: &str, e: Errno) -> WriteFailure {
    let prog = name.rsplit('/').next().unwrap_or(name);
    let err = e.strerror();
    let say = |text: String, code: Option<i32>| WriteFailure {
        message: Some(format!("{prog}: {text}\n")),
        code,
        by_shell: false,
    };
    let silent = |code: Option<i32>| WriteFailure {
        message: None,
        code,
        by_shell: false,
    };
    let shell = |code: i32| WriteFailure {
        message: Some(format!("write error: {err}")),
        code: Some(code),
        by_shell: true,
    };
    match dialect {
        Dialect::BusyBoxAsh => match prog {
            // ash's own echo (`sh: write error: …`); its printf says nothing.
            "echo" => shell(1),
            "printf" => silent(Some(1)),
            // bb_copyfd's and tr's full_write.
            "cat" | "tail" | "tr" => say(format!("write error: {err}"), Some(1)),
            // fflush_stdout_and_exit: the message, and the status it had.
            "head" | "wc" | "sort" | "cut" | "uniq" | "id" | "env" | "du" | "base64" | "nl"
            | "rev" | "expr" | "uname" | "fold" | "realpath" => {
                say(format!("standard output: {err}"), None)
            }
            // bb_perror_msg_and_die(NULL) through glibc's printf.
            "yes" => say(format!("(null): {err}"), Some(1)),
            "seq" | "whoami" => silent(Some(255)),
            "basename" | "pwd" => silent(Some(1)),
            _ => silent(None),
        },
        Dialect::Bash => match prog {
            "echo" | "printf" | "pwd" => shell(1),
            "yes" => say(format!("standard output: {err}"), Some(1)),
            "ls" | "grep" => say(format!("write error: {err}"), Some(2)),
            "wc" | "md5sum" | "du" => say("write error".to_string(), Some(1)),
            "sed" => say(format!("couldn't flush stdout: {err}"), Some(4)),
            "find" => WriteFailure {
                message: Some(format!(
                    "find: \u{2018}standard output\u{2019}: {err}\nfind: write error\n"
                )),
                code: Some(1),
                by_shell: false,
            },
            "tee" => silent(None),
            // coreutils' close_stdout.
            _ => say(format!("write error: {err}"), Some(1)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busybox_programs_word_a_full_disk_their_own_way() {
        let f = |name| write_failure(Dialect::BusyBoxAsh, name, Errno::ENOSPC);
        assert_eq!(
            f("cat").message.as_deref(),
            Some("cat: write error: No space left on device\n")
        );
        assert_eq!(f("head").code, None);
        assert_eq!(
            f("seq"),
            WriteFailure {
                message: None,
                code: Some(255),
                by_shell: false
            }
        );
        assert!(f("echo").by_shell);
    }
}
