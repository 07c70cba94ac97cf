//! Every program a learner can reach either runs or says plainly that layerbox does not model
//! it: each executable and BusyBox applet link of every sample image, and every program on the
//! host's `PATH`. A program that does not exist keeps Docker's and the shells' "not found".

use std::collections::{BTreeMap, BTreeSet};

use layerbox_fstree::{Cred, FileSystem, FileType, Union};
use layerbox_runtime::NOT_MODELLED;
use layerbox_session::Session;
use layerbox_session::ON_HOST_PATH;

/// What a program's run must show, from what the image's files say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Applet,
    InImage,
}

/// Every executable file of a union (symlinks followed), with whether it is BusyBox's binary
/// under another name, by path.
fn executables(fs: &Union) -> BTreeMap<String, Kind> {
    let root = Cred::root();
    let busybox = fs.stat(&root, "/bin/busybox").ok();
    let mut found = BTreeMap::new();
    let mut dirs = vec!["/".to_string()];
    while let Some(dir) = dirs.pop() {
        for entry in fs.read_dir(&root, &dir).unwrap_or_default() {
            let path = layerbox_fstree::path::join(&dir, &entry.name);
            if entry.kind == FileType::Dir {
                dirs.push(path);
                continue;
            }
            let Ok(resolved) = fs.resolve(&root, &path, true) else {
                continue;
            };
            let Some(stat) = resolved.stat.filter(|s| s.kind == FileType::File) else {
                continue;
            };
            if stat.mode & 0o111 == 0 {
                continue;
            }
            let hard_link = busybox.as_ref().is_some_and(|b| b.ino == stat.ino);
            let applet = hard_link || resolved.path.ends_with("/busybox");
            // BusyBox's binary by its own name is the program, not one of its applets.
            let kind = if applet && entry.name != "busybox" {
                Kind::Applet
            } else {
                Kind::InImage
            };
            found.insert(path, kind);
        }
    }
    found
}

/// `NAME` quoted for the host's shell.
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "'\\''"))
}

/// Runs `line` and checks it either ran (no "not found", no exit status 127 or
/// [`NOT_MODELLED`]) or gave exactly the honest message for `name`; returns whether it was not
/// modelled. (A modelled program may still say that one of its options is not modelled.)
fn runs_or_is_honest(s: &mut Session, line: &str, name: &str, kind: &str) -> bool {
    let result = s.run_line(line);
    let text = result.text();
    let base = name.rsplit('/').next().unwrap_or(name);
    if result.code == NOT_MODELLED
        && text.starts_with(&format!("layerbox: {base} "))
        && !text.starts_with(&format!("layerbox: {base} is not modelled"))
    {
        // A modelled program run bare in a mode that is not modelled (`top`, a full-screen
        // program, runs only as `top -b -n 1`).
        assert!(text.ends_with(" is not modelled\n"), "{line}: {text}");
        return false;
    }
    if result.code == NOT_MODELLED {
        // The message, and for an editor or a network tool what to use instead.
        let head = format!("layerbox: {name} is not modelled{kind}");
        let rest = text
            .strip_prefix(&head)
            .unwrap_or_else(|| panic!("{line}: {text}"));
        assert!(
            rest == "\n" || (rest.starts_with(": ") && rest.find('\n') == Some(rest.len() - 1)),
            "{line}: {text}"
        );
        return true;
    }
    assert!(
        !text.contains("not found") && result.code != 127,
        "{line} ran as missing: {text}"
    );
    assert!(
        !text.contains(&format!("layerbox: {name} is not modelled\n")),
        "{line}: {text}"
    );
    false
}

#[test]
fn every_executable_in_every_sample_image_runs_or_says_it_is_not_modelled() {
    let mut s = Session::new();
    let images: Vec<(String, Union, Vec<String>)> = s
        .world()
        .images()
        .images
        .values()
        .map(|image| {
            let path = image
                .config
                .env
                .iter()
                .find_map(|e| e.strip_prefix("PATH="))
                .unwrap_or("")
                .split(':')
                .map(str::to_string)
                .collect();
            (
                image.repo_tags[0].clone(),
                Union::new(image.layers.clone()),
                path,
            )
        })
        .collect();
    let mut report = Vec::new();
    for (n, (reference, fs, path)) in images.iter().enumerate() {
        let probe = format!("probe{n}");
        let started = s.run_line(&format!(
            "docker run -d --name {probe} --entrypoint sleep {reference} 1000000"
        ));
        assert_eq!(started.code, 0, "{reference}: {}", started.text());
        let found = executables(fs);
        assert!(found.len() > 5, "{reference} lists its files");
        let mut unmodelled = BTreeSet::new();
        for (file, kind) in &found {
            let suffix = match kind {
                Kind::Applet => " (BusyBox applet)",
                Kind::InImage => " (program in the image)",
            };
            let line = format!("docker exec {probe} {}", quoted(file));
            if runs_or_is_honest(&mut s, &line, file, suffix) {
                unmodelled.insert(file.rsplit('/').next().unwrap_or(file));
            }
        }
        // By name through the image's PATH: the first match is what runs.
        let mut names: Vec<(&str, Kind)> = Vec::new();
        for dir in path {
            for (file, kind) in &found {
                let (parent, name) = file.rsplit_once('/').unwrap_or(("", file));
                let parent = if parent.is_empty() { "/" } else { parent };
                if parent == dir && !names.iter().any(|(n, _)| *n == name) {
                    names.push((name, *kind));
                }
            }
        }
        for (name, kind) in names {
            let suffix = match kind {
                Kind::Applet => " (BusyBox applet)",
                Kind::InImage => " (program in the image)",
            };
            let line = format!("docker exec {probe} {}", quoted(name));
            runs_or_is_honest(&mut s, &line, name, suffix);
        }
        let names: Vec<&str> = unmodelled.into_iter().collect();
        report.push(format!("{reference}: {}", names.join(" ")));
    }
    eprintln!("not modelled in the sample images:\n{}", report.join("\n"));
}

#[test]
fn every_program_on_the_host_path_runs_or_says_it_is_not_modelled() {
    let mut s = Session::new();
    let modelled = s.host_programs();
    for name in &modelled {
        assert!(
            ON_HOST_PATH.contains(name),
            "{name} is modelled but not on PATH"
        );
    }
    assert!(
        ON_HOST_PATH.windows(2).all(|w| w[0] < w[1]),
        "ON_HOST_PATH is sorted"
    );
    let mut unmodelled = Vec::new();
    for name in ON_HOST_PATH {
        if runs_or_is_honest(&mut s, &quoted(name), name, "") {
            assert!(!modelled.contains(name), "{name} is modelled");
            unmodelled.push(*name);
        }
        let path = format!("/usr/bin/{name}");
        runs_or_is_honest(&mut s, &quoted(&path), &path, "");
    }
    for name in [
        "ping",
        "awk",
        "vi",
        "sudo",
        "git",
        "python3",
        "apt-get",
        "systemctl",
    ] {
        assert!(unmodelled.contains(&name), "{name}");
    }
    eprintln!("not modelled on the host: {}", unmodelled.join(" "));
}

#[test]
fn an_applet_that_is_not_modelled_says_so_in_run_exec_build_and_a_shell() {
    let mut s = Session::new();
    let r = s.run_line("docker run --name c1 alpine cpio -i");
    assert_eq!(
        r.text(),
        "layerbox: cpio is not modelled (BusyBox applet)\n"
    );
    assert_eq!(r.code, NOT_MODELLED);
    assert_eq!(
        s.run_line("docker ps -a --format '{{.Status}}'").text(),
        format!("Exited ({NOT_MODELLED}) Less than a second ago\n")
    );
    s.run_line("docker run -d --name waiter alpine sleep 1000");
    let r = s.run_line("docker exec waiter cal 2026");
    assert_eq!(r.text(), "layerbox: cal is not modelled (BusyBox applet)\n");
    assert_eq!(r.code, NOT_MODELLED);
    let r = s.run_line("docker run --rm alpine sh -c 'factor 12; echo status $?'");
    assert_eq!(
        r.text(),
        format!("layerbox: factor is not modelled (BusyBox applet)\nstatus {NOT_MODELLED}\n")
    );
    let r = s.run_line("docker run --rm postgres psql");
    assert_eq!(
        r.text(),
        "layerbox: psql is not modelled (program in the image)\n"
    );
    s.run_line("docker exec -it waiter sh");
    let r = s.run_line("/usr/bin/strings");
    assert_eq!(
        r.text(),
        "layerbox: /usr/bin/strings is not modelled (BusyBox applet)\n"
    );
    assert_eq!(r.code, NOT_MODELLED);
    s.run_line("exit");
    s.run_line("mkdir app");
    s.run_line("printf 'FROM alpine\\nRUN bc\\n' > app/Dockerfile");
    let r = s.run_line("docker build app");
    let text = r.text();
    assert!(
        text.contains("layerbox: bc is not modelled (BusyBox applet)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "The command '/bin/sh -c bc' returned a non-zero code: {NOT_MODELLED}"
        )),
        "{text}"
    );
}

#[test]
fn busybox_runs_an_applet_as_its_multi_call_binary() {
    let mut s = Session::new();
    let r = s.run_line("docker run --rm alpine busybox echo hi");
    assert_eq!((r.text().as_str(), r.code), ("hi\n", 0));
    let r = s.run_line("docker run --rm busybox /bin/busybox ls /etc/passwd");
    assert_eq!((r.text().as_str(), r.code), ("/etc/passwd\n", 0));
    let r = s.run_line("docker run --rm alpine /bin/busybox cpio -i");
    assert_eq!(
        r.text(),
        "layerbox: cpio is not modelled (BusyBox applet)\n"
    );
    assert_eq!(r.code, NOT_MODELLED);
    let r = s.run_line("docker run --rm alpine busybox nosuch");
    assert_eq!(
        (r.text().as_str(), r.code),
        ("nosuch: applet not found\n", 127)
    );
}

#[test]
fn a_program_that_does_not_exist_is_still_not_found() {
    let mut s = Session::new();
    let r = s.run_line("docker run alpine nosuch");
    assert!(
        r.text()
            .contains("exec: \"nosuch\": executable file not found in $PATH"),
        "{}",
        r.text()
    );
    assert_eq!(r.code, 127);
    let r = s.run_line("docker run --rm alpine sh -c nosuch");
    assert_eq!(
        (r.text().as_str(), r.code),
        ("sh: nosuch: not found\n", 127)
    );
    // A program of another distribution is not in Alpine.
    let r = s.run_line("docker run --rm alpine sh -c 'apt-get update'");
    assert_eq!(
        (r.text().as_str(), r.code),
        ("sh: apt-get: not found\n", 127)
    );
    let r = s.run_line("nosuch");
    assert_eq!(
        (r.text().as_str(), r.code),
        ("bash: nosuch: command not found\n", 127)
    );
    // The host has no `apk`.
    let r = s.run_line("apk add curl");
    assert_eq!(
        (r.text().as_str(), r.code),
        ("bash: apk: command not found\n", 127)
    );
}

#[test]
fn which_finds_what_runs_on_the_host_and_in_a_container() {
    let mut s = Session::new();
    for name in ON_HOST_PATH {
        let r = s.run_line(&format!("which {}", quoted(name)));
        assert_eq!(r.text(), format!("/usr/bin/{name}\n"), "which {name}");
    }
    let r = s.run_line("which -a ls nosuch");
    assert_eq!(r.text(), "/usr/bin/ls\n/bin/ls\n");
    assert_eq!(r.code, 1);
    s.run_line("docker run -d --name waiter alpine sleep 1000");
    let r = s.run_line("docker exec waiter which ls awk xargs nosuch");
    assert_eq!(r.text(), "/bin/ls\n/usr/bin/awk\n/usr/bin/xargs\n");
    assert_eq!(r.code, 1);
    // Every applet `which` finds in the container runs or says it is not modelled.
    let r = s.run_line("docker exec waiter sh -c 'ls /bin /usr/bin | grep -v :'");
    let names: BTreeSet<String> = r
        .text()
        .lines()
        .filter(|l| !l.is_empty() && !l.contains('['))
        .map(str::to_string)
        .collect();
    assert!(names.len() > 100, "{names:?}");
    for name in names {
        let found = s.run_line(&format!("docker exec waiter which {name}"));
        assert_eq!(found.code, 0, "which {name}: {}", found.text());
        let path = found.text().trim().to_string();
        let ran = s.run_line(&format!(
            "docker exec waiter sh -c '{path} --help </dev/null; echo status $?'"
        ));
        assert!(!ran.text().contains("not found"), "{path}: {}", ran.text());
    }
}
