//! The site's size as the browser downloads it: each file gzipped (deflate at level 9 plus the
//! gzip frame), counted deterministically, for `cargo xtask test`'s ceiling and `ui_bench`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The most the gzipped wasm + JS of the page's module ([`PAGE`]) in a release build may weigh
/// (`cargo xtask test`, stage `bundle`, fails past it): what must load before the terminal is
/// usable. While page and worker shared one module it held that module: 925,360 bytes after
/// issue 19's work; 1,030,972 once the storage diagram (about 38 kB), the course's lesson log
/// and overview, processes, health checks and devices merged; 1,018,859 once Docker's help and
/// BusyBox's usage texts moved out of the wasm (`TEXTS_CEILING`); 1,125,862 once the page
/// stopped running lines (issue 15: the worker sends the world's changed parts as JSON, so the
/// engine's state types' serde code, about 95 kB, is in the bundle); 1,164,410 once those and
/// the round's other work merged together (BusyBox's diff, hexdump format engine and gensub,
/// procps on the host, NFS volumes, the storage limit and the sample images' real history);
/// plus 1%. The page's own module was 1,143,161 bytes while the page still replayed sessions
/// and set lessons up itself (the worker's: 840,081), and 1,159,278 while a lesson's start and
/// "show me"'s tries still ran on it; 564,153 once nothing on the page runs a line (the worker's
/// module, loaded beside it: 864,400); 571,352 once the page fetched the lessons' starts the
/// site was built with (`lesson_starts.rs`) and drew the terminal and timeline in keyed
/// groups; plus 1%. Raise it only with the reason in the commit.
pub const CEILING: usize = 577_100;

/// The most the texts loaded after the terminal is usable may weigh, gzipped one by one
/// (`deferred_bytes`): Docker's help and BusyBox's usage texts, 17,230 bytes, plus 1%. The
/// wasm + JS lost about 13 kB when they left it: the texts alone cost about 4 kB more than
/// they did inside the wasm, where they shared one compression stream.
pub const TEXTS_CEILING: usize = 17_400;

/// Bytes of `path` gzipped: the deflate stream at level 9 and the 18 bytes of gzip's frame.
pub fn gzipped(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(miniz_oxide::deflate::compress_to_vec(&bytes, 9).len() + 18)
}

/// The page's wasm module (`crates/ui/src/main.rs`): what must load before the terminal is
/// usable. It shows; it runs no line.
pub const PAGE: &str = "layerbox-ui";

/// The Web Worker's wasm module (`crates/ui/src/bin/worker.rs`): it runs every line, and loads
/// while the page's terminal is already usable.
pub const WORKER: &str = "layerbox-worker";

/// A file of `module` in `dist`: `MODULE-HASH{suffix}` (or without a hash).
pub fn module_file(dist: &Path, module: &str, suffix: &str) -> Result<PathBuf> {
    for entry in std::fs::read_dir(dist)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_prefix(module)
            .and_then(|rest| rest.strip_suffix(suffix))
        else {
            continue;
        };
        if (stem.is_empty() || stem.starts_with('-')) && !stem.ends_with("_bg") {
            return Ok(entry.path());
        }
    }
    bail!("no {module}*{suffix} in {}", dist.display())
}

/// The page's module file in `dist`: `layerbox-ui-HASH{suffix}` (or without a hash).
pub fn bundle_file(dist: &Path, suffix: &str) -> Result<PathBuf> {
    module_file(dist, PAGE, suffix)
}

/// The gzipped wasm and JS glue of `module`.
pub fn module_wasm_and_js(dist: &Path, module: &str) -> Result<usize> {
    Ok(gzipped(&module_file(dist, module, "_bg.wasm")?)?
        + gzipped(&module_file(dist, module, ".js")?)?)
}

/// The gzipped wasm and JS glue of the page's module: the part of the critical path that
/// [`CEILING`] holds.
pub fn wasm_and_js(dist: &Path) -> Result<usize> {
    module_wasm_and_js(dist, PAGE)
}

/// The gzipped wasm and JS glue of the worker's module.
pub fn worker_wasm_and_js(dist: &Path) -> Result<usize> {
    module_wasm_and_js(dist, WORKER)
}

/// Texts that only the code which runs a line holds, one from each crate of it: a wasm module
/// that holds one was linked with that crate's running code. The page's module shows what the
/// worker sends and holds none of them.
pub const RUNNING_CODE_MARKERS: &[(&str, &str)] = &[
    // chmod's and chown's refusal (tools/src/attrs.rs).
    ("layerbox-tools", "cannot operate on dangling symlink"),
    // The shell's parser (sh/src/lib.rs).
    ("layerbox-sh", "syntax error near unexpected token `"),
    // A BusyBox applet that does not exist (runtime/src/process/program.rs).
    ("layerbox-runtime", ": applet not found"),
    // `docker` with a command it does not know (docker-cli/src/lib.rs).
    ("layerbox-docker-cli", "docker: unknown command: docker "),
];

/// The crates of [`RUNNING_CODE_MARKERS`] whose text the wasm module at `wasm` holds.
pub fn running_code(wasm: &Path) -> Result<Vec<&'static str>> {
    let bytes = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    Ok(RUNNING_CODE_MARKERS
        .iter()
        .filter(|(_, text)| bytes.windows(text.len()).any(|w| w == text.as_bytes()))
        .map(|(krate, _)| *krate)
        .collect())
}

/// The texts the page loads after its terminal is usable (`crates/ui/src/texts.rs`): the files
/// `index.html` names in its `data-layerbox-text` scripts.
pub fn deferred_texts(dist: &Path) -> Result<Vec<PathBuf>> {
    let index = dist.join("index.html");
    let page =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let mut files = Vec::new();
    for tag in page
        .split("<script")
        .filter(|t| t.contains("data-layerbox-text"))
    {
        let Some((_, rest)) = tag.split_once("src=\"") else {
            bail!(
                "a data-layerbox-text script without src in {}",
                index.display()
            );
        };
        let src = rest.split('"').next().unwrap_or_default();
        files.push(dist.join(src.trim_start_matches("./")));
    }
    Ok(files)
}

/// The gzipped bytes of the deferred texts.
pub fn deferred_bytes(dist: &Path) -> Result<usize> {
    deferred_texts(dist)?.iter().map(|f| gzipped(f)).sum()
}

/// Gzipped bytes of what must load before the terminal is usable (the page, its styles,
/// `boot.js`, the page's JS glue and wasm), and of every file of the site (the worker's module
/// too).
pub fn critical_and_total(dist: &Path) -> Result<(usize, usize)> {
    let mut critical = wasm_and_js(dist)? + gzipped(&dist.join("index.html"))?;
    for entry in std::fs::read_dir(dist)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let boot = name.starts_with("boot") && name.ends_with(".js");
        if boot || (name.starts_with("styles") && name.ends_with(".css")) {
            critical += gzipped(&entry.path())?;
        }
    }
    let mut total = 0;
    let mut dirs = vec![dist.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)?.flatten() {
            if entry.file_type()?.is_dir() {
                dirs.push(entry.path());
            } else {
                total += gzipped(&entry.path())?;
            }
        }
    }
    Ok((critical, total))
}
