//! `docker build` as CLI 28 runs it without the buildx plugin: the legacy builder. The CLI
//! reads the context directory (minus `.dockerignore`) and the Dockerfile from the host as the
//! user; the classic builder runs each instruction as a step that makes one image: `RUN` in a
//! container of the previous step's image (`/bin/sh -c`, BusyBox ash), `COPY`/`ADD` as a layer
//! of copied files, the others as a config change with an empty `#(nop)` history row.

use std::collections::BTreeMap;

use layerbox_dockerfile::ignore::Ignore;
use layerbox_dockerfile::instruction::Copy;
use layerbox_dockerfile::word::{expand, expand_words};
use layerbox_dockerfile::{CommandForm, Instruction};
use layerbox_engine::build::BuildStep;
use layerbox_engine::clock::{short_id, IdGenerator};
use layerbox_engine::image::ImageConfig;
use layerbox_engine::world::CreateRequest;
use layerbox_fstree::{Cred, FileSystem, FileType, Store};
use layerbox_sh::Output;
use layerbox_tools::gzip::Compression;
use layerbox_tools::tar::{self, TarEntry, TarKind};

use super::flags::{option, switch, Command, Matches};
use super::reply::{check_args, Arity};
use super::value::go_quote;
use super::volume::human_size;
use super::Cli;
use layerbox_runtime::process::{self, Ended, ProcessSpec, StartError};

/// The PATH the classic builder gives an image from scratch (`system.DefaultPathEnv`).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const BUILD_FLAGS: &[super::flags::Flag] = &[
    option("tag", Some('t')),
    option("file", Some('f')),
    switch("no-cache", None),
    switch("quiet", Some('q')),
    option("build-arg", None),
    option("target", None),
    switch("rm", None),
    switch("force-rm", None),
];

const BUILD_NOT_MODELLED: &[&str] = &[
    "platform",
    "network",
    "cache-from",
    "iidfile",
    "squash",
    "pull",
    "memory",
    "cpu-shares",
    "add-host",
    "compress",
    "isolation",
    "secret",
    "ssh",
    "output",
    "progress",
    "label",
];

pub const BUILD: Command = Command {
    path: "build",
    usage: "docker build [OPTIONS] PATH | URL | -",
    flags: BUILD_FLAGS,
    interspersed: true,
    not_modelled: BUILD_NOT_MODELLED,
};

pub const IMAGE_BUILD: Command = Command {
    path: "image build",
    usage: "docker image build [OPTIONS] PATH | URL | -",
    ..BUILD
};

/// What CLI 28 prints to stderr when it falls back to the legacy builder.
const DEPRECATED: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n";

/// One entry of the build context as the CLI's tar carries it.
#[derive(Debug, Clone)]
struct ContextEntry {
    /// Relative to the context, `/`-separated.
    rel: String,
    kind: FileType,
    mode: u32,
    mtime: u64,
    data: Vec<u8>,
    target: String,
    /// A hard link to this earlier entry (`rel`), as read from an image for `COPY --from`.
    link: Option<String>,
}

/// The context directory read as the user, `.dockerignore`d entries left out, in tar order.
fn read_context(
    host: &dyn Store,
    cred: &Cred,
    root: &str,
    ignore: &Ignore,
    keep: &[&str],
) -> Vec<ContextEntry> {
    let mut out = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let dir = if rel.is_empty() {
            root.to_string()
        } else {
            layerbox_fstree::path::join(root, &rel)
        };
        let Ok(mut entries) = host.read_dir(cred, &dir) else {
            continue;
        };
        layerbox_order::sort_by(&mut entries, |a, b| a.name.cmp(&b.name));
        let mut subdirs = Vec::new();
        for e in entries {
            let child_rel = if rel.is_empty() {
                e.name.clone()
            } else {
                format!("{rel}/{}", e.name)
            };
            if ignore.excludes(&child_rel) && !keep.contains(&child_rel.as_str()) {
                continue;
            }
            let path = layerbox_fstree::path::join(root, &child_rel);
            let Ok(st) = host.lstat(cred, &path) else {
                continue;
            };
            let data = if st.kind == FileType::File {
                host.read_file(cred, &path)
                    .map(|c| c.to_vec())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            let target = if st.kind == FileType::Symlink {
                host.readlink(cred, &path).unwrap_or_default()
            } else {
                String::new()
            };
            out.push(ContextEntry {
                rel: child_rel.clone(),
                kind: st.kind,
                mode: st.mode & 0o7777,
                mtime: st.mtime,
                data,
                target,
                link: None,
            });
            if st.kind == FileType::Dir {
                subdirs.push(child_rel);
            }
        }
        // Depth first, in name order (filepath.Walk).
        for d in subdirs.into_iter().rev() {
            stack.push(d);
        }
    }
    // Walk order: a directory's entries follow it directly.
    layerbox_order::sort_by(&mut out, |a, b| walk_key(&a.rel).cmp(&walk_key(&b.rel)));
    out
}

fn walk_key(rel: &str) -> Vec<&str> {
    rel.split('/').collect()
}

/// What `COPY --from` reads: the entries at and below each source path in image `image`'s
/// files, named relative to `/`, in walk order; a file with a name already read is a hard link.
fn read_image(
    world: &layerbox_engine::world::World,
    image: &str,
    sources: &[String],
) -> Vec<ContextEntry> {
    let Ok(fs) = world.build_rootfs(image) else {
        return Vec::new();
    };
    let root = Cred::root();
    let mut out: Vec<ContextEntry> = Vec::new();
    let mut inodes: BTreeMap<u64, String> = BTreeMap::new();
    let mut stack: Vec<String> = sources.iter().map(|s| context_rel(s)).collect();
    layerbox_order::sort(&mut stack);
    stack.dedup();
    while let Some(rel) = stack.pop() {
        let path = format!("/{rel}");
        let Ok(st) = fs.lstat(&root, &path) else {
            continue;
        };
        if out.iter().any(|e| e.rel == rel) {
            continue;
        }
        let link = (st.kind == FileType::File && st.nlink > 1)
            .then(|| inodes.get(&st.ino).cloned())
            .flatten();
        if st.kind == FileType::File && link.is_none() {
            inodes.insert(st.ino, rel.clone());
        }
        let data = if st.kind == FileType::File && link.is_none() {
            fs.read_file(&root, &path)
                .map(|c| c.to_vec())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let target = if st.kind == FileType::Symlink {
            fs.readlink(&root, &path).unwrap_or_default()
        } else {
            String::new()
        };
        if st.kind == FileType::Dir {
            if let Ok(mut entries) = fs.read_dir(&root, &path) {
                layerbox_order::sort_by(&mut entries, |a, b| b.name.cmp(&a.name));
                for e in entries {
                    stack.push(if rel.is_empty() {
                        e.name
                    } else {
                        format!("{rel}/{}", e.name)
                    });
                }
            }
        }
        out.push(ContextEntry {
            rel,
            kind: st.kind,
            mode: st.mode & 0o7777,
            mtime: st.mtime,
            data,
            target,
            link,
        });
    }
    layerbox_order::sort_by(&mut out, |a, b| walk_key(&a.rel).cmp(&walk_key(&b.rel)));
    out
}

/// Bytes of the context's tar: a 512-byte header per entry, file data in 512-byte blocks, two
/// zero blocks at the end.
fn tar_size(entries: &[ContextEntry]) -> u64 {
    let blocks: u64 = entries
        .iter()
        .map(|e| 1 + (e.data.len() as u64).div_ceil(512))
        .sum();
    blocks * 512 + 1024
}

/// The build's state between steps (moby's `dispatchState`).
struct State {
    image: String,
    config: ImageConfig,
    /// ARGs declared so far, with their values.
    args: Vec<(String, Option<String>)>,
    build_args: BTreeMap<String, String>,
    /// A CMD was given in this stage (an ENTRYPOINT after it keeps it).
    cmd_set: bool,
}

impl State {
    fn lookup(&self, name: &str) -> Option<String> {
        for e in &self.config.env {
            if let Some((k, v)) = e.split_once('=') {
                if k == name {
                    return Some(v.to_string());
                }
            }
        }
        self.args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(k, v)| self.build_args.get(k).cloned().or_else(|| v.clone()))
    }

    fn expand(&self, word: &str) -> Result<String, String> {
        expand(word, &|n: &str| self.lookup(n))
    }

    /// `KEY=value` of the ARGs in effect that ENV does not override, sorted (`|N K=V ...`).
    fn arg_env(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, default) in &self.args {
            let in_env = self
                .config
                .env
                .iter()
                .any(|e| e.split('=').next() == Some(k.as_str()));
            let value = self.build_args.get(k).cloned().or_else(|| default.clone());
            if let (false, Some(v)) = (in_env, value) {
                out.retain(|e| e.split('=').next() != Some(k.as_str()));
                out.push(format!("{k}={v}"));
            }
        }
        layerbox_order::sort(&mut out);
        out
    }
}

/// Go's `%q` of a string slice: `["cat" "index.html"]`.
fn go_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| go_quote(i)).collect();
    format!("[{}]", quoted.join(" "))
}

/// A metadata instruction's history row (`withCmdComment`: two spaces after `#(nop)`).
fn nop(comment: &str) -> String {
    format!("/bin/sh -c #(nop)  {comment}")
}

/// A sample definition's config instruction as the recorder's classic build recorded it.
pub fn sample_created_by(instruction: &str) -> String {
    let lines = layerbox_dockerfile::parse(instruction);
    let Some(line) = lines.first() else {
        return nop(instruction);
    };
    let state = State {
        image: String::new(),
        config: ImageConfig::default(),
        args: Vec::new(),
        build_args: BTreeMap::new(),
        cmd_set: false,
    };
    match Instruction::from_line(line) {
        Ok(Instruction::Workdir(dir)) => format!("/bin/sh -c #(nop) WORKDIR {dir}"),
        Ok(inst) => {
            let mut config = ImageConfig::default();
            match metadata(&state, &inst, &mut config) {
                Ok(Some(comment)) => nop(&comment),
                _ => nop(instruction),
            }
        }
        Err(_) => nop(instruction),
    }
}

/// The instructions `docker commit --change` takes (moby's `validCommitCommands`).
const COMMIT_CHANGES: [&str; 9] = [
    "cmd",
    "entrypoint",
    "env",
    "expose",
    "label",
    "onbuild",
    "user",
    "volume",
    "workdir",
];

/// Why `docker commit --change` lines were refused.
pub enum ChangeError {
    /// The daemon's message (a keyword outside [`COMMIT_CHANGES`], a malformed instruction).
    Daemon(String),
    /// What layerbox does not model (`ONBUILD`).
    NotModelled(&'static str),
}

/// `docker commit --change` lines as instructions, checked before anything is committed.
pub fn commit_changes(changes: &[String]) -> Result<Vec<Instruction>, ChangeError> {
    let mut out = Vec::new();
    for change in changes {
        let lines = layerbox_dockerfile::parse(change);
        let Some(line) = lines.first() else {
            continue;
        };
        if !COMMIT_CHANGES.contains(&line.keyword.as_str()) {
            return Err(ChangeError::Daemon(format!(
                "{} is not a valid change command",
                line.keyword
            )));
        }
        if line.keyword == "onbuild" {
            return Err(ChangeError::NotModelled("docker commit --change ONBUILD"));
        }
        let inst = match (line.keyword.as_str(), line.rest.is_empty()) {
            // A bare `CMD` or `ENTRYPOINT` is an empty shell form: `["/bin/sh", "-c"]`.
            ("cmd", true) => Instruction::Cmd(CommandForm::Exec(empty_shell_form())),
            ("entrypoint", true) => Instruction::Entrypoint(CommandForm::Exec(empty_shell_form())),
            _ => Instruction::from_line(line).map_err(|e| ChangeError::Daemon(e.message))?,
        };
        out.push(inst);
    }
    Ok(out)
}

fn empty_shell_form() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

/// Applies checked `--change` instructions to a committed image's `config` in order, as the
/// builder's dispatcher does (variables from the config's `ENV` as it stands; an `ENTRYPOINT`
/// drops the `CMD` unless a change set one).
pub fn apply_commit_changes(
    changes: &[Instruction],
    config: &mut ImageConfig,
) -> Result<(), String> {
    let mut cmd_set = false;
    for inst in changes {
        let state = State {
            image: String::new(),
            config: config.clone(),
            args: Vec::new(),
            build_args: BTreeMap::new(),
            cmd_set,
        };
        match inst {
            Instruction::Workdir(dir) => {
                let dir = state.expand(dir)?;
                let base = if config.working_dir.is_empty() {
                    "/"
                } else {
                    config.working_dir.as_str()
                };
                let joined = if dir.starts_with('/') {
                    dir
                } else {
                    layerbox_fstree::path::join(base, &dir)
                };
                config.working_dir = layerbox_fstree::path::normalize(&joined).unwrap_or(joined);
            }
            inst => {
                metadata(&state, inst, config)?;
            }
        }
        match inst {
            Instruction::Cmd(_) => cmd_set = true,
            Instruction::Entrypoint(_) if !cmd_set => config.cmd = None,
            _ => {}
        }
    }
    Ok(())
}

/// Applies a metadata instruction to `config`; its `#(nop)` comment, or `None` if `inst` is
/// not one.
fn metadata(
    state: &State,
    inst: &Instruction,
    config: &mut ImageConfig,
) -> Result<Option<String>, String> {
    Ok(Some(match inst {
        Instruction::Env(pairs) => {
            let mut comment = String::from("ENV");
            for (k, v) in pairs {
                let k = state.expand(k)?;
                let v = state.expand(v)?;
                config
                    .env
                    .retain(|e| e.split('=').next() != Some(k.as_str()));
                config.env.push(format!("{k}={v}"));
                comment.push_str(&format!(" {k}={v}"));
            }
            comment
        }
        Instruction::Label(pairs) => {
            let mut comment = String::from("LABEL");
            for (k, v) in pairs {
                let k = state.expand(k)?;
                let v = state.expand(v)?;
                config.labels.insert(k.clone(), v.clone());
                comment.push_str(&format!(" {k}={v}"));
            }
            comment
        }
        Instruction::Expose(ports) => {
            let mut words = Vec::new();
            for p in ports {
                words.extend(expand_words(p, &|n: &str| state.lookup(n))?);
            }
            // BuildKit's parser sorts the ports (`EXPOSE 80/udp 443` is `EXPOSE 443 80/udp`).
            layerbox_order::sort(&mut words);
            for p in &words {
                let port = if p.contains('/') {
                    p.clone()
                } else {
                    format!("{p}/tcp")
                };
                if !config.exposed_ports.contains(&port) {
                    config.exposed_ports.push(port);
                }
            }
            format!("EXPOSE {}", words.join(" "))
        }
        Instruction::User(user) => {
            let user = state.expand(user)?;
            config.user = user.clone();
            format!("USER {user}")
        }
        Instruction::Volume(list) => {
            let mut vols = Vec::new();
            for v in list {
                vols.push(state.expand(v)?);
            }
            for v in &vols {
                if !config.volumes.contains(v) {
                    config.volumes.push(v.clone());
                }
            }
            format!("VOLUME [{}]", vols.join(" "))
        }
        Instruction::Cmd(form) => {
            let argv = form.argv();
            config.cmd = Some(argv.clone());
            format!("CMD {}", go_list(&argv))
        }
        Instruction::Entrypoint(form) => {
            let argv = form.argv();
            config.entrypoint = Some(argv.clone()).filter(|a| !a.is_empty());
            // An ENTRYPOINT resets the CMD a parent image set.
            format!("ENTRYPOINT {}", go_list(&argv))
        }
        Instruction::StopSignal(sig) => {
            let sig = state.expand(sig)?;
            config.stop_signal = Some(sig.clone());
            format!("STOPSIGNAL {sig}")
        }
        Instruction::Arg { name, default } => match default {
            Some(d) => format!("ARG {name}={d}"),
            None => format!("ARG {name}"),
        },
        Instruction::Maintainer(m) => format!("MAINTAINER {m}"),
        _ => return Ok(None),
    }))
}

/// What the build printed so far; `quiet` (`-q`) keeps progress and step output back.
struct Run {
    out: Output,
    quiet: bool,
}

impl Run {
    fn say(&mut self, text: &str) {
        if !self.quiet {
            self.out.stdout.extend_from_slice(text.as_bytes());
            self.out.stdout.push(b'\n');
        }
    }

    fn fail(mut self, message: &str, code: i32) -> Output {
        self.out.stderr.extend_from_slice(message.as_bytes());
        self.out.stderr.push(b'\n');
        self.out.code = code;
        self.out
    }
}

/// The context-relative path `p` names, cleaned, never above the context.
fn context_rel(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    parts.join("/")
}

/// `COPY`/`ADD`: the sources found in the context, each with the entries to copy.
fn copy_sources<'a>(
    context: &'a [ContextEntry],
    sources: &[String],
) -> Result<Vec<(String, Vec<&'a ContextEntry>)>, String> {
    let mut found = Vec::new();
    for src in sources {
        let rel = context_rel(src);
        let names: Vec<String> = if src.contains(['*', '?', '[']) {
            let (dir, pattern) = match rel.rsplit_once('/') {
                Some((d, p)) => (d.to_string(), p.to_string()),
                None => (String::new(), rel.clone()),
            };
            context
                .iter()
                .filter(|e| match e.rel.rsplit_once('/') {
                    Some((d, n)) => d == dir && layerbox_dockerfile::filepath_match(&pattern, n),
                    None => dir.is_empty() && layerbox_dockerfile::filepath_match(&pattern, &e.rel),
                })
                .map(|e| e.rel.clone())
                .collect()
        } else {
            vec![rel.clone()]
        };
        if names.is_empty() {
            return Err("COPY failed: no source files were specified".to_string());
        }
        for name in names {
            let entries: Vec<&ContextEntry> = if name.is_empty() {
                context.iter().collect()
            } else {
                context
                    .iter()
                    .filter(|e| e.rel == name || e.rel.starts_with(&format!("{name}/")))
                    .collect()
            };
            if entries.is_empty() {
                return Err(format!(
                    "COPY failed: file not found in build context or excluded by .dockerignore: stat {}: file does not exist",
                    src
                ));
            }
            found.push((name, entries));
        }
    }
    Ok(found)
}

/// Runs the build; everything it printed and its exit code. The CLI's deprecation notice goes
/// to stderr ahead of the progress, so `> /dev/null` keeps it and `2> /dev/null` drops it.
pub fn build(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let mut out = build_steps(cli, cmd, m);
    out.stderr_first = DEPRECATED.as_bytes().to_vec();
    out
}

fn build_steps(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let out = Output::default();
    if let Err(e) = check_args(cmd, &m.args, Arity::Exact(1)) {
        return e;
    }
    if m.last("rm") == Some("false") {
        return super::reply::not_modelled(
            "docker build --rm=false (keeping intermediate containers)",
        );
    }
    let quiet = m.on("quiet");
    let mut run = Run { out, quiet };
    let cred = layerbox_engine::host::user_cred();
    let cwd = cli.cwd.to_string();
    let given = m.args[0].clone();
    if given == "-" || given.contains("://") || given.starts_with("git@") {
        return super::reply::not_modelled(&format!(
            "docker build {given} (a context from stdin or a URL)"
        ));
    }
    let abs = |p: &str| {
        let joined = if p.starts_with('/') {
            p.to_string()
        } else {
            format!("{cwd}/{p}")
        };
        layerbox_fstree::path::normalize(&joined).unwrap_or(joined)
    };
    let context_dir = abs(&given);
    let host = cli.world.host();
    // The CLI stats the path as given: an empty one is not the current directory.
    let found = if given.is_empty() {
        Err(layerbox_fstree::Errno::ENOENT)
    } else {
        host.stat(&cred, &context_dir)
    };
    match found {
        Ok(st) if st.kind == FileType::Dir => {}
        Ok(_) => {
            return run.fail(
                &format!("unable to prepare context: context must be a directory: {context_dir}"),
                1,
            )
        }
        Err(_) => {
            return run.fail(
                &format!("unable to prepare context: path \"{given}\" not found"),
                1,
            )
        }
    }
    let dockerfile_path = match m.last("file") {
        Some(f) => abs(f),
        None => layerbox_fstree::path::join(&context_dir, "Dockerfile"),
    };
    let dockerfile = match host.read_file(&cred, &dockerfile_path) {
        Ok(c) => String::from_utf8_lossy(&c).into_owned(),
        Err(_) => {
            return run.fail(
                &format!(
                    "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {dockerfile_path}: no such file or directory"
                ),
                1,
            )
        }
    };
    let dockerfile_rel = dockerfile_path
        .strip_prefix(&format!("{context_dir}/"))
        .unwrap_or("Dockerfile")
        .to_string();
    let ignore = host
        .read_file(
            &cred,
            &layerbox_fstree::path::join(&context_dir, ".dockerignore"),
        )
        .map(|c| Ignore::parse(&String::from_utf8_lossy(&c)))
        .unwrap_or_default();
    // The Dockerfile and .dockerignore are sent even when ignored.
    let sent = read_context(
        host,
        &cred,
        &context_dir,
        &ignore,
        &[dockerfile_rel.as_str(), ".dockerignore"],
    );
    let context: Vec<ContextEntry> = read_context(host, &cred, &context_dir, &ignore, &[]);
    if !quiet {
        run.out.stdout.extend_from_slice(
            format!(
                "Sending build context to Docker daemon {:>8}\r\r\n",
                human_size(tar_size(&sent))
            )
            .as_bytes(),
        );
    }
    let lines = layerbox_dockerfile::parse(&dockerfile);
    if lines.is_empty() {
        return run.fail(
            &format!(
                "Error response from daemon: the Dockerfile ({dockerfile_rel}) cannot be empty"
            ),
            1,
        );
    }
    let mut instructions = Vec::new();
    for line in &lines {
        match Instruction::from_line(line) {
            Ok(i) => instructions.push((line.clone(), i)),
            Err(e) => {
                return run.fail(
                    &format!(
                        "Error response from daemon: dockerfile parse error line {}: {}",
                        e.line, e.message
                    ),
                    1,
                )
            }
        }
    }
    if !matches!(instructions.first(), Some((_, Instruction::From { .. }))) {
        return run.fail(
            "Error response from daemon: no build stage in current context",
            1,
        );
    }
    let mut build_args = BTreeMap::new();
    for a in m.all("build-arg") {
        if let Some((k, v)) = a.split_once('=') {
            build_args.insert(k.to_string(), v.to_string());
        }
    }
    let options = Options {
        no_cache: m.on("no-cache"),
        force_rm: m.on("force-rm"),
        context,
    };
    if let Some(target) = m.last("target") {
        let target = target.to_ascii_lowercase();
        let Some(at) = instructions.iter().position(
            |(_, i)| matches!(i, Instruction::From { name: Some(n), .. } if *n == target),
        ) else {
            return run.fail(
                &format!(
                    "Error response from daemon: failed to reach build target {target} in Dockerfile"
                ),
                1,
            );
        };
        // The build ends with the target stage.
        if let Some(next) = instructions[at + 1..]
            .iter()
            .position(|(_, i)| matches!(i, Instruction::From { .. }))
        {
            instructions.truncate(at + 1 + next);
        }
    }
    let total = instructions.len();
    let mut state: Option<State> = None;
    // Finished stages: name (if any) and image.
    let mut stages: Vec<(Option<String>, String)> = Vec::new();
    let mut stage_name: Option<String> = None;
    for (index, (line, inst)) in instructions.iter().enumerate() {
        if let Instruction::From { name, .. } = inst {
            if let Some(s) = state.take() {
                stages.push((stage_name.take(), s.image));
            }
            if let Some(n) = name {
                if stages.iter().any(|(used, _)| used.as_ref() == Some(n)) {
                    return run.fail("a stage name already used", 1);
                }
            }
            stage_name = name.clone();
        }
        run.say(&format!("Step {}/{} : {}", index + 1, total, line.original));
        let result = step(
            cli,
            &mut run,
            &options,
            &mut state,
            &stages,
            &build_args,
            inst,
        );
        if let Err((message, code)) = result {
            return run.fail(&message, code);
        }
        if let Some(s) = &state {
            run.say(&format!(" ---> {}", short_id(&s.image)));
        }
    }
    let Some(state) = state else {
        return run.fail(
            "Error response from daemon: no build stage in current context",
            1,
        );
    };
    if quiet {
        run.out
            .stdout
            .extend_from_slice(format!("sha256:{}\n", state.image).as_bytes());
    } else {
        run.say(&format!("Successfully built {}", short_id(&state.image)));
    }
    for tag in m.all("tag") {
        if let Err(e) = cli.world.tag_image(&state.image, &tag) {
            return run.fail(&format!("Error response from daemon: {e}"), 1);
        }
        run.say(&format!(
            "Successfully tagged {}",
            layerbox_engine::image::normalize_reference(&tag)
        ));
    }
    run.out
}

struct Options {
    no_cache: bool,
    /// `--force-rm`: a failed step's container goes too.
    force_rm: bool,
    context: Vec<ContextEntry>,
}

type StepResult = Result<(), (String, i32)>;

fn daemon(e: impl std::fmt::Display) -> (String, i32) {
    (format!("Error response from daemon: {e}"), 1)
}

/// One instruction, as the classic builder dispatches it.
fn step(
    cli: &mut Cli<'_>,
    run: &mut Run,
    options: &Options,
    state: &mut Option<State>,
    stages: &[(Option<String>, String)],
    build_args: &BTreeMap<String, String>,
    inst: &Instruction,
) -> StepResult {
    if let Instruction::From { image, .. } = inst {
        let image = match state {
            Some(s) => s.expand(image).map_err(daemon)?,
            None => image.clone(),
        };
        let (id, config) = if image == "scratch" {
            // The classic builder gives an image from scratch the default PATH.
            let config = ImageConfig {
                env: vec![format!("PATH={DEFAULT_PATH}")],
                ..ImageConfig::default()
            };
            (String::new(), config)
        } else {
            let id = stage_image(cli, stages, &image)?;
            let config = cli
                .world
                .images()
                .images
                .get(&id)
                .map(|i| i.config.clone())
                .unwrap_or_default();
            (id, config)
        };
        *state = Some(State {
            image: id,
            config,
            args: Vec::new(),
            build_args: build_args.clone(),
            cmd_set: false,
        });
        return Ok(());
    }
    let Some(s) = state.as_mut() else {
        return Err(daemon("no build stage in current context"));
    };
    match inst {
        Instruction::Run(form) => run_step(cli, run, options, s, form),
        Instruction::Copy(copy) => match &copy.from {
            Some(from) => {
                let from = s.expand(from).map_err(daemon)?;
                let image = stage_image(cli, stages, &from)?;
                let mut sources = Vec::new();
                for src in &copy.sources {
                    sources.push(s.expand(src).map_err(daemon)?);
                }
                let files = read_image(cli.world, &image, &sources);
                copy_step(cli, options, &files, s, copy, "COPY")
            }
            None => copy_step(cli, options, &options.context, s, copy, "COPY"),
        },
        Instruction::Add(copy) => {
            if copy.sources.iter().any(|src| src.contains("://")) {
                return Err(("layerbox: ADD from a URL is not modelled".into(), 1));
            }
            copy_step(cli, options, &options.context, s, copy, "ADD")
        }
        Instruction::Workdir(dir) => {
            let dir = s.expand(dir).map_err(daemon)?;
            let base = if s.config.working_dir.is_empty() {
                "/".to_string()
            } else {
                s.config.working_dir.clone()
            };
            let joined = if dir.starts_with('/') {
                dir
            } else {
                layerbox_fstree::path::join(&base, &dir)
            };
            let dir = layerbox_fstree::path::normalize(&joined).unwrap_or(joined);
            let mut config = s.config.clone();
            config.working_dir = dir.clone();
            let created_by = format!("/bin/sh -c #(nop) WORKDIR {dir}");
            container_step(cli, run, options, s, config, created_by, Some(dir))
        }
        Instruction::Unmodelled(keyword) => Err((
            format!("layerbox: the {keyword} instruction is not modelled"),
            1,
        )),
        Instruction::Arg { name, default } => {
            let value = default
                .as_ref()
                .map(|d| s.expand(d))
                .transpose()
                .map_err(daemon)?;
            let comment = match &value {
                Some(v) => format!("ARG {name}={v}"),
                None => format!("ARG {name}"),
            };
            s.args.push((name.clone(), value));
            let config = s.config.clone();
            container_step(cli, run, options, s, config, nop(&comment), None)
        }
        other => {
            let mut config = s.config.clone();
            match other {
                // ENTRYPOINT clears a CMD inherited from the base image, not one set here.
                Instruction::Entrypoint(_) if !s.cmd_set => config.cmd = None,
                Instruction::Cmd(_) => s.cmd_set = true,
                _ => {}
            }
            let Some(comment) = metadata(s, other, &mut config).map_err(daemon)? else {
                return Err(daemon("unexpected instruction"));
            };
            container_step(cli, run, options, s, config, nop(&comment), None)
        }
    }
}

/// The image a `FROM` or `COPY --from` names: an earlier stage by name or index, else a local
/// image (there is no registry to pull from).
fn stage_image(
    cli: &Cli<'_>,
    stages: &[(Option<String>, String)],
    name: &str,
) -> Result<String, (String, i32)> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, id)) = stages.iter().find(|(n, _)| n.as_deref() == Some(&lower)) {
        return Ok(id.clone());
    }
    if let Some((_, id)) = name.parse::<usize>().ok().and_then(|i| stages.get(i)) {
        return Ok(id.clone());
    }
    match cli.world.images().find(name) {
        Some(img) => Ok(img.id.clone()),
        None => Err(daemon(format!(
            "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            name.split(':').next().unwrap_or(name)
        ))),
    }
}

/// A step committed from a container (`WORKDIR` and the metadata instructions): a cache hit,
/// or create the container, make the working directory, commit, remove.
fn container_step(
    cli: &mut Cli<'_>,
    run: &mut Run,
    options: &Options,
    s: &mut State,
    config: ImageConfig,
    created_by: String,
    workdir: Option<String>,
) -> StepResult {
    let step = BuildStep { config, created_by };
    if !options.no_cache {
        if let Some(id) = cli.world.build_cache_lookup(&s.image, &step) {
            run.say(" ---> Using cache");
            s.image = id;
            s.config = step.config;
            return Ok(());
        }
    }
    if s.image.is_empty() {
        // Emulation note: from scratch there is no image to make the step's container of;
        // the step's image is made straight away, under the id its container would have had.
        let id = cli.world.next_id();
        run.say(&format!(" ---> Running in {}", short_id(&id)));
        cli.world.advance_clock(1);
        let image = cli
            .world
            .add_build_image("", layerbox_fstree::Layer::default(), &step, Some(&id))
            .map_err(daemon)?;
        run.say(&format!(
            "Removing intermediate container {}",
            short_id(&id)
        ));
        s.image = image;
        s.config = step.config;
        return Ok(());
    }
    let req = CreateRequest {
        image: s.image.clone(),
        cmd: Some(vec!["/bin/sh".into(), "-c".into(), step.created_by.clone()]),
        entrypoint: Some(Vec::new()),
        ..CreateRequest::default()
    };
    let id = cli.world.create_container(&req).map_err(daemon)?;
    run.say(&format!(" ---> Running in {}", short_id(&id)));
    if let Some(dir) = workdir {
        cli.world.create_workdir(&id, &dir).map_err(daemon)?;
    }
    // A step takes a moment: the next build's cache finds the newest match.
    cli.world.advance_clock(1);
    let image = cli.world.commit_build_step(&id, &step).map_err(daemon)?;
    let _ = cli.world.remove_container(&id, true, true);
    run.say(&format!(
        "Removing intermediate container {}",
        short_id(&id)
    ));
    s.image = image;
    s.config = step.config;
    Ok(())
}

/// `RUN`: the command in a container of the current image, its output shown, its writable
/// layer committed. A failing command keeps its container.
fn run_step(
    cli: &mut Cli<'_>,
    run: &mut Run,
    options: &Options,
    s: &mut State,
    form: &CommandForm,
) -> StepResult {
    let argv = form.argv();
    let args = s.arg_env();
    let mut saved: Vec<String> = Vec::new();
    if !args.is_empty() {
        saved.push(format!("|{}", args.len()));
        saved.extend(args.iter().cloned());
    }
    saved.extend(argv.iter().cloned());
    let created_by = saved.join(" ");
    let step = BuildStep {
        config: s.config.clone(),
        created_by: created_by.clone(),
    };
    if !options.no_cache {
        if let Some(id) = cli.world.build_cache_lookup(&s.image, &step) {
            run.say(" ---> Using cache");
            s.image = id;
            return Ok(());
        }
    }
    if s.image.is_empty() {
        // Emulation note: from scratch the step's container is not made; its program is not
        // there to start.
        let id = cli.world.next_id();
        run.say(&format!(" ---> Running in {}", short_id(&id)));
        let program = argv.first().cloned().unwrap_or_default();
        return Err((
            format!(
                "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{program}\": stat {program}: no such file or directory: unknown"
            ),
            1,
        ));
    }
    let req = CreateRequest {
        image: s.image.clone(),
        cmd: Some(argv.clone()),
        entrypoint: Some(Vec::new()),
        env: args,
        ..CreateRequest::default()
    };
    let id = cli.world.create_container(&req).map_err(daemon)?;
    run.say(&format!(" ---> Running in {}", short_id(&id)));
    super::port::start_container(cli, &id).map_err(daemon)?;
    let spec = ProcessSpec {
        argv: argv.clone(),
        ..ProcessSpec::default()
    };
    let code = match process::run(cli.world, &id, &spec) {
        Ok((out, end, _)) => {
            if !run.quiet {
                run.out.stdout.extend_from_slice(&out.stdout);
                run.out.stdout.extend_from_slice(&out.stderr);
            }
            cli.world.log_output(&id, &out.stdout, &out.stderr, false);
            match end {
                Ended::Exited(code) => code,
                Ended::Running => 0,
            }
        }
        Err(StartError::Engine(e)) => {
            let _ = cli.world.stop_container(&id, 126);
            return Err(daemon(e));
        }
        Err(StartError::NotFound(p)) => {
            let _ = cli.world.stop_container(&id, 127);
            return Err((
                format!(
                    "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{p}\": executable file not found in $PATH: unknown"
                ),
                1,
            ));
        }
    };
    let _ = cli.world.stop_container(&id, code);
    if code != 0 && options.force_rm {
        let _ = cli.world.remove_container(&id, true, true);
        run.say(&format!(
            "Removing intermediate container {}",
            short_id(&id)
        ));
    }
    if code != 0 {
        return Err((
            format!("The command '{created_by}' returned a non-zero code: {code}"),
            code,
        ));
    }
    // A step takes a moment: the next build's cache finds the newest match.
    cli.world.advance_clock(1);
    let image = cli.world.commit_build_step(&id, &step).map_err(daemon)?;
    let _ = cli.world.remove_container(&id, true, true);
    run.say(&format!(
        "Removing intermediate container {}",
        short_id(&id)
    ));
    s.image = image;
    Ok(())
}

/// What ADD finds in a source file (moby's `isArchivePath`: the bytes, decompressed if their
/// magic says so, start with a readable tar header).
enum Archive {
    No,
    Tar(Vec<TarEntry>),
    Unmodelled(Compression),
}

fn local_archive(data: &[u8]) -> Archive {
    let kind = Compression::detect(data);
    let tar = match kind {
        Compression::None => std::borrow::Cow::Borrowed(data),
        Compression::Gzip => match layerbox_tools::gzip::decompress(data) {
            Ok(bytes) => std::borrow::Cow::Owned(bytes),
            // A stream that does not decompress is no archive: copied as it is.
            Err(_) => return Archive::No,
        },
        other => return Archive::Unmodelled(other),
    };
    match tar::read(&tar) {
        Ok(entries) if !entries.is_empty() => Archive::Tar(entries),
        _ => Archive::No,
    }
}

/// moby's `chrootarchive.Untar` of an ADD archive into `dest`, the destination itself (created
/// 0755 if missing; `ADD files.tar /opt/` unpacks into `/opt`): every
/// member keeps the archive's owner, mode and mtime (20.10 applies no `--chown` to it); an
/// existing path is replaced unless both are directories; `.` itself is left as it is.
///
/// Emulation note: moby refuses a member that would land outside `dest` (`../x`) with a
/// breakout error; layerbox skips such a member.
fn unpack(
    fs: &mut layerbox_fstree::Union,
    dest: &str,
    entries: &[TarEntry],
    now: u64,
) -> Result<(), layerbox_fstree::Errno> {
    let root = Cred::root();
    if fs.stat(&root, dest).is_err() {
        fs.mkdir_all(&root, dest, 0o755, now)?;
    }
    for e in entries {
        let rel = context_rel(&e.name);
        if rel.is_empty() || e.name.split('/').any(|p| p == "..") {
            continue;
        }
        let path = layerbox_fstree::path::join(dest, &rel);
        if let Some((parent, _)) = layerbox_fstree::path::split(&path) {
            if fs.lstat(&root, parent).is_err() {
                fs.mkdir_all(&root, parent, 0o755, now)?;
            }
        }
        let existing = fs.lstat(&root, &path).ok();
        let both_dirs = existing.is_some_and(|st| st.is_dir()) && e.kind == TarKind::Dir;
        if existing.is_some() && !both_dirs {
            if existing.is_some_and(|st| st.is_dir()) {
                let _ = fs.remove_all(&root, &path, now);
            } else {
                fs.unlink(&root, &path, now)?;
            }
        }
        match &e.kind {
            TarKind::Dir => {
                if !both_dirs {
                    fs.mkdir(&root, &path, e.mode, now)?;
                }
            }
            TarKind::File(data) => fs.write_file(&root, &path, data, e.mode, now)?,
            TarKind::Symlink(target) => fs.symlink(&root, target, &path, now)?,
            TarKind::Link(target) => {
                let rel = context_rel(target);
                if rel.is_empty() || target.split('/').any(|p| p == "..") {
                    continue;
                }
                fs.link(&root, &layerbox_fstree::path::join(dest, &rel), &path, now)?;
                continue;
            }
        }
        if matches!(e.kind, TarKind::Symlink(_)) {
            fs.lchown(&root, &path, Some(e.uid), Some(e.gid))?;
        } else {
            fs.chmod(&root, &path, e.mode)?;
            fs.chown(&root, &path, Some(e.uid), Some(e.gid))?;
            fs.set_mtime(&root, &path, e.mtime)?;
        }
    }
    Ok(())
}

/// `COPY`/`ADD` of local files: a layer of the copied files (owner root unless `--chown`,
/// modes and mtimes kept), with a `#(nop) COPY file:HASH in DEST ` row.
fn copy_step(
    cli: &mut Cli<'_>,
    options: &Options,
    files: &[ContextEntry],
    s: &mut State,
    copy: &Copy,
    keyword: &str,
) -> StepResult {
    let mut sources = Vec::new();
    for src in &copy.sources {
        sources.push(s.expand(src).map_err(daemon)?);
    }
    let dest = s.expand(&copy.dest).map_err(daemon)?;
    let found = copy_sources(files, &sources).map_err(|e| {
        (
            if keyword == "ADD" {
                e.replacen("COPY failed", "ADD failed", 1)
            } else {
                e
            },
            1,
        )
    })?;
    let (uid, gid) = match &copy.chown {
        Some(spec) => {
            let (u, g) = spec
                .split_once(':')
                .unwrap_or((spec.as_str(), spec.as_str()));
            (u.parse().unwrap_or(0), g.parse().unwrap_or(0))
        }
        None => (0, 0),
    };
    // The source hash: what the classic builder's cache compares.
    let mut summary = Vec::new();
    for (_, entries) in &found {
        for e in entries {
            summary.extend_from_slice(e.rel.as_bytes());
            summary.extend_from_slice(format!("|{:o}|{uid}:{gid}|", e.mode).as_bytes());
            summary.extend_from_slice(&e.data);
            summary.push(0);
        }
    }
    let kind = if found.len() > 1 {
        "multi"
    } else if found
        .first()
        .and_then(|(name, entries)| entries.iter().find(|e| &e.rel == name))
        .is_some_and(|e| e.kind == FileType::File)
    {
        "file"
    } else {
        "dir"
    };
    // moby 20.10 writes the --chown flag straight before the hash, without a space.
    let chown = copy
        .chown
        .as_ref()
        .map(|c| format!("--chown={c}"))
        .unwrap_or_default();
    let created_by = format!(
        "/bin/sh -c #(nop) {keyword} {chown}{kind}:{} in {dest} ",
        IdGenerator::digest_of(&summary)
    );
    let step = BuildStep {
        config: s.config.clone(),
        created_by,
    };
    if !options.no_cache {
        if let Some(id) = cli.world.build_cache_lookup(&s.image, &step) {
            s.image = id;
            return Ok(());
        }
    }
    let workdir = if s.config.working_dir.is_empty() {
        "/".to_string()
    } else {
        s.config.working_dir.clone()
    };
    let dest_abs = if dest.starts_with('/') {
        dest.clone()
    } else {
        layerbox_fstree::path::join(&workdir, &dest)
    };
    let dest_dir_form = dest.ends_with('/') || dest == "." || found.len() > 1;
    let dest_abs = layerbox_fstree::path::normalize(&dest_abs).unwrap_or(dest_abs);
    let now = cli.world.now();
    let root = Cred::root();
    let mut rootfs = cli.world.build_rootfs(&s.image).map_err(daemon)?;
    let fail = |e: layerbox_fstree::Errno| daemon(format!("failed to copy files: {e}"));
    // Where each entry was written, for the hard links to it.
    let mut written: BTreeMap<&str, String> = BTreeMap::new();
    for (name, entries) in &found {
        let top_is_dir = name.is_empty()
            || entries
                .iter()
                .find(|e| &e.rel == name)
                .is_some_and(|e| e.kind == FileType::Dir);
        for e in entries {
            let target = if top_is_dir {
                let below = if name.is_empty() {
                    e.rel.as_str()
                } else {
                    e.rel.strip_prefix(&format!("{name}/")).unwrap_or("")
                };
                if below.is_empty() {
                    rootfs
                        .mkdir_all(&root, &dest_abs, 0o755, now)
                        .map_err(fail)?;
                    continue;
                }
                layerbox_fstree::path::join(&dest_abs, below)
            } else {
                let is_dir = rootfs
                    .stat(&root, &dest_abs)
                    .is_ok_and(|st| st.kind == FileType::Dir);
                if dest_dir_form || is_dir {
                    let base = e.rel.rsplit('/').next().unwrap_or(&e.rel);
                    layerbox_fstree::path::join(&dest_abs, base)
                } else {
                    dest_abs.clone()
                }
            };
            if let Some((parent, _)) = layerbox_fstree::path::split(&target) {
                rootfs.mkdir_all(&root, parent, 0o755, now).map_err(fail)?;
            }
            if keyword == "ADD" && e.kind == FileType::File && &e.rel == name {
                match local_archive(&e.data) {
                    Archive::Tar(entries) => {
                        unpack(&mut rootfs, &dest_abs, &entries, now).map_err(fail)?;
                        continue;
                    }
                    Archive::Unmodelled(kind) => {
                        return Err((
                            format!("layerbox: ADD of a {} archive is not modelled", kind.name()),
                            1,
                        ))
                    }
                    Archive::No => {}
                }
            }
            if let Some(first) = e.link.as_deref().and_then(|l| written.get(l)) {
                let _ = rootfs.unlink(&root, &target, now);
                rootfs.link(&root, first, &target, now).map_err(fail)?;
                continue;
            }
            written.insert(e.rel.as_str(), target.clone());
            match e.kind {
                FileType::Dir => {
                    if rootfs.stat(&root, &target).is_err() {
                        rootfs.mkdir(&root, &target, e.mode, now).map_err(fail)?;
                    }
                }
                FileType::File => {
                    rootfs
                        .write_file(&root, &target, &e.data, e.mode, now)
                        .map_err(fail)?;
                }
                FileType::Symlink => {
                    let _ = rootfs.unlink(&root, &target, now);
                    rootfs
                        .symlink(&root, &e.target, &target, now)
                        .map_err(fail)?;
                }
            }
            if e.kind == FileType::Symlink {
                // The link itself: its target keeps its own mode and owner.
                let _ = rootfs.lchown(&root, &target, Some(uid), Some(gid));
            } else {
                let _ = rootfs.chmod(&root, &target, e.mode);
                let _ = rootfs.chown(&root, &target, Some(uid), Some(gid));
                let _ = rootfs.set_mtime(&root, &target, e.mtime);
            }
        }
    }
    let layer = rootfs.commit(&[]);
    cli.world.advance_clock(1);
    let image = cli
        .world
        .add_build_image(&s.image, layer, &step, None)
        .map_err(daemon)?;
    s.image = image;
    Ok(())
}
