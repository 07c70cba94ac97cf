//! The host's HTTP clients, Debian's `curl` and `wget`: a request to a published port goes
//! through the daemon's proxy ([`layerbox_runtime::http::http_get`]) and they print what came
//! back, or their own errors.
//!
//! Emulation note: only `GET` is modelled, with no headers shown; the progress meter curl
//! prints when its output is not a terminal is left out.

use layerbox_engine::world::World;
use layerbox_fstree::{Cred, FileSystem};
use layerbox_runtime::http::{http_get, HttpError, Url, WgetArgs};
use layerbox_sh::{Budget, Output};

fn absolute(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        layerbox_fstree::path::join(cwd, path)
    }
}

/// curl's options that this model reads.
#[derive(Default)]
struct CurlOptions {
    silent: bool,
    show_error: bool,
    fail: bool,
    output: Option<String>,
    url: Option<String>,
}

/// Debian's `curl [-sSfL] [-o FILE] URL` on the host.
pub fn curl(world: &mut World, args: &[String], cwd: &str, cred: &Cred, budget: &Budget) -> Output {
    let mut o = CurlOptions::default();
    let mut it = args.iter();
    let mut out = Output::default();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--silent" => o.silent = true,
            "--show-error" => o.show_error = true,
            "--fail" => o.fail = true,
            "--location" => {}
            "--output" => o.output = it.next().cloned(),
            s if s.starts_with("--") => {
                out.stderr = format!("curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n").into_bytes();
                out.code = 2;
                return out;
            }
            s if s.starts_with('-') && s.len() > 1 => {
                for (i, c) in s[1..].char_indices() {
                    match c {
                        's' => o.silent = true,
                        'S' => o.show_error = true,
                        'f' => o.fail = true,
                        'L' => {}
                        'o' => {
                            let rest = &s[1 + i + 1..];
                            o.output = if rest.is_empty() {
                                it.next().cloned()
                            } else {
                                Some(rest.to_string())
                            };
                            break;
                        }
                        _ => {
                            out.stderr = format!("curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n").into_bytes();
                            out.code = 2;
                            return out;
                        }
                    }
                }
            }
            url => o.url = Some(url.to_string()),
        }
    }
    let error = |out: &mut Output, code: i32, text: String| {
        if !o.silent || o.show_error {
            out.stderr = format!("curl: ({code}) {text}\n").into_bytes();
        }
        out.code = code;
    };
    let Some(raw) = o.url.clone() else {
        out.stderr = b"curl: try 'curl --help' or 'curl --manual' for more information\n".to_vec();
        out.code = 2;
        return out;
    };
    let Some(url) = Url::parse(&raw) else {
        let scheme = raw.split("://").next().unwrap_or("");
        error(
            &mut out,
            1,
            format!("Protocol \"{scheme}\" not supported or disabled in libcurl"),
        );
        return out;
    };
    if !matches!(url.host.as_str(), "localhost" | "127.0.0.1" | "::1") {
        error(&mut out, 6, format!("Could not resolve host: {}", url.host));
        return out;
    }
    match http_get(world, &url.host, url.port, &url.path, budget) {
        Err(HttpError::Refused) => error(
            &mut out,
            7,
            format!(
                "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                url.host, url.port
            ),
        ),
        Err(HttpError::Reset) => error(
            &mut out,
            56,
            "Recv failure: Connection reset by peer".into(),
        ),
        Ok((status, _)) if o.fail && status >= 400 => error(
            &mut out,
            22,
            format!("The requested URL returned error: {status}"),
        ),
        Ok((_, body)) => match o.output {
            Some(file) if file != "-" => {
                let path = absolute(cwd, &file);
                let now = world.now();
                if world
                    .host_mut()
                    .write_file(cred, &path, &body, 0o644, now)
                    .is_err()
                {
                    error(&mut out, 23, "Failure writing output to destination".into());
                }
            }
            _ => out.stdout = body,
        },
    }
    out
}

/// Debian's `wget -q [-O FILE|-] URL` on the host (exit 4 for a network failure, 8 for an
/// error status). Emulation note: without `-q` it is not modelled.
pub fn wget(world: &mut World, args: &[String], cwd: &str, cred: &Cred, budget: &Budget) -> Output {
    let request = WgetArgs::parse(args);
    let (quiet, url) = (request.quiet, request.url.clone());
    let mut out = Output::default();
    let Some(raw) = url else {
        out.stderr = b"wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n".to_vec();
        out.code = 1;
        return out;
    };
    if !quiet {
        return layerbox_docker_cli::reply::not_modelled("wget without -q");
    }
    let Some(target) = Url::parse(&raw) else {
        out.code = 1;
        return out;
    };
    if !matches!(target.host.as_str(), "localhost" | "127.0.0.1" | "::1") {
        out.code = 4;
        return out;
    }
    match http_get(world, &target.host, target.port, &target.path, budget) {
        Err(_) => out.code = 4,
        Ok((status, _)) if status >= 400 => out.code = 8,
        Ok((_, body)) => match request.output.as_deref() {
            Some("-") => out.stdout = body,
            _ => {
                let name = request.file_name(&target.path, true);
                let path = absolute(cwd, &name);
                let now = world.now();
                if world
                    .host_mut()
                    .write_file(cred, &path, &body, 0o644, now)
                    .is_err()
                {
                    out.code = 3;
                }
            }
        },
    }
    out
}
