//! `docker logs`: what the main process wrote, each chunk back on its own stream.

use layerbox_engine::daemon::logs::Stream as LogStream;
use layerbox_sh::{Output, Stream};

use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::daemon_error;
use crate::Cli;

pub const LOGS: Command = Command {
    path: "logs",
    args: Arity::Exact(1),
    usage: "docker logs [OPTIONS] CONTAINER",
    flags: &[],
    interspersed: true,
    not_modelled: &[
        "follow/f",
        "tail/n",
        "timestamps/t",
        "since",
        "until",
        "details",
    ],
};

pub fn logs(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    match cli.world.container_id(&m.args[0]) {
        Ok(id) => {
            if let Some(log) = cli.world.logs(&id) {
                for (stream, bytes) in log.chunks() {
                    match stream {
                        LogStream::Stdout => out.push(Stream::Stdout, bytes),
                        LogStream::Stderr => out.push(Stream::Stderr, bytes),
                    }
                }
            }
        }
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}
