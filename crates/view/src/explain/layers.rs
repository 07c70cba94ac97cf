//! Sentences on the union's layers: copy-ups from an image layer, whiteouts, opaque
//! directories, entries created or deleted in the writable layer, and image layers named by
//! the instruction that made them.

use std::collections::BTreeMap;

use layerbox_engine::change::Change;
use layerbox_fstree::{path, Event, FileType, Store};

use super::{count, short_instruction, Cx, Sentence};

/// Paths named one by one before a group is counted instead.
const NAMED: usize = 1;

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

impl<'a> Cx<'a> {
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

    /// The union's events: whiteouts, copy-ups, opaque directories, new files.
    pub(super) fn layers(&self, out: &mut Vec<Sentence>) {
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
}
