//! `docker pull`: there is no registry; the sample images are already here.

use layerbox_engine::image::ImageStore;
use layerbox_sh::Output;

use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::err_line;
use crate::Cli;

pub const PULL: Command = Command {
    path: "pull",
    args: Arity::Exact(1),
    usage: "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
    flags: &[
        switch("all-tags", Some('a')),
        switch("quiet", Some('q')),
        option("platform", None),
    ],
    interspersed: true,
    not_modelled: &["disable-content-trust"],
};

pub fn pull(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let present = cli.world.images().find(&m.args[0]).is_some();
    let why = if present {
        "the sample images are already here".to_string()
    } else {
        format!(
            "there is no registry; the sample images are {}",
            ImageStore::sample_references().join(", ")
        )
    };
    let mut out = Output::default();
    err_line(
        &mut out,
        format!("layerbox: docker pull is not modelled: {why}"),
    );
    out.code = 1;
    out
}
