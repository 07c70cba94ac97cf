//! `docker rename CONTAINER NEW_NAME`.

use layerbox_engine::world::validate_container_name;
use layerbox_sh::Output;

use super::flags::{Command, Matches};
use super::reply::{check_args, err_line, Arity};
use super::Cli;

pub const RENAME: Command = Command {
    path: "rename",
    usage: "docker rename CONTAINER NEW_NAME",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub fn rename(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(2)) {
        return out;
    }
    let (old, new) = (&m.args[0], &m.args[1]);
    let mut out = Output::default();
    let world = &mut cli.daemon.world;
    let result = (|| -> Result<(), String> {
        let id = world.container_id(old).map_err(|e| e.to_string())?;
        let new_name = new.trim_start_matches('/');
        let current = world
            .containers
            .get(&id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        if current == new_name {
            return Err("Renaming a container with the same name as its current name".into());
        }
        validate_container_name(&format!("/{new_name}"))
            .map_err(|e| format!("Error when allocating new name: {e}"))?;
        if let Some(other) = world.containers.values().find(|c| c.name == new_name) {
            return Err(format!(
                "Error when allocating new name: Conflict. The container name \"/{new_name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                other.id
            ));
        }
        if let Some(c) = world.containers.get_mut(&id) {
            c.name = new_name.to_string();
        }
        Ok(())
    })();
    if let Err(e) = result {
        err_line(&mut out, format!("Error response from daemon: {e}"));
        err_line(
            &mut out,
            format!("Error: failed to rename container named {old}"),
        );
        out.code = 1;
    }
    out
}
