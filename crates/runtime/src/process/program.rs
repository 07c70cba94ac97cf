//! What a command in a container names, decided in one place for `docker run`, `docker exec`,
//! `RUN`, an attached shell and a nested `sh -c`: a program layerbox models (it runs), a file
//! that exists in the container but is not modelled (layerbox says so), or nothing (the caller
//! says Docker's or ash's "not found").

use std::collections::BTreeMap;

use layerbox_fstree::{FileSystem, FileType, MAY_EXEC};
use layerbox_sh::Output;
use layerbox_tools::{Ctx, Flavor};

use super::{to_sh, ContainerSide};

/// The exit status of a program that exists but that layerbox does not model. It is
/// `EX_UNAVAILABLE` of `sysexits.h` ("a support program or file does not exist"): 126 and 127
/// are the shell's and Docker's "cannot execute" and "not found", 125 is `docker run`'s own
/// failure, 128 and up are signals, and no modelled program exits with 69.
pub const NOT_MODELLED: i32 = 69;

/// What a program that layerbox does not model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmodelled {
    /// A link to BusyBox's multi-call binary (`/usr/bin/awk -> /bin/busybox`), or an applet
    /// named to it (`busybox awk`).
    Applet,
    /// Any other executable file in a container (`/usr/local/bin/postgres`).
    InImage,
    /// A program on the Debian host's `PATH`.
    OnHost,
}

/// `layerbox: NAME is not modelled (BusyBox applet)` on stderr, with exit status
/// [`NOT_MODELLED`].
pub fn not_modelled(name: &str, what: Unmodelled) -> Output {
    let kind = match what {
        Unmodelled::Applet => " (BusyBox applet)",
        Unmodelled::InImage => " (program in the image)",
        Unmodelled::OnHost => "",
    };
    Output {
        stderr: format!("layerbox: {name} is not modelled{kind}\n").into_bytes(),
        code: NOT_MODELLED,
        ..Output::default()
    }
}

/// Where BusyBox's applet links are (`busybox --install`).
const APPLET_DIRS: [&str; 4] = ["/bin", "/sbin", "/usr/bin", "/usr/sbin"];

/// BusyBox's multi-call binary in the sample images.
const BUSYBOX: &str = "/bin/busybox";

impl ContainerSide<'_, '_> {
    /// Runs one program; `None` when nothing of that name exists (the caller says "not
    /// found").
    pub(super) fn run_argv(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let name = argv.first()?;
        if self.blocked {
            return Some(Output::default());
        }
        if let Some(out) = self.run_modelled(argv, stdin, env, cwd) {
            return Some(out);
        }
        let path = self.find_program(name, env, cwd)?;
        if self.is_applet_link(&path) {
            return Some(not_modelled(name, Unmodelled::Applet));
        }
        if let Some(script) = self.read_script(&path) {
            let mut shell_args = vec![path];
            shell_args.extend(argv[1..].iter().cloned());
            return Some(self.run_script(&script, &shell_args, stdin, env, cwd));
        }
        let executable = self
            .ns
            .stat(&self.cred, &path)
            .is_ok_and(|s| self.cred.may(&s, MAY_EXEC));
        executable.then(|| not_modelled(name, Unmodelled::InImage))
    }

    /// Runs `argv` if layerbox models the program it names (by its base name, as BusyBox
    /// dispatches an applet); `None` otherwise.
    fn run_modelled(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let name = argv.first()?;
        let args = &argv[1..];
        let base = name.rsplit('/').next().unwrap_or(name);
        match base {
            "sh" | "ash" => return Some(self.run_sh(name, args, stdin, env, cwd)),
            "sleep" => {
                return Some(match layerbox_tools::sleep_seconds(args, Flavor::BusyBox) {
                    Ok(seconds) => {
                        if self.background > 0 || self.detached {
                            self.sleep_detached(seconds);
                        } else {
                            self.slept = self.slept.saturating_add(seconds.ceil() as u64);
                        }
                        Output::default()
                    }
                    Err(out) => to_sh(out),
                })
            }
            "httpd" => return Some(self.httpd(args, cwd)),
            "busybox" => return self.run_busybox(name, args, stdin, env, cwd),
            "wget" => return Some(self.wget(args, env, cwd)),
            "tail" if args.iter().any(|a| a == "-f" || a == "-F") && self.detached => {
                self.block();
                return Some(Output::default());
            }
            "su" => return Some(self.su(args, env, cwd)),
            _ => {}
        }
        if !layerbox_tools::is_tool(name, Flavor::BusyBox) {
            return None;
        }
        let mut ctx = Ctx {
            fs: &mut *self.ns,
            cred: self.cred.clone(),
            cwd: cwd.to_string(),
            env,
            now: self.now + self.slept,
            flavor: Flavor::BusyBox,
            stdin,
            hostname: self.hostname.clone(),
            user_name: None,
            group_name: None,
            mounts: &self.mounts,
            tty: self.tty,
        };
        layerbox_tools::run(name, args, &mut ctx).map(to_sh)
    }

    /// BusyBox's multi-call binary: `busybox APPLET ARGS...` runs the applet as its link would;
    /// an applet it has but layerbox does not model says so, and a name it does not have gets
    /// BusyBox's `applet not found` (127). `None` when no `busybox` is there to run.
    fn run_busybox(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let Some(applet) = args.first().filter(|a| !a.starts_with('-')) else {
            // `busybox`, `busybox --list`, `busybox --help`: the binary's own listings.
            self.find_program(name, env, cwd)?;
            return Some(not_modelled(name, Unmodelled::InImage));
        };
        if let Some(out) = self.run_modelled(args, stdin, env, cwd) {
            return Some(out);
        }
        self.find_program(name, env, cwd)?;
        let applet = applet.rsplit('/').next().unwrap_or(applet);
        // Emulation note: the applets this BusyBox has are the links to it in the container,
        // so `busybox sed` after `rm /bin/sed` is `applet not found`.
        let linked = APPLET_DIRS.iter().any(|dir| {
            let path = layerbox_fstree::path::join(dir, applet);
            self.is_applet_link(&path)
        });
        Some(if linked {
            not_modelled(applet, Unmodelled::Applet)
        } else {
            Output {
                stderr: format!("{applet}: applet not found\n").into_bytes(),
                code: 127,
                ..Output::default()
            }
        })
    }

    /// Whether `path` is BusyBox's binary under another name: a symlink that ends at a file
    /// called `busybox` (Alpine), or a hard link to [`BUSYBOX`] (the busybox image).
    fn is_applet_link(&self, path: &str) -> bool {
        let Ok(found) = self.ns.resolve(&self.cred, path, true) else {
            return false;
        };
        let Some(stat) = found.stat.filter(|s| s.kind == FileType::File) else {
            return false;
        };
        if found.path.rsplit('/').next() == Some("busybox") {
            return true;
        }
        stat.nlink > 1
            && self
                .ns
                .stat(&self.cred, BUSYBOX)
                .is_ok_and(|b| b.kind == FileType::File && b.ino == stat.ino)
    }

    /// The file `name` names: a path, or the first match on `$PATH`.
    pub(super) fn find_program(
        &self,
        name: &str,
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<String> {
        let is_file = |p: &str| {
            self.ns
                .stat(&self.cred, p)
                .is_ok_and(|s| s.kind == FileType::File)
        };
        if name.contains('/') {
            let p = if name.starts_with('/') {
                name.to_string()
            } else {
                layerbox_fstree::path::join(cwd, name)
            };
            return is_file(&p).then_some(p);
        }
        let path = env
            .get("PATH")
            .map(String::as_str)
            .unwrap_or("/usr/bin:/bin");
        path.split(':')
            .filter(|d| !d.is_empty())
            .map(|d| layerbox_fstree::path::join(d, name))
            .find(|p| is_file(p))
    }

    /// A `#!/bin/sh` script's text (other files are not programs this model can run).
    fn read_script(&self, path: &str) -> Option<String> {
        let content = self.ns.read_file(&self.cred, path).ok()?;
        let text = String::from_utf8_lossy(&content).into_owned();
        let first = text.lines().next().unwrap_or("");
        let interp = first.strip_prefix("#!")?.split_whitespace().next()?;
        matches!(interp.rsplit('/').next(), Some("sh" | "ash")).then_some(text)
    }
}
