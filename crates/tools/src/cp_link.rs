//! `cp -l` and `cp -s`: the link `cp` makes in place of a copy, in each flavour's words.

use layerbox_fstree::{Errno, FileSystem};

use crate::cli::quote_always;
use crate::{Ctx, Output};

/// Which link `cp` makes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    Hard,
    Symbolic,
}

/// `cp -l` and `cp -s`: a hard or symbolic link at `dst` instead of a copy (the symbolic one
/// holds `src` as given; GNU makes a relative one only in the current directory). An existing
/// `dst` is refused, as without `-f` both do.
pub(crate) fn link_leaf(
    ctx: &mut Ctx<'_>,
    prog: &str,
    kind: LinkKind,
    src: &str,
    dst: &str,
    exists: bool,
    out: &mut Output,
) {
    let gnu = ctx.gnu();
    let dp = ctx.abs(dst);
    if gnu && kind == LinkKind::Symbolic && !src.starts_with('/') {
        let parent = dst.rsplit_once('/').map_or(".", |(d, _)| d);
        let here = ctx.abs(parent) == ctx.abs(".");
        if !here {
            return out.fail(
                prog,
                format!("{dst}: can make relative symbolic links only in current directory"),
                1,
            );
        }
    }
    let made = if exists {
        Err(Errno::EEXIST)
    } else {
        match kind {
            LinkKind::Hard => {
                let sp = ctx.abs(src);
                ctx.fs.link(&ctx.cred, &sp, &dp, ctx.now)
            }
            LinkKind::Symbolic => ctx.fs.symlink(&ctx.cred, src, &dp, ctx.now),
        }
    };
    if let Err(e) = made {
        let msg = match (gnu, kind) {
            (true, LinkKind::Hard) => format!(
                "cannot create hard link {} to {}: {e}",
                quote_always(dst),
                quote_always(src)
            ),
            (true, LinkKind::Symbolic) => format!(
                "cannot create symbolic link {} to {}: {e}",
                quote_always(dst),
                quote_always(src)
            ),
            (false, _) if exists => format!("can't create '{dst}': {e}"),
            (false, _) => format!("can't create link '{dst}': {e}"),
        };
        out.fail(prog, msg, 1);
    }
}
