//! Sentences on volumes: created (by `docker volume create`, an image's `VOLUME` or a `-v`
//! naming none yet), filled from the image when first mounted empty, and whether a volume is
//! anonymous.

use layerbox_engine::change::Change;
use layerbox_engine::container::MountOrigin;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::volume::VolumeOrigin;
use layerbox_engine::world::World;
use layerbox_i18n::Lang;

use super::{count, names, short_name, Cx, Sentence};

impl<'a> Cx<'a> {
    pub(super) fn was_anonymous(&self, name: &str) -> bool {
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

    /// `VolumeCreated`, `VolumePopulated`.
    pub(super) fn volumes(&self, out: &mut Vec<Sentence>) {
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
        let nfs = self
            .after
            .volumes()
            .get(name)
            .ok()
            .and_then(|v| match v.meta.local_kind() {
                layerbox_engine::volume::LocalKind::Nfs { .. } => Some(()),
                _ => None,
            });
        let lang = if self.ko { Lang::Ko } else { Lang::En };
        match (self.ko, origin, used.and_then(|u| u.1)) {
            (true, VolumeOrigin::Create, _) if nfs.is_some() => format!(
                "NFS 볼륨({shown})을 만들었습니다. 도커는 이 볼륨을 쓰는 컨테이너가 시작할 때 비로소 마운트하므로, 주소나 경로가 틀려도 그때 실패합니다. {}",
                crate::volumes::nfs_server_note(lang)
            ),
            (false, VolumeOrigin::Create, _) if nfs.is_some() => format!(
                "The NFS volume {shown} was created. Docker mounts it only when a container that uses it starts, so a wrong address or path fails then. {}",
                crate::volumes::nfs_server_note(lang)
            ),
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
}
