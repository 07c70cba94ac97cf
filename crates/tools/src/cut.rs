//! `cut`: selected bytes (`-b`, and `-c`, which both GNU cut 9.1 and BusyBox treat as bytes)
//! or fields (`-f`, split at `-d`, tab by default) of every line of the files or stdin.

use layerbox_fstree::FileSystem;

use crate::{Ctx, Output};

/// One range of a LIST, 1-based and inclusive (`N`, `N-M`, `N-`, `-M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    from: usize,
    to: usize,
}

fn parse_list(list: &str) -> Option<Vec<Range>> {
    let mut out = Vec::new();
    for part in list.split(',') {
        let (from, to) = match part.split_once('-') {
            Some(("", "")) => return None,
            Some((a, "")) => (a.parse().ok()?, usize::MAX),
            Some(("", b)) => (1, b.parse().ok()?),
            Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if from == 0 || to < from {
            return None;
        }
        out.push(Range { from, to });
    }
    Some(out)
}

fn selected(ranges: &[Range], n: usize) -> bool {
    ranges.iter().any(|r| r.from <= n && n <= r.to)
}

fn fail(out: &mut Output, prog: &str, gnu: bool, gnu_text: &str, busybox_text: &str) {
    if gnu {
        out.err(format!(
            "{prog}: {gnu_text}\nTry '{prog} --help' for more information.\n"
        ));
    } else {
        out.err(format!("{prog}: {busybox_text}\n"));
    }
    out.code = 1;
}

pub fn cut(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let mut bytes: Option<String> = None;
    let mut fields: Option<String> = None;
    let mut delim = '\t';
    let mut only_delimited = false;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            files.extend(args[i + 1..].iter().cloned());
            break;
        }
        if a.len() > 1 && a.starts_with('-') && !a.starts_with("--") {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                match c {
                    's' => only_delimited = true,
                    'n' => {}
                    'b' | 'c' | 'f' | 'd' => {
                        let attached: String = chars[k + 1..].iter().collect();
                        let value = if attached.is_empty() {
                            i += 1;
                            match args.get(i) {
                                Some(v) => v.clone(),
                                None => {
                                    fail(
                                        &mut out,
                                        prog,
                                        gnu,
                                        &format!("option requires an argument -- '{c}'"),
                                        &format!("option requires an argument -- '{c}'"),
                                    );
                                    return out;
                                }
                            }
                        } else {
                            attached
                        };
                        match c {
                            'f' => fields = Some(value),
                            'd' => {
                                let mut it = value.chars();
                                match (it.next(), it.next()) {
                                    (Some(d), None) => delim = d,
                                    _ => {
                                        fail(
                                            &mut out,
                                            prog,
                                            gnu,
                                            "the delimiter must be a single character",
                                            "delimiter must be one character",
                                        );
                                        return out;
                                    }
                                }
                            }
                            _ => bytes = Some(value),
                        }
                        k = chars.len();
                        continue;
                    }
                    _ => {
                        fail(
                            &mut out,
                            prog,
                            gnu,
                            &format!("invalid option -- '{c}'"),
                            &format!("invalid option -- '{c}'"),
                        );
                        return out;
                    }
                }
                k += 1;
            }
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let (list, by_field) = match (&bytes, &fields) {
        (Some(_), Some(_)) => {
            fail(
                &mut out,
                prog,
                gnu,
                "only one type of list may be specified",
                "only one type of list may be specified",
            );
            return out;
        }
        (Some(b), None) => (b.clone(), false),
        (None, Some(f)) => (f.clone(), true),
        (None, None) => {
            fail(
                &mut out,
                prog,
                gnu,
                "you must specify a list of bytes, characters, or fields",
                "expected a list of bytes, characters, or fields",
            );
            return out;
        }
    };
    let Some(ranges) = parse_list(&list) else {
        let what = if by_field { "field" } else { "byte/character" };
        fail(
            &mut out,
            prog,
            gnu,
            &format!("invalid {what} list"),
            "invalid range",
        );
        return out;
    };
    if files.is_empty() {
        files.push("-".into());
    }
    for file in &files {
        let data = if file == "-" {
            ctx.stdin.to_vec()
        } else {
            match ctx.fs.read_file(&ctx.cred, &ctx.abs(file)) {
                Ok(d) => d.to_vec(),
                Err(e) => {
                    out.err(format!("{prog}: {file}: {}\n", e.strerror()));
                    out.code = 1;
                    continue;
                }
            }
        };
        for line in data.split_inclusive(|&b| b == b'\n') {
            let body = line.strip_suffix(b"\n").unwrap_or(line);
            if by_field {
                let d = delim.to_string();
                let text = String::from_utf8_lossy(body);
                if !text.contains(delim) {
                    if !only_delimited {
                        out.out(body);
                        out.out(b"\n");
                    }
                    continue;
                }
                let picked: Vec<&str> = text
                    .split(delim)
                    .enumerate()
                    .filter(|(n, _)| selected(&ranges, n + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.out(picked.join(&d));
            } else {
                let picked: Vec<u8> = body
                    .iter()
                    .enumerate()
                    .filter(|(n, _)| selected(&ranges, n + 1))
                    .map(|(_, &b)| b)
                    .collect();
                out.out(picked);
            }
            out.out(b"\n");
        }
    }
    out
}
