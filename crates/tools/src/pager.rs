//! `more` and `less` (util-linux's `more` and GNU less on the host). With no terminal both only
//! copy their files (util-linux `more` puts a `::::` header above each when there are several,
//! or when its output is not a terminal).
//!
//! Emulation note: layerbox has no full-screen pager. On a terminal the real ones show a page
//! and wait for keys; here the whole text is printed at once, followed by a line saying so.

use crate::cli::{parse_or_usage, Spec};
use crate::text::read_input;
use crate::{Ctx, Output};

pub fn pager(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    // Options only change how pages are shown; none changes what a copy holds.
    let (opts, files): (Vec<String>, Vec<String>) = args
        .iter()
        .cloned()
        .partition(|a| a.starts_with('-') && a.len() > 1 && a != "--");
    let spec = Spec {
        short: if prog == "less" {
            "ceEFiIJmMnNqQrRsSuUVwWXz:"
        } else {
            "dlfpcsun:"
        },
        long: &[],
    };
    if let Err(out) = parse_or_usage(ctx, prog, &opts, &spec, 1) {
        return out;
    }
    let files: Vec<String> = files.into_iter().filter(|a| a != "--").collect();
    let names = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    let headers = ctx.gnu()
        && prog == "more"
        && (!ctx.tty || names.len() > 1)
        && !(names.len() == 1 && names[0] == "-");
    let mut out = Output::default();
    for name in &names {
        match read_input(ctx, name) {
            Ok(data) => {
                if headers {
                    out.out(format!("::::::::::::::\n{name}\n::::::::::::::\n"));
                }
                out.out(data);
            }
            Err(e) => {
                // util-linux `more` and GNU less carry on with status 0; less says it on stdout.
                match (ctx.gnu(), prog) {
                    (false, _) => {
                        out.err(format!("{prog}: can't open '{name}': {}\n", e.strerror()));
                        out.code = 1;
                    }
                    (true, "more") => {
                        out.err(format!("{prog}: cannot open {name}: {}\n", e.strerror()))
                    }
                    _ => out.out(format!("{name}: {}\n", e.strerror())),
                }
            }
        }
    }
    if ctx.tty {
        out.err(format!(
            "layerbox: {prog}: there is no pager here; the whole text was printed\n"
        ));
    }
    out
}
