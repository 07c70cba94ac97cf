//! A static file server on 127.0.0.1 that serves a directory under a sub-path and logs every request.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::Result;

/// One request the server answered: the path asked for and the status it got.
#[derive(Clone, Debug)]
pub struct Logged {
    pub path: String,
    pub status: u16,
}

/// A running server; it stops with the process.
pub struct StaticServer {
    pub port: u16,
    pub prefix: String,
    log: Arc<Mutex<Vec<Logged>>>,
}

impl StaticServer {
    /// Serves `root` at `http://127.0.0.1:<port><prefix>` (prefix starts and ends with `/`).
    pub fn start(root: &Path, prefix: &str) -> Result<StaticServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (root, prefix_owned, log2) = (root.to_path_buf(), prefix.to_string(), log.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, prefix, log) = (root.clone(), prefix_owned.clone(), log2.clone());
                thread::spawn(move || {
                    if let Some(entry) = serve(stream, &root, &prefix) {
                        if let Ok(mut l) = log.lock() {
                            l.push(entry);
                        }
                    }
                });
            }
        });
        Ok(StaticServer {
            port,
            prefix: prefix.to_string(),
            log,
        })
    }

    pub fn url(&self, rest: &str) -> String {
        format!("http://127.0.0.1:{}{}{}", self.port, self.prefix, rest)
    }

    pub fn log(&self) -> Vec<Logged> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

fn serve(mut stream: TcpStream, root: &Path, prefix: &str) -> Option<Logged> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    // Drain the headers; GET requests carry no body.
    let mut line = String::new();
    while reader.read_line(&mut line).ok()? > 2 {
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1)?.to_string();
    let path = target.split(['?', '#']).next().unwrap_or("").to_string();
    let (status, body, mime) =
        match resolve(root, prefix, &path).and_then(|p| Some((std::fs::read(&p).ok()?, p))) {
            Some((body, file)) => (200, body, mime_of(&file)),
            None => (404, b"not found".to_vec(), "text/plain"),
        };
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(&body));
    Some(Logged { path, status })
}

fn resolve(root: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix(prefix)?;
    let mut file = root.to_path_buf();
    for part in Path::new(rest).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn mime_of(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
