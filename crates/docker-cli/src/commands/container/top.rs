//! `docker top`: the processes of a running container, as `ps -ef` in it would list them.

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::commands::container::opts::container_argv;
use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const TOP: Command = Command {
    path: "top",
    args: Arity::AtLeast(1),
    usage: "docker top CONTAINER [ps OPTIONS]",
    flags: &[],
    interspersed: false,
    not_modelled: &[],
};

/// `docker top`: the container's main process as `ps -ef` shows it.
/// Emulation note: one process, the container's command; its PID is made up.
pub fn top(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    let c = match cli.world.find_container(&m.args[0]) {
        Ok(c) => c,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    if c.state.status != Status::Running {
        reply::err_line(
            &mut out,
            format!(
                "Error response from daemon: Container {} is not running",
                c.id
            ),
        );
        out.code = 1;
        return out;
    }
    let started = c.state.started_at.unwrap_or(0);
    let stime = layerbox_engine::clock::rfc3339(started);
    let stime = stime.get(11..16).unwrap_or("00:00").to_string();
    let user = if c.config.user.is_empty() {
        "root".to_string()
    } else {
        c.config
            .user
            .split(':')
            .next()
            .unwrap_or("root")
            .to_string()
    };
    let pid = 4000 + cli.world.creation_index(&c.id).unwrap_or(0) * 10;
    let tty = if c.config.tty { "pts/0" } else { "?" };
    let rows = vec![
        ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>(),
        vec![
            user,
            pid.to_string(),
            (pid - 20).to_string(),
            "0".into(),
            stime,
            tty.into(),
            "00:00:00".into(),
            container_argv(c).join(" "),
        ],
    ];
    // The CLI's top table: tabwriter with cells at least 20 wide (3 of padding).
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len() + 3)
                .max()
                .unwrap_or(0)
                .max(20)
        })
        .collect();
    for row in rows {
        let mut text = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<w$}", w = widths[i]));
            }
        }
        line(&mut out, text);
    }
    out
}
