//! `cargo xtask record [SESSION…]`: records the conformance transcripts from a real Docker Engine, with the sample images built from `layerbox-images`.
//!
//! What it does, in order:
//! 1. Starts `dockerd` (Debian's `docker.io`, Engine 20.10) with its own data root, socket and
//!    pid file, unless one already answers on that socket; it stops the one it started at the end.
//!    Containers get Docker's default bridge network, so `-p` publishes ports as on any Docker
//!    host; with `--iptables=false` the daemon's userland proxy (`docker-proxy`) carries
//!    `curl http://localhost:PORT/` from the host to the container.
//! 2. Makes the sample images in it, unless the definitions are unchanged since the last time:
//!    each layer's entries are materialised in a scratch directory (BusyBox's programs are
//!    Debian's static `/bin/busybox`, padded with zeros to the declared size; other sized files are
//!    zeros) and packed as a layer tar (owners, modes, and the layer's date as every mtime), and
//!    all images go in with one `docker load` of an archive whose image configs carry the
//!    definitions' config and history rows verbatim: the engine holds them as it holds pulled
//!    images, with `<missing>` below the top row of `docker history`.
//! 3. Runs each session's `$ ` lines in order through `bash -c` in one fresh state (no containers,
//!    no volumes, only the sample images, an empty `/home/user` as cwd and `$HOME`), captures stdout
//!    and stderr in one pipe, normalises and rewrites the file. Host commands run as the user
//!    `user` (uid and gid 1000, in the group that owns the engine's socket), as layerbox's host
//!    user does: each in a private mount namespace where generated `/etc/passwd` and `/etc/group`
//!    name uid 1000 `user` (whatever this machine calls it), then `setpriv` drops root.
//!    `/home/user` is created (owner 1000:1000) if missing and removed again at the end; a marker
//!    in /run says it is ours if a run is interrupted. Blocks marked `# current-docker:` or
//!    `# hand-written` (and sessions whose header says `# hand-written`) keep their written output.
//!
//! The line `sudo systemctl restart docker` is not run through bash: the recorder restarts its own
//! dockerd there (SIGTERM, then the same dockerd again), as `systemctl` restarts the host's.
//!
//! Emulation note: the engine's data root `/var/lib/layerbox-docker` is rewritten to Docker's
//! default `/var/lib/docker` in the recorded output before normalising.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::os::unix::fs::{chown, lchown, symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use layerbox_acceptance::transcript::{output_lines, Block, Normalizer, Transcript};
use layerbox_images::{
    rfc3339, sample_images, EntryDef, EntryKind, FileContent, ImageDef, LayerDef, DEFINITIONS,
};

const SOCKET: &str = "/run/layerbox-docker.sock";
const DOCKER_HOST: &str = "unix:///run/layerbox-docker.sock";
const DATA_ROOT: &str = "/var/lib/layerbox-docker";
const PIDFILE: &str = "/run/layerbox-docker.pid";
const DOCKERD_LOG: &str = "/tmp/layerbox-dockerd.log";
/// Written next to the data root: a hash of the definitions the images in the engine were built from.
const IMAGES_HASH: &str = "/var/lib/layerbox-docker.images-hash";
const HOME: &str = "/home/user";
const HOME_MARKER: &str = "/run/layerbox-record.home-is-ours";
const SCRATCH: &str = "/tmp/layerbox-record";
const BUSYBOX: &str = "/bin/busybox";
/// A command that runs longer than this is killed (`timeout` exits 124).
const COMMAND_TIMEOUT_SECONDS: u32 = 60;

const USAGE: &str = "usage: cargo xtask record [--rebuild] [SESSION…]   (SESSION: a name in tests/conformance, with or without .txt)";

/// Entry point of `cargo xtask record`.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let mut rebuild = false;
    let mut wanted = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--rebuild" => rebuild = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            name => wanted.push(name.trim_end_matches(".txt").to_string()),
        }
    }
    let sessions = session_files(&wanted)?;
    let recorded = with_recorder(rebuild, false, |recorder| {
        let mut recorded = 0;
        for path in &sessions {
            let text = fs::read_to_string(path)?;
            let transcript = Transcript::parse(&text);
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if transcript.is_hand_written() {
                println!("record: {name}: hand-written, kept");
                continue;
            }
            let started = Instant::now();
            let recorded_transcript = recorder.record(&transcript)?;
            fs::write(path, recorded_transcript.format())?;
            println!(
                "record: {name}: {} command(s) in {:.1}s",
                recorded_transcript.blocks.len(),
                started.elapsed().as_secs_f64()
            );
            recorded += 1;
        }
        Ok(recorded)
    })?;
    println!("record: {recorded} session(s) written");
    Ok(ExitCode::SUCCESS)
}

/// A private Docker Engine ready to run sessions: sample images built, `/home/user` and the
/// host user prepared. Made by [`with_recorder`]; `cargo xtask difftest` runs its generated
/// sessions through it too.
pub struct Recorder {
    images: Vec<ImageDef>,
    header: String,
    /// Whether to leave out the per-session `sample images are up to date` line.
    quiet: bool,
}

impl Recorder {
    /// The first header line of a recorded transcript (the engine's and the CLI's versions).
    pub fn header(&self) -> &str {
        &self.header
    }

    /// Runs `transcript`'s commands in a fresh state (no containers, no volumes, only the sample
    /// images, an empty home) and returns it with the engine's normalised outputs and the
    /// recorder's header line first.
    pub fn record(&self, transcript: &Transcript) -> Result<Transcript> {
        reset_state(&self.images, self.quiet)?;
        record_session(transcript, &self.header)
    }
}

/// Starts (or finds) the engine, builds the sample images if needed, prepares the home and the
/// user, runs `body`, then leaves the engine clean, stops the engine it started and removes
/// the home it made, whether `body` succeeded or not.
pub fn with_recorder<T>(
    rebuild: bool,
    quiet: bool,
    body: impl FnOnce(&Recorder) -> Result<T>,
) -> Result<T> {
    let images = sample_images().context("loading the sample image definitions")?;
    let engine = Engine::start()?;
    let result = prepare(images, rebuild, quiet).and_then(|recorder| {
        let result = body(&recorder);
        let reset = reset_state(&recorder.images, quiet);
        let value = result?;
        reset?;
        Ok(value)
    });
    let stopped = engine.stop();
    let home = restore_home();
    let value = result?;
    stopped?;
    home?;
    Ok(value)
}

fn prepare(images: Vec<ImageDef>, rebuild: bool, quiet: bool) -> Result<Recorder> {
    ensure_images(&images, rebuild, false)?;
    let header = format!(
        "# Recorded from Docker Engine {} (storage driver overlay2) with docker CLI {} by `cargo xtask record`.",
        docker_output(&["version", "--format", "{{.Server.Version}}"])?.trim(),
        docker_output(&["version", "--format", "{{.Client.Version}}"])?.trim(),
    );
    prepare_home()?;
    prepare_user()?;
    Ok(Recorder {
        images,
        header,
        quiet,
    })
}

fn conformance_dir() -> PathBuf {
    crate::root().join("tests").join("conformance")
}

fn session_files(wanted: &[String]) -> Result<Vec<PathBuf>> {
    let dir = conformance_dir();
    let mut all: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    all.sort();
    if wanted.is_empty() {
        return Ok(all);
    }
    let mut chosen = Vec::new();
    for name in wanted {
        let path = dir.join(format!("{name}.txt"));
        if !path.exists() {
            bail!("no session {}", path.display());
        }
        chosen.push(path);
    }
    Ok(chosen)
}

fn record_session(transcript: &Transcript, header: &str) -> Result<Transcript> {
    let mut normalizer = Normalizer::new();
    let mut out = Transcript {
        header: std::iter::once(header.to_string())
            .chain(
                transcript
                    .header
                    .iter()
                    .filter(|line| !line.starts_with("# Recorded from"))
                    .cloned(),
            )
            .collect(),
        blocks: Vec::new(),
    };
    for block in &transcript.blocks {
        // `# wait N`: the learner waited N seconds before typing the command.
        std::thread::sleep(std::time::Duration::from_secs(block.waited()));
        let (captured, exit) = if block.command.trim() == DAEMON_RESTART {
            restart_daemon()?;
            (String::new(), 0)
        } else {
            run_in_session(&block.command)?
        };
        if block.is_hand_written() {
            // Current Docker differs from the engine here: keep what was written.
            out.blocks.push(block.clone());
            continue;
        }
        let captured = captured.replace(DATA_ROOT, "/var/lib/docker");
        let output = normalizer.normalize_lines(&output_lines(&captured));
        if output
            .last()
            .is_some_and(|line| line == "#" || line.starts_with("# "))
        {
            eprintln!(
                "record: warning: output of `{}` ends in a line that will read back as a comment",
                block.command
            );
        }
        out.blocks.push(Block {
            comments: block.comments.clone(),
            command: block.command.clone(),
            output,
            exit,
        });
    }
    Ok(out)
}

/// The host user session commands run as (layerbox's `user`).
const USER_ID: u32 = 1000;
/// The generated account files bind-mounted over `/etc/passwd` and `/etc/group` for them.
const PASSWD: &str = "/tmp/layerbox-record/passwd";
const GROUP: &str = "/tmp/layerbox-record/group";

/// Writes this machine's `/etc/passwd` and `/etc/group` with uid and gid 1000 named `user`, and
/// `user` in the group that owns the engine's socket (made group 1000's if root's).
fn prepare_user() -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mut socket_gid = fs::metadata(SOCKET)?.gid();
    if socket_gid == 0 {
        chown(SOCKET, None, Some(USER_ID))?;
        fs::set_permissions(SOCKET, fs::Permissions::from_mode(0o660))?;
        socket_gid = USER_ID;
    }
    let id_is = |line: &str, id: u32| line.split(':').nth(2) == Some(&id.to_string());
    let named = |line: &str, name: &str| line.split(':').next() == Some(name);
    let mut passwd: String = fs::read_to_string("/etc/passwd")?
        .lines()
        .filter(|l| !id_is(l, USER_ID) && !named(l, "user"))
        .map(|l| format!("{l}\n"))
        .collect();
    passwd.push_str(&format!(
        "user:x:{USER_ID}:{USER_ID}:user,,,:{HOME}:/bin/bash\n"
    ));
    let mut group = String::new();
    for line in fs::read_to_string("/etc/group")?.lines() {
        if id_is(line, USER_ID) || named(line, "user") {
            continue;
        }
        if id_is(line, socket_gid) {
            let members = line.rsplit(':').next().unwrap_or("");
            let sep = if members.is_empty() { "" } else { "," };
            group.push_str(&format!("{line}{sep}user\n"));
        } else {
            group.push_str(&format!("{line}\n"));
        }
    }
    group.push_str(&format!("user:x:{USER_ID}:\n"));
    if socket_gid == USER_ID {
        // The socket's group is the user's own.
    } else if !group.lines().any(|l| id_is(l, socket_gid)) {
        group.push_str(&format!("docker:x:{socket_gid}:user\n"));
    }
    fs::create_dir_all(SCRATCH)?;
    fs::write(PASSWD, passwd)?;
    fs::write(GROUP, group)?;
    Ok(())
}

/// Runs one session line as `user` with stdout and stderr in one pipe, so they interleave as
/// written.
fn run_in_session(command: &str) -> Result<(String, i32)> {
    let (mut reader, writer) = std::io::pipe()?;
    let as_user =
        r#"mount --bind "$0" /etc/passwd && mount --bind "$1" /etc/group && shift && exec "$@""#;
    let mut child = Command::new("unshare")
        .args([
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            as_user,
            PASSWD,
            GROUP,
            "setpriv",
            &format!("--reuid={USER_ID}"),
            &format!("--regid={USER_ID}"),
            "--init-groups",
            "--",
            "timeout",
            "--kill-after=5",
            &COMMAND_TIMEOUT_SECONDS.to_string(),
            "bash",
            "-c",
            command,
        ])
        .current_dir(HOME)
        .env("DOCKER_HOST", DOCKER_HOST)
        .env("HOME", HOME)
        .env(
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        )
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer)
        .spawn()
        .with_context(|| format!("running {command}"))?;
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let status = child.wait()?;
    let code = status.code().unwrap_or(128);
    Ok((String::from_utf8_lossy(&bytes).into_owned(), code))
}

/// A dockerd this run started (stopped again by [`Engine::stop`]), or one that was already running.
struct Engine {
    started: Option<std::process::Child>,
}

impl Engine {
    fn start() -> Result<Engine> {
        if docker_answers() {
            println!("record: using the Docker Engine already listening on {SOCKET}");
            return Ok(Engine { started: None });
        }
        if Command::new("dockerd").arg("--version").output().is_err() {
            bail!("dockerd not found: apt-get -o DPkg::Lock::Timeout=600 install -y docker.io busybox-static (as root)");
        }
        fs::create_dir_all(DATA_ROOT)?;
        let child = spawn_dockerd(fs::File::create(DOCKERD_LOG)?)?;
        println!(
            "record: started dockerd (pid {}, log {DOCKERD_LOG})",
            child.id()
        );
        OWN_DAEMON.store(true, std::sync::atomic::Ordering::SeqCst);
        let engine = Engine {
            started: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !docker_answers() {
            if Instant::now() > deadline {
                engine.stop()?;
                bail!("dockerd did not answer within 60s; see {DOCKERD_LOG}");
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        Ok(engine)
    }

    /// Stops the dockerd this run started, by its pid (SIGTERM, then waits for it); after a
    /// session restarted it, the one that runs now.
    fn stop(self) -> Result<()> {
        let Some(mut child) = self.started else {
            return Ok(());
        };
        let restarted = RESTARTED
            .lock()
            .map_err(|_| anyhow::anyhow!("restarted dockerd lock poisoned"))?
            .take();
        if let Some(current) = restarted {
            child.wait()?;
            child = current;
        }
        let pid = child.id();
        let status = Command::new("kill").arg(pid.to_string()).status()?;
        if !status.success() {
            bail!("could not signal dockerd (pid {pid})");
        }
        child.wait()?;
        println!("record: stopped dockerd (pid {pid})");
        Ok(())
    }
}

/// Starts `dockerd` with the recorder's options, its output to `log`.
fn spawn_dockerd(log: fs::File) -> Result<std::process::Child> {
    Command::new("dockerd")
        .args([
            "--iptables=false",
            "--storage-driver=overlay2",
            "--data-root",
            DATA_ROOT,
            "-H",
            DOCKER_HOST,
            "--pidfile",
            PIDFILE,
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("starting dockerd")
}

/// The session line that restarts the daemon, as a learner restarts Docker on a host
/// (`systemctl restart docker`): the recorder does it to its own dockerd.
pub const DAEMON_RESTART: &str = "sudo systemctl restart docker";

/// Whether this run started the dockerd (a session may then restart it).
static OWN_DAEMON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// The dockerd a session's restart started, stopped at the end in place of the first one.
static RESTARTED: std::sync::Mutex<Option<std::process::Child>> = std::sync::Mutex::new(None);

/// `sudo systemctl restart docker` in a session: SIGTERM to the recorder's dockerd (which stops
/// the running containers as a daemon shutdown does), then the same dockerd started again on
/// the same data root, its socket given to the user's group again. Prints nothing, as
/// `systemctl restart` does.
fn restart_daemon() -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    if !OWN_DAEMON.load(std::sync::atomic::Ordering::SeqCst) {
        bail!("`{DAEMON_RESTART}` needs a dockerd this recorder started");
    }
    let socket_gid = fs::metadata(SOCKET)?.gid();
    let pid = fs::read_to_string(PIDFILE)?.trim().to_string();
    if !Command::new("kill").arg(&pid).status()?.success() {
        bail!("could not signal dockerd (pid {pid})");
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    while Path::new(PIDFILE).exists() || docker_answers() {
        if Instant::now() > deadline {
            bail!("dockerd (pid {pid}) did not stop within 90s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let mut slot = RESTARTED
        .lock()
        .map_err(|_| anyhow::anyhow!("restarted dockerd lock poisoned"))?;
    if let Some(mut previous) = slot.take() {
        previous.wait()?;
    }
    let log = fs::OpenOptions::new().append(true).open(DOCKERD_LOG)?;
    *slot = Some(spawn_dockerd(log)?);
    drop(slot);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !docker_answers() {
        if Instant::now() > deadline {
            bail!("dockerd did not answer within 60s after its restart; see {DOCKERD_LOG}");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    chown(SOCKET, None, Some(socket_gid))?;
    fs::set_permissions(SOCKET, fs::Permissions::from_mode(0o660))?;
    Ok(())
}

fn docker_answers() -> bool {
    Path::new(SOCKET).exists()
        && Command::new("docker")
            .args(["version", "--format", "{{.Server.Version}}"])
            .env("DOCKER_HOST", DOCKER_HOST)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
}

fn docker(args: &[&str]) -> Command {
    let mut command = Command::new("docker");
    command.args(args).env("DOCKER_HOST", DOCKER_HOST);
    command
}

/// Runs docker and returns stdout; fails with its stderr.
fn docker_output(args: &[&str]) -> Result<String> {
    let output = docker(args)
        .output()
        .with_context(|| format!("docker {}", args.join(" ")))?;
    if !output.status.success() {
        bail!(
            "docker {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Back to a fresh session: no containers, no volumes, only the sample images.
fn reset_state(images: &[ImageDef], quiet: bool) -> Result<()> {
    let containers = docker_output(&["ps", "-aq"])?;
    let containers: Vec<&str> = containers.split_whitespace().collect();
    if !containers.is_empty() {
        docker_output(&[&["rm", "-f", "-v"][..], &containers].concat())?;
    }
    let volumes = docker_output(&["volume", "ls", "-q"])?;
    let volumes: Vec<&str> = volumes.split_whitespace().collect();
    if !volumes.is_empty() {
        docker_output(&[&["volume", "rm", "-f"][..], &volumes].concat())?;
    }
    let samples: Vec<String> = images.iter().map(ImageDef::reference).collect();
    let listed = docker_output(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])?;
    for line in listed.lines() {
        let Some((reference, id)) = line.split_once(' ') else {
            continue;
        };
        if samples.iter().any(|sample| sample == reference) {
            continue;
        }
        let target = if reference.contains("<none>") {
            id
        } else {
            reference
        };
        docker_output(&["rmi", "-f", target])?;
    }
    // A session that removed a sample image (`docker rmi`, `image prune -a`) gets it back.
    ensure_images(images, false, quiet)?;
    clear_home()?;
    Ok(())
}

fn prepare_home() -> Result<()> {
    let home = Path::new(HOME);
    if home.exists() {
        if !Path::new(HOME_MARKER).exists() {
            bail!("{HOME} exists and was not made by the recorder; move it away first");
        }
        return Ok(());
    }
    fs::write(HOME_MARKER, "created by cargo xtask record\n")?;
    fs::create_dir_all(home)?;
    fs::set_permissions(home, fs::Permissions::from_mode(0o755))?;
    chown(home, Some(1000), Some(1000))?;
    Ok(())
}

fn clear_home() -> Result<()> {
    let home = Path::new(HOME);
    if !home.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(home)? {
        let path = entry?.path();
        if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(&path)?;
        } else {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

fn restore_home() -> Result<()> {
    if Path::new(HOME_MARKER).exists() {
        if Path::new(HOME).exists() {
            fs::remove_dir_all(HOME)?;
        }
        fs::remove_file(HOME_MARKER)?;
    }
    Ok(())
}

fn definitions_hash() -> Result<String> {
    let mut hasher = DefaultHasher::new();
    DEFINITIONS.hash(&mut hasher);
    let busybox =
        fs::metadata(BUSYBOX).with_context(|| format!("{BUSYBOX}: install busybox-static"))?;
    busybox.len().hash(&mut hasher);
    Ok(format!("{:016x}\n", hasher.finish()))
}

fn ensure_images(images: &[ImageDef], rebuild: bool, quiet: bool) -> Result<()> {
    let hash = definitions_hash()?;
    let present = images.iter().all(|image| {
        docker(&["image", "inspect", &image.reference()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    if !rebuild && present && fs::read_to_string(IMAGES_HASH).is_ok_and(|old| old == hash) {
        if !quiet {
            println!("record: sample images are up to date");
        }
        return Ok(());
    }
    let _ = fs::remove_file(IMAGES_HASH);
    // Children first, so removing a base does not trip over its dependants.
    for image in images.iter().rev() {
        let _ = docker(&["rmi", "-f", &image.reference()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    load_images(images)?;
    for image in images {
        check_config(image)?;
        println!("record: built {}", image.reference());
    }
    fs::write(IMAGES_HASH, hash)?;
    Ok(())
}

/// Makes every sample image in the engine with one `docker load`, as a registry's images
/// arrive: each layer a tar of its entries (made once, so images built `FROM` another share its
/// layers), each image a config whose history rows are the definitions' (`created_by`,
/// `created`, `comment`, `empty_layer`) and whose `rootfs` lists the layers' digests.
fn load_images(images: &[ImageDef]) -> Result<()> {
    let dir = Path::new(SCRATCH).join("load");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    let mut tars: Vec<(&LayerDef, String)> = Vec::new();
    let mut manifest = Vec::new();
    for image in images {
        let mut diff_ids = Vec::new();
        for layer in image.layers.iter().filter(|layer| !layer.empty_layer) {
            let known = tars.iter().find(|(def, _)| *def == layer);
            let digest = match known {
                Some((_, digest)) => digest.clone(),
                None => {
                    let root = dir.join("rootfs");
                    materialise(&root, &layer.entries)?;
                    let tar = dir.join("layer.tar");
                    tar_dir(&root, &tar, layer.created)?;
                    fs::remove_dir_all(&root)?;
                    let digest = sha256(&tar)?;
                    fs::create_dir_all(dir.join(&digest))?;
                    fs::rename(&tar, dir.join(&digest).join("layer.tar"))?;
                    tars.push((layer, digest.clone()));
                    digest
                }
            };
            diff_ids.push(digest);
        }
        let config = serde_json::to_vec(&image_config(image, &diff_ids))?;
        let config_file = dir.join("config.json");
        fs::write(&config_file, &config)?;
        let config_name = format!("{}.json", sha256(&config_file)?);
        fs::rename(&config_file, dir.join(&config_name))?;
        manifest.push(serde_json::json!({
            "Config": config_name,
            "RepoTags": [image.reference()],
            "Layers": diff_ids.iter().map(|digest| format!("{digest}/layer.tar")).collect::<Vec<_>>(),
        }));
    }
    fs::write(dir.join("manifest.json"), serde_json::to_vec(&manifest)?)?;
    let archive = Path::new(SCRATCH).join("samples.tar");
    let status = Command::new("tar")
        .arg("-C")
        .arg(&dir)
        .arg("-cf")
        .arg(&archive)
        .arg(".")
        .status()?;
    if !status.success() {
        bail!("tar of {} failed", dir.display());
    }
    let output = docker(&["load", "-q", "-i", &archive.to_string_lossy()]).output()?;
    if !output.status.success() {
        bail!(
            "docker load failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    fs::remove_dir_all(&dir)?;
    fs::remove_file(&archive)?;
    Ok(())
}

/// An image's config as `docker load` reads it (the OCI/Docker image config: `config`,
/// `rootfs`, `history`), with only the fields the definition sets, as BuildKit writes them.
fn image_config(image: &ImageDef, diff_ids: &[String]) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let config = &image.config;
    let mut fields = Map::new();
    let set = |map: &[String]| -> Value {
        Value::Object(map.iter().map(|key| (key.clone(), json!({}))).collect())
    };
    if !config.exposed_ports.is_empty() {
        fields.insert("ExposedPorts".into(), set(&config.exposed_ports));
    }
    fields.insert("Env".into(), json!(config.env));
    if let Some(entrypoint) = &config.entrypoint {
        fields.insert("Entrypoint".into(), json!(entrypoint));
    }
    if let Some(cmd) = &config.cmd {
        fields.insert("Cmd".into(), json!(cmd));
    }
    if !config.volumes.is_empty() {
        fields.insert("Volumes".into(), set(&config.volumes));
    }
    if !config.working_dir.is_empty() {
        fields.insert("WorkingDir".into(), json!(config.working_dir));
    }
    if !config.user.is_empty() {
        fields.insert("User".into(), json!(config.user));
    }
    if !config.labels.is_empty() {
        fields.insert("Labels".into(), json!(config.labels));
    }
    if let Some(signal) = &config.stop_signal {
        fields.insert("StopSignal".into(), json!(signal));
    }
    let history: Vec<Value> = image
        .layers
        .iter()
        .map(|layer| {
            let mut row = Map::new();
            row.insert("created".into(), json!(rfc3339(layer.created)));
            row.insert("created_by".into(), json!(layer.created_by));
            if !layer.comment.is_empty() {
                row.insert("comment".into(), json!(layer.comment));
            }
            if layer.empty_layer {
                row.insert("empty_layer".into(), json!(true));
            }
            Value::Object(row)
        })
        .collect();
    json!({
        "architecture": "amd64",
        "os": "linux",
        "created": rfc3339(image.created),
        "config": fields,
        "rootfs": {
            "type": "layers",
            "diff_ids": diff_ids.iter().map(|digest| format!("sha256:{digest}")).collect::<Vec<_>>(),
        },
        "history": history,
    })
}

/// The sha256 of a file, in hex (what `docker load` checks a layer tar and a config against).
fn sha256(path: &Path) -> Result<String> {
    let output = Command::new("sha256sum").arg(path).output()?;
    if !output.status.success() {
        bail!("sha256sum {} failed", path.display());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    match text.split_whitespace().next() {
        Some(digest) if digest.len() == 64 => Ok(digest.to_string()),
        _ => bail!("sha256sum {}: unexpected output {text:?}", path.display()),
    }
}

/// Writes `entries` under `root` with their modes and owners (needs root).
fn materialise(root: &Path, entries: &[EntryDef]) -> Result<()> {
    fs::create_dir_all(root)?;
    for entry in entries {
        let path = root.join(entry.path.trim_start_matches('/'));
        match &entry.kind {
            EntryKind::Dir => {
                // Parents come first in the definitions; a directory from a lower layer that
                // this layer only changes is created here as a plain 0755 root directory.
                fs::create_dir_all(&path)?;
            }
            EntryKind::File { content } => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                write_file(&path, &entry.path, content)?;
            }
            EntryKind::Symlink { target } => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                symlink(target, &path)?;
                lchown(&path, Some(entry.uid), Some(entry.gid))?;
                continue;
            }
            EntryKind::Hardlink { target } => {
                fs::hard_link(root.join(target.trim_start_matches('/')), &path)?;
                continue;
            }
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(entry.mode))?;
        chown(&path, Some(entry.uid), Some(entry.gid))?;
    }
    Ok(())
}

fn write_file(path: &Path, image_path: &str, content: &FileContent) -> Result<()> {
    match content {
        FileContent::Text(text) => fs::write(path, text)?,
        FileContent::Sized(size) if image_path == BUSYBOX => {
            // The real program, padded with zeros to the declared size (an ELF runs the same).
            let mut bytes = fs::read(BUSYBOX)?;
            if bytes.len() as u64 > *size {
                bail!(
                    "{BUSYBOX} is {} bytes, more than the {size} declared in the definitions: raise the declared size",
                    bytes.len()
                );
            }
            bytes.resize(*size as usize, 0);
            fs::write(path, bytes)?;
        }
        FileContent::Sized(size) => {
            let mut file = fs::File::create(path)?;
            let zeros = vec![0u8; 64 * 1024];
            let mut left = *size;
            while left > 0 {
                let chunk = left.min(zeros.len() as u64) as usize;
                file.write_all(&zeros[..chunk])?;
                left -= chunk as u64;
            }
        }
    }
    Ok(())
}

/// A layer tar of `dir`'s entries, every one dated `mtime` (seconds since the epoch), in name
/// order with numeric owners: the same entries always make the same tar, and the same digest.
fn tar_dir(dir: &Path, tar: &Path, mtime: u64) -> Result<()> {
    let status = Command::new("tar")
        .args(["--numeric-owner", "--sort=name"])
        .arg(format!("--mtime=@{mtime}"))
        .arg("-C")
        .arg(dir)
        .arg("-cf")
        .arg(tar)
        .arg(".")
        .status()?;
    if !status.success() {
        bail!("tar of {} failed", dir.display());
    }
    Ok(())
}

/// Compares the built image's config with the definition's, so the two cannot drift apart silently.
fn check_config(image: &ImageDef) -> Result<()> {
    let reference = image.reference();
    let got = docker_output(&[
        "image",
        "inspect",
        "--format",
        "{{join .Config.Env \"|\"}}\n{{json .Config.Cmd}}\n{{json .Config.Entrypoint}}\n{{.Config.WorkingDir}}\n{{.Config.User}}\n{{range $k, $v := .Config.Volumes}}{{$k}}|{{end}}\n{{range $k, $v := .Config.ExposedPorts}}{{$k}}|{{end}}\n{{.Config.StopSignal}}",
        &reference,
    ])?;
    let config = &image.config;
    let json_list = |list: &Option<Vec<String>>| match list {
        None => "null".to_string(),
        Some(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
    let mut volumes = config.volumes.clone();
    volumes.sort();
    let mut ports = config.exposed_ports.clone();
    ports.sort();
    let want = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        config.env.join("|"),
        json_list(&config.cmd),
        json_list(&config.entrypoint),
        config.working_dir,
        config.user,
        volumes.iter().map(|v| format!("{v}|")).collect::<String>(),
        ports.iter().map(|p| format!("{p}|")).collect::<String>(),
        config.stop_signal.clone().unwrap_or_default(),
    );
    if got != want {
        bail!("{reference}: the built config differs from the definition's\n engine: {got:?}\n   defs: {want:?}");
    }
    Ok(())
}
