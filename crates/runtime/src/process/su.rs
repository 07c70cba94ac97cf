//! BusyBox's `su` in a container (`loginutils/su.c`): root switches to a user, its shell or a
//! command, with the environment and directory `su` gives it.

use std::collections::BTreeMap;

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, FileSystem, FileType};
use layerbox_sh::Output;

use super::ContainerSide;

/// BusyBox's usage text of `su`, after an option it refuses.
const SU_USAGE: &str = "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\n\
    Usage: su [-lmp] [-s SH] [-] [USER [FILE ARGS | -c 'CMD' [ARG0 ARGS]]]\n\n\
    Run shell under USER (by default, root)\n\n\
    \t-,-l\tClear environment, go to home dir, run shell as login shell\n\
    \t-p,-m\tDo not set new $HOME, $SHELL, $USER, $LOGNAME\n\
    \t-c CMD\tCommand to pass to 'sh -c'\n\
    \t-s SH\tShell to use instead of user's default\n";

impl ContainerSide<'_, '_> {
    /// BusyBox `su [-lmp] [-s SH] [-] [USER [ARGS | -c CMD [ARG0 ARGS]]]` run by root
    /// (`loginutils/su.c`; Debian's BusyBox has it, with the same code): the user's shell, or
    /// `-s SH`, as USER with the rest of the arguments; HOME and SHELL set, and USER and LOGNAME
    /// unless the target is root; `-`/`-l` clears the environment but TERM, sets BusyBox's
    /// PATH and goes to the home directory; `-m`/`-p` keeps the environment. Run by anyone
    /// else, the applet is not setuid here, as in the sample images, and says so.
    pub(super) fn su(
        &mut self,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Output {
        let fail = |text: String| Output {
            stderr: text.into_bytes(),
            code: 1,
            ..Output::default()
        };
        if self.cred.uid != 0 {
            return fail("su: must be suid to work properly\n".into());
        }
        let (mut login, mut preserve) = (false, false);
        let (mut shell, mut command) = (None, None);
        let mut i = 0;
        // musl's getopt: options stop at the first operand.
        while let Some(a) = args.get(i) {
            if a == "--" {
                i += 1;
                break;
            }
            if !a.starts_with('-') || a == "-" {
                break;
            }
            i += 1;
            let body: Vec<char> = a.chars().skip(1).collect();
            for (k, c) in body.iter().enumerate() {
                match c {
                    'l' => login = true,
                    'm' | 'p' => preserve = true,
                    'c' | 's' => {
                        let rest: String = body[k + 1..].iter().collect();
                        let value = if !rest.is_empty() {
                            rest
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return fail(format!(
                                "su: option requires an argument -- '{c}'\n{SU_USAGE}"
                            ));
                        };
                        if *c == 'c' {
                            command = Some(value);
                        } else {
                            shell = Some(value);
                        }
                        break;
                    }
                    c => return fail(format!("su: invalid option -- '{c}'\n{SU_USAGE}")),
                }
            }
        }
        if args.get(i).is_some_and(|a| a == "-") {
            login = true;
            i += 1;
        }
        let user = match args.get(i) {
            Some(u) => {
                i += 1;
                u.clone()
            }
            None => "root".to_string(),
        };
        let rest = &args[i.min(args.len())..];
        let accounts = Accounts::read(&*self.ns, &Cred::root());
        let Some(entry) = accounts.getpwnam(&user) else {
            return fail(format!("su: unknown user {user}\n"));
        };
        let (uid, gid) = (entry.uid, entry.gid);
        let mut groups = vec![gid];
        for g in accounts.member_of(&user) {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        if shell.is_none() && preserve {
            shell = env.get("SHELL").cloned();
        }
        let shell = shell.unwrap_or_else(|| entry.shell.clone());
        let shell = if shell.is_empty() {
            "/bin/sh".to_string()
        } else {
            shell
        };
        let target = Cred { uid, gid, groups };
        let mut out = Output::default();
        let mut env = env.clone();
        let mut dir = cwd.to_string();
        if login {
            let home_ok = self.ns.stat(&target, &entry.home).is_ok_and(|s| {
                s.kind == FileType::Dir && target.may(&s, layerbox_fstree::MAY_EXEC)
            });
            if home_ok {
                dir = entry.home.clone();
            } else {
                let why = match self.ns.stat(&target, &entry.home) {
                    Ok(s) if s.kind != FileType::Dir => "Not a directory",
                    Ok(_) => "Permission denied",
                    Err(e) => e.strerror(),
                };
                out.stderr.extend_from_slice(
                    format!("su: can't change directory to '{}': {why}\n", entry.home).as_bytes(),
                );
                dir = "/".to_string();
            }
            let term = env.get("TERM").cloned();
            env.clear();
            if let Some(t) = term {
                env.insert("TERM".into(), t);
            }
            let path = if uid == 0 {
                "/sbin:/usr/sbin:/bin:/usr/bin"
            } else {
                "/bin:/usr/bin"
            };
            env.insert("PATH".into(), path.into());
        }
        if login || !preserve {
            if login || uid != 0 {
                env.insert("USER".into(), entry.name.clone());
                env.insert("LOGNAME".into(), entry.name.clone());
            }
            env.insert("HOME".into(), entry.home.clone());
            env.insert("SHELL".into(), shell.clone());
        }
        let mut argv = vec![shell.clone()];
        if let Some(c) = command {
            argv.push("-c".into());
            argv.push(c);
        }
        argv.extend(rest.iter().cloned());
        let saved = std::mem::replace(&mut self.cred, target);
        let ran = self.run_argv(&argv, stdin, &env, &dir);
        self.cred = saved;
        let ran = ran.unwrap_or_else(|| {
            fail(format!(
                "su: can't execute '{shell}': No such file or directory\n"
            ))
        });
        out.stdout = ran.stdout;
        out.stderr.extend_from_slice(&ran.stderr);
        out.code = ran.code;
        out.stdin_used = ran.stdin_used;
        out
    }
}
