//! `docker volume create|ls|inspect|rm|prune`.

use std::collections::BTreeMap;

use layerbox_engine::clock::rfc3339;
use layerbox_engine::error::EngineError;
use layerbox_engine::volume::{Filter, VolumeCreate, VolumeMeta};
use layerbox_engine::world::World;
use layerbox_sh::Output;

use super::flags::{option, switch, Command, Matches};
use super::reply::{self, check_args, daemon_error, line, Arity};
use super::value::{field, s, string_map, Value};
use super::{table, Cli};

pub const CREATE: Command = Command {
    path: "volume create",
    usage: "docker volume create [OPTIONS] [VOLUME]",
    flags: &[
        option("driver", Some('d')),
        option("label", None),
        option("opt", Some('o')),
        option("name", None),
    ],
    interspersed: true,
    not_modelled: &[
        "availability",
        "group",
        "limit-bytes",
        "required-bytes",
        "scope",
        "secret",
        "sharing",
        "topology-preferred",
        "topology-required",
        "type",
    ],
};

pub const LS: Command = Command {
    path: "volume ls",
    usage: "docker volume ls [OPTIONS]",
    flags: &[
        switch("quiet", Some('q')),
        option("filter", Some('f')),
        option("format", None),
    ],
    interspersed: true,
    not_modelled: &["cluster"],
};

pub const INSPECT: Command = Command {
    path: "volume inspect",
    usage: "docker volume inspect [OPTIONS] VOLUME [VOLUME...]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

pub const RM: Command = Command {
    path: "volume rm",
    usage: "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
    flags: &[switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

pub const PRUNE: Command = Command {
    path: "volume prune",
    usage: "docker volume prune [OPTIONS]",
    flags: &[
        switch("all", Some('a')),
        option("filter", None),
        switch("force", Some('f')),
    ],
    interspersed: true,
    not_modelled: &[],
};

/// `key=value` pairs (`--label`, `--opt`); a bare key has an empty value.
fn pairs(values: &[String]) -> BTreeMap<String, String> {
    layerbox_order::map(values.iter().map(|v| {
        let (k, val) = v.split_once('=').unwrap_or((v.as_str(), ""));
        (k.to_string(), val.to_string())
    }))
}

pub fn create(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtMost(1)) {
        return out;
    }
    let mut out = Output::default();
    let name = match (m.args.first(), m.last("name")) {
        (Some(_), Some(_)) => {
            reply::err_line(
                &mut out,
                "conflicting options: cannot specify a volume-name through both --name and as a positional arg",
            );
            out.code = 1;
            return out;
        }
        (Some(a), _) => a.clone(),
        (None, Some(n)) => n.to_string(),
        (None, None) => String::new(),
    };
    let req = VolumeCreate {
        driver: m.last("driver").map(str::to_string),
        labels: pairs(&m.all("label")),
        options: pairs(&m.all("opt")),
    };
    match cli.world.create_volume(&name, &req) {
        Ok(name) => line(&mut out, name),
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

fn filters(m: &Matches, flag: &str) -> Vec<Filter> {
    m.all(flag).iter().map(|f| Filter::parse(f)).collect()
}

/// The fields `volume ls --format` offers.
fn ls_value(meta: &VolumeMeta) -> Value {
    let labels = meta
        .labels
        .as_ref()
        .map(|l| {
            l.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    Value::Struct(vec![
        field("Name", s(&meta.name)),
        field("Driver", s(&meta.driver)),
        field("Scope", s("local")),
        field("Mountpoint", s(meta.mountpoint())),
        field("Labels", s(labels)),
        field("Links", s("N/A")),
        field("Size", s("N/A")),
        field("Availability", s("N/A")),
        field("Group", s("N/A")),
        field("Status", s("N/A")),
    ])
}

pub fn ls(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(0)) {
        return out;
    }
    let mut out = Output::default();
    // The daemon checks every filter before it lists (Engine 20.10's wording).
    for f in m.all("filter") {
        let Some((key, value)) = f.split_once('=') else {
            return reply::usage_error(
                cmd,
                &format!(
                    "invalid argument \"{f}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
                ),
            );
        };
        let bad = match key {
            "dangling" => !["true", "false", "1", "0"].contains(&value),
            "name" | "driver" | "label" => false,
            _ => {
                reply::err_line(
                    &mut out,
                    format!("Error response from daemon: Invalid filter '{key}'"),
                );
                out.code = 1;
                return out;
            }
        };
        if bad {
            reply::err_line(
                &mut out,
                format!("Error response from daemon: Invalid filter '{key}=[{value}]'"),
            );
            out.code = 1;
            return out;
        }
    }
    let vols = match cli.world.volumes().list(&filters(m, "filter")) {
        Ok(v) => v,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    if m.on("quiet") {
        for v in vols {
            line(&mut out, &v.meta.name);
        }
        return out;
    }
    if let super::format::ListFormat::Template { table, body } =
        super::format::list_format(m.last("format"))
    {
        super::format::list(
            &mut out,
            table,
            &body,
            &[
                ("Name", "VOLUME NAME"),
                ("Driver", "DRIVER"),
                ("Scope", "SCOPE"),
                ("Mountpoint", "MOUNTPOINT"),
                ("Labels", "LABELS"),
                ("Links", "LINKS"),
                ("Size", "SIZE"),
                ("Availability", "AVAILABILITY"),
                ("Group", "GROUP"),
                ("Status", "STATUS"),
            ],
            "*formatter.volumeContext",
            vols.iter().map(|v| ls_value(&v.meta)),
        );
        return out;
    }
    let mut rows = vec![vec!["DRIVER".to_string(), "VOLUME NAME".to_string()]];
    for v in vols {
        rows.push(vec![v.meta.driver.clone(), v.meta.name.clone()]);
    }
    out.stdout
        .extend_from_slice(table::render(&rows).as_bytes());
    out
}

/// `docker volume inspect`'s object, in the API's field order.
pub fn inspect_value(meta: &VolumeMeta) -> Value {
    Value::Struct(vec![
        field("CreatedAt", s(rfc3339(meta.created_at))),
        field("Driver", s(&meta.driver)),
        field("Labels", string_map(meta.labels.as_ref())),
        field("Mountpoint", s(meta.mountpoint())),
        field("Name", s(&meta.name)),
        field("Options", string_map(meta.options.as_ref())),
        field("Scope", s("local")),
    ])
}

/// Prints objects as `docker inspect` does: the JSON array, or the template once per object;
/// then the errors.
pub fn print_inspected(
    out: &mut Output,
    found: Vec<super::format::Inspected>,
    errors: Vec<String>,
    format: Option<&str>,
) {
    if format == Some("json") {
        line(
            out,
            Value::List(found.into_iter().map(|f| f.value).collect()).to_json(),
        );
        for e in errors {
            reply::err_line(out, e);
            out.code = 1;
        }
        return;
    }
    match format.filter(|f| !f.is_empty()) {
        None => {
            line(
                out,
                Value::List(found.into_iter().map(|f| f.value).collect()).to_json_indented(),
            );
            for e in errors {
                reply::err_line(out, e);
                out.code = 1;
            }
        }
        Some(format) => super::format::inspect(out, format, found, errors),
    }
}

pub fn inspect(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &m.args {
        match cli.world.volumes().get(name) {
            Ok(v) => found.push(super::format::Inspected {
                value: inspect_value(&v.meta),
                raw: false,
                type_name: "volume.Volume",
            }),
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    print_inspected(&mut out, found, errors, m.last("format"));
    out
}

pub fn rm(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    let force = m.on("force");
    for name in &m.args {
        match cli.world.remove_volume(name, force) {
            Ok(()) => line(&mut out, name),
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

/// go-units `HumanSize`: decimal units, four significant digits, no space.
pub fn human_size(bytes: u64) -> String {
    human_size_precision(bytes, 4)
}

/// go-units `HumanSizeWithPrecision`.
pub fn human_size_precision(bytes: u64, precision: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", go_g(size, precision), UNITS[unit])
}

/// Go's `%.*g` for values below 1000.
fn go_g(value: f64, precision: usize) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let digits_before = (value.abs().log10().floor() as i64 + 1).max(1) as usize;
    let decimals = precision.saturating_sub(digits_before);
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

pub fn prune(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let mut out = match reply::start_prune(
        cmd,
        m,
        cli.stdin,
        "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ",
        "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ",
    ) {
        Ok(out) => out,
        Err(out) => return out,
    };
    match prune_volumes(cli.world, &filters(m, "filter"), m.on("all")) {
        Ok((section, bytes)) => reply::end_prune(&mut out, section, bytes),
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

/// Removes unused anonymous volumes (with `all` named ones too) that pass `filters`: the
/// `Deleted Volumes:` section the CLI prints (nothing if none went) and the bytes freed.
pub fn prune_volumes(
    world: &mut World,
    filters: &[Filter],
    all: bool,
) -> Result<(Vec<String>, u64), EngineError> {
    let (names, bytes) = world.prune_volumes(filters, all)?;
    let mut section = Vec::new();
    if !names.is_empty() {
        section.push("Deleted Volumes:".to_string());
        section.extend(names);
        section.push(String::new());
    }
    Ok((section, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_have_four_significant_digits_and_no_space() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(5), "5B");
        assert_eq!(human_size(2048), "2.048kB");
        assert_eq!(human_size_precision(8_960_000, 3), "8.96MB");
        assert_eq!(human_size_precision(19_400_000, 3), "19.4MB");
    }
}
