//! Native tests of layerbox-docker-cli: one binary, one module per concern.

mod flag_lookups;
mod fuzz_flags;
mod not_modelled;

/// Runs one `docker` command line (`args` without `docker`) on a copy of `world`, as the
/// terminal would with no stdin and no terminal: its exit code and stderr.
#[cfg(not(target_arch = "wasm32"))]
fn run_docker(world: &layerbox_engine::world::World, args: &[String]) -> (i32, String) {
    let mut world = world.clone();
    let mut runtime = layerbox_runtime::Runtime::default();
    let env = std::collections::BTreeMap::new();
    let mut cli = layerbox_docker_cli::Cli {
        world: &mut world,
        runtime: &mut runtime,
        attach: None,
        cwd: "/home/user",
        stdin: b"",
        env: &env,
        tty: false,
        budget: &layerbox_sh::Budget::default(),
        background: &layerbox_sh::Budget::new(layerbox_runtime::BACKGROUND_STEPS),
    };
    let out = layerbox_docker_cli::main(&mut cli, args);
    (out.code, String::from_utf8_lossy(&out.stderr).into_owned())
}
