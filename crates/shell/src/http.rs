//! HTTP between the host and containers: a request to a published host port goes through the
//! daemon's proxy to the server a container's process started (BusyBox `httpd`), and the host's
//! `curl` and `wget` (Debian's) print what came back, or their own errors.
//!
//! Emulation note: only `GET` is modelled, with no headers shown; the progress meter curl
//! prints when its output is not a terminal is left out.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_sh::Output;

use crate::docker::Daemon;
use crate::process::{self, Listener};

/// BusyBox httpd's page for a missing file.
pub const NOT_FOUND_PAGE: &str = "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n";

/// BusyBox httpd's page for a file it may not read.
pub const FORBIDDEN_PAGE: &str = "<HTML><HEAD><TITLE>403 Forbidden</TITLE></HEAD>\n<BODY><H1>403 Forbidden</H1>\nThe requested file is not allowed\n</BODY></HTML>\n";

/// Why a connection to a host port got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpError {
    /// Nothing listens on the port: curl (7).
    Refused,
    /// The daemon's proxy listens, but nothing in the container does: curl (56).
    Reset,
}

/// `http://HOST[:PORT]/PATH`, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub host: String,
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl Url {
    /// Parses an `http://` URL (the scheme may be left out); `None` for other schemes or a
    /// bad port.
    pub fn parse(text: &str) -> Option<Url> {
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some(_) => return None,
            None => text,
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().ok()?),
            None => (authority, 80),
        };
        Some(Url {
            host: host.trim_matches(['[', ']']).to_string(),
            port,
            path,
        })
    }
}

/// `%XX` decoded (BusyBox `httpd -d`); `+` stays `+`.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn absolute(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        layerbox_fstree::path::join(cwd, path)
    }
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// A CGI script's output: headers (`Status:` sets the status), a blank line, the body.
pub fn parse_cgi(output: &[u8]) -> (u16, Vec<u8>) {
    let text = output;
    let split = text
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, 2))
        .or_else(|| {
            text.windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| (i, 4))
        });
    let Some((at, len)) = split else {
        return (200, output.to_vec());
    };
    let headers = String::from_utf8_lossy(&text[..at]);
    let mut status = 200;
    for h in headers.lines() {
        if let Some((k, v)) = h.split_once(':') {
            if k.trim().eq_ignore_ascii_case("status") {
                status = v
                    .split_whitespace()
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(200);
            }
        }
    }
    (status, text[at + len..].to_vec())
}

impl Daemon {
    /// `GET path` to host port `port` from the host, as `host` (`localhost`, `127.0.0.1`):
    /// through the proxy of the running container that publishes it, to its server.
    pub fn http_get(
        &mut self,
        host: &str,
        port: u16,
        path: &str,
    ) -> Result<(u16, Vec<u8>), HttpError> {
        let loopback_v6 = host == "localhost" || host == "::1";
        let target = self.world.containers().keys().find_map(|id| {
            self.world
                .live_ports(id)
                .iter()
                .find(|m| {
                    m.host_port == port
                        && match m.host_ip.as_str() {
                            "0.0.0.0" | "127.0.0.1" => true,
                            "::" | "::1" => loopback_v6,
                            _ => false,
                        }
                })
                .map(|m| (id.clone(), m.container_port))
        });
        let Some((id, container_port)) = target else {
            return Err(HttpError::Refused);
        };
        let listener: Option<Listener> = self
            .world
            .listeners(&id)
            .iter()
            .find(|l| l.port == container_port)
            .cloned();
        let Some(listener) = listener else {
            return Err(HttpError::Reset);
        };
        process::http_request(&mut self.world, &id, &listener, path).map_err(|_| HttpError::Reset)
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
pub fn curl(daemon: &mut Daemon, args: &[String], cwd: &str, cred: &Cred) -> Output {
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
    match daemon.http_get(&url.host, url.port, &url.path) {
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
                let now = daemon.world.now();
                if daemon
                    .world
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
pub fn wget(daemon: &mut Daemon, args: &[String], cwd: &str, cred: &Cred) -> Output {
    let mut quiet = false;
    let mut file: Option<String> = None;
    let mut url = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "-O" => file = it.next().cloned(),
            "-qO-" | "-O-" => {
                quiet |= a.starts_with("-q");
                file = Some("-".into());
            }
            "-qO" => {
                quiet = true;
                file = it.next().cloned();
            }
            a if a.starts_with("--output-document=") => {
                file = Some(a["--output-document=".len()..].to_string())
            }
            a if !a.starts_with('-') => url = Some(a.to_string()),
            _ => {}
        }
    }
    let mut out = Output::default();
    let Some(raw) = url else {
        out.stderr = b"wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n".to_vec();
        out.code = 1;
        return out;
    };
    if !quiet {
        return crate::docker::reply::not_modelled("wget without -q");
    }
    let Some(target) = Url::parse(&raw) else {
        out.code = 1;
        return out;
    };
    if !matches!(target.host.as_str(), "localhost" | "127.0.0.1" | "::1") {
        out.code = 4;
        return out;
    }
    match daemon.http_get(&target.host, target.port, &target.path) {
        Err(_) => out.code = 4,
        Ok((status, _)) if status >= 400 => out.code = 8,
        Ok((_, body)) => match file.as_deref() {
            Some("-") => out.stdout = body,
            other => {
                let name = other.map(str::to_string).unwrap_or_else(|| {
                    let last = target
                        .path
                        .split('?')
                        .next()
                        .unwrap_or("")
                        .rsplit('/')
                        .next()
                        .unwrap_or("");
                    if last.is_empty() {
                        "index.html".into()
                    } else {
                        last.to_string()
                    }
                });
                let path = absolute(cwd, &name);
                let now = daemon.world.now();
                if daemon
                    .world
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_host_port_and_path() {
        assert_eq!(
            Url::parse("http://localhost:8010/a?b=c"),
            Some(Url {
                host: "localhost".into(),
                port: 8010,
                path: "/a?b=c".into()
            })
        );
        assert_eq!(Url::parse("localhost").map(|u| u.port), Some(80));
        assert_eq!(Url::parse("ftp://x/"), None);
    }

    #[test]
    fn cgi_headers_set_the_status() {
        assert_eq!(
            parse_cgi(b"Status: 404 Not Found\nContent-type: text/plain\n\nno\n"),
            (404, b"no\n".to_vec())
        );
        assert_eq!(percent_decode("buy%20milk"), "buy milk");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
