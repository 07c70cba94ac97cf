//! HTTP into containers: a request to a published host port goes through the daemon's proxy to
//! the server a container's process started (BusyBox `httpd`: files and CGI), with its pages,
//! status lines and URL parsing.
//!
//! Emulation note: only `GET` is modelled, with no headers shown.

use layerbox_engine::world::World;

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

/// What a `wget` command line asks for: the options both wgets share (BusyBox's in containers,
/// GNU's on the host), read the same way; each program words its own errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WgetArgs {
    /// `-q` (`--quiet`).
    pub quiet: bool,
    /// `-O FILE` (`-O-` is stdout, `--output-document=FILE`).
    pub output: Option<String>,
    /// The last operand.
    pub url: Option<String>,
}

impl WgetArgs {
    /// Reads `-q`, `-O FILE`, `-qO FILE`, `-qO-`, `-O-`, `--quiet`, `--output-document=FILE`
    /// and the URL; other options are passed over.
    pub fn parse(args: &[String]) -> WgetArgs {
        let mut w = WgetArgs::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-q" | "--quiet" => w.quiet = true,
                "-O" => w.output = it.next().cloned(),
                "-qO-" | "-O-" => {
                    w.quiet |= a.starts_with("-q");
                    w.output = Some("-".into());
                }
                "-qO" => {
                    w.quiet = true;
                    w.output = it.next().cloned();
                }
                a if a.starts_with("--output-document=") => {
                    w.output = Some(a["--output-document=".len()..].to_string());
                }
                a if !a.starts_with('-') => w.url = Some(a.to_string()),
                _ => {}
            }
        }
        w
    }

    /// The file the body is saved to: `-O`'s, else the URL path's last component, else
    /// `index.html`. GNU wget names it without the query (`strip_query`); BusyBox keeps it.
    pub fn file_name(&self, url_path: &str, strip_query: bool) -> String {
        if let Some(file) = &self.output {
            return file.clone();
        }
        let path = if strip_query {
            url_path.split('?').next().unwrap_or("")
        } else {
            url_path
        };
        match path.rsplit('/').next().unwrap_or("") {
            "" => "index.html".into(),
            last => last.to_string(),
        }
    }
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

/// `GET path` to host port `port` from the host, as `host` (`localhost`, `127.0.0.1`): through
/// the daemon's proxy of the running container that publishes it, to its server (a CGI script
/// runs on `budget`).
pub fn http_get(
    world: &mut World,
    host: &str,
    port: u16,
    path: &str,
    budget: &layerbox_sh::Budget,
) -> Result<(u16, Vec<u8>), HttpError> {
    let loopback_v6 = host == "localhost" || host == "::1";
    let target = world.containers().keys().find_map(|id| {
        world
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
    let listener: Option<Listener> = world
        .listeners(&id)
        .iter()
        .find(|l| l.port == container_port)
        .cloned();
    let Some(listener) = listener else {
        return Err(HttpError::Reset);
    };
    process::http_request(world, &id, &listener, path, budget, true).map_err(|_| HttpError::Reset)
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

    #[test]
    fn both_wgets_read_their_options_alike() {
        let args = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let w = WgetArgs::parse(&args("-qO- http://localhost:8080/"));
        assert_eq!((w.quiet, w.output.as_deref()), (true, Some("-")));
        let w = WgetArgs::parse(&args("-q -O page.html localhost/a?x=1"));
        assert_eq!(w.file_name("/a?x=1", true), "page.html");
        let w = WgetArgs::parse(&args("--quiet localhost/a/b?x=1"));
        assert_eq!(w.url.as_deref(), Some("localhost/a/b?x=1"));
        assert_eq!(w.file_name("/a/b?x=1", true), "b");
        assert_eq!(w.file_name("/a/b?x=1", false), "b?x=1");
        assert_eq!(w.file_name("/", false), "index.html");
    }
}
