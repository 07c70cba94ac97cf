//! `docker commit`: an image from a container's writable layer, with `--change` applied.

use std::collections::BTreeMap;

use layerbox_sh::Output;

use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const COMMIT: Command = Command {
    path: "commit",
    args: Arity::Between(1, 2),
    usage: "docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
    flags: &[
        option("message", Some('m')),
        option("author", Some('a')),
        option("change", Some('c')),
        switch("pause", Some('p')),
    ],
    interspersed: true,
    not_modelled: &[],
};

pub fn commit(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    if let Some(Err(e)) = m
        .args
        .get(1)
        .map(|r| crate::opts::reference::check_reference(r))
    {
        reply::err_line(&mut out, e);
        out.code = 1;
        return out;
    }
    use crate::commands::container::change::ChangeError;
    let changes = match crate::commands::container::change::commit_changes(&m.all("change")) {
        Ok(changes) => changes,
        Err(ChangeError::Daemon(daemon)) => {
            reply::err_line(&mut out, format!("Error response from daemon: {daemon}"));
            out.code = 1;
            return out;
        }
        Err(ChangeError::NotModelled(what)) => return reply::not_modelled(what),
    };
    let comment = m.last("message").unwrap_or("");
    let author = m.last("author").unwrap_or("");
    let tag = m.args.get(1).map(String::as_str);
    let change =
        |config: &mut _| crate::commands::container::change::apply_commit_changes(&changes, config);
    match cli.world.commit(&m.args[0], tag, comment, author, change) {
        Ok(id) => line(&mut out, format!("sha256:{id}")),
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

/// Labels as `docker ps --format '{{.Labels}}'` joins them.
pub fn labels_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
