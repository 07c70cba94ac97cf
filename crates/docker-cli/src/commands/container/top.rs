//! `docker top`: the processes of a running container, as `ps -ef` in it would list them.

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};
use layerbox_runtime::procs;

pub const TOP: Command = Command {
    path: "top",
    args: Arity::AtLeast(1),
    usage: "docker top CONTAINER [ps OPTIONS]",
    flags: &[],
    interspersed: false,
    not_modelled: &[],
};

/// `docker top CONTAINER [-o COLUMNS]`: the container's processes as the host's `ps -ef` (or
/// `ps -o COLUMNS`) lists them, with host PIDs (`layerbox_runtime::procs::host_pid`).
/// Emulation note: of ps's options only `-o` with `pid`, `ppid`, `uid`, `user`, `comm`, `args`
/// and `cmd` is modelled; no CPU time is, so `C` is 0 and `TIME` 00:00:00.
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
    let columns: Vec<String> = match m.args.get(1..).unwrap_or(&[]) {
        [] => ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        [o, list] if o == "-o" => {
            let mut keys = Vec::new();
            for key in list.split(',') {
                if !matches!(
                    key,
                    "pid" | "ppid" | "uid" | "user" | "comm" | "args" | "cmd"
                ) {
                    return not_modelled(&format!("docker top with ps -o {key}"));
                }
                keys.push(key.to_string());
            }
            if !keys.iter().any(|k| k == "pid") {
                // The daemon finds each row's process by the PID column (`parsePSOutput`).
                reply::err_line(
                    &mut out,
                    "Error response from daemon: Couldn't find PID field in ps output",
                );
                out.code = 1;
                return out;
            }
            keys
        }
        [first, ..] => return not_modelled(&format!("docker top with ps options ({first})")),
    };
    let id = c.id.clone();
    let index = cli.world.creation_index(&id).unwrap_or(0);
    let now = cli.world.now();
    let accounts = layerbox_fstree::passwd::Accounts::read(
        &cli.world.host().local,
        &layerbox_fstree::Cred::root(),
    );
    let user = |uid: u32| {
        accounts
            .getpwuid(uid)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| uid.to_string())
    };
    let host = |pid: u32| {
        if pid == 0 {
            procs::shim_pid(index)
        } else {
            procs::host_pid(index, pid)
        }
    };
    let default = m.args.len() == 1;
    let headers: Vec<String> = if default {
        columns.clone()
    } else {
        columns
            .iter()
            .map(|k| {
                match k.as_str() {
                    "pid" => "PID",
                    "ppid" => "PPID",
                    "uid" => "UID",
                    "user" => "USER",
                    "cmd" => "CMD",
                    _ => "COMMAND",
                }
                .to_string()
            })
            .collect()
    };
    let mut rows = vec![headers];
    // The daemon lists the PIDs of the container's cgroup, which a zombie has left.
    for p in cli
        .runtime
        .processes(&id, now)
        .into_iter()
        .filter(|p| !p.zombie)
    {
        let stime = layerbox_engine::clock::rfc3339(p.started);
        let stime = stime.get(11..16).unwrap_or("00:00").to_string();
        let tty = if p.tty { "pts/0" } else { "?" };
        let row: Vec<String> = if default {
            vec![
                user(p.uid),
                host(p.pid).to_string(),
                host(p.ppid).to_string(),
                "0".into(),
                stime,
                tty.into(),
                "00:00:00".into(),
                p.argv.join(" "),
            ]
        } else {
            columns
                .iter()
                .map(|k| match k.as_str() {
                    "pid" => host(p.pid).to_string(),
                    "ppid" => host(p.ppid).to_string(),
                    "uid" => p.uid.to_string(),
                    "user" => user(p.uid),
                    "comm" => p.comm.clone(),
                    _ => p.argv.join(" "),
                })
                .collect()
        };
        rows.push(row);
    }
    // The CLI's top table: tabwriter with cells at least 20 wide (3 of padding).
    let n = rows[0].len();
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, String::len) + 3)
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

/// What layerbox says of a `docker top` it does not model.
fn not_modelled(what: &str) -> Output {
    let mut out = Output::default();
    reply::err_line(&mut out, format!("layerbox: {what} is not modelled"));
    out.code = layerbox_sh::NOT_MODELLED;
    out
}
