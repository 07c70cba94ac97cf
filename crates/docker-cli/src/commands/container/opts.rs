//! The options `docker create` and `docker run` share (docker/cli's `containerOptions`): their
//! flags, and the create request the daemon is sent.

use layerbox_engine::container::Container;
use layerbox_engine::world::CreateRequest;
use layerbox_fstree::FileSystem;
use layerbox_sh::Output;

use crate::opts::flags::{option, switch, Command, Matches};
use crate::opts::mount::{classify_volume, parse_mount, VolumeArg};
use crate::reply::{run_error, usage_error};
use crate::Cli;

pub(crate) const CREATE_FLAGS: &[crate::opts::flags::Flag] = &[
    option("name", None),
    switch("detach", Some('d')),
    switch("interactive", Some('i')),
    switch("tty", Some('t')),
    switch("rm", None),
    option("volume", Some('v')),
    option("mount", None),
    option("tmpfs", None),
    option("volumes-from", None),
    switch("read-only", None),
    option("workdir", Some('w')),
    option("user", Some('u')),
    option("env", Some('e')),
    option("env-file", None),
    option("hostname", Some('h')),
    option("entrypoint", None),
    option("label", Some('l')),
    option("publish", Some('p')),
    option("restart", None),
    option("health-cmd", None),
    option("health-interval", None),
    option("health-timeout", None),
    option("health-start-period", None),
    option("health-start-interval", None),
    option("health-retries", None),
    switch("no-healthcheck", None),
    option("network", None),
    option("net", None),
    option("pull", None),
];

pub(crate) const CREATE_NOT_MODELLED: &[&str] = &[
    "memory",
    "cpus",
    "privileged",
    "cap-add",
    "cap-drop",
    "platform",
    "init",
    "expose",
    "link",
    "add-host",
    "dns",
    "device",
    "ulimit",
    "stop-signal",
    "stop-timeout",
    "publish-all",
    "log-driver",
    "security-opt",
    "storage-opt",
    "shm-size",
    "ipc",
    "pid",
    "userns",
    "volume-driver",
];

/// Stage two for `run`/`create`: the request the CLI sends, or its error (already worded).
pub(crate) fn create_request(
    cli: &Cli<'_>,
    cmd: &Command,
    m: &Matches,
) -> Result<CreateRequest, Output> {
    let healthcheck = health_config(cmd, m)?;
    let mut req = CreateRequest {
        healthcheck,
        image: m.args[0].clone(),
        name: m.last("name").map(str::to_string),
        tty: m.on("tty"),
        open_stdin: m.on("interactive"),
        // `create` has no `-d`: the CLI attaches unless `run -d` says otherwise.
        attached: !m.on("detach"),
        read_only: m.on("read-only"),
        auto_remove: m.on("rm"),
        working_dir: m.last("workdir").map(str::to_string),
        user: m.last("user").map(str::to_string),
        hostname: m.last("hostname").map(str::to_string),
        volumes_from: m.all("volumes-from"),
        ..CreateRequest::default()
    };
    if let Some(raw) = m.last("restart") {
        let policy = crate::commands::container::update::parse_restart_policy(raw)
            .map_err(|e| run_error(cmd, &e, 125))?;
        let none = policy.name.is_empty() || policy.name == "no";
        if m.on("rm") && !none {
            return Err(run_error(
                cmd,
                "conflicting options: cannot specify both --restart and --rm",
                125,
            ));
        }
        req.restart_policy = Some(policy);
    }
    if let Some(mode) = m.last("network").or(m.last("net")) {
        if !layerbox_engine::daemon::network::is_modelled_mode(mode) {
            return Err(crate::reply::not_modelled(&format!(
                "docker {} --network {mode} (only the default bridge and none are)",
                cmd.path
            )));
        }
        req.network_mode = mode.to_string();
    }
    if m.args.len() > 1 {
        req.cmd = Some(m.args[1..].to_vec());
    }
    if let Some(ep) = m.last("entrypoint") {
        req.entrypoint = Some(if ep.is_empty() {
            Vec::new()
        } else {
            vec![ep.to_string()]
        });
    }
    // The env files' variables first, then `-e` (docker/cli's `ReadKVEnvStrings`); a bare
    // name takes its value from the CLI's own environment, or is dropped.
    let mut env = Vec::new();
    for file in m.all("env-file") {
        let path = layerbox_fstree::path::join(cli.cwd, &file);
        let path = if file.starts_with('/') {
            file.clone()
        } else {
            path
        };
        match cli
            .world
            .host()
            .read_file(&layerbox_engine::host::user_cred(), &path)
        {
            Ok(bytes) => env.extend(env_file_lines(&String::from_utf8_lossy(&bytes))),
            Err(e) => {
                return Err(run_error(
                    cmd,
                    &format!("open {file}: {}", e.strerror().to_lowercase()),
                    125,
                ))
            }
        }
    }
    env.extend(m.all("env"));
    for e in env {
        if e.contains('=') {
            req.env.push(e);
        } else if let Some(v) = cli.env.get(&e) {
            req.env.push(format!("{e}={v}"));
        }
    }
    for l in m.all("label") {
        let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
        req.labels.insert(k.to_string(), v.to_string());
    }
    for v in m.all("volume") {
        match classify_volume(&v, cli.cwd) {
            Ok(VolumeArg::Anonymous(t)) => req.anonymous_volumes.push(t),
            Ok(VolumeArg::Bind(b)) => req.binds.push(b),
            Err(e) => return Err(run_error(cmd, &e, 125)),
        }
    }
    for raw in m.all("mount") {
        match parse_mount(&raw, cli.cwd) {
            Ok(spec) => req.mounts.push(spec),
            Err(e) => {
                return Err(usage_error(
                    cmd,
                    &format!("invalid argument \"{raw}\" for \"--mount\" flag: {e}"),
                ))
            }
        }
    }
    for p in m.all("publish") {
        match crate::opts::ports::parse_publish(&p) {
            Ok(bindings) => req.ports.extend(bindings),
            Err(e) => return Err(run_error(cmd, &e, 125)),
        }
    }
    for t in m.all("tmpfs") {
        let (dst, opts) = t.split_once(':').unwrap_or((t.as_str(), ""));
        req.tmpfs.push((dst.to_string(), opts.to_string()));
    }
    Ok(req)
}

/// `--health-*` and `--no-healthcheck` as docker/cli's `parse` reads them: the durations as
/// pflag's `Duration` (Go's `time.ParseDuration`), the CLI's own checks, and `None` when no
/// health flag is given (the image's check stays).
fn health_config(
    cmd: &Command,
    m: &Matches,
) -> Result<Option<layerbox_engine::daemon::health::HealthConfig>, Output> {
    // The flag is annotated for API 1.44; the daemon modelled is Engine 20.10's (1.41).
    if m.last("health-start-interval").is_some() {
        let mut out = Output::default();
        out.stderr.extend_from_slice(
            b"\"--health-start-interval\" requires API version 1.44, but the Docker daemon API version is 1.41\n",
        );
        out.code = 1;
        return Err(out);
    }
    let mut durations = [0i64; 3];
    for (slot, name) in ["health-interval", "health-timeout", "health-start-period"]
        .iter()
        .enumerate()
    {
        if let Some(raw) = m.last(name) {
            durations[slot] = layerbox_dockerfile::duration::parse(raw).map_err(|e| {
                usage_error(
                    cmd,
                    &format!("invalid argument \"{raw}\" for \"--{name}\" flag: {e}"),
                )
            })?;
        }
    }
    let retries = match m.last("health-retries") {
        Some(raw) => raw.parse::<i64>().ok().filter(|r| i32::try_from(*r).is_ok()).ok_or_else(|| {
            usage_error(
                cmd,
                &format!(
                    "invalid argument \"{raw}\" for \"--health-retries\" flag: strconv.ParseInt: parsing {}: {}",
                    crate::formatter::value::go_quote(raw),
                    if raw.parse::<i64>().is_ok() { "value out of range" } else { "invalid syntax" }
                ),
            )
        })?,
        None => 0,
    };
    let health_cmd = m.last("health-cmd").unwrap_or("");
    let [interval, timeout, start_period] = durations;
    let have = !health_cmd.is_empty()
        || interval != 0
        || timeout != 0
        || start_period != 0
        || retries != 0;
    if m.on("no-healthcheck") {
        if have {
            return Err(run_error(
                cmd,
                "--no-healthcheck conflicts with --health-* options",
                125,
            ));
        }
        return Ok(Some(layerbox_engine::daemon::health::HealthConfig {
            test: vec!["NONE".into()],
            ..Default::default()
        }));
    }
    if !have {
        return Ok(None);
    }
    for (value, name) in [
        (interval, "--health-interval"),
        (timeout, "--health-timeout"),
        (retries, "--health-retries"),
        (start_period, "--health-start-period"),
    ] {
        if value < 0 {
            return Err(run_error(cmd, &format!("{name} cannot be negative"), 125));
        }
    }
    let test = if health_cmd.is_empty() {
        Vec::new()
    } else {
        vec!["CMD-SHELL".to_string(), health_cmd.to_string()]
    };
    Ok(Some(layerbox_engine::daemon::health::HealthConfig {
        test,
        interval,
        timeout,
        start_period,
        retries,
    }))
}

/// The container's process: entrypoint then command.
pub(crate) fn container_argv(c: &Container) -> Vec<String> {
    c.config
        .entrypoint
        .iter()
        .chain(c.config.cmd.iter())
        .cloned()
        .collect()
}

/// The lines of an `--env-file` as the CLI reads them (`opts.ParseEnvFile`): leading spaces
/// dropped, blank lines and `#` comments skipped, the rest kept as written (`NAME=value`, or a
/// bare `NAME` to take from the environment).
pub(crate) fn env_file_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim_start())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}
