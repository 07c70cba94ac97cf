//! `docker ps` (`container ls`): the containers table, newest first, with its filters and formats.

use layerbox_engine::container::{Container, Status};
use layerbox_engine::daemon::health::HealthStatus;
use layerbox_engine::world::World;
use layerbox_sh::Output;

use crate::commands::container::opts::container_argv;
use crate::formatter::table;
use crate::formatter::units::{ellipsis, human_duration};
use crate::formatter::value::{go_quote, s, Value};
use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::line;
use crate::{reply, Cli};

pub const PS: Command = Command {
    path: "ps",
    args: Arity::Exact(0),
    usage: "docker ps [OPTIONS]",
    flags: &[
        switch("all", Some('a')),
        switch("quiet", Some('q')),
        option("format", None),
        switch("no-trunc", None),
        option("filter", Some('f')),
        switch("size", Some('s')),
    ],
    interspersed: true,
    not_modelled: &["last/n", "latest/l"],
};

/// `docker ps`'s column names by field (`table` formats).
pub(crate) const PS_HEADER: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("CreatedAt", "CREATED AT"),
    ("RunningFor", "CREATED"),
    ("Ports", "PORTS"),
    ("State", "STATE"),
    ("Status", "STATUS"),
    ("Size", "SIZE"),
    ("Names", "NAMES"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("LocalVolumes", "LOCAL VOLUMES"),
    ("Networks", "NETWORKS"),
    ("Platform", "PLATFORM"),
];

/// One row of `docker ps` as its `--format` fields.
pub(crate) fn ps_value(
    c: &Container,
    ports: String,
    now: u64,
    trunc: bool,
    size: Option<u64>,
    image: String,
) -> Value {
    let command = listed_command(&container_argv(c));
    let command = go_quote(&if trunc {
        ellipsis(&command, 20)
    } else {
        command
    });
    let status = match c.state.status {
        Status::Exited if c.state.restarting => format!(
            "Restarting ({}) {} ago",
            c.state.exit_code,
            human_duration(now.saturating_sub(c.state.finished_at.unwrap_or(now)))
        ),
        Status::Created => "Created".to_string(),
        Status::Running => {
            let up = format!(
                "Up {}",
                human_duration(now.saturating_sub(c.state.started_at.unwrap_or(now)))
            );
            // `State.String()`: the health check's status after the time up.
            match c.state.health.as_ref().map(|h| h.status) {
                Some(HealthStatus::Starting) => format!("{up} (health: starting)"),
                Some(h) => format!("{up} ({})", h.as_str()),
                None => up,
            }
        }
        _ => format!(
            "Exited ({}) {} ago",
            c.state.exit_code,
            human_duration(now.saturating_sub(c.state.finished_at.unwrap_or(now)))
        ),
    };
    let state = match c.state.status {
        Status::Exited if c.state.restarting => "restarting",
        Status::Created => "created",
        Status::Running => "running",
        _ => "exited",
    };
    let id = if trunc {
        c.short_id().to_string()
    } else {
        c.id.clone()
    };
    Value::Struct(vec![
        crate::formatter::value::field("ID", s(id)),
        crate::formatter::value::field("Image", s(image)),
        crate::formatter::value::field("Command", s(command)),
        crate::formatter::value::field(
            "RunningFor",
            s(format!(
                "{} ago",
                human_duration(now.saturating_sub(c.created))
            )),
        ),
        crate::formatter::value::field("Ports", s(ports)),
        crate::formatter::value::field("Status", s(status)),
        crate::formatter::value::field("State", s(state)),
        crate::formatter::value::field("Names", s(&c.name)),
        crate::formatter::value::field(
            "Labels",
            s(c.config
                .labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")),
        ),
        crate::formatter::value::field(
            "Size",
            s(match size {
                Some(image) => format!(
                    "{} (virtual {})",
                    crate::formatter::units::human_size_precision(c.size_rw(), 3),
                    crate::formatter::units::human_size_precision(image + c.size_rw(), 3)
                ),
                None => "0B".to_string(),
            }),
        ),
        crate::formatter::value::field(
            "Mounts",
            s(c.mounts
                .iter()
                .filter(|m| m.listed())
                .map(|m| {
                    let name = if m.name.is_empty() {
                        &m.source
                    } else {
                        &m.name
                    };
                    // The CLI cuts each name to 15 characters unless --no-trunc.
                    if trunc {
                        ellipsis(name, 15)
                    } else {
                        name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(",")),
        ),
    ])
}

pub fn ps(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let filter = match crate::opts::filters::PsFilter::parse(&m.all("filter")) {
        Ok(f) => f,
        Err(crate::opts::filters::FilterError::Usage(e)) => return reply::usage_error(cmd, &e),
        Err(crate::opts::filters::FilterError::NotModelled(e)) => return reply::not_modelled(&e),
        Err(crate::opts::filters::FilterError::Daemon(e)) => {
            let mut out = Output::default();
            reply::err_line(&mut out, format!("Error response from daemon: {e}"));
            out.code = 1;
            return out;
        }
    };
    let mut out = Output::default();
    let world = &cli.world;
    let bounds = match filter.resolve(world) {
        Ok(b) => b,
        Err(crate::opts::filters::FilterError::Daemon(e)) => {
            reply::err_line(&mut out, format!("Error response from daemon: {e}"));
            out.code = 1;
            return out;
        }
        Err(_) => return out,
    };
    let now = world.now();
    let all = m.on("all") || filter.has_status();
    // The CLI asks for sizes when the format shows them.
    let size = m.on("size") || m.last("format").is_some_and(|f| f.contains(".Size"));
    let trunc = !m.on("no-trunc");
    let containers: Vec<&Container> = world
        .containers_newest_first()
        .into_iter()
        .filter(|c| all || c.state.status == Status::Running || c.state.restarting)
        .filter(|c| filter.matches(world, &bounds, c))
        .collect();
    if m.on("quiet") {
        for c in containers {
            line(&mut out, if trunc { c.short_id() } else { c.id.as_str() });
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
            PS_HEADER,
            "*formatter.ContainerContext",
            containers.iter().map(|c| {
                ps_value(
                    c,
                    crate::formatter::ports::displayable_ports(c, cli.world.live_ports(&c.id)),
                    now,
                    trunc,
                    size.then(|| image_size(world, c)),
                    image_shown(world, c),
                )
            }),
        );
        return out;
    }
    let mut rows = vec![[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect::<Vec<_>>()];
    if size {
        rows[0].push("SIZE".to_string());
    }
    for c in containers {
        let v = ps_value(
            c,
            crate::formatter::ports::displayable_ports(c, cli.world.live_ports(&c.id)),
            now,
            trunc,
            size.then(|| image_size(world, c)),
            image_shown(world, c),
        );
        let get = |k: &str| v.get(k).map(Value::go_print).unwrap_or_default();
        let mut row = vec![
            get("ID"),
            get("Image"),
            get("Command"),
            get("RunningFor"),
            get("Status"),
            get("Ports"),
            get("Names"),
        ];
        if size {
            row.push(get("Size"));
        }
        rows.push(row);
    }
    out.stdout
        .extend_from_slice(table::render(&rows).as_bytes());
    out
}

/// The daemon's `Command` of a container listing: the path, then each argument, those holding
/// a space in single quotes (no escaping).
pub(crate) fn listed_command(argv: &[String]) -> String {
    argv.iter()
        .enumerate()
        .map(|(i, a)| {
            if i > 0 && a.contains(' ') {
                format!("'{a}'")
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The IMAGE column: the name the container was made from while it still names its image,
/// else the image's short id (after `rmi -f` or a retag).
pub(crate) fn image_shown(world: &World, c: &Container) -> String {
    match world.images().find(&c.config.image) {
        Some(img) if img.id == c.image_id => c.config.image.clone(),
        _ => layerbox_engine::clock::short_id(&c.image_id).to_string(),
    }
}

/// The size of a container's image (`virtual` in `docker ps -s`).
pub(crate) fn image_size(world: &World, c: &Container) -> u64 {
    world
        .images()
        .images
        .get(&c.image_id)
        .map(|i| i.size())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formatter::units::human_duration;
    use crate::formatter::value::go_quote;

    #[test]
    fn durations_read_as_go_units_words() {
        assert_eq!(human_duration(0), "Less than a second");
        assert_eq!(human_duration(1), "1 second");
        assert_eq!(human_duration(61), "About a minute");
        assert_eq!(human_duration(3 * 3600), "3 hours");
    }

    #[test]
    fn long_commands_are_cut_with_an_ellipsis() {
        assert_eq!(
            go_quote(&ellipsis("sh -c 'echo hi > /x; cat /x'", 20)),
            "\"sh -c 'echo hi > /x…\""
        );
    }
}
