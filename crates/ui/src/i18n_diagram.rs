//! The storage diagram's texts in Korean and English: its fixed words, and the sentences for
//! its elements (accessible names, the text equivalent) and for what the last step changed.

use layerbox_i18n::Lang;
use layerbox_view::{
    ChangeNote, Disk, LayerNode, MountNode, NoteWhat, Region, Removed, Source, SourceDetail,
    VolumeBacking,
};

use crate::i18n_panels::{mount_origin, volume_origin};
use layerbox_docker_cli::formatter::units::human_size as size;

/// The diagram's fixed words, in one language.
pub struct DiagramTexts {
    pub label: &'static str,
    pub description: &'static str,
    pub no_containers: &'static str,
    pub region_docker: &'static str,
    pub region_host: &'static str,
    pub region_share: &'static str,
    pub region_memory: &'static str,
    pub share_note: &'static str,
    pub running: &'static str,
    pub stopped: &'static str,
    pub writable: &'static str,
    pub init: &'static str,
    pub image_layers: &'static str,
    pub removed: &'static str,
    pub changed_title: &'static str,
    pub as_text: &'static str,
    pub legend: &'static str,
    pub legend_removed: &'static str,
    pub legend_stopped: &'static str,
    pub legend_changed: &'static str,
    pub pick: &'static str,
    pub single_file: &'static str,
    pub missing: &'static str,
    pub not_mounted: &'static str,
    /// The button beside a change note that opens what it names.
    pub open: &'static str,
}

static EN: DiagramTexts = DiagramTexts {
    label: "Storage diagram",
    description: "Each container's filesystem is one disk: its image layers (read-only, shared) at the bottom, its init and writable layers on top, and a connector from each mount point to where the mounted storage really lives. Select an element to open it in the storage map, layer stack or volume list.",
    no_containers: "No containers yet: the diagram draws a container's disk once one exists. Try docker run -d --name c1 -v data:/data alpine sleep 600",
    region_docker: "Docker's area · /var/lib/docker/volumes",
    region_host: "Host filesystem",
    region_share: "Network share (server)",
    region_memory: "Memory",
    share_note: "slow · no links, no chmod",
    running: "running",
    stopped: "stopped",
    writable: "writable layer",
    init: "init layer",
    image_layers: "image layers",
    removed: "removed",
    changed_title: "What the last command changed",
    as_text: "The diagram as text",
    legend: "Colours",
    legend_removed: "dashed: removed by the last command",
    legend_stopped: "faded: a stopped container (its writable layer stays)",
    legend_changed: "outlined: changed by the last command",
    pick: "Containers to draw (at most 6)",
    single_file: "a single file",
    missing: "missing on the host",
    not_mounted: "not mounted while stopped",
    open: "Show",
};

static KO: DiagramTexts = DiagramTexts {
    label: "스토리지 그림",
    description: "컨테이너의 파일 시스템은 하나의 디스크입니다. 아래에는 이미지 레이어(읽기 전용, 공유), 위에는 init 레이어와 기록 가능 레이어가 있고, 마운트 지점마다 마운트된 스토리지가 실제로 있는 곳으로 선이 이어집니다. 요소를 고르면 스토리지 지도, 레이어, 볼륨 목록에서 열립니다.",
    no_containers: "아직 컨테이너가 없습니다. 컨테이너가 생기면 그 디스크를 그립니다. 예: docker run -d --name c1 -v data:/data alpine sleep 600",
    region_docker: "도커 영역 · /var/lib/docker/volumes",
    region_host: "호스트 파일 시스템",
    region_share: "네트워크 공유(서버)",
    region_memory: "메모리",
    share_note: "느림 · 링크와 chmod 불가",
    running: "실행 중",
    stopped: "중지됨",
    writable: "기록 가능 레이어",
    init: "init 레이어",
    image_layers: "이미지 레이어",
    removed: "삭제됨",
    changed_title: "마지막 명령이 바꾼 것",
    as_text: "그림을 글로 보기",
    legend: "색",
    legend_removed: "점선: 마지막 명령이 지움",
    legend_stopped: "흐림: 중지된 컨테이너(기록 가능 레이어는 남음)",
    legend_changed: "테두리: 마지막 명령이 바꿈",
    pick: "그릴 컨테이너(최대 6개)",
    single_file: "파일 하나",
    missing: "호스트에 없음",
    not_mounted: "중지되어 마운트되지 않음",
    open: "보기",
};

/// The diagram's texts in `lang`.
pub fn diagram_texts(lang: Lang) -> &'static DiagramTexts {
    match lang {
        Lang::Ko => &KO,
        Lang::En => &EN,
    }
}

/// A region's title.
pub fn region_title(lang: Lang, r: Region) -> &'static str {
    let t = diagram_texts(lang);
    match r {
        Region::DockerArea => t.region_docker,
        Region::HostFs => t.region_host,
        Region::NetworkShare => t.region_share,
        Region::Memory => t.region_memory,
    }
}

/// An anonymous volume's name shortened as `docker volume ls` users read it.
pub fn short_volume(name: &str, anonymous: bool) -> String {
    if anonymous && name.len() > 12 {
        format!("{}…", &name[..12])
    } else {
        name.to_string()
    }
}

/// A source's name as drawn: a volume's (short if anonymous), a host path, a tmpfs's mount.
pub fn source_name(s: &Source) -> String {
    match &s.detail {
        SourceDetail::Volume { anonymous, .. } => short_volume(&s.name, *anonymous),
        SourceDetail::Tmpfs {
            container,
            destination,
            ..
        } => format!("tmpfs {container}:{destination}"),
        SourceDetail::Bind { .. } => s.name.clone(),
    }
}

/// A source's second line: what made a volume and its size, a bind's nature, a tmpfs's
/// content.
pub fn source_detail(lang: Lang, s: &Source) -> String {
    let t = diagram_texts(lang);
    let ko = lang == Lang::Ko;
    match &s.detail {
        SourceDetail::Volume {
            anonymous,
            origin,
            origin_image,
            backing,
            size: bytes,
            used_by,
        } => {
            let mut out = volume_origin(lang, *origin, origin_image.as_deref());
            if *anonymous {
                out = format!("{} · {out}", if ko { "익명" } else { "anonymous" });
            }
            match backing {
                VolumeBacking::Memory => out.push_str(" · tmpfs"),
                VolumeBacking::HostDir(dir) => out.push_str(&format!(" · {dir}")),
                VolumeBacking::Nfs(source) => out.push_str(&format!(" · NFS {source}")),
                VolumeBacking::Other(fs) => out.push_str(&format!(" · {fs}")),
                VolumeBacking::Disk => {}
            }
            out.push_str(&format!(" · {}", size(*bytes)));
            if *used_by == 0 {
                out.push_str(if ko {
                    " · 사용 안 함"
                } else {
                    " · unused"
                });
            }
            out
        }
        SourceDetail::Bind { file, missing } => {
            let mut parts: Vec<&str> = Vec::new();
            if s.region == Region::NetworkShare {
                parts.push(t.share_note);
            }
            if *file {
                parts.push(t.single_file);
            }
            if *missing {
                parts.push(t.missing);
            }
            if parts.is_empty() {
                if ko { "디렉터리" } else { "directory" }.to_string()
            } else {
                parts.join(" · ")
            }
        }
        SourceDetail::Tmpfs { entries, .. } => {
            if ko {
                format!("항목 {entries}개 · 멈추면 사라짐")
            } else {
                format!("{entries} entries · gone when it stops")
            }
        }
    }
}

/// A mount row's text: `/data ← todo-list`, a bind source by its last name (`site`); the
/// connector's label says the type and `ro`/`rw`.
pub fn mount_line(m: &MountNode, source: Option<&Source>) -> String {
    let from = match source {
        Some(s) if matches!(s.detail, SourceDetail::Bind { .. }) => s
            .name
            .rsplit('/')
            .find(|p| !p.is_empty())
            .unwrap_or("/")
            .to_string(),
        Some(s) if matches!(s.detail, SourceDetail::Tmpfs { .. }) => "tmpfs".to_string(),
        Some(s) => source_name(s),
        None => String::new(),
    };
    format!("{} ← {from}", m.destination)
}

/// What a mount hides, or `None`.
pub fn hides_line(lang: Lang, m: &MountNode) -> Option<String> {
    if !m.active {
        return Some(diagram_texts(lang).not_mounted.to_string());
    }
    if m.hidden_total == 0 {
        return None;
    }
    let names = m.hides.join(", ");
    let more = m.hidden_total.saturating_sub(m.hides.len());
    let tail = if more > 0 {
        format!(" +{more}")
    } else {
        String::new()
    };
    Some(match lang {
        Lang::Ko => format!("이미지 파일을 가림: {names}{tail}"),
        Lang::En => format!("hides the image's {names}{tail}"),
    })
}

/// The accessible name of a mount point.
pub fn mount_name(lang: Lang, m: &MountNode, source: Option<&Source>) -> String {
    let origin = mount_origin(lang, Some(m.origin));
    let from = source.map(|s| s.name.as_str()).unwrap_or("");
    let mut s = format!(
        "{} ← {} {from} ({}) · {origin}",
        m.destination,
        m.mount_type,
        if m.rw { "rw" } else { "ro" }
    );
    if let Some(h) = hides_line(lang, m) {
        s.push_str(" · ");
        s.push_str(&h);
    }
    s
}

/// A disk's second line: `alpine · running`.
pub fn disk_line(lang: Lang, d: &Disk) -> String {
    let t = diagram_texts(lang);
    format!(
        "{} · {}",
        d.image,
        if d.running { t.running } else { t.stopped }
    )
}

/// A layer's second line: size and who shares it.
pub fn layer_line(lang: Lang, l: &LayerNode) -> String {
    let (i, c) = (l.images.len(), l.containers.len());
    match lang {
        Lang::Ko => format!(
            "레이어 {} · {} · 이미지 {i}개, 컨테이너 {c}개가 공유",
            l.index + 1,
            size(l.size)
        ),
        Lang::En => format!(
            "layer {} · {} · shared by {i} image{} and {c} container{}",
            l.index + 1,
            size(l.size),
            if i == 1 { "" } else { "s" },
            if c == 1 { "" } else { "s" }
        ),
    }
}

/// A writable layer's second line: `docker diff` counts and size.
pub fn writable_line(lang: Lang, d: &Disk) -> String {
    let w = &d.writable;
    let changes = w.added + w.modified + w.removed;
    match lang {
        Lang::Ko => format!(
            "변경 {changes}개 (+{} ~{} −{}) · {} · docker rm 하면 사라짐",
            w.added,
            w.modified,
            w.removed,
            size(w.size)
        ),
        Lang::En => format!(
            "{changes} change{} (+{} ~{} −{}) · {} · gone with docker rm",
            if changes == 1 { "" } else { "s" },
            w.added,
            w.modified,
            w.removed,
            size(w.size)
        ),
    }
}

/// A removed element's line.
/// What the picture leaves out: removals past the outlines drawn, volumes no drawn container
/// uses past those drawn (`view::MAX_REMOVED`, `view::MAX_UNUSED_SOURCES`).
pub fn not_drawn_line(lang: Lang, removed: usize, volumes: usize) -> String {
    let mut parts = Vec::new();
    match lang {
        Lang::En => {
            if removed > 0 {
                parts.push(format!("{removed} more removed by the last command"));
            }
            if volumes > 0 {
                let s = if volumes == 1 { "" } else { "s" };
                parts.push(format!(
                    "{volumes} more volume{s} no drawn container uses (docker volume ls lists them)"
                ));
            }
            format!("Not drawn: {}.", parts.join("; "))
        }
        Lang::Ko => {
            if removed > 0 {
                parts.push(format!("마지막 명령이 지운 것 {removed}개 더"));
            }
            if volumes > 0 {
                parts.push(format!(
                    "그려진 컨테이너가 쓰지 않는 볼륨 {volumes}개 더 (docker volume ls로 볼 수 있음)"
                ));
            }
            format!("그리지 않은 것: {}.", parts.join("; "))
        }
    }
}

/// The picker's line for containers it does not list.
pub fn picker_more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("and {n} more (docker ps -a lists them)"),
        Lang::Ko => format!("그 밖에 {n}개 (docker ps -a로 볼 수 있음)"),
    }
}

pub fn removed_line(lang: Lang, r: &Removed) -> String {
    let ko = lang == Lang::Ko;
    match r.kind {
        layerbox_view::ElementKind::Volume => {
            let n = short_volume(&r.name, r.name.len() == 64);
            if ko {
                format!("볼륨 {n} 삭제됨 · {}", size(r.bytes))
            } else {
                format!("volume {n} removed · {}", size(r.bytes))
            }
        }
        _ => {
            let kept = if r.volumes_kept.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = r
                    .volumes_kept
                    .iter()
                    .map(|v| short_volume(v, v.len() == 64))
                    .collect();
                if ko {
                    format!(" · 볼륨 {}은 남음", names.join(", "))
                } else {
                    format!(" · volume {} stays", names.join(", "))
                }
            };
            if ko {
                format!(
                    "{}의 기록 가능 레이어 삭제됨 (변경 {}개){kept}",
                    r.name, r.changes
                )
            } else {
                format!(
                    "writable layer of {} removed ({} change{}){kept}",
                    r.name,
                    r.changes,
                    if r.changes == 1 { "" } else { "s" }
                )
            }
        }
    }
}

/// One change note as a sentence.
pub fn note_text(lang: Lang, n: &ChangeNote) -> String {
    let ko = lang == Lang::Ko;
    let more = if n.more == 0 {
        String::new()
    } else if ko {
        format!(" (외 {}개)", n.more)
    } else {
        format!(" (+{} more)", n.more)
    };
    let s = match &n.what {
        NoteWhat::CopyUp {
            container,
            path,
            from_layer,
        } => {
            let l = from_layer + 1;
            if ko {
                format!("복사 후 수정: {path}이(가) 레이어 {l}에서 {container}의 기록 가능 레이어로 올라옴")
            } else {
                format!("copy-up: {path} rose from layer {l} into {container}'s writable layer")
            }
        }
        NoteWhat::Whiteout { container, path } => {
            if ko {
                format!(
                    "화이트아웃: {path}은(는) {container}에서만 지워지고 이미지 레이어에는 남음"
                )
            } else {
                format!("whiteout: {path} is deleted in {container} only; the image layer keeps it")
            }
        }
        NoteWhat::Wrote { container, path } => {
            if ko {
                format!("{path}을(를) {container}의 기록 가능 레이어에 씀")
            } else {
                format!("{path} written to {container}'s writable layer")
            }
        }
        NoteWhat::Deleted { container, path } => {
            if ko {
                format!("{container}의 기록 가능 레이어에서 {path} 삭제")
            } else {
                format!("{path} deleted from {container}'s writable layer")
            }
        }
        NoteWhat::MountWrite {
            container,
            path,
            destination,
            kind,
            into,
            removed,
        } => {
            use layerbox_view::Kind;
            let place = match (kind, ko) {
                (Kind::Volume, false) => format!("volume {}", short_volume(into, into.len() == 64)),
                (Kind::Volume, true) => format!("볼륨 {}", short_volume(into, into.len() == 64)),
                (Kind::NetworkBind, false) => format!("the network share at {into}"),
                (Kind::NetworkBind, true) => format!("네트워크 공유 {into}"),
                (Kind::LocalBind, false) => format!("the host at {into}"),
                (Kind::LocalBind, true) => format!("호스트의 {into}"),
                (_, false) => "tmpfs (memory)".to_string(),
                (_, true) => "tmpfs(메모리)".to_string(),
            };
            match (removed, ko) {
                (false, false) => {
                    format!("{container} wrote {path}: it landed in {place} through {destination}")
                }
                (false, true) => format!(
                    "{container}이(가) 쓴 {path}은(는) {destination}을 거쳐 {place}에 저장됨"
                ),
                (true, false) => {
                    format!("{container} deleted {path} in {place} through {destination}")
                }
                (true, true) => {
                    format!("{container}이(가) {destination}을 거쳐 {place}의 {path}을(를) 지움")
                }
            }
        }
        NoteWhat::ContainerRemoved {
            name,
            changes,
            volumes_kept,
            ..
        } => {
            let kept: Vec<String> = volumes_kept
                .iter()
                .map(|v| short_volume(v, v.len() == 64))
                .collect();
            match (kept.is_empty(), ko) {
                (true, false) => format!("docker rm: {name}'s writable layer ({changes} {}) is gone", plural(*changes)),
                (true, true) => format!("docker rm: {name}의 기록 가능 레이어(변경 {changes}개)가 사라짐"),
                (false, false) => format!(
                    "docker rm: {name}'s writable layer ({changes} {}) is gone; volume {} stays",
                    plural(*changes),
                    kept.join(", ")
                ),
                (false, true) => format!(
                    "docker rm: {name}의 기록 가능 레이어(변경 {changes}개)는 사라지고 볼륨 {}은 남음",
                    kept.join(", ")
                ),
            }
        }
        NoteWhat::VolumeRemoved { name, anonymous } => {
            let n = short_volume(name, *anonymous);
            match (anonymous, ko) {
                (true, false) => format!("anonymous volume {n} went with its container"),
                (true, true) => format!("익명 볼륨 {n}이(가) 컨테이너와 함께 삭제됨"),
                (false, false) => format!("volume {n} removed"),
                (false, true) => format!("볼륨 {n} 삭제됨"),
            }
        }
        NoteWhat::MountHides {
            container,
            destination,
            entries,
        } => {
            if ko {
                format!("{container}의 {destination} 마운트가 이미지의 항목 {entries}개를 가림")
            } else {
                format!("the mount at {destination} of {container} hides {entries} entries of the image")
            }
        }
        NoteWhat::VolumeFilled {
            name,
            destination,
            entries,
        } => {
            let n = short_volume(name, name.len() == 64);
            if ko {
                format!("빈 볼륨 {n}을(를) 이미지의 {destination} 항목 {entries}개로 채움")
            } else {
                format!("empty volume {n} was filled with the image's {entries} entries at {destination}")
            }
        }
        NoteWhat::Created { container } => {
            if ko {
                format!("{container} 만듦: 새 기록 가능 레이어")
            } else {
                format!("{container} created: a new writable layer")
            }
        }
        NoteWhat::Started { container } => {
            if ko {
                format!("{container} 시작")
            } else {
                format!("{container} started")
            }
        }
        NoteWhat::Stopped {
            container,
            tmpfs_lost,
        } => match (tmpfs_lost, ko) {
            (0, false) => format!("{container} stopped: its writable layer stays"),
            (0, true) => format!("{container} 중지: 기록 가능 레이어는 남음"),
            (n, false) => format!("{container} stopped: its tmpfs lost {n} entries"),
            (n, true) => format!("{container} 중지: tmpfs의 항목 {n}개가 사라짐"),
        },
    };
    format!("{s}{more}")
}

/// `change` or `changes`.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        "change"
    } else {
        "changes"
    }
}
