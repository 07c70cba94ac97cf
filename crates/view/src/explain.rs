//! "What just happened": one to three plain sentences, in Korean or English, built from the
//! engine's change events of one command. Similar events are grouped; the most instructive
//! (a container and its writable layer gone, a volume that survives, a volume filled or
//! created, a mount hiding files, a whiteout, a copy-up) win. Korean uses 합니다체.

use std::collections::BTreeMap;

use layerbox_engine::change::Change;
use layerbox_engine::container::{Container, MountOrigin};
use layerbox_engine::host::Host;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::namespace::{MountBacking, WriteKind};
use layerbox_engine::routing::below;
use layerbox_engine::volume::VolumeOrigin;
use layerbox_engine::world::World;
use layerbox_fstree::{path, Event, FileType, Store};
use layerbox_i18n::Lang;

/// At most this many sentences per command.
const MAX_SENTENCES: usize = 3;
/// Paths named one by one before a group is counted instead.
const NAMED: usize = 1;

/// One to three sentences on what `changes` did to storage, most instructive first picked,
/// told in the order they happened; empty when nothing happened to storage. `before` (the
/// world before the command, if the UI kept it) names what a removal took away; `after` names
/// everything else.
pub fn explain(
    changes: &[Change],
    before: Option<&World>,
    after: &World,
    lang: Lang,
) -> Vec<String> {
    let cx = Cx {
        before,
        after,
        ko: lang == Lang::Ko,
        changes,
    };
    let mut found: Vec<Sentence> = Vec::new();
    cx.removals(&mut found);
    cx.volumes(&mut found);
    cx.mounts(&mut found);
    cx.layers(&mut found);
    cx.mount_writes(&mut found);
    cx.others(&mut found);
    layerbox_order::sort_by_key(&mut found, |s| s.priority);
    found.truncate(MAX_SENTENCES);
    layerbox_order::sort_by_key(&mut found, |s| s.order);
    found.into_iter().map(|s| s.text).collect()
}

struct Sentence {
    /// Lower is more instructive.
    priority: u8,
    /// When its first event happened (and a tie-breaker), for telling in order.
    order: (usize, u8),
    text: String,
}

struct Cx<'a> {
    before: Option<&'a World>,
    after: &'a World,
    ko: bool,
    changes: &'a [Change],
}

/// A volume's name as shown: named volumes whole, anonymous ones by their first 12 characters.
pub(crate) fn short_name(name: &str, anonymous: bool) -> String {
    if anonymous && name.chars().count() > 12 {
        name.chars().take(12).collect()
    } else {
        name.to_string()
    }
}

/// Sizes as Docker prints them (`12B`, `1.2kB`, `7.8MB`), with a space.
fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if v < 10.0 {
        format!("{v:.1} {}", UNITS[unit])
    } else {
        format!("{v:.0} {}", UNITS[unit])
    }
}

/// `1 file` / `3 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// An instruction shortened for a sentence.
fn short_instruction(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A list of names: `a, b and c` / `a, b, c`.
fn names(items: &[String], ko: bool) -> String {
    match (items, ko) {
        ([], _) => String::new(),
        ([one], _) => one.clone(),
        (_, true) => items.join(", "),
        ([init @ .., last], false) => format!("{} and {last}", init.join(", ")),
    }
}

impl<'a> Cx<'a> {
    /// The container as the world after (else before) knows it.
    fn container(&self, id: &str) -> Option<&'a Container> {
        self.after
            .containers()
            .get(id)
            .or_else(|| self.before.and_then(|b| b.containers().get(id)))
    }

    /// A container's name, from the worlds or this batch's own events, else its short id.
    fn name(&self, id: &str) -> String {
        if let Some(c) = self.container(id) {
            return c.name.clone();
        }
        self.changes
            .iter()
            .find_map(|ch| match ch {
                Change::ContainerCreated { id: i, name }
                | Change::ContainerRemoved { id: i, name, .. }
                    if i == id =>
                {
                    Some(name.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| id[..12.min(id.len())].to_string())
    }

    /// `layer 2 (COPY app/ /app/)` / `레이어 2(COPY app/ /app/)`: 1-based, as the UI numbers.
    fn layer(&self, container: &str, index: usize) -> String {
        let c = self.container(container);
        let init = c.map(|c| c.rootfs.lowers().len().saturating_sub(1));
        if init == Some(index) {
            return if self.ko {
                "init 레이어"
            } else {
                "the init layer"
            }
            .to_string();
        }
        let instr = c
            .and_then(|c| {
                let world = if self.after.images().images.contains_key(&c.image_id) {
                    self.after
                } else {
                    self.before.unwrap_or(self.after)
                };
                world.images().images.get(&c.image_id)
            })
            .and_then(|img| img.layer_history().get(index).map(|h| h.created_by.clone()));
        let n = index + 1;
        match (instr, self.ko) {
            (Some(i), true) => format!("이미지 레이어 {n}({})", short_instruction(&i)),
            (Some(i), false) => format!("image layer {n} ({})", short_instruction(&i)),
            (None, true) => format!("이미지 레이어 {n}"),
            (None, false) => format!("image layer {n}"),
        }
    }

    fn file_type(&self, container: &str, p: &str) -> Option<FileType> {
        self.container(container)?.rootfs.node(p).map(|s| s.kind)
    }

    /// Whether `p` is a directory in the container, or (for a container already gone) holds
    /// another path this batch's events name.
    fn is_dir(&self, container: &str, p: &str) -> bool {
        match self.file_type(container, p) {
            Some(t) => t == FileType::Dir,
            None => self.changes.iter().any(|ch| match ch {
                Change::Layer {
                    container: c,
                    event:
                        Event::CopyUp { path: q, .. }
                        | Event::Created { path: q }
                        | Event::Modified { path: q }
                        | Event::Removed { path: q }
                        | Event::Whiteout { path: q },
                } => c == container && q != p && path::is_within(q, p),
                _ => false,
            }),
        }
    }

    /// `ContainerRemoved` (and what survived it), `VolumeRemoved`.
    fn removals(&self, out: &mut Vec<Sentence>) {
        let mut removed: Vec<(usize, &str, &str, u64, usize)> = Vec::new();
        let mut volumes_gone: Vec<(usize, &str, u64)> = Vec::new();
        for (i, ch) in self.changes.iter().enumerate() {
            match ch {
                Change::ContainerRemoved {
                    id,
                    name,
                    writable_bytes,
                    writable_changes,
                } => removed.push((i, id, name, *writable_bytes, *writable_changes)),
                Change::VolumeRemoved { name, bytes } => volumes_gone.push((i, name, *bytes)),
                _ => {}
            }
        }
        let ko = self.ko;
        match removed.as_slice() {
            [] => {}
            [(i, id, name, bytes, changes)] => {
                let text = match (ko, *changes) {
                    (true, 0) => format!(
                        "{name} 컨테이너가 삭제되면서 기록 가능 레이어도 함께 지워졌습니다. 레이어에 변경 사항은 없었습니다."
                    ),
                    (true, n) => format!(
                        "{name} 컨테이너가 삭제되면서 기록 가능 레이어도 함께 지워졌습니다. 그 안의 변경 {n}개({})는 되살릴 수 없습니다.",
                        human(*bytes)
                    ),
                    (false, 0) => format!(
                        "{name} was removed together with its writable layer, which held no changes."
                    ),
                    (false, n) => format!(
                        "{name} was removed together with its writable layer: its {} ({}) {} gone.",
                        count(n, "change", "changes"),
                        human(*bytes),
                        if n == 1 { "is" } else { "are" }
                    ),
                };
                out.push(Sentence {
                    priority: 0,
                    order: (*i, 0),
                    text,
                });
                self.survivors(id, *i, out);
            }
            many => {
                let list: Vec<String> = many.iter().map(|r| r.2.to_string()).collect();
                let text = if ko {
                    format!(
                        "컨테이너 {}개({})가 삭제되면서 각자의 기록 가능 레이어도 함께 지워졌습니다.",
                        list.len(),
                        names(&list, ko)
                    )
                } else {
                    format!(
                        "{} containers ({}) were removed together with their writable layers.",
                        list.len(),
                        names(&list, ko)
                    )
                };
                out.push(Sentence {
                    priority: 0,
                    order: (many[0].0, 0),
                    text,
                });
            }
        }
        match volumes_gone.as_slice() {
            [] => {}
            [(i, name, bytes)] => {
                let anonymous = self.was_anonymous(name);
                let shown = short_name(name, anonymous);
                let text = match (ko, anonymous) {
                    (true, true) => format!(
                        "익명 볼륨({shown})도 데이터({})와 함께 삭제되었습니다.",
                        human(*bytes)
                    ),
                    (true, false) => format!(
                        "{shown} 볼륨이 데이터({})와 함께 삭제되었습니다.",
                        human(*bytes)
                    ),
                    (false, true) => format!(
                        "The anonymous volume {shown} was deleted with its data ({}).",
                        human(*bytes)
                    ),
                    (false, false) => format!(
                        "The volume {shown} was deleted with its data ({}).",
                        human(*bytes)
                    ),
                };
                out.push(Sentence {
                    priority: 1,
                    order: (*i, 0),
                    text,
                });
            }
            many => {
                let list: Vec<String> = many
                    .iter()
                    .map(|v| short_name(v.1, self.was_anonymous(v.1)))
                    .collect();
                let total: u64 = many.iter().map(|v| v.2).sum();
                let text = if ko {
                    format!(
                        "볼륨 {}개({})가 데이터({})와 함께 삭제되었습니다.",
                        list.len(),
                        names(&list, ko),
                        human(total)
                    )
                } else {
                    format!(
                        "{} volumes ({}) were deleted with their data ({}).",
                        list.len(),
                        names(&list, ko),
                        human(total)
                    )
                };
                out.push(Sentence {
                    priority: 1,
                    order: (many[0].0, 0),
                    text,
                });
            }
        }
    }

    fn was_anonymous(&self, name: &str) -> bool {
        let in_world = |w: &World| w.volumes().get(name).ok().map(|v| v.meta.is_anonymous());
        self.before
            .and_then(in_world)
            .or_else(|| in_world(self.after))
            .unwrap_or_else(|| {
                self.changes.iter().any(|ch| {
                    matches!(ch, Change::VolumeCreated { name: n, anonymous: true, .. } if n == name)
                })
            })
    }

    /// The volumes a removed container had mounted that still exist: they survive it.
    fn survivors(&self, id: &str, order: usize, out: &mut Vec<Sentence>) {
        let Some(c) = self.before.and_then(|b| b.containers().get(id)) else {
            return;
        };
        let kept: Vec<String> = c
            .mounts
            .iter()
            .filter(|m| m.kind == MountType::Volume)
            .filter_map(|m| {
                let v = self.after.volumes().get(&m.name).ok()?;
                Some(short_name(&m.name, v.meta.is_anonymous()))
            })
            .collect();
        if kept.is_empty() {
            return;
        }
        let text = match (self.ko, kept.len()) {
            (true, 1) => format!(
                "{} 볼륨은 남아 있습니다. 데이터는 docker volume rm 할 때까지 유지됩니다.",
                kept[0]
            ),
            (true, n) => format!(
                "볼륨 {n}개({})는 남아 있습니다. 데이터는 docker volume rm 할 때까지 유지됩니다.",
                names(&kept, true)
            ),
            (false, 1) => format!(
                "The volume {} survived: its data stays until docker volume rm.",
                kept[0]
            ),
            (false, _) => format!(
                "The volumes {} survived: their data stays until docker volume rm.",
                names(&kept, false)
            ),
        };
        out.push(Sentence {
            priority: 0,
            order: (order, 1),
            text,
        });
    }

    /// `VolumeCreated`, `VolumePopulated`.
    fn volumes(&self, out: &mut Vec<Sentence>) {
        let ko = self.ko;
        let mut created: Vec<(usize, &str, bool, VolumeOrigin)> = Vec::new();
        for (i, ch) in self.changes.iter().enumerate() {
            match ch {
                Change::VolumeCreated {
                    name,
                    anonymous,
                    origin,
                } => created.push((i, name, *anonymous, *origin)),
                Change::VolumePopulated {
                    name,
                    container,
                    destination,
                    entries,
                } => {
                    let anonymous = self.was_anonymous(name);
                    let shown = short_name(name, anonymous);
                    let c = self.name(container);
                    let text = match (ko, anonymous) {
                        _ if *entries == 0 && ko => format!(
                            "{} 비어 있어서, 이미지의 {destination} 디렉터리의 소유자와 권한을 물려받았습니다. 복사할 파일은 없었습니다.",
                            if anonymous {
                                format!("새 익명 볼륨({shown})이")
                            } else {
                                format!("{shown} 볼륨이")
                            }
                        ),
                        _ if *entries == 0 => format!(
                            "The {} {shown} was empty, so it took the owner and mode of the image's {destination}, which holds no files to copy.",
                            if anonymous { "new anonymous volume" } else { "volume" }
                        ),
                        (true, false) => format!(
                            "{shown} 볼륨이 비어 있어서, 도커가 이미지의 {destination}에 있던 항목 {entries}개를 볼륨에 복사했습니다. {c} 컨테이너는 {destination}에서 이 볼륨을 봅니다."
                        ),
                        (true, true) => format!(
                            "새 익명 볼륨({shown})이 비어 있어서, 도커가 이미지의 {destination}에 있던 항목 {entries}개를 볼륨에 복사했습니다. {c} 컨테이너는 {destination}에서 이 볼륨을 봅니다."
                        ),
                        (false, false) => format!(
                            "The volume {shown} was empty, so Docker copied the {} the image has at {destination} into it; {c} sees the volume there.",
                            count(*entries, "entry", "entries")
                        ),
                        (false, true) => format!(
                            "The new anonymous volume {shown} was empty, so Docker copied the {} the image has at {destination} into it; {c} sees the volume there.",
                            count(*entries, "entry", "entries")
                        ),
                    };
                    out.push(Sentence {
                        priority: 2,
                        order: (i, 0),
                        text,
                    });
                }
                _ => {}
            }
        }
        match created.as_slice() {
            [] => {}
            [(i, name, anonymous, origin)] => {
                let text = self.volume_created(name, *anonymous, *origin);
                out.push(Sentence {
                    priority: 3,
                    order: (*i, 0),
                    text,
                });
            }
            many => {
                let list: Vec<String> = many.iter().map(|v| short_name(v.1, v.2)).collect();
                let text = if ko {
                    format!(
                        "도커가 볼륨 {}개({})를 새로 만들었습니다. 볼륨은 컨테이너와 따로 남습니다.",
                        list.len(),
                        names(&list, ko)
                    )
                } else {
                    format!(
                        "Docker created {} volumes ({}); volumes live apart from containers.",
                        list.len(),
                        names(&list, ko)
                    )
                };
                out.push(Sentence {
                    priority: 3,
                    order: (many[0].0, 0),
                    text,
                });
            }
        }
    }

    /// Where volume `name` is mounted, and by which image's `VOLUME` if so.
    fn volume_use(&self, name: &str) -> Option<(String, Option<String>)> {
        self.after.containers().values().find_map(|c| {
            let m = c
                .mounts
                .iter()
                .find(|m| m.kind == MountType::Volume && m.name == name)?;
            let image = (m.origin == MountOrigin::ImageVolume).then(|| c.config.image.clone());
            Some((m.destination.clone(), image))
        })
    }

    fn volume_created(&self, name: &str, anonymous: bool, origin: VolumeOrigin) -> String {
        let shown = short_name(name, anonymous);
        let used = self.volume_use(name);
        let dest = used.as_ref().map(|u| u.0.clone()).unwrap_or_default();
        match (self.ko, origin, used.and_then(|u| u.1)) {
            (true, VolumeOrigin::Create, _) => format!(
                "빈 볼륨({shown})을 만들었습니다. 어느 컨테이너에도 속하지 않으며, docker volume rm 할 때까지 남습니다."
            ),
            (false, VolumeOrigin::Create, _) => format!(
                "The empty volume {shown} was created; it belongs to no container and stays until docker volume rm."
            ),
            (true, VolumeOrigin::ImageVolume, Some(image)) => format!(
                "이미지 {image}에 VOLUME {dest} 선언이 있어서, 도커가 {dest}에 쓸 익명 볼륨({shown})을 만들었습니다."
            ),
            (false, VolumeOrigin::ImageVolume, Some(image)) => format!(
                "The image {image} declares VOLUME {dest}, so Docker created the anonymous volume {shown} for it."
            ),
            (true, VolumeOrigin::ImageVolume, None) => format!(
                "이미지의 VOLUME 선언에 따라 도커가 익명 볼륨({shown})을 만들었습니다."
            ),
            (false, VolumeOrigin::ImageVolume, None) => format!(
                "Docker created the anonymous volume {shown} for a VOLUME of the image."
            ),
            (true, _, _) if anonymous => format!(
                "도커가 {dest}에 마운트할 익명 볼륨({shown})을 만들었습니다. 이름이 없는 볼륨이라 rm -v나 --rm으로 컨테이너를 지울 때 함께 지워집니다."
            ),
            (false, _, _) if anonymous => format!(
                "Docker created the anonymous volume {shown} for {dest}; being unnamed, it is removed with its container by rm -v or --rm."
            ),
            (true, _, _) => format!(
                "{shown} 볼륨이 없어서 도커가 새로 만들었습니다. 컨테이너를 지워도 볼륨은 남습니다."
            ),
            (false, _, _) => format!(
                "The volume {shown} did not exist, so Docker created it; it will outlive the container."
            ),
        }
    }

    /// `MountObscures`, `HostDirCreated`.
    fn mounts(&self, out: &mut Vec<Sentence>) {
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

    /// The union's events: whiteouts, copy-ups, opaque directories, new files.
    fn layers(&self, out: &mut Vec<Sentence>) {
        // Per container, in order of first event.
        let mut per: BTreeMap<&str, LayerEvents<'_>> = BTreeMap::new();
        let mut mount_points: Vec<(&str, &str)> = Vec::new();
        for (i, ch) in self.changes.iter().enumerate() {
            match ch {
                Change::Layer { container, event } => {
                    let e = per.entry(container).or_default();
                    match event {
                        Event::CopyUp { path, from_layer } => {
                            e.copied.push((i, path, *from_layer));
                        }
                        Event::Whiteout { path } => e.whiteouts.push((i, path)),
                        Event::OpaqueDir { path } => e.opaque.push((i, path)),
                        Event::Created { path } => e.created.push((i, path)),
                        Event::Removed { path } => e.removed.push((i, path)),
                        Event::Renamed { to, .. } => e.created.push((i, to)),
                        Event::Modified { .. } => {}
                    }
                }
                Change::MountPointCreated {
                    container,
                    destination,
                } => mount_points.push((container, destination)),
                _ => {}
            }
        }
        for (container, e) in per {
            let c = self.name(container);
            let ko = self.ko;
            // Copy-ups of files (directories are copied up only to hold them).
            let files: Vec<&(usize, &String, usize)> = e
                .copied
                .iter()
                .filter(|(_, p, _)| !self.is_dir(container, p))
                .collect();
            let copied_paths: Vec<&String> = e.copied.iter().map(|c| c.1).collect();
            if let Some(first) = files.first() {
                let text = if files.len() <= NAMED {
                    let (_, p, layer) = first;
                    let from = self.layer(container, *layer);
                    if ko {
                        format!(
                            "{p} 파일은 {from}에 있던 것입니다. 바꾸기 전에 도커가 {c} 컨테이너의 기록 가능 레이어로 복사(copy-up)했고, 이미지 레이어는 그대로입니다."
                        )
                    } else {
                        format!(
                            "{p} was copied up from {from} into {c}'s writable layer before it changed; the image layer itself is untouched."
                        )
                    }
                } else if ko {
                    format!(
                        "파일 {}개가 바뀌기 전에 이미지 레이어에서 {c} 컨테이너의 기록 가능 레이어로 복사(copy-up)되었습니다. 이미지 레이어는 그대로입니다.",
                        files.len()
                    )
                } else {
                    format!(
                        "{} were copied up from the image layers into {c}'s writable layer before they changed; the image layers are untouched.",
                        count(files.len(), "file", "files")
                    )
                };
                out.push(Sentence {
                    priority: 7,
                    order: (first.0, 0),
                    text,
                });
            }
            if let Some(first) = e.whiteouts.first() {
                let text = if e.whiteouts.len() <= NAMED {
                    let p = first.1;
                    let from = self.whiteout_layer(container, p);
                    let topic = korean_topic(p, self.file_type_before(container, p));
                    match (ko, from) {
                        (true, Some(l)) => format!(
                            "{topic} {c} 컨테이너에서만 지워졌습니다. 기록 가능 레이어의 화이트아웃(whiteout)이 가릴 뿐, {l}의 원본은 그대로 있습니다."
                        ),
                        (true, None) => format!(
                            "{topic} {c} 컨테이너에서만 지워졌습니다. 기록 가능 레이어의 화이트아웃(whiteout)이 가릴 뿐, 이미지 레이어의 원본은 그대로 있습니다."
                        ),
                        (false, Some(l)) => format!(
                            "{p} was deleted only in {c}'s view: a whiteout in its writable layer hides it, and the original stays in {l}."
                        ),
                        (false, None) => format!(
                            "{p} was deleted only in {c}'s view: a whiteout in its writable layer hides it, and the original stays in the image layer."
                        ),
                    }
                } else if ko {
                    format!(
                        "{c} 컨테이너에서 이미지의 항목 {}개를 지웠습니다. 기록 가능 레이어의 화이트아웃(whiteout)이 가릴 뿐, 이미지 레이어의 원본은 그대로 있습니다.",
                        e.whiteouts.len()
                    )
                } else {
                    format!(
                        "{} of the image were deleted only in {c}'s view: whiteouts in its writable layer hide them, and the image layers are unchanged.",
                        count(e.whiteouts.len(), "entry", "entries")
                    )
                };
                out.push(Sentence {
                    priority: 6,
                    order: (first.0, 0),
                    text,
                });
            }
            if let Some((i, p)) = e.opaque.first() {
                let text = if ko {
                    format!(
                        "{c} 컨테이너에서 {p} 디렉터리를 지우고 다시 만들었습니다. 새 디렉터리는 불투명(opaque)해서 이미지에 있던 예전 내용이 비쳐 보이지 않습니다."
                    )
                } else {
                    format!(
                        "{p} was deleted and made again in {c}: the new directory is opaque, so nothing of the image's old {p} shows through."
                    )
                };
                out.push(Sentence {
                    priority: 8,
                    order: (*i, 0),
                    text,
                });
            }
            let created: Vec<&(usize, &String)> = e
                .created
                .iter()
                .filter(|(i, p)| {
                    // Made and deleted again in this command: nothing to tell.
                    !e.removed.iter().any(|(j, q)| j > i && q == p)
                })
                .filter(|(_, p)| {
                    // Mount points (and directories made to hold them) are Docker's doing.
                    !copied_paths.contains(p)
                        && !mount_points
                            .iter()
                            .any(|(mc, d)| *mc == container && path::is_within(d, p))
                })
                .collect();
            if let Some(first) = created.first() {
                let dirs = created
                    .iter()
                    .filter(|(_, p)| self.is_dir(container, p))
                    .count();
                let text = match (ko, created.len()) {
                    (true, 1) => format!(
                        "{c} 컨테이너가 {} {} 기록 가능 레이어에 새로 만들었습니다. docker rm 하면 함께 사라집니다.",
                        first.1,
                        if dirs == 1 { "디렉터리를" } else { "파일을" }
                    ),
                    (true, n) => format!(
                        "{c} 컨테이너가 기록 가능 레이어에 항목 {n}개를 새로 만들었습니다. docker rm 하면 함께 사라집니다."
                    ),
                    (false, 1) => format!(
                        "{c} created {} in its writable layer; it goes when the container is removed.",
                        first.1
                    ),
                    (false, n) => format!(
                        "{c} created {} in its writable layer; they go when the container is removed.",
                        if dirs == n {
                            count(n, "directory", "directories")
                        } else if dirs == 0 {
                            count(n, "file", "files")
                        } else {
                            count(n, "entry", "entries")
                        }
                    ),
                };
                out.push(Sentence {
                    priority: 11,
                    order: (first.0, 0),
                    text,
                });
            }
            let removed_only: Vec<&(usize, &String)> = e
                .removed
                .iter()
                .filter(|(_, p)| !e.whiteouts.iter().any(|w| w.1 == *p))
                .filter(|(i, p)| !e.created.iter().any(|(j, q)| j < i && q == p))
                .filter(|(_, p)| {
                    !e.removed
                        .iter()
                        .any(|(_, q)| q != p && path::is_within(p, q))
                })
                .collect();
            if let Some(first) = removed_only.first() {
                let text = match (ko, removed_only.len()) {
                    (true, 1) => format!(
                        "{c} 컨테이너가 자기 기록 가능 레이어에만 있던 {} 항목을 지웠습니다. 이미지에는 없던 것이라 화이트아웃이 필요 없습니다.",
                        first.1
                    ),
                    (true, n) => format!(
                        "{c} 컨테이너가 자기 기록 가능 레이어에만 있던 항목 {n}개를 지웠습니다."
                    ),
                    (false, 1) => format!(
                        "{c} deleted {}, which existed only in its writable layer, so no whiteout was needed.",
                        first.1
                    ),
                    (false, n) => format!(
                        "{c} deleted {n} entries that existed only in its writable layer."
                    ),
                };
                out.push(Sentence {
                    priority: 12,
                    order: (first.0, 0),
                    text,
                });
            }
        }
    }

    /// The layer holding what a whiteout at `p` hides, named.
    fn whiteout_layer(&self, container: &str, p: &str) -> Option<String> {
        let (dir, name) = path::split(p)?;
        let hidden = self.after.hidden(container, dir).ok()?;
        let h = hidden.iter().find(|h| {
            h.name == name
                && matches!(
                    h.why,
                    layerbox_engine::provenance::HiddenWhy::Whiteout {
                        by: layerbox_fstree::Backing::Upper,
                        ..
                    }
                )
        })?;
        match h.why {
            layerbox_engine::provenance::HiddenWhy::Whiteout { from_layer, .. } => {
                Some(self.layer(container, from_layer))
            }
            _ => None,
        }
    }

    /// The type of what a whiteout at `p` hides.
    fn file_type_before(&self, container: &str, p: &str) -> Option<FileType> {
        let c = self.container(container)?;
        let lowers = c.rootfs.lowers();
        lowers
            .iter()
            .rev()
            .find_map(|l| l.tree().node(p))
            .map(|s| s.kind)
    }

    /// Writes through volumes, bind mounts (local and network share) and tmpfs.
    fn mount_writes(&self, out: &mut Vec<Sentence>) {
        let ko = self.ko;
        let share_cost = self.changes.iter().find_map(|ch| match ch {
            Change::NetworkShare { ops, micros } => Some((*ops, *micros)),
            _ => None,
        });
        let mut groups: BTreeMap<(&str, String), Vec<Write<'_>>> = BTreeMap::new();
        for (i, ch) in self.changes.iter().enumerate() {
            if let Change::MountWrite { container, write } = ch {
                let key = match &write.backing {
                    MountBacking::Volume(n) => format!("v:{n}"),
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

    /// Stopping with tmpfs content, creating a container, committing.
    fn others(&self, out: &mut Vec<Sentence>) {
        let ko = self.ko;
        let removed_here = |id: &str| {
            self.changes
                .iter()
                .any(|ch| matches!(ch, Change::ContainerRemoved { id: i, .. } if i == id))
        };
        for (i, ch) in self.changes.iter().enumerate() {
            let (priority, text) = match ch {
                Change::ContainerStopped {
                    id,
                    tmpfs_entries_lost,
                    ..
                } if *tmpfs_entries_lost > 0 => {
                    let c = self.name(id);
                    let n = *tmpfs_entries_lost;
                    let text = if ko {
                        format!(
                            "{c} 컨테이너가 멈추면서 tmpfs에 있던 항목 {n}개가 사라졌습니다. tmpfs는 메모리에만 있기 때문입니다."
                        )
                    } else {
                        format!(
                            "{c} stopped, and the {} in its tmpfs {} lost: a tmpfs lives in memory only.",
                            count(n, "entry", "entries"),
                            if n == 1 { "was" } else { "were" }
                        )
                    };
                    (5, text)
                }
                Change::ContainerCreated { id, name } if !removed_here(id) => {
                    let layers = self
                        .container(id)
                        .map(|c| c.rootfs.lowers().len().saturating_sub(1))
                        .unwrap_or(0);
                    let text = if ko {
                        format!(
                            "{name} 컨테이너를 만들었습니다. 이미지의 읽기 전용 레이어 {layers}개는 다른 컨테이너와 함께 쓰고, 그 위에 이 컨테이너만의 빈 기록 가능 레이어를 얹습니다."
                        )
                    } else {
                        format!(
                            "{name} was created: an empty writable layer of its own on top of the image's {}, which it shares.",
                            count(layers, "read-only layer", "read-only layers")
                        )
                    };
                    (10, text)
                }
                Change::ImageCommitted {
                    id,
                    container,
                    layer_bytes,
                    empty,
                } => {
                    let c = self.name(container);
                    let image = self
                        .after
                        .images()
                        .images
                        .get(id)
                        .map(crate::layers::image_label)
                        .unwrap_or_else(|| id[..12.min(id.len())].to_string());
                    let text = match (ko, empty) {
                        (true, false) => format!(
                            "{c} 컨테이너의 기록 가능 레이어를 읽기 전용 레이어({})로 굳혀 새 이미지({image})를 만들었습니다. 볼륨과 바인드 마운트의 내용은 들어가지 않습니다.",
                            human(*layer_bytes)
                        ),
                        (true, true) => format!(
                            "{c} 컨테이너의 기록 가능 레이어에 변경이 없어서, 새 이미지({image})는 레이어를 더하지 않고 원래 이미지의 레이어를 그대로 씁니다."
                        ),
                        (false, false) => format!(
                            "{c}'s writable layer was frozen into a new read-only layer ({}) of the new image {image}; volume and bind-mount content is not in it.",
                            human(*layer_bytes)
                        ),
                        (false, true) => format!(
                            "{c}'s writable layer had no changes, so the new image {image} adds no layer and reuses its image's layers."
                        ),
                    };
                    (3, text)
                }
                _ => continue,
            };
            out.push(Sentence {
                priority,
                order: (i, 0),
                text,
            });
        }
    }
}

/// One write through a mount: event order, container path, what it did.
type Write<'a> = (usize, &'a str, WriteKind);

#[derive(Default)]
struct LayerEvents<'a> {
    copied: Vec<(usize, &'a String, usize)>,
    whiteouts: Vec<(usize, &'a String)>,
    opaque: Vec<(usize, &'a String)>,
    created: Vec<(usize, &'a String)>,
    removed: Vec<(usize, &'a String)>,
}

/// `/etc/motd 파일은` / `/app 디렉터리는`: a path as a Korean topic, the particle on a noun.
fn korean_topic(p: &str, kind: Option<FileType>) -> String {
    match kind {
        Some(FileType::Dir) => format!("{p} 디렉터리는"),
        Some(FileType::Symlink) => format!("{p} 링크는"),
        _ => format!("{p} 파일은"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_docker_prints_them() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(999), "999 B");
        assert_eq!(human(1234), "1.2 kB");
        assert_eq!(human(7_800_000), "7.8 MB");
        assert_eq!(human(45_000), "45 kB");
    }

    #[test]
    fn lists_join_in_each_language() {
        let items = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(names(&items, false), "a, b and c");
        assert_eq!(names(&items, true), "a, b, c");
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(2, "file", "files"), "2 files");
    }

    #[test]
    fn long_instructions_are_cut_and_anonymous_names_shortened() {
        let long = "RUN set -eux; apk add --no-cache --virtual .build-deps gcc make";
        let cut = short_instruction(long);
        assert!(cut.ends_with('…') && cut.chars().count() <= 40, "{cut}");
        assert_eq!(short_name(&"f".repeat(64), true), "f".repeat(12));
        assert_eq!(short_name("todo-list", false), "todo-list");
    }
}
