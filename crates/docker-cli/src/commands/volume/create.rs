//! `docker volume create`.

use std::collections::BTreeMap;

use layerbox_engine::volume::VolumeCreate;
use layerbox_sh::Output;

use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const CREATE: Command = Command {
    path: "volume create",
    args: Arity::AtMost(1),
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

/// `key=value` pairs (`--label`, `--opt`); a bare key has an empty value.
pub(crate) fn pairs(values: &[String]) -> BTreeMap<String, String> {
    layerbox_order::map(values.iter().map(|v| {
        let (k, val) = v.split_once('=').unwrap_or((v.as_str(), ""));
        (k.to_string(), val.to_string())
    }))
}

pub fn create(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
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
