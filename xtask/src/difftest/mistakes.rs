//! The difftest grammar's mistakes: what learners get wrong around storage (names that do not
//! exist, bad flags, relative or missing mount paths, writes to read-only mounts, bad templates),
//! mostly aimed at things that do exist, so the error is the one a learner would meet.
//!
//! A mistake changes nothing in the model; runs that fail are named (`--name mN`) so that if
//! one leaves a container behind, listings do not show a random name.

use super::gen::{Run, State, DESTS, FILE_NAMES};

/// Emits one mistaken command.
pub fn mistake(s: &mut State) {
    let name = s.fresh("m");
    let container = s.pick_container(&[Run::Created, Run::Exited, Run::Running]);
    let volume = s.pick_volume().unwrap_or_else(|| "vol0".into());
    let dest = s.rng.pick(DESTS).to_string();
    let choice = s.rng.below(22);
    if matches!(choice, 7 | 17 | 18) && !s.volumes.iter().any(|v| v.name == volume) {
        // `-v NAME:/path` creates the volume even when the run fails later.
        s.volumes.push(super::gen::Volume {
            name: volume.clone(),
            labels: Vec::new(),
        });
    }
    let line = match choice {
        0 => "docker volume rm nosuchvol".to_string(),
        1 => "docker volume inspect nosuchvol".to_string(),
        2 => {
            let verb = s.rng.pick(&["rm", "stop", "diff", "start", "inspect", "kill"]);
            format!("docker {verb} nosuch")
        }
        3 => "docker exec nosuch ls".to_string(),
        4 => s
            .rng
            .pick(&[
                "docker run --rm --bogus alpine true",
                "docker volume ls --bogus",
                "docker volume create --bogus vol9",
                "docker ps -a --bogus",
                "docker volume prune --bogus",
                "docker run --rm -v alpine",
            ])
            .to_string(),
        5 => format!("docker run --rm --name {name} -v {volume}:data alpine true"),
        6 => format!(
            "docker run --rm --name {name} --mount type=bind,source=$(pwd)/missing,target={dest} alpine true"
        ),
        7 => format!("docker run --rm --name {name} -v {volume}:{dest} alpine cat {dest}/nosuch"),
        8 => match &container {
            Some(c) => format!("docker cp {c}:/nosuch ."),
            None => "docker cp nosuch:/etc/motd .".to_string(),
        },
        9 => match &container {
            Some(c) => format!("docker cp missing.txt {c}:/tmp/"),
            None => "docker cp missing.txt nosuch:/tmp/".to_string(),
        },
        10 => s
            .rng
            .pick(&[
                "docker volume create bad/name",
                "docker volume create -o type=tmpfs",
            ])
            .to_string(),
        11 => s
            .rng
            .pick(&["ls -l nosuchdir", "cat nosuch.txt", "rm nosuch.txt"])
            .to_string(),
        12 => format!("docker run --rm --name {name} -u nosuchuser alpine id"),
        13 => match &container {
            Some(c) => format!("docker inspect --format '{{{{.Nope}}}}' {c}"),
            None => format!("docker volume inspect -f '{{{{.Nope}}}}' {volume}"),
        },
        14 => s
            .rng
            .pick(&[
                "docker volume ls -f bogus=1",
                "docker volume ls -f dangling=maybe",
            ])
            .to_string(),
        15 => "docker rmi nosuchimage".to_string(),
        16 => "docker build -t nosuchimg nosuchctx".to_string(),
        17 => format!("docker run --rm --name {name} -v {dest} -v {volume}:{dest} alpine true"),
        18 => {
            let file = s.rng.pick(FILE_NAMES);
            format!("docker run --rm --name {name} -v {volume}:{dest}:ro alpine touch {dest}/{file}")
        }
        19 => match s.pick_container(&[Run::Created, Run::Exited]) {
            Some(c) => format!("docker exec {c} ls /"),
            None => "docker exec nosuch true".to_string(),
        },
        20 => {
            // used by exactly one container: with more, the engine lists them in map order
            let in_use = s.volumes.iter().find(|v| s.users_of(&v.name) == 1);
            match in_use {
                Some(v) => format!("docker volume rm {}", v.name),
                None => "docker volume rm nosuchvol othervol".to_string(),
            }
        }
        _ => match &container {
            Some(c) => format!("docker commit {c} Bad:Name"),
            None => "docker commit nosuch img".to_string(),
        },
    };
    s.emit(line);
}
