//! The options `docker create` and `docker run` share (docker/cli's `containerOptions`): their
//! flags, and the create request the daemon is sent.

use layerbox_engine::container::Container;
use layerbox_engine::world::CreateRequest;
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
    option("entrypoint", None),
    option("label", Some('l')),
    option("publish", Some('p')),
];

pub(crate) const CREATE_NOT_MODELLED: &[&str] = &[
    "network",
    "net",
    "hostname",
    "restart",
    "memory",
    "cpus",
    "privileged",
    "cap-add",
    "cap-drop",
    "env-file",
    "pull",
    "platform",
    "init",
    "expose",
    "link",
    "add-host",
    "dns",
    "device",
    "ulimit",
    "health-cmd",
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
    let mut req = CreateRequest {
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
        volumes_from: m.all("volumes-from"),
        ..CreateRequest::default()
    };
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
    for e in m.all("env") {
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

/// The container's process: entrypoint then command.
pub(crate) fn container_argv(c: &Container) -> Vec<String> {
    c.config
        .entrypoint
        .iter()
        .chain(c.config.cmd.iter())
        .cloned()
        .collect()
}
