//! The productions of the difftest grammar: one [`step`] emits one to a few `$ ` lines that a
//! learner would type next, given the state in `gen.rs`.
//!
//! | production | what it emits |
//! |---|---|
//! | volume     | `volume create` (labels, `-d local`, `-o type=tmpfs`), `ls` (filters, `-q`, `--format`), `inspect` (templates), `rm`, `prune` |
//! | run        | `docker run` / `docker create` with mounts in every form, `--volumes-from`, `--read-only`, `--user`, `-w`, `-e`, `--rm`, `-d` |
//! | lifecycle  | `start` (`-a` for short commands), `stop -t 0`, `kill`, `rm`, `rm -v`, `rm -f` |
//! | exec       | file operations or a look in a running container |
//! | layer      | `diff`, `commit` (with `--change`), `cp` both ways |
//! | host       | `mkdir`, writes, appends, `ls -l`, `cat`, `rm`, `chmod` in the home and bind sources |
//! | build      | (in `build.rs`) a context with a small Dockerfile, `build`, `history`, `image inspect`, `rmi`, `image prune` |
//! | listing    | `ps -a`, `inspect`, `volume ls`, with `--format` over mounts |
//!
//! To extend it, add a production function here, give it a weight in [`step`]'s table, and make
//! it update the state for what it creates or removes (see `tests/conformance/README.md`).

use super::gen::{
    Cmd, Container, Image, Loc, Mount, Run, Source, State, DESTS, DIR_NAMES, FILE_NAMES, WORDS,
};

/// One production, chosen by weight among those whose preconditions hold.
pub fn step(s: &mut State) {
    let has_containers = !s.containers.is_empty();
    let running = s.containers.iter().any(|c| c.run == Run::Running);
    let startable = s.containers.iter().any(|c| c.run != Run::Running);
    let weights = [
        6,                                       // volume create
        3,                                       // volume ls
        u32::from(!s.volumes.is_empty()) * 3,    // volume inspect
        u32::from(!s.volumes.is_empty()) * 2,    // volume rm
        u32::from(!s.has_unused_named_volume()), // volume prune
        14,                                      // run
        4,                                       // create
        u32::from(startable) * 3,                // start
        u32::from(running) * 3,                  // stop
        u32::from(has_containers) * 4,           // rm
        u32::from(running) * 6,                  // exec
        u32::from(has_containers) * 4,           // diff
        u32::from(has_containers) * 2,           // commit
        u32::from(has_containers) * 4,           // cp
        6,                                       // host
        2,                                       // build
        u32::from(!s.images.is_empty()) * 3 + 1, // image
        u32::from(has_containers) * 4 + 1,       // listing
    ];
    match s.rng.weighted(&weights) {
        0 => volume_create(s),
        1 => volume_ls(s),
        2 => volume_inspect(s),
        3 => volume_rm(s),
        4 => volume_prune(s),
        5 => run(s, false),
        6 => run(s, true),
        7 => start(s),
        8 => stop(s),
        9 => rm(s),
        10 => exec(s),
        11 => diff(s),
        12 => commit(s),
        13 => cp(s),
        14 => host(s),
        15 => super::build::build(s),
        16 => super::build::image(s),
        _ => listing(s),
    }
}

/// One or two looks at the final state, so a session ends by showing what it left.
pub fn observe(s: &mut State) {
    match s.rng.below(4) {
        0 => s.emit("docker ps -a"),
        1 => volume_ls(s),
        2 if !s.containers.is_empty() => diff(s),
        _ => s.emit("ls -l"),
    }
}

fn volume_create(s: &mut State) {
    let name = s.fresh("vol");
    let mut line = String::from("docker volume create");
    let mut labels = Vec::new();
    match s.rng.weighted(&[5, 3, 1, 2]) {
        1 => {
            for _ in 0..s.rng.range(1, 2) {
                let key = s.rng.pick(&["env", "team", "app"]).to_string();
                let label = if s.rng.chance(70) {
                    format!("{key}={}", s.rng.pick(&["dev", "prod", "a"]))
                } else {
                    key
                };
                line.push_str(&format!(" --label {label}"));
                labels.push(label);
            }
        }
        2 => line.push_str(" -d local"),
        3 => line.push_str(" -o type=tmpfs -o device=tmpfs"),
        _ => {}
    }
    if s.rng.chance(10) {
        line.push_str(&format!(" --name {name}"));
    } else {
        line.push_str(&format!(" {name}"));
    }
    s.emit(line);
    s.volumes.push(super::gen::Volume { name, labels });
}

fn volume_ls(s: &mut State) {
    // 64-hex names of anonymous volumes sort by chance: with two or more, list only named ones.
    let only_named = s.anonymous >= 2;
    let labels: Vec<String> = s.volumes.iter().flat_map(|v| v.labels.clone()).collect();
    let filter = match s.rng.weighted(&[3, 2, 2, 2, 1, 1]) {
        1 if !only_named => " -f dangling=true".to_string(),
        2 => " -f name=vol".to_string(),
        3 if !labels.is_empty() => format!(" --filter label={}", s.rng.pick(&labels)),
        3 | 4 => " -f label=env=dev".to_string(),
        5 if !only_named => " -f driver=local".to_string(),
        _ if only_named => " -f name=v".to_string(),
        _ => String::new(),
    };
    // The CLI joins a volume's labels in Go's map order, which is random: `.Labels` only
    // while no volume has two. Anonymous volumes carry current Docker's
    // `com.docker.volume.anonymous` label, which Engine 20.10 lacks: list named ones then.
    let one_label_each = s.volumes.iter().all(|v| v.labels.len() < 2);
    let shape = match s.rng.weighted(&[4, 3, 2, u32::from(one_label_each)]) {
        1 => " -q",
        2 => " --format '{{.Name}} {{.Driver}} {{.Scope}}'",
        3 => " --format 'table {{.Name}}\\t{{.Labels}}'",
        _ => "",
    };
    let filter = if shape.contains("Labels") && s.anonymous > 0 {
        " -f name=v".to_string()
    } else {
        filter
    };
    s.emit(format!("docker volume ls{filter}{shape}"));
}

const VOLUME_TEMPLATES: &[&str] = &[
    "{{.Name}} {{.Driver}} {{.Scope}}",
    "{{.Mountpoint}}",
    "{{json .Labels}}",
    "{{json .Options}}",
    "{{range $k, $v := .Labels}}{{$k}}={{$v}} {{end}}",
    "{{if .Labels}}labelled{{else}}plain{{end}} {{.Name}}",
    "{{.Labels}}",
];

fn volume_inspect(s: &mut State) {
    let Some(name) = s.pick_volume() else { return };
    let mut names = name;
    if s.rng.chance(20) {
        if let Some(other) = s.pick_volume() {
            names.push(' ');
            names.push_str(&other);
        }
    }
    if s.rng.chance(15) {
        s.emit(format!("docker volume inspect {names}"));
    } else {
        let template = s.rng.pick(VOLUME_TEMPLATES);
        let flag = if s.rng.chance(50) { "-f" } else { "--format" };
        s.emit(format!("docker volume inspect {flag} '{template}' {names}"));
    }
}

fn volume_in_use(s: &State, name: &str) -> bool {
    s.containers.iter().any(|c| {
        c.mounts
            .iter()
            .any(|m| m.source == Source::Volume(name.to_string()))
    })
}

fn volume_rm(s: &mut State) {
    let Some(name) = s.pick_volume() else { return };
    if s.users_of(&name) >= 2 {
        // `volume is in use - [id, id]` lists its users in the engine's map order
        return;
    }
    let force = if s.rng.chance(20) { "-f " } else { "" };
    s.emit(format!("docker volume rm {force}{name}"));
    if !volume_in_use(s, &name) {
        s.volumes.retain(|v| v.name != name);
        s.files.remove(&format!("v:{name}"));
    }
}

fn volume_prune(s: &mut State) {
    s.emit("docker volume prune -f");
    let attached = s
        .containers
        .iter()
        .flat_map(|c| &c.mounts)
        .filter(|m| m.source == Source::Anonymous)
        .count();
    s.anonymous = s.anonymous.min(attached);
}

/// A mount point not used yet.
fn free_dest(s: &mut State, mounts: &[Mount]) -> Option<String> {
    let free: Vec<&str> = DESTS
        .iter()
        .copied()
        .filter(|d| !mounts.iter().any(|m| m.dest == *d))
        .collect();
    if free.is_empty() {
        None
    } else {
        Some(s.rng.pick(&free).to_string())
    }
}

/// A host directory to bind: an existing one, or (with `-v`) a new path Docker will create.
fn bind_dir(s: &mut State, may_be_missing: bool) -> String {
    if let Some(dir) = s.pick_host_dir() {
        if !may_be_missing || s.rng.chance(75) {
            return dir;
        }
    }
    let dir = s.fresh("d");
    if !may_be_missing {
        s.emit(format!("mkdir {dir}"));
    }
    s.host_dirs.push(dir.clone());
    dir
}

/// One mount for container `name`: its flag and what the model keeps of it.
fn add_mount(s: &mut State, name: &str, opts: &mut Vec<String>, mounts: &mut Vec<Mount>) {
    let Some(dest) = free_dest(s, mounts) else {
        return;
    };
    let ro_suffix = |s: &mut State| s.rng.chance(20);
    let (flag, source, read_only) = match s.rng.weighted(&[5, 2, 4, 2, 3, 2, 2]) {
        0 => {
            let volume = match s.pick_volume() {
                Some(v) if s.rng.chance(65) => v,
                _ => {
                    let v = s.fresh("vol");
                    s.volumes.push(super::gen::Volume {
                        name: v.clone(),
                        labels: Vec::new(),
                    });
                    v
                }
            };
            let ro = ro_suffix(s);
            let flag = if s.rng.chance(80) { "-v" } else { "--volume" };
            let suffix = if ro { ":ro" } else { "" };
            (
                format!("{flag} {volume}:{dest}{suffix}"),
                Source::Volume(volume),
                ro,
            )
        }
        1 => {
            s.anonymous += 1;
            (format!("-v {dest}"), Source::Anonymous, false)
        }
        2 => {
            let dir = bind_dir(s, true);
            let ro = ro_suffix(s);
            let suffix = if ro { ":ro" } else { "" };
            let host = if s.rng.chance(85) {
                format!("$(pwd)/{dir}")
            } else {
                format!("\"$PWD\"/{dir}")
            };
            (
                format!("-v {host}:{dest}{suffix}"),
                Source::BindDir(dir),
                ro,
            )
        }
        3 => {
            let file = match s.pick_host_file() {
                Some(f) if !f.contains('/') => f,
                _ => {
                    let f = format!("{}.txt", s.fresh("f"));
                    let word = s.rng.pick(WORDS);
                    s.emit(format!("echo {word} > {f}"));
                    s.host_files.push(f.clone());
                    f
                }
            };
            let target =
                *s.rng
                    .pick(&["/etc/motd", "/srv/config.txt", "/config.txt", "/etc/issue"]);
            if mounts.iter().any(|m| m.dest == target) {
                return;
            }
            let ro = ro_suffix(s);
            let suffix = if ro { ":ro" } else { "" };
            opts.push(format!("-v $(pwd)/{file}:{target}{suffix}"));
            mounts.push(Mount {
                dest: target.to_string(),
                source: Source::BindFile(file.clone()),
                read_only: ro,
                store: format!("f:{file}"),
            });
            return;
        }
        4 => {
            let (src, dst) = *s.rng.pick(&[
                ("source", "target"),
                ("src", "dst"),
                ("source", "destination"),
            ]);
            let ro = s.rng.chance(25);
            let ro_opt = if ro { ",readonly" } else { "" };
            if s.rng.chance(20) {
                s.anonymous += 1;
                (
                    format!("--mount type=volume,{dst}={dest}"),
                    Source::Anonymous,
                    false,
                )
            } else {
                let volume = s.pick_volume().unwrap_or_else(|| "vol0".into());
                if !s.volumes.iter().any(|v| v.name == volume) {
                    s.volumes.push(super::gen::Volume {
                        name: volume.clone(),
                        labels: Vec::new(),
                    });
                }
                let nocopy = if s.rng.chance(25) {
                    ",volume-nocopy"
                } else {
                    ""
                };
                (
                    format!("--mount type=volume,{src}={volume},{dst}={dest}{ro_opt}{nocopy}"),
                    Source::Volume(volume),
                    ro,
                )
            }
        }
        5 => {
            let dir = bind_dir(s, false);
            let ro = s.rng.chance(25);
            let ro_opt = if ro { ",readonly" } else { "" };
            (
                format!("--mount type=bind,source=$(pwd)/{dir},target={dest}{ro_opt}"),
                Source::BindDir(dir),
                ro,
            )
        }
        _ => {
            let flag = if s.rng.chance(50) {
                format!("--tmpfs {dest}")
            } else {
                format!("--mount type=tmpfs,target={dest}")
            };
            (flag, Source::Tmpfs, false)
        }
    };
    let store = match &source {
        Source::Volume(v) => format!("v:{v}"),
        Source::Anonymous => format!("a:{name}:{dest}"),
        Source::BindDir(d) => format!("h:{d}"),
        Source::BindFile(f) => format!("f:{f}"),
        Source::Tmpfs => format!("t:{name}:{dest}"),
    };
    opts.push(flag);
    mounts.push(Mount {
        dest,
        source,
        read_only,
        store,
    });
}

/// `docker run` (or `docker create`) of a new container.
fn run(s: &mut State, create: bool) {
    let name = s.fresh("c");
    let image = s.pick_image();
    let family = s.family(&image);
    let mut opts: Vec<String> = Vec::new();
    let mut mounts: Vec<Mount> = Vec::new();
    // --volumes-from: the source's volumes and binds at the same paths, `:ro` makes them read-only
    if !s.containers.is_empty() && s.rng.chance(12) {
        let from = s.rng.pick(&s.containers).clone();
        let ro = s.rng.chance(40);
        opts.push(format!(
            "--volumes-from {}{}",
            from.name,
            if ro { ":ro" } else { "" }
        ));
        for mount in from.mounts.iter().filter(|m| m.source != Source::Tmpfs) {
            let mut mount = mount.clone();
            mount.read_only |= ro;
            mounts.push(mount);
        }
    }
    let own = s.rng.weighted(&[2, 5, 3, 1]);
    for _ in 0..own {
        add_mount(s, &name, &mut opts, &mut mounts);
    }
    for dest in s.image_volumes(&image) {
        if !mounts.iter().any(|m| m.dest == dest) {
            s.anonymous += 1;
            mounts.push(Mount {
                store: format!("a:{name}:{dest}"),
                dest,
                source: Source::Anonymous,
                read_only: false,
            });
        }
    }
    let read_only = s.rng.chance(10);
    if read_only {
        opts.push("--read-only".into());
    }
    let user = if s.rng.chance(12) {
        let user = s.rng.pick(&["1000", "1000:1000", "nobody"]).to_string();
        let flag = if s.rng.chance(50) { "--user" } else { "-u" };
        opts.push(format!("{flag} {user}"));
        Some(user)
    } else {
        None
    };
    if s.rng.chance(12) {
        let dir = s.rng.pick(&["/work", "/data", "/tmp", "/srv/app"]);
        opts.push(format!("-w {dir}"));
    }
    if s.rng.chance(12) {
        opts.push(format!("-e NAME={}", s.rng.pick(WORDS)));
    }
    let detached = !create && s.rng.chance(25);
    let cmd = if detached || (create && s.rng.chance(40)) {
        Cmd::Long
    } else {
        Cmd::Short
    };
    let auto_remove = !create && !detached && s.rng.chance(35);
    if !auto_remove {
        s.seed_image_files(&name, family);
    }
    let program = match cmd {
        Cmd::Long => "sleep 1000".to_string(),
        Cmd::Short => {
            let locs = s.locations(Some((&name, family)), &mounts);
            container_command(s, &locs, &image)
        }
    };
    let verb = if create { "create" } else { "run" };
    let mut line = format!("docker {verb}");
    if detached {
        line.push_str(" -d");
    }
    if auto_remove {
        line.push_str(" --rm");
    }
    // Always named: a container left behind by a failed `--rm` run would show a random name.
    line.push_str(&format!(" --name {name}"));
    for opt in &opts {
        line.push(' ');
        line.push_str(opt);
    }
    line.push(' ');
    line.push_str(&image);
    if !program.is_empty() {
        line.push(' ');
        line.push_str(&program);
    }
    s.emit(line);
    if auto_remove {
        s.files.remove(&format!("c:{name}"));
        for mount in &mounts {
            if matches!(mount.source, Source::Anonymous | Source::Tmpfs)
                && mount.store.starts_with(&format!("a:{name}:"))
            {
                s.anonymous = s.anonymous.saturating_sub(1);
            }
        }
        return;
    }
    s.containers.push(Container {
        name,
        image,
        run: if create {
            Run::Created
        } else if detached {
            Run::Running
        } else {
            Run::Exited
        },
        cmd,
        mounts,
        read_only,
        user,
    });
}

/// What a short-lived container runs: a script of file operations, one program, or (for an
/// image built here) its own `CMD`.
fn container_command(s: &mut State, locs: &[Loc], image: &str) -> String {
    if s.images.iter().any(|i| i.name == image) && s.ends_by_itself(image) && s.rng.chance(30) {
        return String::new();
    }
    if s.rng.chance(70) {
        let count = s.rng.range(1, 3);
        let script = s.script(locs, count);
        return format!("sh -c '{script}'");
    }
    let loc = s.rng.pick(locs).clone();
    let long = u32::from(loc.dir != "/etc");
    match s.rng.weighted(&[4 * long, 3, 2, 2, 1, 1]) {
        0 => format!("ls -l {}", loc.dir),
        1 => {
            let name = s.file_in(&loc);
            format!("cat {}/{name}", loc.dir)
        }
        2 => {
            let name = s.file_in(&loc);
            s.note(&loc, &name);
            format!("touch {}/{name}", loc.dir)
        }
        3 => {
            let name = s.file_in(&loc);
            format!("stat -c '%a %U:%G %s %F %n' {}/{name}", loc.dir)
        }
        4 => "id".into(),
        // a directory's order on overlayfs over ext4 is its hash order, which depends on the
        // recording machine's filesystem: sorted
        _ => format!("sh -c 'find {} | sort'", loc.dir),
    }
}

fn start(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Created, Run::Exited]) else {
        return;
    };
    let Some(cmd) = s.container(&name).map(|c| c.cmd) else {
        return;
    };
    let verb = if s.rng.chance(85) {
        "start"
    } else {
        "container start"
    };
    match cmd {
        Cmd::Short => {
            s.emit(format!("docker {verb} -a {name}"));
            s.stopped(&name);
        }
        Cmd::Long => {
            s.emit(format!("docker {verb} {name}"));
            if let Some(c) = s.container_mut(&name) {
                c.run = Run::Running;
            }
        }
    }
}

fn stop(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Running]) else {
        return;
    };
    match s.rng.weighted(&[5, 2, 1]) {
        0 => s.emit(format!("docker stop -t 0 {name}")),
        1 => s.emit(format!("docker kill {name}")),
        _ => s.emit(format!("docker stop --time 0 {name}")),
    }
    s.stopped(&name);
}

fn rm(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Created, Run::Exited, Run::Running]) else {
        return;
    };
    let running = s.container(&name).is_some_and(|c| c.run == Run::Running);
    let volumes = s.rng.chance(40);
    let flags = match (running, volumes) {
        (true, true) => " -fv",
        (true, false) => " -f",
        (false, true) => " -v",
        (false, false) => "",
    };
    let verb = if s.rng.chance(85) {
        "rm"
    } else {
        "container rm"
    };
    s.emit(format!("docker {verb}{flags} {name}"));
    s.removed(&name, volumes);
}

fn exec(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Running]) else {
        return;
    };
    let Some(container) = s.container(&name).cloned() else {
        return;
    };
    let family = s.family(&container.image);
    let locs = s.locations(Some((&name, family)), &container.mounts);
    let mut opts = String::new();
    if container.user.is_some() && s.rng.chance(30) {
        opts.push_str(" -u 0");
    } else if s.rng.chance(15) {
        opts.push_str(&format!(" -u {}", s.rng.pick(&["1000", "nobody", "0"])));
    }
    if s.rng.chance(10) {
        opts.push_str(&format!(" -e NAME={}", s.rng.pick(WORDS)));
    }
    if s.rng.chance(70) {
        let count = s.rng.range(1, 3);
        let script = s.script(&locs, count);
        s.emit(format!("docker exec{opts} {name} sh -c '{script}'"));
    } else {
        let loc = s.rng.pick(&locs).clone();
        if s.rng.chance(40) {
            let flags = if loc.dir == "/etc" { "" } else { " -la" };
            s.emit(format!("docker exec -w {}{opts} {name} ls{flags}", loc.dir));
        } else {
            let look = s.look(&loc);
            s.emit(format!("docker exec{opts} {name} {look}"));
        }
    }
}

fn diff(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Created, Run::Exited, Run::Running]) else {
        return;
    };
    let verb = if s.rng.chance(85) {
        "diff"
    } else {
        "container diff"
    };
    s.emit(format!("docker {verb} {name}"));
}

const CHANGES: &[&str] = &[
    "-c 'CMD [\"ls\", \"-l\", \"/data\"]'",
    "-c 'ENV MODE=test'",
    "-c 'WORKDIR /srv'",
    "-c 'VOLUME /data'",
    "-c 'USER nobody'",
    "--change 'CMD cat /etc/motd'",
    "-c 'LABEL kind=committed'",
];

fn commit(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Created, Run::Exited, Run::Running]) else {
        return;
    };
    let image = s.fresh("img");
    let mut volumes = s
        .container(&name)
        .map(|c| s.image_volumes(&c.image))
        .unwrap_or_default();
    let mut runs_long = s.container(&name).is_some_and(|c| c.cmd == Cmd::Long);
    let mut changes = String::new();
    for _ in 0..s.rng.weighted(&[4, 4, 1]) {
        let change = *s.rng.pick(CHANGES);
        if change.contains("VOLUME /data") {
            volumes.push("/data".into());
        }
        if change.contains("CMD") {
            runs_long = false;
        }
        changes.push(' ');
        changes.push_str(change);
    }
    s.emit(format!("docker commit{changes} {name} {image}"));
    let family = s
        .container(&name)
        .map_or(super::gen::Family::Alpine, |c| s.family(&c.image));
    s.images.push(Image {
        name: image,
        family,
        volumes,
        runs_long,
    });
}

fn cp(s: &mut State) {
    let Some(name) = s.pick_container(&[Run::Created, Run::Exited, Run::Running]) else {
        return;
    };
    let Some(container) = s.container(&name).cloned() else {
        return;
    };
    let family = s.family(&container.image);
    let locs = s.locations(Some((&name, family)), &container.mounts);
    let mut loc = s.rng.pick(&locs).clone();
    if container.read_only && !container.mounts.is_empty() && s.rng.chance(50) {
        // a read-only container's mounts still take copies
        let mounts = s.locations(None, &container.mounts);
        if !mounts.is_empty() {
            loc = s.rng.pick(&mounts).clone();
        }
    }
    if s.rng.chance(50) {
        // into the container
        if s.rng.chance(60) || s.host_dirs.is_empty() {
            let file = match s.pick_host_file() {
                Some(f) => f,
                None => {
                    let f = format!("{}.txt", s.fresh("f"));
                    let word = s.rng.pick(WORDS);
                    s.emit(format!("echo {word} > {f}"));
                    s.host_files.push(f.clone());
                    f
                }
            };
            let base = file.rsplit('/').next().unwrap_or(&file).to_string();
            if s.rng.chance(50) {
                s.emit(format!("docker cp {file} {name}:{}/", loc.dir));
                s.note(&loc, &base);
            } else {
                let target = s.rng.pick(FILE_NAMES).to_string();
                s.emit(format!("docker cp {file} {name}:{}/{target}", loc.dir));
                s.note(&loc, &target);
            }
        } else {
            let dir = s.pick_host_dir().unwrap_or_default();
            if s.rng.chance(50) {
                s.emit(format!("docker cp {dir} {name}:{}", loc.dir));
                s.note(&loc, &dir);
            } else {
                s.emit(format!("docker cp {dir}/. {name}:{}", loc.dir));
            }
        }
    } else {
        // out of the container
        let file = s.file_in(&loc);
        let out = s.fresh("out");
        match s.rng.weighted(&[3, 2, 2]) {
            0 => {
                s.emit(format!("docker cp {name}:{}/{file} {out}", loc.dir));
                s.host_files.push(out.clone());
                s.emit(format!("cat {out}"));
            }
            // `/etc` holds `hosts` and `resolv.conf`, the recording machine's
            1 if loc.dir != "/etc" => {
                s.emit(format!("docker cp {name}:{} {out}", loc.dir));
                s.host_dirs.push(out.clone());
                s.emit(format!("ls -l {out}"));
            }
            _ => {
                let dir = bind_dir(s, false);
                s.emit(format!("docker cp {name}:{}/{file} {dir}/", loc.dir));
                s.emit(format!("ls -ln {dir}"));
            }
        }
    }
}

/// Host-side work in the home directory and in bind sources.
fn host(s: &mut State) {
    match s.rng.weighted(&[3, 4, 2, 4, 2, 2, 1]) {
        0 => {
            let dir = s.fresh("d");
            if s.rng.chance(40) {
                let sub = s.rng.pick(DIR_NAMES);
                s.emit(format!("mkdir -p {dir}/{sub}"));
            } else {
                s.emit(format!("mkdir {dir}"));
            }
            s.host_dirs.push(dir);
        }
        1 => {
            let target = host_file_target(s);
            let word = s.rng.pick(WORDS);
            let append = s.rng.chance(30);
            let plain =
                !target.contains('/') && target.starts_with('f') && target.ends_with(".txt");
            if !plain {
                // A bind source may be root's, a link dangle, a copy be a directory; bash -c
                // (the recorder) words a failed redirection `bash: line 1: …`, an interactive
                // bash `bash: …`: let tee say it.
                let flag = if append { " -a" } else { "" };
                s.emit(format!("echo {word} | tee{flag} {target} > /dev/null"));
            } else {
                let op = if append { ">>" } else { ">" };
                s.emit(format!("echo {word} {op} {target}"));
            }
            if !s.host_files.contains(&target) {
                s.host_files.push(target.clone());
            }
            if let Some((dir, name)) = target.split_once('/') {
                let loc = host_loc(dir);
                s.note(&loc, name);
            }
        }
        2 => {
            let target = host_file_target(s);
            s.emit(format!("cat {target}"));
        }
        3 => {
            let dir = s.pick_host_dir().unwrap_or_else(|| ".".into());
            // `ls -la .` would show `/home`, which is the recording machine's
            let flags = if dir == "." {
                s.rng.pick(&["-l", "-ln", "-lR"])
            } else {
                s.rng.pick(&["-l", "-ln", "-la", "-lR"])
            };
            s.emit(format!("ls {flags} {dir}"));
        }
        4 => {
            let target = host_file_target(s);
            s.emit(format!("rm {target}"));
            s.host_files.retain(|f| *f != target);
            if let Some((dir, name)) = target.split_once('/') {
                let loc = host_loc(dir);
                s.forget(&loc, name);
            }
        }
        5 => {
            let target = match s.pick_host_dir() {
                Some(d) if s.rng.chance(60) => d,
                _ => host_file_target(s),
            };
            let mode = s.rng.pick(&["777", "700", "755", "o+w", "600"]);
            s.emit(format!("chmod {mode} {target}"));
        }
        _ => {
            let target = host_file_target(s);
            let link = s.fresh("l");
            s.emit(format!("ln -s {target} {link}"));
            s.host_files.push(link);
        }
    }
}

fn host_loc(dir: &str) -> Loc {
    Loc {
        dir: dir.to_string(),
        store: format!("h:{dir}"),
        prefix: String::new(),
    }
}

/// A host file to read or write: one that exists, or a name in a bind source or the home.
fn host_file_target(s: &mut State) -> String {
    if let Some(file) = s.pick_host_file() {
        if s.rng.chance(50) {
            return file;
        }
    }
    if let Some(dir) = s.pick_host_dir() {
        let loc = host_loc(&dir);
        let name = s.file_in(&loc);
        return format!("{dir}/{name}");
    }
    format!("{}.txt", s.fresh("f"))
}

const CONTAINER_TEMPLATES: &[&str] = &[
    "{{.HostConfig.Binds}}",
    "{{json .HostConfig.Tmpfs}}",
    "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}",
    "{{.Config.WorkingDir}} {{json .Config.Env}}",
    "{{json .Config.Volumes}}",
    "{{.State.Status}} {{.State.ExitCode}}",
    "{{.HostConfig.VolumesFrom}}",
    "{{json .HostConfig.Mounts}}",
    "{{.HostConfig.AutoRemove}} {{.Image}}",
];

/// `ps -a`, `inspect` and `volume ls` with formats over mounts.
fn listing(s: &mut State) {
    let simple = s.containers.iter().all(|c| c.mounts.len() <= 1);
    match s.rng.weighted(&[3, 2, 2, 2, 5, 1]) {
        0 => s.emit("docker ps -a"),
        1 => {
            let format = s.rng.pick(&[
                "'{{.Names}} {{.Status}}'",
                "'table {{.Names}}\\t{{.Image}}\\t{{.Command}}'",
                "'{{.Names}}: {{.State}}'",
            ]);
            s.emit(format!("docker ps -a --format {format}"));
        }
        2 => {
            let filter = match s.pick_volume() {
                Some(v) if s.rng.chance(60) => format!("volume={v}"),
                _ => s
                    .rng
                    .pick(&["status=exited", "status=running", "status=created"])
                    .to_string(),
            };
            s.emit(format!(
                "docker ps -a --filter {filter} --format '{{{{.Names}}}}'"
            ));
        }
        3 if simple => s.emit("docker ps -a --format '{{.Names}} {{.Mounts}}'"),
        3 => s.emit("docker ps -a --format '{{.Names}} {{.Image}}'"),
        4 => {
            let Some(name) = s.pick_container(&[Run::Created, Run::Exited, Run::Running]) else {
                s.emit("docker ps -a");
                return;
            };
            let mounts = s.container(&name).map_or(0, |c| c.mounts.len());
            match s.rng.weighted(&[3, 3, 4]) {
                0 if mounts <= 1 => s.emit(format!("docker inspect --format '{{{{json .Mounts}}}}' {name}")),
                0 | 1 => s.emit(format!(
                    "docker inspect --format '{{{{range .Mounts}}}}{{{{.Destination}}}} {{{{.Type}}}} {{{{.Name}}}} {{{{.RW}}}} {{{{.Mode}}}}{{{{println}}}}{{{{end}}}}' {name} | sort"
                )),
                _ => {
                    let template = s.rng.pick(CONTAINER_TEMPLATES);
                    let verb = if s.rng.chance(80) { "inspect" } else { "container inspect" };
                    s.emit(format!("docker {verb} -f '{template}' {name}"));
                }
            }
        }
        _ => volume_ls(s),
    }
}
