//! `docker volume ls`: in natural name order, with filters and formats.

use layerbox_engine::volume::{Filter, VolumeMeta};
use layerbox_sh::Output;

use crate::formatter::table;
use crate::formatter::value::{field, s, Value};
use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const LS: Command = Command {
    path: "volume ls",
    args: Arity::Exact(0),
    usage: "docker volume ls [OPTIONS]",
    flags: &[
        switch("quiet", Some('q')),
        option("filter", Some('f')),
        option("format", None),
    ],
    interspersed: true,
    not_modelled: &["cluster"],
};

pub(crate) fn filters(m: &Matches, flag: &str) -> Vec<Filter> {
    m.all(flag).iter().map(|f| Filter::parse(f)).collect()
}

/// The fields `volume ls --format` offers.
pub(crate) fn ls_value(meta: &VolumeMeta) -> Value {
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
    if let crate::formatter::format::ListFormat::Template { table, body } =
        crate::formatter::format::list_format(m.last("format"))
    {
        crate::formatter::format::list(
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
