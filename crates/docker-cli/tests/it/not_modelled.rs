//! The inventory of what the docker CLI says it does not model: each command and flag in the
//! tables answers `layerbox: … is not modelled`, so the list the test prints (with
//! `--nocapture`) is the true one.
#![cfg(not(target_arch = "wasm32"))]

use layerbox_engine::world::World;

fn run(world: &World, line: &[&str]) -> (i32, String) {
    let args: Vec<String> = line.iter().map(|s| s.to_string()).collect();
    crate::run_docker(world, &args)
}

#[test]
fn every_command_and_flag_listed_as_not_modelled_says_so() {
    let world = World::new().expect("sample images build");
    let (commands, flags) = layerbox_docker_cli::not_modelled_catalog();
    let mut wrong = Vec::new();
    for command in commands {
        let (code, err) = run(&world, &[command]);
        if code == 0 || !err.contains("is not modelled") {
            wrong.push(format!("docker {command}: {err}"));
        }
    }
    let mut listed = Vec::new();
    for (command, names) in flags {
        for name in names.iter() {
            let long = name.split('/').next().unwrap_or(name);
            let flag = format!("--{long}");
            let mut line: Vec<&str> = command.split(' ').collect();
            // A value, for the flags that take one; a switch takes `=true`.
            let with_value = format!("{flag}=1");
            line.push(&with_value);
            let (code, err) = run(&world, &line);
            if code == 0 || !err.contains("is not modelled") {
                wrong.push(format!("docker {command} {with_value}: {err}"));
            }
            listed.push(format!("docker {command} {flag}"));
        }
    }
    eprintln!(
        "docker commands not modelled: {}\ndocker flags not modelled:\n{}",
        commands.join(" "),
        listed.join("\n")
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
