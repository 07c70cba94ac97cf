//! Sentences on containers: removed together with their writable layer (and the volumes that
//! survive them or go), created on the image's shared layers, stopped with tmpfs content lost,
//! committed into an image.

use layerbox_engine::change::Change;
use layerbox_engine::mount_spec::MountType;

use super::{count, human, names, short_name, Cx, Sentence};

impl<'a> Cx<'a> {
    /// `ContainerRemoved` (and what survived it), `VolumeRemoved`.
    pub(super) fn removals(&self, out: &mut Vec<Sentence>) {
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

    /// Stopping with tmpfs content, creating a container, committing.
    pub(super) fn others(&self, out: &mut Vec<Sentence>) {
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
                    // Every `run` says this: folded behind what is new (`ROUTINE`).
                    (14, text)
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
