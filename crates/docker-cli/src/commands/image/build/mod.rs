//! `docker build` as CLI 28 runs it without buildx (the legacy builder): flags, the context sent,
//! the Dockerfile read, each step run, and Docker's progress lines.

pub mod archive;
pub mod context;
pub mod step;

use std::collections::BTreeMap;

use layerbox_dockerfile::ignore::Ignore;
use layerbox_dockerfile::Instruction;
use layerbox_engine::clock::short_id;
use layerbox_fstree::{FileSystem, FileType};
use layerbox_sh::Output;

use crate::commands::image::build::context::{read_context, tar_size, ContextEntry};
use crate::commands::image::build::step::{step, Options, Run, State};
use crate::formatter::units::human_size;
use crate::opts::flags::{option, switch, Arity, Command, Matches};

use crate::Cli;

pub(crate) const BUILD_FLAGS: &[crate::opts::flags::Flag] = &[
    option("tag", Some('t')),
    option("file", Some('f')),
    switch("no-cache", None),
    switch("quiet", Some('q')),
    option("build-arg", None),
    option("target", None),
    switch("rm", None),
    switch("force-rm", None),
];

pub(crate) const BUILD_NOT_MODELLED: &[&str] = &[
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
    args: Arity::Exact(1),
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
pub const DEPRECATED: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n";

/// Units of the typed line's work one build step takes per step before it (see
/// `layerbox_sh::WORK_BUDGET`): a step's container sees every layer of the steps before it.
/// Emulation note: the real daemon builds as many steps as it is given (up to its 125 layers);
/// here a line's builds together end after about 70 steps.
const STEP_WORK: u64 = 10_000;

/// Runs the build; everything it printed and its exit code. (The CLI's notice that it falls
/// back to the legacy builder, [`DEPRECATED`], is printed by the dispatcher before any build
/// command runs.)
pub fn build(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    if m.last("rm") == Some("false") {
        return crate::reply::not_modelled(
            "docker build --rm=false (keeping intermediate containers)",
        );
    }
    let quiet = m.on("quiet");
    let mut run = Run::new(quiet);
    let cred = layerbox_engine::host::user_cred();
    let cwd = cli.cwd.to_string();
    let given = m.args[0].clone();
    if given == "-" || given.contains("://") || given.starts_with("git@") {
        return crate::reply::not_modelled(&format!(
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
    run.progress(
        format!(
            "Sending build context to Docker daemon {:>8}\r\r\n",
            human_size(tar_size(&sent))
        )
        .as_bytes(),
    );
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
        // A step's work grows with the layers under it: the Nth step takes N times
        // `STEP_WORK` off the line's work, and a line with too little left stops the build
        // before the step.
        let cost = STEP_WORK.saturating_mul(index as u64 + 1);
        let work = cli.budget.work();
        if work.get() < cost || cli.budget.spent() {
            work.set(0);
            return run.stopped();
        }
        work.set(work.get() - cost);
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
