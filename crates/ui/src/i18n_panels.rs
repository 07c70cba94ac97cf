//! The storage views' texts in both languages (the page's other texts are in `i18n.rs`).

use layerbox_i18n::Lang;
use layerbox_view::{HiddenWhy, Kind, MountOrigin, VolumeOrigin};

use crate::i18n::texts;

/// Every text of the storage views, in one language.
pub struct PanelTexts {
    pub views_label: &'static str,
    pub tab_diagram: &'static str,
    pub tab_storage: &'static str,
    pub tab_layers: &'static str,
    pub tab_volumes: &'static str,
    pub tab_host: &'static str,
    pub tab_browser: &'static str,
    pub container: &'static str,
    pub no_containers: &'static str,
    pub show_hidden: &'static str,
    pub mount_point: &'static str,
    pub stopped: &'static str,
    pub layers_of: &'static str,
    pub layer_changes: &'static str,
    pub merged_tree: &'static str,
    pub no_changes: &'static str,
    pub no_layer: &'static str,
    pub shared_by: &'static str,
    pub pick_layer: &'static str,
    pub volumes_title: &'static str,
    pub no_volumes: &'static str,
    pub anonymous: &'static str,
    pub used_by: &'static str,
    pub unused: &'static str,
    /// A `--opt type=tmpfs` volume.
    pub volume_memory: &'static str,
    /// A `--opt type=none --opt o=bind` volume, before its host directory.
    pub volume_host_dir: &'static str,
    /// Before an NFS volume's `ADDR:PATH`.
    pub volume_nfs: &'static str,
    /// A volume of another filesystem type, before the type.
    pub volume_other_type: &'static str,
    pub contents: &'static str,
    pub mounts_title: &'static str,
    pub col_type: &'static str,
    pub col_source: &'static str,
    pub col_destination: &'static str,
    pub col_mode: &'static str,
    pub col_rw: &'static str,
    pub not_in_inspect: &'static str,
    pub host_title: &'static str,
    pub host_help: &'static str,
    pub path: &'static str,
    pub content: &'static str,
    pub save_file: &'static str,
    pub make_dir: &'static str,
    pub delete: &'static str,
    pub network_share: &'static str,
}

static EN: PanelTexts = PanelTexts {
    views_label: "Storage views",
    tab_diagram: "Diagram",
    tab_storage: "Storage map",
    tab_layers: "Layers",
    tab_volumes: "Volumes & mounts",
    tab_host: "Host",
    tab_browser: "Browser",
    container: "Container",
    no_containers:
        "No containers yet. Run one, for example: docker run --name c1 alpine touch /hello",
    show_hidden: "Show hidden entries",
    mount_point: "mount point",
    stopped: "stopped",
    layers_of: "Layers of",
    layer_changes: "What this layer changes",
    merged_tree: "Files up to this layer",
    no_changes: "This layer changes no files.",
    no_layer: "no filesystem layer",
    shared_by: "shared with",
    pick_layer: "Choose a layer to see its changes and the files up to it.",
    volumes_title: "Volumes",
    no_volumes: "No volumes. docker volume create, -v, --mount and an image's VOLUME make them.",
    anonymous: "anonymous",
    used_by: "used by",
    unused: "not used by any container: it stays until docker volume rm",
    volume_memory: "tmpfs (--opt type=tmpfs): in memory while a running container mounts it, empty again after the last one stops",
    volume_host_dir: "a host directory (--opt type=none --opt o=bind):",
    volume_nfs: "on the network share over NFS (--opt type=nfs):",
    volume_other_type: "a filesystem layerbox does not mount: type",
    contents: "contents",
    mounts_title: "Mounts of",
    col_type: "Type",
    col_source: "Source",
    col_destination: "Destination",
    col_mode: "Mode",
    col_rw: "RW",
    not_in_inspect: "not listed by docker inspect",
    host_title: "Host filesystem",
    host_help: "Edit the host's files here and watch a container with a bind mount see the change.",
    path: "Path",
    content: "Content",
    save_file: "Save file",
    make_dir: "Make directory",
    delete: "Delete",
    network_share: "network share (SMB/CIFS): no links, no chmod, slow",
};

static KO: PanelTexts = PanelTexts {
    views_label: "스토리지 보기",
    tab_diagram: "그림",
    tab_storage: "스토리지 지도",
    tab_layers: "레이어",
    tab_volumes: "볼륨과 마운트",
    tab_host: "호스트",
    tab_browser: "브라우저",
    container: "컨테이너",
    no_containers: "아직 컨테이너가 없습니다. 예: docker run --name c1 alpine touch /hello",
    show_hidden: "가려진 항목 보기",
    mount_point: "마운트 지점",
    stopped: "중지됨",
    layers_of: "레이어:",
    layer_changes: "이 레이어가 바꾼 것",
    merged_tree: "이 레이어까지 합친 파일",
    no_changes: "이 레이어는 파일을 바꾸지 않습니다.",
    no_layer: "파일 시스템 레이어 없음",
    shared_by: "함께 쓰는 곳",
    pick_layer: "레이어를 고르면 그 레이어의 변경 내용과 그 레이어까지 합친 파일을 볼 수 있습니다.",
    volumes_title: "볼륨",
    no_volumes:
        "볼륨이 없습니다. docker volume create, -v, --mount, 이미지의 VOLUME이 볼륨을 만듭니다.",
    anonymous: "익명",
    used_by: "사용 중인 컨테이너",
    unused: "사용하는 컨테이너 없음: docker volume rm 하기 전까지 남아 있습니다",
    volume_memory: "tmpfs (--opt type=tmpfs): 실행 중인 컨테이너가 마운트하는 동안만 메모리에 있고, 마지막 컨테이너가 멈추면 다시 비워집니다",
    volume_host_dir: "호스트 디렉터리 (--opt type=none --opt o=bind):",
    volume_nfs: "NFS로 연결한 네트워크 공유 (--opt type=nfs):",
    volume_other_type: "layerbox가 마운트하지 않는 파일시스템: type",
    contents: "내용",
    mounts_title: "마운트:",
    col_type: "종류",
    col_source: "원본",
    col_destination: "대상",
    col_mode: "모드",
    col_rw: "쓰기",
    not_in_inspect: "docker inspect에는 나오지 않음",
    host_title: "호스트 파일 시스템",
    host_help:
        "여기서 호스트의 파일을 고치고, 바인드 마운트한 컨테이너에 바로 보이는지 확인해 보세요.",
    path: "경로",
    content: "내용",
    save_file: "파일 저장",
    make_dir: "디렉터리 만들기",
    delete: "삭제",
    network_share: "네트워크 공유(SMB/CIFS): 링크와 chmod 불가, 느림",
};

/// The storage views' texts in `lang`.
pub fn panels(lang: Lang) -> &'static PanelTexts {
    match lang {
        Lang::Ko => &KO,
        Lang::En => &EN,
    }
}

/// "… and N more".
pub fn more_entries(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ko => format!("나머지 {n}개 더 보기"),
        Lang::En => format!("Show {n} more"),
    }
}

/// Why a ghost is invisible, naming what hides it.
pub fn why_hidden(lang: Lang, why: &HiddenWhy) -> String {
    let ko = lang == Lang::Ko;
    match why {
        HiddenWhy::Whiteout { from_layer, .. } => {
            let n = from_layer + 1;
            if ko {
                format!("삭제됨: 화이트아웃이 레이어 {n}의 항목을 가림")
            } else {
                format!("deleted: a whiteout hides it (from layer {n})")
            }
        }
        HiddenWhy::Opaque { from_layer, .. } => {
            let n = from_layer + 1;
            if ko {
                format!("디렉터리를 다시 만들어 가려짐 (레이어 {n})")
            } else {
                format!("hidden: its directory was made again (from layer {n})")
            }
        }
        HiddenWhy::Shadowed { from_layer, .. } => {
            let n = from_layer + 1;
            if ko {
                format!("위 레이어의 같은 이름 항목이 가림 (레이어 {n})")
            } else {
                format!("shadowed by a newer copy (from layer {n})")
            }
        }
        HiddenWhy::Mount { destination, .. } => {
            if ko {
                format!("{destination}의 마운트가 가림")
            } else {
                format!("hidden by the mount at {destination}")
            }
        }
    }
}

/// What made a volume, in `lang`.
pub fn volume_origin(lang: Lang, origin: VolumeOrigin, image: Option<&str>) -> String {
    let ko = lang == Lang::Ko;
    match (origin, ko) {
        (VolumeOrigin::Create, false) => "made by docker volume create".into(),
        (VolumeOrigin::Create, true) => "docker volume create로 만듦".into(),
        (VolumeOrigin::VolumeFlag, false) => "made by -v".into(),
        (VolumeOrigin::VolumeFlag, true) => "-v가 만듦".into(),
        (VolumeOrigin::MountFlag, false) => "made by --mount".into(),
        (VolumeOrigin::MountFlag, true) => "--mount가 만듦".into(),
        (VolumeOrigin::ImageVolume, false) => match image {
            Some(i) => format!("made for the VOLUME of image {i}"),
            None => "made for an image's VOLUME".into(),
        },
        (VolumeOrigin::ImageVolume, true) => match image {
            Some(i) => format!("이미지 {i}의 VOLUME 때문에 만듦"),
            None => "이미지의 VOLUME 때문에 만듦".into(),
        },
    }
}

/// What asked for a mount (`Docker` for the files Docker writes itself), in `lang`.
pub fn mount_origin(lang: Lang, origin: Option<MountOrigin>) -> &'static str {
    let ko = lang == Lang::Ko;
    match (origin, ko) {
        (Some(MountOrigin::VolumeFlag), _) => "-v",
        (Some(MountOrigin::AnonymousFlag), false) => "-v (anonymous)",
        (Some(MountOrigin::AnonymousFlag), true) => "-v (익명)",
        (Some(MountOrigin::MountFlag), _) => "--mount",
        (Some(MountOrigin::ImageVolume), _) => "VOLUME",
        (Some(MountOrigin::VolumesFrom), _) => "--volumes-from",
        (Some(MountOrigin::TmpfsFlag), _) => "--tmpfs",
        (None, false) => "Docker",
        (None, true) => "도커",
    }
}

/// The legend's name of a kind.
pub fn kind_name(lang: Lang, kind: Kind) -> &'static str {
    let i = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    texts(lang).kinds[i].name
}
