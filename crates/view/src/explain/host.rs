//! Sentences on the host's own files: what a host-side command (or the Host panel) wrote, made
//! or deleted in the learner's home, on the network share and in bind sources, found by
//! comparing the host before and after, since the host's own writes are no daemon events. A
//! change inside a bind source is told as what the container sees; one outside any is told as
//! invisible to containers until one bind-mounts it.

use layerbox_engine::change::Change;
use layerbox_engine::host::{SHARE_MOUNT, USER_HOME};
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::world::World;
use layerbox_fstree::path::{is_within, join};
use layerbox_fstree::{Cred, FileSystem, FileType};

use super::{Cx, Sentence};

/// At most this many host entries are compared per command (the views' bound on a walk).
const MAX_ENTRIES: usize = 4000;

/// What happened to one host path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HostChange {
    Made { dir: bool },
    Written,
    Deleted,
}

/// Compares the tree at `path` in `before` and `after`, recording the top-most changed paths.
fn compare(
    before: &World,
    after: &World,
    path: &str,
    budget: &mut usize,
    found: &mut Vec<(String, HostChange)>,
) {
    let root = Cred::root();
    let old = before.host().lstat(&root, path).ok();
    let new = after.host().lstat(&root, path).ok();
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    match (old, new) {
        (None, None) => {}
        (Some(_), None) => found.push((path.to_string(), HostChange::Deleted)),
        (None, Some(s)) => found.push((path.to_string(), HostChange::Made { dir: s.is_dir() })),
        (Some(o), Some(n)) if o.kind != n.kind => {
            found.push((path.to_string(), HostChange::Made { dir: n.is_dir() }))
        }
        (Some(_), Some(n)) if n.kind == FileType::Dir => {
            let names = |w: &World| -> Vec<String> {
                w.host()
                    .read_dir(&root, path)
                    .map(|v| v.into_iter().map(|e| e.name).collect())
                    .unwrap_or_default()
            };
            let mut all = names(before);
            for name in names(after) {
                if !all.contains(&name) {
                    all.push(name);
                }
            }
            for name in all {
                if *budget == 0 {
                    return;
                }
                compare(before, after, &join(path, &name), budget, found);
            }
        }
        (Some(o), Some(n)) => {
            if o.ino != n.ino || o.size != n.size || o.mtime != n.mtime {
                found.push((path.to_string(), HostChange::Written));
            }
        }
    }
}

impl<'a> Cx<'a> {
    /// The host's own changes, when the command made no daemon event that tells them already
    /// (a container's write through a bind mount, a bind source Docker made).
    pub(super) fn host_files(&self, out: &mut Vec<Sentence>) {
        let Some(before) = self.before else {
            return;
        };
        let told = self.changes.iter().any(|c| {
            matches!(
                c,
                Change::MountWrite { .. }
                    | Change::HostDirCreated { .. }
                    | Change::ContainerCreated { .. }
            )
        });
        if told {
            return;
        }
        let mut roots: Vec<String> = vec![USER_HOME.to_string(), SHARE_MOUNT.to_string()];
        for c in self.after.containers().values() {
            for m in c.mounts.iter().filter(|m| m.kind == MountType::Bind) {
                if !roots.iter().any(|r| is_within(&m.source, r)) {
                    roots.push(m.source.clone());
                }
            }
        }
        let mut budget = MAX_ENTRIES;
        let mut found = Vec::new();
        for root in &roots {
            compare(before, self.after, root, &mut budget, &mut found);
        }
        let order = self.changes.len();
        for (k, (path, change)) in found.into_iter().take(2).enumerate() {
            let text = self.host_sentence(&path, change);
            out.push(Sentence {
                priority: 2,
                order: (order, k as u8),
                text,
            });
        }
    }

    /// A container created with a single host file bind-mounted: only that file is replaced.
    pub(super) fn file_binds(&self, out: &mut Vec<Sentence>) {
        let ko = self.ko;
        for (i, ch) in self.changes.iter().enumerate() {
            let Change::ContainerCreated { id, name } = ch else {
                continue;
            };
            let Some(c) = self.after.containers().get(id) else {
                continue;
            };
            for m in c.mounts.iter().filter(|m| m.kind == MountType::Bind) {
                let is_file = self
                    .after
                    .host()
                    .stat(&Cred::root(), &m.source)
                    .is_ok_and(|s| s.kind == FileType::File);
                if !is_file {
                    continue;
                }
                let (source, dest) = (&m.source, &m.destination);
                let parent = layerbox_fstree::path::split(dest).map_or("/", |(p, _)| p);
                let text = if ko {
                    format!("{name} 컨테이너는 호스트의 파일 {source} 하나만 {dest}에 바인드 마운트했습니다. 그 파일 하나만 호스트의 것이 되고, {parent}의 나머지 항목은 이미지의 것이 그대로 보입니다.")
                } else {
                    format!("{name} bind-mounts the single host file {source} at {dest}: only that one file is the host's, and the rest of {parent} still shows the image's entries.")
                };
                out.push(Sentence {
                    priority: 3,
                    order: (i, 1),
                    text,
                });
            }
        }
    }

    fn host_sentence(&self, path: &str, change: HostChange) -> String {
        let ko = self.ko;
        // The first container that bind-mounts a source holding `path`.
        let bind = self.after.containers().values().find_map(|c| {
            c.mounts
                .iter()
                .filter(|m| m.kind == MountType::Bind)
                .find(|m| is_within(path, &m.source))
                .map(|m| (c.name.clone(), m.source.clone(), m.destination.clone()))
        });
        let share = is_within(path, SHARE_MOUNT);
        match (bind, change) {
            (Some((c, source, dest)), HostChange::Deleted) => {
                let seen = seen_as(path, &source, &dest);
                if ko {
                    format!("호스트에서 {path}을(를) 지웠습니다. {c} 컨테이너가 {dest}에 바인드 마운트한 {source} 안이므로, {c}의 {seen}도 바로 사라졌습니다.")
                } else {
                    format!("{path} was deleted on the host. It was inside {source}, which {c} bind-mounts at {dest}, so {seen} is gone in {c} too, at once.")
                }
            }
            (Some((c, source, dest)), change) => {
                let seen = seen_as(path, &source, &dest);
                let (ko_verb, en_verb) = match change {
                    HostChange::Made { dir: true } => ("디렉터리를 만들었습니다", "made"),
                    HostChange::Made { dir: false } => ("파일을 만들었습니다", "written"),
                    _ => ("파일을 바꿨습니다", "changed"),
                };
                if ko {
                    format!("호스트에서 {path} {ko_verb}. {c} 컨테이너가 {dest}에 바인드 마운트한 {source} 안이므로, {c}에서도 바로 {seen}(으)로 보입니다. 복사본이 아니라 같은 파일입니다.")
                } else {
                    format!("{path} was {en_verb} on the host. It is inside {source}, which {c} bind-mounts at {dest}, so {c} sees it as {seen} at once: the same file, not a copy.")
                }
            }
            (None, change) => {
                let owner = self
                    .after
                    .host()
                    .lstat(&Cred::root(), path)
                    .map(|s| match s.uid {
                        0 => "root".to_string(),
                        1000 => "user".to_string(),
                        uid => format!("uid {uid}"),
                    })
                    .unwrap_or_default();
                let place_ko = if share {
                    "네트워크 공유(SMB/CIFS)"
                } else {
                    "호스트의 디스크"
                };
                let place_en = if share {
                    "on the network share (SMB/CIFS)"
                } else {
                    "on the host's own disk"
                };
                match (ko, change) {
                    (true, HostChange::Deleted) => format!("{place_ko}에서 {path}을(를) 지웠습니다. 바인드 마운트한 컨테이너가 없으므로 어떤 컨테이너도 달라지지 않습니다."),
                    (false, HostChange::Deleted) => format!("{path} was deleted {place_en}. No container bind-mounts it, so no container's files changed."),
                    (true, HostChange::Made { dir: true }) => format!("{place_ko}에 {path} 디렉터리를 만들었습니다(소유자 {owner}). 도커가 아니라 호스트의 셸이 만들었고, 컨테이너가 바인드 마운트하기(`-v {path}:/경로`) 전에는 어떤 컨테이너에도 보이지 않습니다."),
                    (false, HostChange::Made { dir: true }) => format!("The directory {path} was made {place_en}, owned by {owner}: the host's shell made it, not Docker, and no container sees it until one bind-mounts it (`-v {path}:/PATH`)."),
                    (true, _) => format!("{place_ko}의 {path}에 썼습니다. 바인드 마운트한 컨테이너가 없으므로 어떤 컨테이너에도 보이지 않습니다."),
                    (false, _) => format!("{path} was written {place_en}. No container bind-mounts it, so no container sees it."),
                }
            }
        }
    }
}

/// Where a container sees host `path`, inside bind source `source` mounted at `dest`.
fn seen_as(path: &str, source: &str, dest: &str) -> String {
    let rest = path.strip_prefix(source).unwrap_or("");
    if rest.is_empty() {
        dest.to_string()
    } else {
        format!("{}{rest}", dest.trim_end_matches('/'))
    }
}
