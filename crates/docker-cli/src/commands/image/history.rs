//! `docker history`: an image's rows, newest first, with `<missing>` for the rows of an image
//! that was pulled or loaded (the sample images) rather than built here.

use layerbox_engine::clock::rfc3339;
use layerbox_engine::image::{layer_size, Image};
use layerbox_engine::world::World;
use layerbox_sh::Output;

use crate::formatter::table;
use crate::formatter::units::{ellipsis, human_duration, human_size_precision};
use crate::formatter::value::{field, s, Value};
use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const HISTORY: Command = Command {
    path: "history",
    args: Arity::Exact(1),
    usage: "docker history [OPTIONS] IMAGE",
    flags: &[
        option("human", Some('H')),
        switch("no-trunc", None),
        switch("quiet", Some('q')),
        option("format", None),
    ],
    interspersed: true,
    not_modelled: &["platform"],
};

pub const IMAGE_HISTORY: Command = Command {
    path: "image history",
    args: Arity::Exact(1),
    usage: "docker image history [OPTIONS] IMAGE",
    ..HISTORY
};

/// One row as the daemon's `ImageHistory` returns it.
pub(crate) struct Row {
    /// The step's image id (64 hex), or `<missing>`.
    pub id: String,
    pub created: u64,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
}

/// moby's `ImageHistory`: rows newest first; ids walk `Parent` one row at a time.
pub(crate) fn history_rows(world: &World, image: &Image) -> Vec<Row> {
    // The walk ends at an image with no parent here: a pulled or loaded image (the sample
    // images), or a build's first step from scratch. Rows below it show `<missing>`.
    let mut ids = Vec::new();
    let mut current = Some(image);
    while let Some(img) = current {
        if ids.len() >= image.history.len() {
            break;
        }
        ids.push(img.id.clone());
        current = img
            .parent
            .as_ref()
            .and_then(|parent| world.images().images.get(parent));
    }
    let mut sizes = image.layers.iter().map(|l| layer_size(l));
    let mut rows: Vec<Row> = image
        .history
        .iter()
        .map(|h| {
            let size = if h.empty_layer {
                0
            } else {
                sizes.next().unwrap_or(0)
            };
            Row {
                id: String::new(),
                created: h.created,
                created_by: h.created_by.clone(),
                size,
                comment: h.comment.clone(),
            }
        })
        .collect();
    rows.reverse();
    for (index, row) in rows.iter_mut().enumerate() {
        row.id = ids
            .get(index)
            .cloned()
            .unwrap_or_else(|| "<missing>".into());
    }
    rows
}

pub(crate) fn value(row: &Row, now: u64, human: bool, trunc: bool) -> Value {
    let id = if row.id == "<missing>" {
        row.id.clone()
    } else if trunc {
        layerbox_engine::clock::short_id(&row.id).to_string()
    } else {
        format!("sha256:{}", row.id)
    };
    let created_by = row.created_by.replace('\t', " ");
    let created_by = if trunc {
        ellipsis(&created_by, 45)
    } else {
        created_by
    };
    Value::Struct(vec![
        field("ID", s(id)),
        field(
            "CreatedSince",
            s(if human {
                format!("{} ago", human_duration(now.saturating_sub(row.created)))
            } else {
                rfc3339(row.created)
            }),
        ),
        field("CreatedAt", s(rfc3339(row.created))),
        field("CreatedBy", s(created_by)),
        field(
            "Size",
            s(if human {
                human_size_precision(row.size, 3)
            } else {
                row.size.to_string()
            }),
        ),
        field("Comment", s(row.comment.clone())),
    ])
}

pub fn history(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let human = match m.last("human") {
        None => true,
        Some(v) => match crate::opts::flags::parse_bool(v) {
            Some(b) => b,
            None => {
                return reply::usage_error(
                    cmd,
                    &format!(
                        "invalid argument \"{v}\" for \"-H, --human\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
                    ),
                )
            }
        },
    };
    let world = &cli.world;
    let mut out = Output::default();
    let Some(image) = world.images().find(&m.args[0]) else {
        let e = layerbox_engine::daemon::images::no_such_image(&m.args[0]);
        daemon_error(&mut out, &e);
        return out;
    };
    let now = world.now();
    let trunc = !m.on("no-trunc");
    let rows = history_rows(world, image);
    let values: Vec<Value> = rows.iter().map(|r| value(r, now, human, trunc)).collect();
    let get = |v: &Value, k: &str| v.get(k).map(Value::go_print).unwrap_or_default();
    if m.on("quiet") {
        for v in &values {
            line(&mut out, get(v, "ID"));
        }
        return out;
    }
    if let Some(format) = m.last("format").filter(|f| !f.starts_with("table")) {
        let body = format.replace("\\t", "\t").replace("\\n", "\n");
        reply::format_each(&mut out, &body, &values);
        return out;
    }
    let mut table_rows = vec![["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()];
    for v in &values {
        table_rows.push(vec![
            get(v, "ID"),
            get(v, "CreatedSince"),
            get(v, "CreatedBy"),
            get(v, "Size"),
            get(v, "Comment"),
        ]);
    }
    out.stdout
        .extend_from_slice(table::render(&table_rows).as_bytes());
    out
}
