//! Sentences on mounts: what a mount hides of the image, a host directory made for a bind
//! mount, and writes through volumes, bind mounts (local or on the network share), tmpfs and
//! Docker's own files.

use std::collections::BTreeMap;

use layerbox_engine::change::Change;
use layerbox_engine::host::Host;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::namespace::{MountBacking, WriteKind};
use layerbox_engine::world::World;

use layerbox_engine::routing::below;

use super::{count, short_name, Cx, Sentence};

/// One write through a mount: event order, container path, what it did.
type Write<'a> = (usize, &'a str, WriteKind);

impl<'a> Cx<'a> {
    /// `MountObscures`, `HostDirCreated`.
    pub(super) fn mounts(&self, out: &mut Vec<Sentence>) {
        let ko = self.ko;
        for (i, ch) in self.changes.iter().enumerate() {
            match ch {
                Change::MountObscures {
                    container,
                    destination,
                    entries,
                    ..
                } => {
                    let c = self.name(container);
                    let what = self.mount_phrase(container, destination);
                    let text = if ko {
                        format!(
                            "{c} 컨테이너의 {destination}에 {what} 마운트해서, 이미지가 그 자리에 둔 항목 {entries}개가 가려졌습니다. 지워진 것이 아니라 보이지 않을 뿐이며, 이미지에 그대로 있습니다."
                        )
                    } else {
                        format!(
                            "{what} mounted at {destination} hides the {} {c}'s image has there; they are not deleted, just out of sight.",
                            count(*entries, "entry", "entries")
                        )
                    };
                    out.push(Sentence {
                        priority: 4,
                        order: (i, 0),
                        text,
                    });
                }
                Change::HostDirCreated { path } => {
                    let text = if ko {
                        format!(
                            "호스트에 {path} 디렉터리가 없어서, 도커가 바인드 마운트를 위해 root 소유로 새로 만들었습니다."
                        )
                    } else {
                        format!(
                            "The host directory {path} did not exist, so Docker created it, owned by root, for the bind mount."
                        )
                    };
                    out.push(Sentence {
                        priority: 5,
                        order: (i, 0),
                        text,
                    });
                }
                _ => {}
            }
        }
    }

    /// `The volume x` / `The bind mount of /srv` / `A tmpfs`; in Korean the object of
    /// "마운트해서" with its particle (`x 볼륨을`, `호스트의 /srv 경로를 바인드`).
    fn mount_phrase(&self, container: &str, destination: &str) -> String {
        let m = self
            .container(container)
            .and_then(|c| c.mounts.iter().find(|m| m.destination == destination));
        let ko = self.ko;
        match m {
            Some(m) if m.kind == MountType::Volume => {
                let anonymous = self.was_anonymous(&m.name);
                let shown = short_name(&m.name, anonymous);
                match (ko, anonymous) {
                    (true, true) => format!("익명 볼륨({shown})을"),
                    (true, false) => format!("{shown} 볼륨을"),
                    (false, true) => format!("The anonymous volume {shown}"),
                    (false, false) => format!("The volume {shown}"),
                }
            }
            Some(m) if m.kind == MountType::Bind => {
                let share = Host::is_on_share(&m.source);
                match (ko, share) {
                    (true, true) => format!("네트워크 공유의 {} 경로를 바인드", m.source),
                    (true, false) => format!("호스트의 {} 경로를 바인드", m.source),
                    (false, true) => format!("The bind mount of the network share {}", m.source),
                    (false, false) => format!("The bind mount of the host's {}", m.source),
                }
            }
            Some(_) => if ko { "tmpfs를" } else { "A tmpfs" }.to_string(),
            None => if ko { "무언가를" } else { "A mount" }.to_string(),
        }
    }

    /// Writes through volumes, bind mounts (local and network share) and tmpfs.
    pub(super) fn mount_writes(&self, out: &mut Vec<Sentence>) {
        let ko = self.ko;
        let share_cost = self.changes.iter().find_map(|ch| match ch {
            Change::NetworkShare { ops, micros } => Some((*ops, *micros)),
            _ => None,
        });
        let mut groups: BTreeMap<(&str, String), Vec<Write<'_>>> = BTreeMap::new();
        for (i, ch) in self.changes.iter().enumerate() {
            if let Change::MountWrite { container, write } = ch {
                let key = match &write.backing {
                    MountBacking::Volume(n) | MountBacking::Nfs { volume: n, .. } => {
                        format!("v:{n}")
                    }
                    MountBacking::Host(s) => format!("h:{s}"),
                    MountBacking::Tmpfs => "t:".to_string(),
                    MountBacking::Managed(_) => "m:".to_string(),
                };
                groups
                    .entry((container, key))
                    .or_default()
                    .push((i, &write.path, write.what));
            }
        }
        let mut share_told = false;
        for ((container, key), writes) in groups {
            let c = self.name(container);
            let Some(&(i, first, _)) = writes.first() else {
                continue;
            };
            let mut paths: Vec<&str> = writes.iter().map(|w| w.1).collect();
            // Equal paths are the same text: a stable sort orders them as an unstable one.
            layerbox_order::sort_by(&mut paths, |a, b| a.cmp(b));
            paths.dedup();
            let n = paths.len();
            let all_removed = writes.iter().all(|w| w.2 == WriteKind::Removed);
            let what_en = if n == 1 {
                first.to_string()
            } else {
                count(n, "file", "files")
            };
            let what_ko = if n == 1 {
                format!("{first} 파일을")
            } else {
                format!("파일 {n}개를")
            };
            let (verb_en, verb_ko) = if all_removed {
                ("deleted", "지웠습니다")
            } else {
                ("wrote", "썼습니다")
            };
            let (priority, text) = if let Some(name) = key.strip_prefix("v:") {
                let anonymous = self.was_anonymous(name);
                let shown = short_name(name, anonymous);
                let text = if ko {
                    format!(
                        "{c} 컨테이너가 {what_ko} {shown} 볼륨에 {verb_ko}. 볼륨에 있으므로 컨테이너를 지워도 남습니다."
                    )
                } else {
                    format!(
                        "{c} {verb_en} {what_en} in the volume {shown}, which outlives the container."
                    )
                };
                (9, text)
            } else if let Some(source) = key.strip_prefix("h:") {
                let host_path = self.host_path(container, first, source);
                if Host::is_on_share(source) {
                    share_told = true;
                    let cost = share_cost.map(|(ops, micros)| (ops, micros.div_ceil(1000)));
                    let text = match (ko, cost) {
                        (true, Some((ops, ms))) => format!(
                            "{c} 컨테이너가 바인드 마운트를 통해 네트워크 공유의 {host_path}에 {verb_ko}. 작업 {ops}번이 모두 네트워크를 오가서 약 {ms}ms가 걸렸습니다."
                        ),
                        (true, None) => format!(
                            "{c} 컨테이너가 바인드 마운트를 통해 네트워크 공유의 {host_path}에 {verb_ko}. 모든 작업이 네트워크를 오갑니다."
                        ),
                        (false, Some((ops, ms))) => format!(
                            "{c} {verb_en} {what_en} on the network share ({host_path}) through its bind mount; {} over the network took about {ms} ms.",
                            count(ops as usize, "operation", "operations")
                        ),
                        (false, None) => format!(
                            "{c} {verb_en} {what_en} on the network share ({host_path}) through its bind mount; every operation goes over the network."
                        ),
                    };
                    (9, text)
                } else {
                    let text = if ko {
                        format!(
                            "{c} 컨테이너가 바인드 마운트를 통해 호스트의 {host_path}에 바로 {verb_ko}. 파일은 컨테이너가 아니라 호스트에 있습니다."
                        )
                    } else {
                        format!(
                            "{c} {verb_en} {what_en} straight to the host's {host_path} through the bind mount; the file lives on the host, not in the container."
                        )
                    };
                    (9, text)
                }
            } else if key.starts_with("t:") {
                let text = if ko {
                    format!(
                        "{c} 컨테이너가 {what_ko} tmpfs에 {verb_ko}. 메모리에만 있어서 컨테이너가 멈추면 사라집니다."
                    )
                } else {
                    format!(
                        "{c} {verb_en} {what_en} in a tmpfs: it is in memory only and is lost when {c} stops."
                    )
                };
                (10, text)
            } else {
                let text = if ko {
                    format!(
                        "{c} 컨테이너가 도커가 관리하는 {first} 파일을 바꿨습니다. 이 파일은 컨테이너의 레이어 밖에 있습니다."
                    )
                } else {
                    format!(
                        "{c} changed Docker's own {first}, which lives outside the container's layers."
                    )
                };
                (13, text)
            };
            out.push(Sentence {
                priority,
                order: (i, 0),
                text,
            });
        }
        if let (Some((ops, micros)), false) = (share_cost, share_told) {
            let i = self
                .changes
                .iter()
                .position(|ch| matches!(ch, Change::NetworkShare { .. }))
                .unwrap_or(0);
            let ms = micros.div_ceil(1000);
            let text = if ko {
                format!(
                    "네트워크 공유에서 작업 {ops}번이 네트워크를 오가서 약 {ms}ms가 걸렸습니다."
                )
            } else {
                format!(
                    "{} on the network share went over the network, about {ms} ms in all.",
                    count(ops as usize, "operation", "operations")
                )
            };
            out.push(Sentence {
                priority: 13,
                order: (i, 0),
                text,
            });
        }
    }

    /// The host path a bind write at container path `p` landed on.
    fn host_path(&self, container: &str, p: &str, source: &str) -> String {
        let worlds: Vec<&World> = std::iter::once(self.after).chain(self.before).collect();
        crate::highlight::mount_destination(self.changes, &worlds, container, p)
            .and_then(|d| below(p, &d))
            .map(|rel| layerbox_engine::host::rebase(source, &rel))
            .unwrap_or_else(|| source.to_string())
    }
}
