//! `mkdir`, with `-p` walking the path as each flavour does and naming the prefix that failed
//! as it does.

use layerbox_fstree::{Errno, FileSystem};

use crate::attrs::parse_mode;
use crate::cli::{parse_operands, quote, Spec};
use crate::{Ctx, Output};

pub fn mkdir(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "pm:v",
        long: &[("parents", 'p'), ("mode", 'm'), ("verbose", 'v')],
    };
    let o = match parse_operands(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mode = match o.value('m') {
        Some(m) => match parse_mode(m, 0o777 & !ctx.umask, true, ctx.umask) {
            Some(m) => m,
            None => {
                let msg = if ctx.gnu() {
                    format!("invalid mode {}", quote(ctx, m))
                } else {
                    format!("invalid mode '{m}'")
                };
                out.fail(prog, msg, 1);
                return out;
            }
        },
        None => 0o777 & !ctx.umask,
    };
    let explicit = o.has('m');
    for d in &o.operands {
        let path = ctx.abs(d);
        let r = if o.has('p') {
            mkdir_parents(ctx, d, mode)
        } else {
            ctx.fs
                .mkdir(&ctx.cred, &path, mode, ctx.now)
                .map_err(|e| (e, d.clone()))
        };
        let r = r.and_then(|()| {
            // `-m` sets the mode exactly, umask aside (mkdir(2) applies the umask).
            if explicit {
                ctx.fs
                    .chmod(&ctx.cred, &path, mode)
                    .map_err(|e| (e, d.clone()))
            } else {
                Ok(())
            }
        });
        if let Err((e, shown)) = r {
            if shown.is_empty() && !d.is_empty() {
                out.code = 1;
                break;
            }
            let msg = if ctx.gnu() {
                format!("cannot create directory {}: {e}", quote(ctx, &shown))
            } else {
                format!("can't create directory '{shown}': {e}")
            };
            out.fail(prog, msg, 1);
        } else if o.has('v') && ctx.gnu() {
            out.out(format!("mkdir: created directory {}\n", quote(ctx, d)));
        }
    }
    out
}

/// `mkdir -p`: every missing directory along `typed` (which may hold `..` and symlinks). On
/// failure, the errno and the prefix of `typed` that failed as the program names it: GNU
/// without trailing slashes (`a`), BusyBox with them (`a/`), as `bb_make_directory` cuts the
/// path after each run of slashes.
fn mkdir_parents(ctx: &mut Ctx<'_>, typed: &str, mode: u32) -> Result<(), (Errno, String)> {
    // Where each component ends: after its run of slashes (the last one at the string's end).
    let bytes = typed.as_bytes();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'/' {
                i += 1;
            }
            if start > 0 {
                ends.push(i);
            }
        } else {
            i += 1;
        }
    }
    if ends.last() != Some(&bytes.len()) {
        ends.push(bytes.len());
    }
    let last = ends.len().saturating_sub(1);
    for (n, &end) in ends.iter().enumerate() {
        let with_slashes = &typed[..end];
        let bare = with_slashes.trim_end_matches('/');
        if bare.is_empty() {
            continue; // the root
        }
        let component = bare.rsplit('/').next().unwrap_or(bare);
        if component == "." || component == ".." {
            continue;
        }
        // GNU names the whole argument when its last directory fails, a prefix without its
        // slashes before that; BusyBox names the prefix with them.
        let shown = if ctx.gnu() && n != last {
            bare
        } else {
            with_slashes
        };
        let fail = |e: Errno| (e, shown.to_string());
        let path = ctx.abs(bare);
        let depth = path.bytes().filter(|&b| b == b'/').count() as u64;
        // A prefix is looked up and then made: two walks, each through the namespace's routing
        // in a container, and its path built; measured, about eight plain walks.
        if !ctx.take_work(crate::PATH_WORK.saturating_mul(8 * depth)) {
            // The line's work ran out: no prefix is named, the shell says why.
            return Err((Errno::ENAMETOOLONG, String::new()));
        }
        match ctx.fs.stat(&ctx.cred, &path) {
            Ok(st) if st.is_dir() => {}
            // mkdir("f/") of a file is ENOTDIR, which BusyBox reports as it is.
            Ok(_) if n == last && (ctx.gnu() || !with_slashes.ends_with('/')) => {
                return Err(fail(Errno::EEXIST))
            }
            Ok(_) => return Err(fail(Errno::ENOTDIR)),
            // A dangling symlink: mkdir says EEXIST; BusyBox then stats it and reports that.
            Err(Errno::ENOENT) if ctx.fs.lstat(&ctx.cred, &path).is_ok() => {
                return Err(fail(if ctx.gnu() {
                    Errno::EEXIST
                } else {
                    Errno::ENOENT
                }));
            }
            Err(Errno::ENOENT) => {
                // Intermediate directories get u+wx so the walk can continue.
                let m = if n == last {
                    mode
                } else {
                    (0o777 & !ctx.umask) | 0o300
                };
                match ctx.fs.mkdir(&ctx.cred, &path, m, ctx.now) {
                    Ok(()) | Err(Errno::EEXIST) => {}
                    Err(e) => return Err(fail(e)),
                }
            }
            Err(e) => return Err(fail(e)),
        }
    }
    Ok(())
}
