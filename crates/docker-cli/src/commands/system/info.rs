//! `docker info`: the host's counts, as far as the model has them.

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::commands::system::version::{format_one, CLIENT_VERSION, ENGINE};
use crate::formatter::value::{field, s, Value};
use crate::opts::flags::{option, Arity, Command, Matches};

use crate::Cli;

pub const INFO: Command = Command {
    path: "info",
    args: Arity::Exact(0),
    usage: "docker info [OPTIONS]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

pub fn info(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let world = &cli.world;
    let count = |want: Option<Status>| {
        world
            .containers()
            .values()
            .filter(|c| want.as_ref().is_none_or(|w| c.state.status == *w))
            .count() as i64
    };
    let total = count(None);
    let running = count(Some(Status::Running));
    let images = world.images().images.len() as i64;
    let mut out = Output::default();
    if let Some(format) = m.last("format").filter(|f| !f.is_empty()) {
        let v = Value::Struct(vec![
            field("Containers", Value::Int(total)),
            field("ContainersRunning", Value::Int(running)),
            field("ContainersPaused", Value::Int(0)),
            field("ContainersStopped", Value::Int(total - running)),
            field("Images", Value::Int(images)),
            field("Driver", s("overlay2")),
            field("ServerVersion", s(ENGINE)),
            field("Name", s("layerbox")),
        ]);
        format_one(&mut out, format, &v, "system.Info");
        return out;
    }
    let text = format!(
        "Client:\n Version:    {CLIENT_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n Containers: {total}\n  Running: {running}\n  Paused: 0\n  Stopped: {stopped}\n Images: {images}\n Server Version: {ENGINE}\n Storage Driver: overlay2 (modelled: image layers, the container's writable layer, whiteouts)\n Volume driver: local\n Name: layerbox\n",
        stopped = total - running
    );
    out.stdout.extend_from_slice(text.as_bytes());
    out
}
