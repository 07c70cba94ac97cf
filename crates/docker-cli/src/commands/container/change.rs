//! `docker commit --change`: the Dockerfile instructions a commit may apply (CMD, ENTRYPOINT,
//! ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR), applied as the daemon's builder does.

use std::collections::BTreeMap;

use layerbox_dockerfile::{CommandForm, Instruction};
use layerbox_engine::image::ImageConfig;

use crate::commands::image::build::step::{metadata, State};

/// The instructions `docker commit --change` takes (moby's `validCommitCommands`).
pub(crate) const COMMIT_CHANGES: [&str; 9] = [
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

pub(crate) fn empty_shell_form() -> Vec<String> {
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
