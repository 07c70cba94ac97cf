//! The session generator of `cargo xtask difftest`: a seeded grammar of what learners do around
//! Docker storage, played against a model of the state it has built so far (containers and
//! their mounts, volumes, host files, built images, files written in each store), so that most
//! commands name things that exist; a controlled share are mistakes (`mistakes.rs`).
//!
//! A session is a list of `$ ` lines for a fresh state (sample images only, empty
//! `/home/user`). [`session`] is a pure function of the seed and the session's index.
//! The productions are in `grammar.rs`; this file holds the state they read and change, and
//! the container scripts (file operations in image directories, volumes, binds and tmpfs).
//!
//! The model is deliberately coarse: it does not know whether a command succeeded, only what it
//! would change if it did, which is enough to keep names meaningful. What it avoids on purpose:
//! - races: only long-running commands (`sleep 1000`) run detached, short ones in the
//!   foreground or with `docker start -a`;
//! - what the engine's map order decides: `.Mounts` of containers with several mounts is printed
//!   one line per mount and sorted, containers always get a `--name` unless `--rm`, and
//!   volume names start with `v` so 64-hex anonymous names always sort first;
//! - what Engine 20.10 answers differently from current Docker, which layerbox models (see
//!   `tests/conformance/README.md`): `volume prune` while a named volume is unused, `rm` of a
//!   running container without `-f`.

use std::collections::{BTreeMap, BTreeSet};

use super::rng::{mix, Rng};

/// Percent of steps that are a mistake (a wrong name, a bad flag, a missing path).
pub const MISTAKE_PERCENT: u32 = 10;

/// The `$ ` lines of session `index` of a run with `seed`.
pub fn session(seed: u64, index: usize) -> Vec<String> {
    let mut state = State::new(mix(seed, index));
    let length = state.rng.range(12, 26);
    while state.out.len() < length {
        if state.rng.chance(MISTAKE_PERCENT) {
            super::mistakes::mistake(&mut state);
        } else {
            super::grammar::step(&mut state);
        }
    }
    super::grammar::observe(&mut state);
    state.out
}

/// What a container's main process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Finishes on its own (file operations, `ls`, `cat`).
    Short,
    /// `sleep 1000`: runs until stopped.
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    Created,
    Running,
    Exited,
}

/// Where a mount's files live (the key of [`State::files`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Volume(String),
    Anonymous,
    BindDir(String),
    BindFile(String),
    Tmpfs,
}

#[derive(Debug, Clone)]
pub struct Mount {
    pub dest: String,
    pub source: Source,
    pub read_only: bool,
    /// The key of its files in [`State::files`].
    pub store: String,
}

#[derive(Debug, Clone)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub run: Run,
    pub cmd: Cmd,
    pub mounts: Vec<Mount>,
    pub read_only: bool,
    pub user: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Volume {
    pub name: String,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Image {
    pub name: String,
    pub family: Family,
    /// `VOLUME`s of its config.
    pub volumes: Vec<String>,
    /// Whether its default command runs until stopped (committed from `sleep 1000`): it is
    /// then only run with a command, so that no foreground run waits for the recorder's timeout.
    pub runs_long: bool,
}

/// A directory as a container sees it, and where its files are kept in the model.
#[derive(Debug, Clone)]
pub struct Loc {
    /// The path in the container.
    pub dir: String,
    /// The key in [`State::files`].
    pub store: String,
    /// The path of `dir` inside the store (`""` for a mount's root).
    pub prefix: String,
}

/// The generator's state: what exists so far, as the commands emitted would leave it.
pub struct State {
    pub rng: Rng,
    pub out: Vec<String>,
    pub containers: Vec<Container>,
    pub volumes: Vec<Volume>,
    /// Anonymous volumes that may still exist (their names are random).
    pub anonymous: usize,
    /// Host directories, relative to the home directory.
    pub host_dirs: Vec<String>,
    /// Host files, relative to the home directory.
    pub host_files: Vec<String>,
    /// Images built or committed in this session.
    pub images: Vec<Image>,
    /// Build contexts made so far.
    pub contexts: usize,
    /// Names of files the model believes exist, per store: `v:NAME` (volume), `h:DIR` (host
    /// directory), `c:NAME` (a container's own filesystem, full paths), `a:NAME:/dest`
    /// (an anonymous volume), `t:NAME:/dest` (a tmpfs).
    pub files: BTreeMap<String, BTreeSet<String>>,
    counter: usize,
}

/// The two families of sample images: their directories and files differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Alpine,
    Busybox,
}

impl Family {
    /// Directories where learners write: empty ones and `/etc`.
    pub fn dirs(self) -> &'static [&'static str] {
        match self {
            Family::Alpine => &["/tmp", "/etc", "/root", "/opt", "/srv", "/home", "/var/tmp"],
            Family::Busybox => &["/tmp", "/etc", "/root", "/home", "/var/www"],
        }
    }

    /// Files of `/etc` (`hostname` is one of Docker's own mounts; `hosts` and `resolv.conf`,
    /// the others, hold the recording machine's addresses and are left out).
    pub fn etc_files(self) -> &'static [&'static str] {
        match self {
            Family::Alpine => &["motd", "issue", "shells", "hostname"],
            Family::Busybox => &["group", "localtime", "shadow", "hostname"],
        }
    }
}
/// Mount points.
pub const DESTS: &[&str] = &[
    "/data",
    "/vol",
    "/srv/data",
    "/var/cache/app",
    "/mnt/a",
    "/opt/app",
    "/etc/apk",
    "/tmp/in",
];
pub const FILE_NAMES: &[&str] = &["a.txt", "b.txt", "notes", "log.1", "c.conf"];
pub const DIR_NAMES: &[&str] = &["sub", "x", "cache"];
pub const WORDS: &[&str] = &["hello", "one", "two", "data", "x", "42"];
pub const MODES: &[&str] = &["600", "644", "755", "777", "go-w", "u+x", "a+r"];
pub const OWNERS: &[&str] = &["1000", "1000:1000", "nobody", "nobody:nogroup", "0:0"];
pub const SAMPLE_IMAGES: &[&str] = &["alpine", "busybox"];

impl State {
    pub fn new(seed: u64) -> State {
        State {
            rng: Rng::new(seed),
            out: Vec::new(),
            containers: Vec::new(),
            volumes: Vec::new(),
            anonymous: 0,
            host_dirs: Vec::new(),
            host_files: Vec::new(),
            images: Vec::new(),
            contexts: 0,
            files: BTreeMap::new(),
            counter: 0,
        }
    }

    pub fn emit(&mut self, line: impl Into<String>) {
        self.out.push(line.into());
    }

    /// A fresh number for a name (`c3`, `vol4`, `d5`, …), unique in the session.
    pub fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    pub fn container(&self, name: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.name == name)
    }

    pub fn container_mut(&mut self, name: &str) -> Option<&mut Container> {
        self.containers.iter_mut().find(|c| c.name == name)
    }

    /// A container in one of `runs`, if any.
    pub fn pick_container(&mut self, runs: &[Run]) -> Option<String> {
        let names: Vec<String> = self
            .containers
            .iter()
            .filter(|c| runs.contains(&c.run))
            .map(|c| c.name.clone())
            .collect();
        if names.is_empty() {
            None
        } else {
            Some(self.rng.pick(&names).clone())
        }
    }

    /// An existing volume's name, if any.
    pub fn pick_volume(&mut self) -> Option<String> {
        if self.volumes.is_empty() {
            return None;
        }
        let index = self.rng.below(self.volumes.len());
        Some(self.volumes[index].name.clone())
    }

    pub fn pick_host_dir(&mut self) -> Option<String> {
        if self.host_dirs.is_empty() {
            None
        } else {
            Some(self.rng.pick(&self.host_dirs).clone())
        }
    }

    pub fn pick_host_file(&mut self) -> Option<String> {
        if self.host_files.is_empty() {
            None
        } else {
            Some(self.rng.pick(&self.host_files).clone())
        }
    }

    /// An image to run: mostly a sample, sometimes one built or committed here.
    pub fn pick_image(&mut self) -> String {
        if !self.images.is_empty() && self.rng.chance(25) {
            let index = self.rng.below(self.images.len());
            return self.images[index].name.clone();
        }
        if self.rng.chance(5) {
            return "diamol/ch06-todo-list".into();
        }
        self.rng.pick(SAMPLE_IMAGES).to_string()
    }

    /// Whether `image` runs to its end without a command given.
    pub fn ends_by_itself(&self, image: &str) -> bool {
        self.images
            .iter()
            .find(|i| i.name == image)
            .is_none_or(|i| !i.runs_long)
    }

    /// Which sample an image is (or is built from).
    pub fn family(&self, image: &str) -> Family {
        if image == "busybox" {
            return Family::Busybox;
        }
        self.images
            .iter()
            .find(|i| i.name == image)
            .map_or(Family::Alpine, |i| i.family)
    }

    /// The `VOLUME`s of an image the model knows.
    pub fn image_volumes(&self, image: &str) -> Vec<String> {
        if image == "diamol/ch06-todo-list" {
            return vec!["/data".into()];
        }
        self.images
            .iter()
            .find(|i| i.name == image)
            .map(|i| i.volumes.clone())
            .unwrap_or_default()
    }

    /// Whether a named volume is used by no container (then Engine 20.10's `volume prune`
    /// would remove it, which current Docker does not).
    pub fn has_unused_named_volume(&self) -> bool {
        self.volumes.iter().any(|v| {
            !self.containers.iter().any(|c| {
                c.mounts
                    .iter()
                    .any(|m| m.source == Source::Volume(v.name.clone()))
            })
        })
    }

    /// How many containers mount the named volume.
    pub fn users_of(&self, volume: &str) -> usize {
        self.containers
            .iter()
            .filter(|c| {
                c.mounts
                    .iter()
                    .any(|m| m.source == Source::Volume(volume.to_string()))
            })
            .count()
    }

    /// The files the model believes are directly in `loc`.
    pub fn names_in(&self, loc: &Loc) -> Vec<String> {
        let Some(set) = self.files.get(&loc.store) else {
            return Vec::new();
        };
        let lead = format!("{}/", loc.prefix);
        set.iter()
            .filter_map(|path| path.strip_prefix(&lead))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect()
    }

    pub fn note(&mut self, loc: &Loc, name: &str) {
        self.files
            .entry(loc.store.clone())
            .or_default()
            .insert(format!("{}/{name}", loc.prefix));
    }

    pub fn forget(&mut self, loc: &Loc, name: &str) {
        if let Some(set) = self.files.get_mut(&loc.store) {
            let path = format!("{}/{name}", loc.prefix);
            let below = format!("{path}/");
            set.retain(|p| *p != path && !p.starts_with(&below));
        }
    }

    /// An existing file name in `loc` most of the time, else a name from the pool.
    pub fn file_in(&mut self, loc: &Loc) -> String {
        let names = self.names_in(loc);
        if !names.is_empty() && self.rng.chance(75) {
            return self.rng.pick(&names).clone();
        }
        self.rng.pick(FILE_NAMES).to_string()
    }

    /// The directories a container with `mounts` sees, for its scripts: mount points and image
    /// directories (these only when `container` names its own filesystem and image family).
    pub fn locations(&self, container: Option<(&str, Family)>, mounts: &[Mount]) -> Vec<Loc> {
        let mut locs: Vec<Loc> = mounts
            .iter()
            .filter(|m| !matches!(m.source, Source::BindFile(_)))
            .map(|m| Loc {
                dir: m.dest.clone(),
                store: m.store.clone(),
                prefix: String::new(),
            })
            .collect();
        if let Some((name, family)) = container {
            for dir in family.dirs() {
                if mounts.iter().any(|m| m.dest == *dir) {
                    continue;
                }
                locs.push(Loc {
                    dir: dir.to_string(),
                    store: format!("c:{name}"),
                    prefix: dir.to_string(),
                });
            }
        }
        locs
    }

    /// Makes sure `/etc`'s image files are known in a container's own store.
    pub fn seed_image_files(&mut self, container: &str, family: Family) {
        let set = self.files.entry(format!("c:{container}")).or_default();
        for name in family.etc_files() {
            set.insert(format!("/etc/{name}"));
        }
    }

    /// A container's writes that do not survive: its tmpfs mounts are emptied when it stops.
    pub fn stopped(&mut self, name: &str) {
        let stores: Vec<String> = self
            .container(name)
            .map(|c| {
                c.mounts
                    .iter()
                    .filter(|m| m.source == Source::Tmpfs)
                    .map(|m| m.store.clone())
                    .collect()
            })
            .unwrap_or_default();
        for store in stores {
            self.files.remove(&store);
        }
        if let Some(c) = self.container_mut(name) {
            c.run = Run::Exited;
        }
    }

    /// Removes a container from the model (and its anonymous volumes with `-v`).
    pub fn removed(&mut self, name: &str, with_volumes: bool) {
        let Some(index) = self.containers.iter().position(|c| c.name == name) else {
            return;
        };
        let container = self.containers.remove(index);
        self.files.remove(&format!("c:{name}"));
        for mount in &container.mounts {
            match mount.source {
                Source::Tmpfs => {
                    self.files.remove(&mount.store);
                }
                Source::Anonymous
                    if with_volumes && mount.store.starts_with(&format!("a:{name}:")) =>
                {
                    self.files.remove(&mount.store);
                    self.anonymous = self.anonymous.saturating_sub(1);
                }
                _ => {}
            }
        }
    }

    /// A shell script of `count` file operations over `locs`, then maybe a look at the result.
    pub fn script(&mut self, locs: &[Loc], count: usize) -> String {
        let mut ops: Vec<String> = Vec::new();
        for _ in 0..count {
            let loc = self.rng.pick(locs).clone();
            ops.push(self.file_op(&loc, locs));
        }
        if self.rng.chance(60) {
            let loc = self.rng.pick(locs).clone();
            ops.push(self.look(&loc));
        }
        let glue = if self.rng.chance(70) { "; " } else { " && " };
        ops.join(glue)
    }

    /// One file operation in `loc` (a write, an append, a delete, a rename, a chmod, a chown,
    /// a hard or symbolic link, `mkdir -p` or `rm -rf`).
    pub fn file_op(&mut self, loc: &Loc, all: &[Loc]) -> String {
        let dir = loc.dir.clone();
        let word = self.rng.pick(WORDS).to_string();
        match self.rng.weighted(&[10, 6, 4, 4, 3, 2, 2, 3, 3, 2, 2]) {
            0 => {
                let name = self.file_in(loc);
                self.note(loc, &name);
                format!("echo {word} > {dir}/{name}")
            }
            1 => {
                let name = self.file_in(loc);
                self.note(loc, &name);
                format!("echo {word} >> {dir}/{name}")
            }
            2 => {
                let name = self.file_in(loc);
                self.forget(loc, &name);
                let flag = if self.rng.chance(30) { "-f " } else { "" };
                format!("rm {flag}{dir}/{name}")
            }
            3 => {
                let from = self.file_in(loc);
                let to_loc = if self.rng.chance(25) {
                    self.rng.pick(all).clone()
                } else {
                    loc.clone()
                };
                let to = self.rng.pick(FILE_NAMES).to_string();
                self.forget(loc, &from);
                self.note(&to_loc, &to);
                format!("mv {dir}/{from} {}/{to}", to_loc.dir)
            }
            4 => {
                let name = self.file_in(loc);
                let mode = self.rng.pick(MODES);
                format!("chmod {mode} {dir}/{name}")
            }
            5 => {
                let name = self.file_in(loc);
                let owner = self.rng.pick(OWNERS);
                format!("chown {owner} {dir}/{name}")
            }
            6 => {
                let from = self.file_in(loc);
                let to = self.rng.pick(FILE_NAMES).to_string();
                self.note(loc, &to);
                format!("ln {dir}/{from} {dir}/{to}")
            }
            7 => {
                let target = self.file_in(loc);
                let target = if self.rng.chance(50) {
                    target
                } else {
                    format!("{dir}/{target}")
                };
                let link = format!("link{}", self.rng.range(1, 3));
                self.note(loc, &link);
                format!("ln -s {target} {dir}/{link}")
            }
            8 => {
                let sub = self.rng.pick(DIR_NAMES).to_string();
                let deep = self.rng.pick(DIR_NAMES).to_string();
                self.note(loc, &sub);
                let inner = Loc {
                    dir: format!("{dir}/{sub}"),
                    store: loc.store.clone(),
                    prefix: format!("{}/{sub}", loc.prefix),
                };
                self.note(&inner, &deep);
                format!("mkdir -p {dir}/{sub}/{deep}")
            }
            9 => {
                let sub = self.rng.pick(DIR_NAMES).to_string();
                self.forget(loc, &sub);
                format!("rm -rf {dir}/{sub}")
            }
            _ => {
                let name = self.file_in(loc);
                self.note(loc, &name);
                format!("touch {dir}/{name}")
            }
        }
    }

    /// A read of `loc`: `ls -l`, `ls -la`, `ls -ln`, `cat`, `find`. Not `ls -l /etc`: the
    /// sizes of `hosts` and `resolv.conf` are the recording machine's.
    pub fn look(&mut self, loc: &Loc) -> String {
        let dir = &loc.dir;
        let long = if dir == "/etc" { 0 } else { 1 };
        match self.rng.weighted(&[5 * long, 2 * long, 2 * long, 4, 2]) {
            0 => format!("ls -l {dir}"),
            1 => format!("ls -la {dir}"),
            2 => format!("ls -ln {dir}"),
            3 => {
                let name = self.file_in(loc);
                format!("cat {}/{name}", loc.dir)
            }
            // sorted: a directory's order on overlayfs over ext4 is its hash order
            _ => format!("find {dir} | sort"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sessions() {
        for index in 0..20 {
            assert_eq!(session(7, index), session(7, index));
        }
        let a: Vec<Vec<String>> = (0..10).map(|i| session(1, i)).collect();
        let b: Vec<Vec<String>> = (0..10).map(|i| session(2, i)).collect();
        assert_ne!(a, b);
        // sessions of one run differ from each other
        assert_ne!(a[0], a[1]);
    }

    #[test]
    fn sessions_are_single_lines_of_moderate_length() {
        for index in 0..50 {
            let lines = session(11, index);
            assert!((12..60).contains(&lines.len()), "{}", lines.len());
            for line in &lines {
                assert!(!line.contains('\n'), "{line}");
                assert!(!line.is_empty());
                // every quote is closed (one level of single quotes, no nesting)
                assert_eq!(line.matches('\'').count() % 2, 0, "{line}");
                // nothing long-running in the foreground: the recorder would wait for it
                if line.starts_with("docker run") && !line.starts_with("docker run -d") {
                    assert!(!line.contains("sleep"), "{line}");
                }
            }
        }
    }

    #[test]
    fn the_grammar_covers_the_storage_commands() {
        let all: Vec<String> = (0..200).flat_map(|i| session(3, i)).collect();
        let has = |needle: &str| all.iter().any(|line| line.contains(needle));
        for needle in [
            "docker volume create",
            "docker volume ls",
            "docker volume inspect",
            "docker volume rm",
            "docker volume prune",
            "docker run",
            "docker create",
            "docker start",
            "docker stop",
            "docker rm -v",
            "--rm",
            ":ro",
            "--mount type=volume",
            "--mount type=bind",
            "--mount type=tmpfs",
            "volume-nocopy",
            "--tmpfs",
            "--volumes-from",
            "--read-only",
            "--user",
            "-w ",
            "-e ",
            "docker exec",
            "docker diff",
            "docker commit",
            "docker cp",
            "docker build",
            "docker history",
            "docker image inspect",
            "docker rmi",
            "docker image prune",
            "docker ps -a",
            "docker inspect",
            "ln -s",
            "mkdir -p",
            "rm -rf",
            "chmod",
            "chown",
            "mv ",
            ">>",
            "ls -l",
            "nosuch",
        ] {
            assert!(has(needle), "no session uses {needle:?}");
        }
    }
}
