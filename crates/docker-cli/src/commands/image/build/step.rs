//! One Dockerfile instruction as the classic builder runs it: a step's container, its commit
//! and history row, the cache lookup.

use std::collections::BTreeMap;

use layerbox_dockerfile::duration;
use layerbox_dockerfile::instruction::Copy;
use layerbox_dockerfile::word::{expand, expand_words};
use layerbox_dockerfile::{CommandForm, Instruction};
use layerbox_engine::build::BuildStep;
use layerbox_engine::clock::{short_id, IdGenerator};
use layerbox_engine::daemon::health::{self, HealthConfig};
use layerbox_engine::image::ImageConfig;
use layerbox_engine::world::CreateRequest;
use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, FileSystem, FileType};
use layerbox_runtime::process::{self, Ended, ProcessSpec, StartError};
use layerbox_sh::Output;

use crate::commands::image::build::archive::{local_archive, unpack, Archive};
use crate::commands::image::build::context::{copy_sources, read_image, ContextEntry};
use crate::formatter::value::go_quote;
use crate::Cli;

/// The build's state between steps (moby's `dispatchState`).
pub(crate) struct State {
    pub(crate) image: String,
    pub(crate) config: ImageConfig,
    /// ARGs declared so far, with their values.
    pub(crate) args: Vec<(String, Option<String>)>,
    pub(crate) build_args: BTreeMap<String, String>,
    /// A CMD was given in this stage (an ENTRYPOINT after it keeps it).
    pub(crate) cmd_set: bool,
}

impl State {
    pub(crate) fn lookup(&self, name: &str) -> Option<String> {
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

    pub(crate) fn expand(&self, word: &str) -> Result<String, String> {
        expand(word, &|n: &str| self.lookup(n))
    }

    /// `KEY=value` of the ARGs in effect that ENV does not override, sorted (`|N K=V ...`).
    pub(crate) fn arg_env(&self) -> Vec<String> {
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
pub(crate) fn go_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| go_quote(i)).collect();
    format!("[{}]", quoted.join(" "))
}

/// Go's `%q` of an integer: the character it codes, quoted (`'\x04'`, `'A'`).
fn go_char(n: i64) -> String {
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) if c == '\'' || c == '\\' => format!("'\\{c}'"),
        Some(c) if (c as u32) < 0x20 || c as u32 == 0x7f => format!("'\\x{:02x}'", c as u32),
        Some(c) if c.is_control() => format!("'\\u{:04x}'", c as u32),
        Some(c) => format!("'{c}'"),
        None => "'\\ufffd'".to_string(),
    }
}

/// A metadata instruction's history row (`withCmdComment`: two spaces after `#(nop)`).
pub(crate) fn nop(comment: &str) -> String {
    format!("/bin/sh -c #(nop)  {comment}")
}

/// Applies a metadata instruction to `config`; its `#(nop)` comment, or `None` if `inst` is
/// not one.
pub(crate) fn metadata(
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
        Instruction::Healthcheck(h) => {
            let check = HealthConfig {
                test: h.test.clone(),
                interval: h.interval,
                timeout: h.timeout,
                start_period: h.start_period,
                retries: h.retries,
            };
            // The row is `fmt.Sprintf("HEALTHCHECK %q", runConfig.Healthcheck)` of the
            // instruction's own config; the commit then merges the parent's over its empty
            // fields, as `docker run --health-*` does.
            let row = format!(
                "HEALTHCHECK &{{{} {} {} {} {}}}",
                go_list(&check.test),
                go_quote(&duration::format(check.interval)),
                go_quote(&duration::format(check.timeout)),
                go_quote(&duration::format(check.start_period)),
                go_char(check.retries),
            );
            config.healthcheck = health::merge(&Some(check), config);
            row
        }
        _ => return Ok(None),
    }))
}

pub(crate) type StepResult = Result<(), (String, i32)>;

pub(crate) fn daemon(e: impl std::fmt::Display) -> (String, i32) {
    (format!("Error response from daemon: {e}"), 1)
}

/// One instruction, as the classic builder dispatches it.
pub(crate) fn step(
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
                copy_step(cli, run, options, &files, s, copy, "COPY")
            }
            None => copy_step(cli, run, options, &options.context, s, copy, "COPY"),
        },
        Instruction::Add(copy) => {
            if copy.sources.iter().any(|src| src.contains("://")) {
                return Err(("layerbox: ADD from a URL is not modelled".into(), 1));
            }
            copy_step(cli, run, options, &options.context, s, copy, "ADD")
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
                // `dispatchHealthcheck` says when it replaces a check the image had.
                Instruction::Healthcheck(_) => {
                    if let Some(old) = config.healthcheck.as_ref().map(|h| &h.test) {
                        if old.first().is_some_and(|t| t != "NONE") {
                            run.say(&format!(
                                "Note: overriding previous HEALTHCHECK: [{}]",
                                old.join(" ")
                            ));
                        }
                    }
                }
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
pub(crate) fn stage_image(
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
pub(crate) fn container_step(
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
pub(crate) fn run_step(
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
    crate::commands::container::start::start_container(cli, &id).map_err(daemon)?;
    let spec = ProcessSpec {
        argv: argv.clone(),
        ..ProcessSpec::default()
    };
    let code = match process::run(cli.world, &id, &spec, cli.budget) {
        Ok((out, end, _)) => {
            // The legacy builder streams the step's output as the daemon reads it, and paints
            // what stderr wrote red: each read wrapped in ESC[91m … ESC[0m, so messages
            // written one after another share one wrap (recorded: build-run-stderr-colour).
            for (stream, bytes) in out.chunks() {
                match stream {
                    layerbox_sh::Stream::Stdout => run.progress(bytes),
                    layerbox_sh::Stream::Stderr => {
                        run.progress(b"\x1b[91m");
                        run.progress(bytes);
                        run.progress(b"\x1b[0m");
                    }
                }
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
        Err(e) => {
            // Engine 20.10's words, as recorded (build-env-forms-and-copy-targets).
            let (why, code) = match &e {
                StartError::NotFound(p) => {
                    (format!("exec: \"{p}\": executable file not found in $PATH"), 127)
                }
                StartError::NoSuchFile(p) => (
                    format!("exec: \"{p}\": stat {p}: no such file or directory"),
                    127,
                ),
                StartError::PermissionDenied(p) => {
                    (format!("exec: \"{p}\": permission denied"), 126)
                }
                StartError::NoWorkdir(d) => (
                    format!("chdir to cwd (\"{d}\") set in config.json failed: no such file or directory"),
                    126,
                ),
                StartError::Engine(_) => (String::new(), 126),
            };
            let _ = cli.world.stop_container(&id, code);
            return Err((
                format!(
                    "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {why}: unknown"
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

/// `COPY`/`ADD` of local files: a layer of the copied files (owner root unless `--chown`,
/// modes and mtimes kept), with a `#(nop) COPY file:HASH in DEST ` row.
pub(crate) fn copy_step(
    cli: &mut Cli<'_>,
    run: &mut Run,
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
    // The source hash: what the classic builder's cache compares (with the `--chown` string
    // as written; the names in it are looked up only when the step runs).
    let chown_text = copy.chown.as_deref().unwrap_or("");
    let mut summary = Vec::new();
    for (_, entries) in &found {
        for e in entries {
            summary.extend_from_slice(e.rel.as_bytes());
            summary.extend_from_slice(format!("|{:o}|{chown_text}|", e.mode).as_bytes());
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
            run.say(" ---> Using cache");
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
    let (uid, gid) = match &copy.chown {
        Some(spec) => chown_ids(spec, &Accounts::read(&rootfs, &root)).map_err(|e| {
            (
                format!("unable to convert uid/gid chown string to host mapping: {e}"),
                1,
            )
        })?,
        None => (0, 0),
    };
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
                // The host's context holds no device nodes.
                FileType::CharDev => continue,
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

/// The PATH the classic builder gives an image from scratch (`system.DefaultPathEnv`).
pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub(crate) struct Options {
    pub(crate) no_cache: bool,
    /// `--force-rm`: a failed step's container goes too.
    pub(crate) force_rm: bool,
    pub(crate) context: Vec<ContextEntry>,
}

/// What the build printed so far; `quiet` (`-q`) keeps progress and step output back.
pub(crate) struct Run {
    pub(crate) out: Output,
    pub(crate) quiet: bool,
    /// With `-q`, the progress the CLI holds back: printed to stderr only if the build fails
    /// (cli/command/image/build.go writes its `progBuff` then).
    pub(crate) held: Vec<u8>,
}

impl Run {
    pub(crate) fn new(quiet: bool) -> Run {
        Run {
            out: Output::default(),
            quiet,
            held: Vec::new(),
        }
    }

    /// Progress output: on stdout, or held back with `-q`.
    pub(crate) fn progress(&mut self, bytes: &[u8]) {
        if self.quiet {
            self.held.extend_from_slice(bytes);
        } else {
            self.out.stdout.extend_from_slice(bytes);
        }
    }

    pub(crate) fn say(&mut self, text: &str) {
        self.progress(text.as_bytes());
        self.progress(b"\n");
    }

    /// The typed line's budget ran out before a step: the build ends there, as one interrupted
    /// between two steps does (the steps before stay as intermediate images, nothing is
    /// tagged); the shell ends the line with the budget's message.
    pub(crate) fn stopped(mut self) -> Output {
        let held = std::mem::take(&mut self.held);
        self.out.stderr.extend_from_slice(&held);
        self.out.code = 130;
        self.out
    }

    pub(crate) fn fail(mut self, message: &str, code: i32) -> Output {
        let held = std::mem::take(&mut self.held);
        self.out.stderr.extend_from_slice(&held);
        self.out.stderr.extend_from_slice(message.as_bytes());
        self.out.stderr.push(b'\n');
        self.out.code = code;
        self.out
    }
}

/// `--chown=USER[:GROUP]` as the classic builder reads it (moby's `parseChownFlag`): each part
/// a number or a name looked up in the image's `/etc/passwd` or `/etc/group` (a user alone is
/// also the group); `Err` in the builder's words.
pub(crate) fn chown_ids(spec: &str, accounts: &Accounts) -> Result<(u32, u32), String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (user, group) = match parts.as_slice() {
        [user] => (*user, *user),
        [user, group] => (*user, *group),
        _ => return Err(format!("invalid chown string format: {spec}")),
    };
    let uid = match user.parse::<u32>() {
        Ok(uid) => uid,
        Err(_) => accounts
            .getpwnam(user)
            .map(|p| p.uid)
            .ok_or_else(|| format!("can't find uid for user {user}: no such user: {user}"))?,
    };
    let gid = match group.parse::<u32>() {
        Ok(gid) => gid,
        Err(_) => accounts
            .getgrnam(group)
            .map(|g| g.gid)
            .ok_or_else(|| format!("can't find gid for group {group}: no such group: {group}"))?,
    };
    Ok((uid, gid))
}
