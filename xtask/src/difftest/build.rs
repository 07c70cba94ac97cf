//! The image productions of the difftest grammar: a build context with a small Dockerfile
//! (`COPY`, `ADD`, `RUN` file operations that succeed on the base, `VOLUME` before and after
//! writes, `WORKDIR`, `ENV`, a final `USER` and `CMD`), `docker build`, then `history`,
//! `image inspect`, a run of the image, `rmi` and `image prune`.

use super::gen::{Family, Image, State, WORDS};

/// A build context with a small Dockerfile, `docker build`, then sometimes a look at the image.
pub fn build(s: &mut State) {
    s.contexts += 1;
    let ctx = format!("ctx{}", s.contexts);
    let name = s.fresh("img");
    s.emit(format!("mkdir {ctx}"));
    let word = s.rng.pick(WORDS);
    s.emit(format!("echo {word} > {ctx}/a.txt"));
    let with_dir = s.rng.chance(30);
    if with_dir {
        let word = s.rng.pick(WORDS);
        s.emit(format!("mkdir {ctx}/sub && echo {word} > {ctx}/sub/b.txt"));
    }
    let from = if !s.images.is_empty() && s.rng.chance(25) {
        let index = s.rng.below(s.images.len());
        s.images[index].name.clone()
    } else {
        s.rng.pick(&["alpine", "busybox"]).to_string()
    };
    let family = s.family(&from);
    let mut volumes = s.image_volumes(&from);
    let mut lines = vec![format!("FROM {from}")];
    // RUN steps that succeed on the base, so that the image exists afterwards; a USER comes
    // last (a RUN after it could not write)
    let (append, delete) = match family {
        Family::Alpine => ("echo more >> /etc/motd", "rm /etc/issue"),
        Family::Busybox => ("echo more >> /etc/group", "rm /etc/localtime"),
    };
    let prune = match family {
        Family::Alpine => "rm -rf /etc/apk",
        Family::Busybox => "rm -rf /etc/network",
    };
    for _ in 0..s.rng.range(2, 4) {
        let line = match s.rng.weighted(&[4, 2, 2, 5, 2, 2, 2]) {
            0 => "COPY a.txt /app/".to_string(),
            1 if with_dir => "COPY sub /app/sub".to_string(),
            1 => "ADD a.txt /opt/a.txt".to_string(),
            2 => "ADD a.txt /opt/".to_string(),
            3 => {
                let op = *s.rng.pick(&[
                    "mkdir -p /app/x && echo hi > /app/x/f",
                    append,
                    delete,
                    "mkdir -p /app && touch /app/new && chmod 600 /app/new",
                    "mkdir -p /app && ln -s /etc/passwd /app/link",
                    "mkdir -p /data && echo before > /data/before.txt",
                    "mkdir -p /data && echo after > /data/after.txt",
                    prune,
                ]);
                format!("RUN {op}")
            }
            4 => {
                volumes.push("/data".into());
                "VOLUME /data".to_string()
            }
            5 => "WORKDIR /app".to_string(),
            _ => format!("ENV MODE={}", s.rng.pick(WORDS)),
        };
        lines.push(line);
    }
    if s.rng.chance(25) {
        lines.push(format!("USER {}", s.rng.pick(&["nobody", "1000"])));
    }
    let mut runs_long = !s.ends_by_itself(&from);
    if runs_long || s.rng.chance(60) {
        runs_long = false;
        lines.push(
            s.rng
                .pick(&[
                    "CMD [\"ls\", \"-la\", \"/app\"]",
                    "CMD cat /app/a.txt",
                    "CMD [\"find\", \"/data\"]",
                    "CMD [\"ls\", \"-l\", \"/app\"]",
                ])
                .to_string(),
        );
    }
    let text: String = lines.iter().map(|l| format!("{l}\\n")).collect();
    s.emit(format!("printf '{text}' > {ctx}/Dockerfile"));
    let quiet = if s.rng.chance(30) { "-q " } else { "" };
    s.emit(format!("docker build {quiet}-t {name} {ctx}"));
    s.images.push(Image {
        name,
        family,
        volumes,
        runs_long,
    });
    if s.rng.chance(60) {
        image(s);
    }
}

/// A look at, or the removal of, an image built or committed here (or a sample).
pub fn image(s: &mut State) {
    let target = if s.images.is_empty() || s.rng.chance(10) {
        s.rng.pick(&["alpine", "busybox"]).to_string()
    } else {
        let index = s.rng.below(s.images.len());
        s.images[index].name.clone()
    };
    let sample = target == "alpine" || target == "busybox";
    match s.rng.weighted(&[3, 3, 3, 2, u32::from(!sample) * 2, 1]) {
        0 => s.emit(format!("docker history {target}")),
        1 => s.emit(format!(
            "docker history --format '{{{{.CreatedBy}}}}|{{{{.Size}}}}' {target}"
        )),
        2 => {
            let template = s.rng.pick(&[
                "{{json .Config.Volumes}} {{.Config.User}} {{.Config.WorkingDir}}",
                "{{json .Config.Cmd}} {{json .Config.Env}}",
                "{{len .RootFS.Layers}}",
                "{{.Config.Labels}}",
            ]);
            s.emit(format!("docker image inspect -f '{template}' {target}"));
        }
        3 => {
            let name = s.fresh("c");
            let cmd = if s.ends_by_itself(&target) && s.rng.chance(50) {
                ""
            } else {
                " ls /app"
            };
            s.emit(format!("docker run --rm --name {name} {target}{cmd}"));
        }
        4 => {
            let used = s.containers.iter().any(|c| c.image == target);
            s.emit(format!("docker rmi {target}"));
            if !used {
                s.images.retain(|i| i.name != target);
            }
        }
        _ => s.emit("docker image prune -f"),
    }
}
