//! Installs the toolchain the playground and the tests need, each step skipped when satisfied.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// What the tools are needed for: serving needs fewer than testing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Serve,
    Test,
}

/// A tool built from crates.io with `cargo install`.
struct CargoTool {
    krate: &'static str,
    /// The binary whose `--version` proves the tool is there.
    bin: &'static str,
    version: String,
    /// `--locked` reproduces the tool's own lock file; wasm-bindgen-cli's names a version the
    /// registry mirror here lacks, so it is built without it.
    locked: bool,
    why: &'static str,
    /// What a first install took on a 2-core machine (measured), for the progress line.
    expect: &'static str,
}

/// Trunk 0.22.0-beta.1 is the newest Trunk that builds on Rust 1.95 (0.22.1 needs 1.96.1).
const TRUNK_VERSION: &str = "0.22.0-beta.1";
const WASM_PACK_VERSION: &str = "0.15.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn ensure_all(purpose: Purpose) -> Result<()> {
    ensure_wasm_target()?;
    let bindgen = pinned_wasm_bindgen()?;
    let mut tools = vec![
        CargoTool {
            krate: "wasm-bindgen-cli",
            bin: "wasm-bindgen",
            version: bindgen,
            locked: false,
            why: "Trunk and the browser tests need the wasm-bindgen CLI at the workspace's pinned version",
            expect: "about 8 minutes",
        },
        CargoTool {
            krate: "trunk",
            bin: "trunk",
            version: TRUNK_VERSION.to_string(),
            locked: true,
            why: "Trunk builds and serves the web app",
            expect: "about 15 minutes",
        },
    ];
    if purpose == Purpose::Test {
        tools.push(CargoTool {
            krate: "wasm-pack",
            bin: "wasm-pack",
            version: WASM_PACK_VERSION.to_string(),
            locked: true,
            why: "wasm-pack runs the browser tests in headless Chrome",
            expect: "about 10 minutes",
        });
    }
    // Chromium and the CJK fonts are not installed here: only the browser and end-to-end
    // stages need them, and they check for themselves (`browser`, `cjk_fonts`), so a run
    // without root still runs every other stage.
    let started = std::time::Instant::now();
    let n = tools.len();
    for (k, tool) in tools.iter().enumerate() {
        println!(
            "xtask: step {} of {n} ({:.0} s so far): {} {}",
            k + 1,
            started.elapsed().as_secs_f64(),
            tool.krate,
            tool.version
        );
        ensure_cargo_tool(tool)?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup (layerbox needs a rustup-managed Rust toolchain)")?;
    let installed = String::from_utf8_lossy(&out.stdout);
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        println!("xtask: wasm32-unknown-unknown target: already installed");
        return Ok(());
    }
    println!("xtask: installing the wasm32-unknown-unknown target (rustup target add)");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The exact version the workspace pins for `wasm-bindgen` (`wasm-bindgen = "=X.Y.Z"`).
pub fn pinned_wasm_bindgen() -> Result<String> {
    let path = crate::root().join("Cargo.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    parse_pin(&text, "wasm-bindgen").with_context(|| {
        format!(
            "{} must pin wasm-bindgen as `wasm-bindgen = \"=X.Y.Z\"`",
            path.display()
        )
    })
}

fn parse_pin(manifest: &str, name: &str) -> Option<String> {
    manifest.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if key.trim() != name {
            return None;
        }
        let value = value.trim();
        let quoted = value.strip_prefix('"')?.split('"').next()?;
        quoted.strip_prefix('=').map(|v| v.trim().to_string())
    })
}

fn installed_version(bin: &str) -> Option<String> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "trunk 0.22.0-beta.1", "wasm-bindgen 0.2.130", "wasm-pack 0.15.1"
    text.split_whitespace().nth(1).map(str::to_string)
}

fn ensure_cargo_tool(tool: &CargoTool) -> Result<()> {
    match installed_version(tool.bin) {
        Some(v) if v == tool.version => {
            println!("xtask: {} {}: already installed", tool.krate, tool.version);
            return Ok(());
        }
        Some(v) => println!(
            "xtask: {} is {v}, the workspace needs {}; reinstalling",
            tool.bin, tool.version
        ),
        None => {}
    }
    println!(
        "xtask: installing {} {} with cargo install ({}; the first time takes {} on 2 cores)",
        tool.krate, tool.version, tool.why, tool.expect
    );
    let mut cmd = Command::new("cargo");
    cmd.args(["install", tool.krate, "--version", &tool.version, "--force"]);
    // These are build tools, not what we ship: trade their run-time speed for build time
    // (Trunk's own profile asks for fat LTO and one codegen unit, which alone takes many
    // minutes on two cores).
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "2");
    if tool.locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    match installed_version(tool.bin) {
        Some(v) if v == tool.version => Ok(()),
        other => bail!(
            "{} was installed but `{} --version` reports {:?}; is ~/.cargo/bin on PATH?",
            tool.krate,
            tool.bin,
            other
        ),
    }
}

/// Debian's Chromium and chromedriver, for the browser and end-to-end stages: installed with
/// apt when run as root; otherwise `Err` says which command to run.
pub fn browser() -> std::result::Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        println!("xtask: chromium and chromedriver: already installed");
        return Ok(());
    }
    let cmd = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root() {
        return Err(format!(
            "needs Debian's Chromium and chromedriver; as root, run: {cmd}"
        ));
    }
    println!("xtask: installing Chromium and chromedriver with apt (the browser tests need them)");
    apt_install(&["chromium", "chromium-driver"]).map_err(|e| format!("{e:#}"))
}

/// Where Debian's `fonts-noto-cjk` puts the font with Hangul the screenshots need.
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// The Noto CJK fonts, without which Korean screenshots show boxes: installed with apt when
/// run as root; otherwise `Err` says which command to run.
pub fn cjk_fonts() -> std::result::Result<(), String> {
    if Path::new(CJK_FONT).exists() {
        println!("xtask: fonts-noto-cjk: already installed");
        return Ok(());
    }
    let cmd = "apt-get update && apt-get install -y fonts-noto-cjk";
    if !is_root() {
        return Err(format!(
            "needs the Noto CJK fonts for Korean screenshots; as root, run: {cmd}"
        ));
    }
    println!("xtask: installing the Noto CJK fonts with apt (Korean screenshots need them)");
    apt_install(&["fonts-noto-cjk"]).map_err(|e| format!("{e:#}"))
}

fn apt_install(packages: &[&str]) -> Result<()> {
    run(Command::new("apt-get").args(["-o", "DPkg::Lock::Timeout=600", "update", "-q"]))?;
    run(Command::new("apt-get")
        .args([
            "-o",
            "DPkg::Lock::Timeout=600",
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
        ])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_pin;

    #[test]
    fn pin_is_read_from_workspace_dependencies() {
        let manifest =
            "[workspace.dependencies]\nwasm-bindgen-test = \"0.3\"\nwasm-bindgen = \"=0.2.130\"\n";
        assert_eq!(
            parse_pin(manifest, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
    }

    #[test]
    fn unpinned_dependency_has_no_pin() {
        assert_eq!(parse_pin("wasm-bindgen = \"0.2\"\n", "wasm-bindgen"), None);
    }
}
