//! `docker volume inspect`.

use layerbox_engine::clock::rfc3339;
use layerbox_engine::volume::VolumeMeta;
use layerbox_sh::Output;

use crate::formatter::value::{field, s, string_map, Value};
use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::line;
use crate::{reply, Cli};

pub const INSPECT: Command = Command {
    path: "volume inspect",
    args: Arity::AtLeast(1),
    usage: "docker volume inspect [OPTIONS] VOLUME [VOLUME...]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

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
    found: Vec<crate::formatter::format::Inspected>,
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
        Some(format) => crate::formatter::format::inspect(out, format, found, errors),
    }
}

pub fn inspect(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &m.args {
        match cli.world.volumes().get(name) {
            Ok(v) => found.push(crate::formatter::format::Inspected {
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
