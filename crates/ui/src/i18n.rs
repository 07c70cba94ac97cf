//! Every text of the page in Korean and English, and the language a page starts in (`?lang=`,
//! else the browser's).

use layerbox_i18n::Lang;

use crate::timeline::LoadError;

/// `?lang=ko|en` wins; else the first browser language we speak; else English.
pub fn detect() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::En;
    };
    let from_query = window
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lang"))
        .and_then(|v| Lang::from_code(&v));
    from_query
        .or_else(|| {
            window
                .navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .find_map(|v| Lang::from_code(&v))
        })
        .unwrap_or(Lang::En)
}

/// The page's texts in `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ko => &KO,
        Lang::En => &EN,
    }
}

/// "Step 2 of 5".
/// The timeline's first row when it starts where a lesson's setup (and, for step `n` past the
/// first, the solutions of the steps before it) left the sample images, not on them alone.
pub fn timeline_lesson_start(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Ko, 1) => "시작: 샘플 이미지에 레슨의 준비 명령을 실행한 상태".into(),
        (Lang::Ko, n) => {
            format!("시작: {n}단계가 기대하는 상태 (준비 명령과 앞 단계의 풀이를 실행함)")
        }
        (Lang::En, 1) => "Start: the lesson's setup, run on the sample images".into(),
        (Lang::En, n) => format!(
            "Start: where step {n} begins (the lesson's setup and the earlier steps' solutions run)"
        ),
    }
}

pub fn step_of(lang: Lang, n: usize, total: usize) -> String {
    match lang {
        Lang::Ko => format!("{total}단계 중 {n}단계"),
        Lang::En => format!("Step {n} of {total}"),
    }
}

/// What keeps "show me" from working as it is, named: a leftover container with the name or
/// the port the solution needs.
pub fn obstacle(lang: Lang, o: &layerbox_lessons::Obstacle) -> String {
    use layerbox_lessons::Obstacle;
    match (lang, o) {
        (Lang::En, Obstacle::NameTaken { name }) => format!(
            "A container named `{name}` already exists (perhaps left behind, created but not started, by an earlier try), so `docker run --name {name}` fails with `Conflict. The container name \"/{name}\" is already in use`. Remove it with `docker rm -f {name}` first."
        ),
        (Lang::Ko, Obstacle::NameTaken { name }) => format!(
            "`{name}`라는 이름의 컨테이너가 이미 있습니다(앞선 시도에서 만들어지고 시작되지 못한 채 남았을 수 있습니다). 그래서 `docker run --name {name}`은 `Conflict. The container name \"/{name}\" is already in use`로 실패합니다. 먼저 `docker rm -f {name}`로 지우세요."
        ),
        (Lang::En, Obstacle::PortTaken { port, container }) => format!(
            "`{container}` publishes the host's port {port}, so another container cannot publish it (`port is already allocated`). Remove `{container}` with `docker rm -f {container}` first."
        ),
        (Lang::Ko, Obstacle::PortTaken { port, container }) => format!(
            "`{container}`가 호스트의 {port}번 포트를 공개하고 있어서 다른 컨테이너는 그 포트를 공개할 수 없습니다(`port is already allocated`). 먼저 `docker rm -f {container}`로 지우세요."
        ),
    }
}

/// The terminal's line where it left out the middle of a long output (`output.rs`).
pub fn omitted(lang: Lang, o: &crate::output::Omitted) -> String {
    let keep = crate::output::KEEP / 1024;
    let size = match o.bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / f64::from(1 << 10)),
        b => match lang {
            Lang::Ko => format!("{b}바이트"),
            Lang::En => format!("{b} bytes"),
        },
    };
    let lines = grouped(o.lines);
    match (lang, o.lines) {
        (Lang::En, 0) => format!(
            "[… {size} of output not shown: the terminal keeps the first and the last {keep} KiB of what a command prints …]"
        ),
        (Lang::En, 1) => format!(
            "[… 1 line ({size}) of output not shown: the terminal keeps the first and the last {keep} KiB of what a command prints …]"
        ),
        (Lang::En, _) => format!(
            "[… {lines} lines ({size}) of output not shown: the terminal keeps the first and the last {keep} KiB of what a command prints …]"
        ),
        (Lang::Ko, 0) => format!(
            "[… 출력 {size}를 생략했습니다. 터미널은 명령이 출력한 내용의 처음과 끝 {keep} KiB만 보여 줍니다 …]"
        ),
        (Lang::Ko, _) => format!(
            "[… 출력 {lines}줄({size})을 생략했습니다. 터미널은 명령이 출력한 내용의 처음과 끝 {keep} KiB만 보여 줍니다 …]"
        ),
    }
}

/// `n` with a comma between every three digits.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A lesson's estimated time, from its number of steps.
pub fn minutes(lang: Lang, steps: usize) -> String {
    let m = 3 * steps + 2;
    match lang {
        Lang::Ko => format!("약 {m}분"),
        Lang::En => format!("about {m} min"),
    }
}

/// Why a session file was refused, in `lang`.
pub fn load_error(lang: Lang, e: &LoadError) -> String {
    let t = texts(lang);
    match e {
        LoadError::Malformed(why) => format!("{} ({why}).", t.load_malformed),
        LoadError::Version(v) => format!("{} {v}.", t.load_version),
        LoadError::TooLarge => format!("{}.", t.load_too_large),
        LoadError::BadLink => format!("{}.", t.load_bad_link),
    }
}

/// Every text of the page, in one language.
pub struct Texts {
    pub tagline: &'static str,
    pub intro: &'static str,
    pub switch_label: &'static str,
    pub switch_to: &'static str,
    pub legend_title: &'static str,
    pub lives_label: &'static str,
    pub kinds: [KindText; 8],
    pub terminal_label: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub reset: &'static str,
    pub reset_confirm: &'static str,
    pub export: &'static str,
    pub import: &'static str,
    pub share: &'static str,
    pub share_ready: &'static str,
    pub share_too_long: &'static str,
    pub import_refused: &'static str,
    pub load_malformed: &'static str,
    pub load_version: &'static str,
    pub load_too_large: &'static str,
    pub load_bad_link: &'static str,
    pub timeline_title: &'static str,
    pub timeline_start: &'static str,
    pub host_wrote: &'static str,
    pub host_made_dir: &'static str,
    pub host_removed: &'static str,
    pub explain_title: &'static str,
    pub explain_nothing: &'static str,
    pub explain_routine: &'static str,
    pub first_hint: &'static str,
    pub session_ended: &'static str,
    pub lesson_complete: &'static str,
    pub lesson_steps: &'static str,
    pub step_done: &'static str,
    pub free_play: &'static str,
    pub hint: &'static str,
    pub show_me: &'static str,
    pub lesson_reset: &'static str,
    pub step_over: &'static str,
    pub lesson_log: &'static str,
    pub clean_up_and_show: &'static str,
    pub start_over_and_show: &'static str,
    pub not_from_here: &'static str,
    pub next_lesson: &'static str,
    pub widget: &'static str,
    pub lesson_done_mark: &'static str,
    pub course_intro: &'static str,
    pub lessons_title: &'static str,
    pub back_to_playground: &'static str,
    pub unknown_lesson: &'static str,
    pub browser_help: &'static str,
    pub browser_unreachable: &'static str,
    pub browser_address: &'static str,
    pub browser_go: &'static str,
    pub browser_new_item: &'static str,
    pub browser_add: &'static str,
    pub running: &'static str,
    /// The terminal while a kept session is replayed (its number of steps follows).
    pub restoring: &'static str,
    /// The worker makes a lesson's start (its setup, the solutions before its step).
    pub preparing: &'static str,
    pub stop: &'static str,
    pub crashed_line: &'static str,
    pub crash_details: &'static str,
    pub visit_notice: &'static str,
    pub visit_keep: &'static str,
    pub visit_back: &'static str,
    pub kept_notice: &'static str,
    pub download_earlier: &'static str,
    pub load_failed: &'static str,
    pub download_saved: &'static str,
    pub discard_saved: &'static str,
    pub save_failed: &'static str,
    pub limit_near: &'static str,
    pub limit_reached: &'static str,
}

/// One kind of storage: its name, what it is, and how long what is stored there lives.
pub struct KindText {
    pub name: &'static str,
    pub what: &'static str,
    pub lives: &'static str,
}

static EN: Texts = Texts {
    tagline: "Docker's storage model, in your browser",
    intro: "Every container sees one filesystem, but its files live in different places: \
            read-only image layers, the container's own writable layer, volumes, bind mounts \
            and tmpfs. layerbox shows where each file really lives and what survives docker rm.",
    switch_label: "Language",
    switch_to: "한국어",
    legend_title: "Where a container's files live",
    lives_label: "Lives",
    kinds: [
        KindText {
            name: "Image layer",
            what: "Read-only; shared by every image and container built on it.",
            lives: "until the image is removed",
        },
        KindText {
            name: "Writable layer",
            what: "The container's own changes: new files and copies of image files it changed.",
            lives: "until docker rm",
        },
        KindText {
            name: "Volume",
            what: "Storage Docker manages, mounted at a directory; can be shared between containers.",
            lives: "until docker volume rm (anonymous ones: also rm -v and --rm)",
        },
        KindText {
            name: "Bind mount",
            what: "A directory or file of the host, seen inside the container; changes flow both ways.",
            lives: "on the host, independent of any container",
        },
        KindText {
            name: "Network share (bind)",
            what: "A bind mount of a network filesystem: some features missing, every access slower.",
            lives: "on the network storage",
        },
        KindText {
            name: "tmpfs",
            what: "Memory only; never written to disk.",
            lives: "until the container stops",
        },
        KindText {
            name: "Docker-managed file",
            what: "/etc/hostname, /etc/hosts and /etc/resolv.conf, written by Docker for each container.",
            lives: "as long as the container",
        },
        KindText {
            name: "procfs (kernel)",
            what: "/proc while the container runs: the kernel's view of its processes, not stored anywhere.",
            lives: "while the container runs",
        },
    ],
    terminal_label: "Terminal on the Docker host",
    undo: "Undo",
    redo: "Redo",
    reset: "Reset",
    reset_confirm: "Start over? The whole session is cleared.",
    export: "Export",
    import: "Import",
    share: "Share",
    share_ready: "Link to this session (copied if your browser allows):",
    share_too_long: "This session is too long for a link; use Export to save it as a file.",
    import_refused: "That file was not loaded; your session is unchanged.",
    load_malformed: "It is not a layerbox session file",
    load_version: "It was written by a layerbox that saves sessions as version",
    load_too_large: "It is larger than a session may be",
    load_bad_link: "The link is damaged",
    timeline_title: "Timeline",
    timeline_start: "Start: sample images pulled, no containers, no volumes",
    host_wrote: "host panel: wrote",
    host_made_dir: "host panel: made directory",
    host_removed: "host panel: deleted",
    explain_title: "What just happened to storage",
    explain_nothing: "That command changed no storage.",
    explain_routine: "And as every container:",
    lesson_complete: "Lesson complete: free play",
    lesson_steps: "Steps",
    step_done: "Done! ",
    free_play: "You finished this lesson. Keep experimenting: the terminal and the views are yours.",
    hint: "Hint",
    show_me: "Show me",
    lesson_reset: "Start the lesson over",
    step_over: "Start this step over",
    lesson_log: "What this lesson has shown so far",
    clean_up_and_show: "Remove it and show me",
    start_over_and_show: "Start this step over and show me",
    not_from_here: "From the state you are in, the solution would not reach this step's goal: something it needs has changed. Start this step over (you can undo that too) and watch the solution from there.",
    next_lesson: "Next lesson:",
    widget: "widget",
    lesson_done_mark: "done",
    course_intro: "Eight lessons on where a container's files live. Your progress is kept in this browser.",
    lessons_title: "Lessons: persistent storage with volumes and mounts",
    back_to_playground: "Free playground",
    unknown_lesson: "There is no lesson with that name. These are the lessons:",
    browser_help: "A browser on the Docker host. Publish a port (docker run -p 8010:80 ...) and open localhost:8010.",
    browser_unreachable: "This page cannot be reached",
    browser_address: "Address",
    browser_go: "Go",
    browser_new_item: "New to-do item",
    browser_add: "Add",
    running: "Running:",
    restoring: "Restoring the session, steps:",
    preparing: "Preparing the lesson's start…",
    stop: "Stop (Ctrl-C)",
    crashed_line: "This line stopped layerbox's engine, so it was not run; your session is as it was before it:",
    crash_details: "Details",
    visit_notice: "You are looking at a shared session. Your own session is kept as it was until you choose.",
    visit_keep: "Keep this session",
    visit_back: "Back to my session",
    kept_notice: "This session is now yours. Your earlier one is kept aside:",
    download_earlier: "Download the earlier session",
    load_failed: "Your saved session could not be loaded, so it is kept as it was and nothing is saved over it until you choose.",
    download_saved: "Download it",
    discard_saved: "Discard it and save this one",
    save_failed: "This session could not be saved in the browser (its storage is full or blocked). Export it to keep it.",
    limit_near: "This session is nearing the largest size a session may have. Export it to keep a copy.",
    limit_reached: "This session has reached the largest size a session may have, so that was not run. Export it, then Reset to go on.",
    session_ended: "[bash on the host has exited: Undo to go back, or Reset to start over]",
    first_hint: "Try: docker volume create todo-list, then docker run -d --name todo1 -v todo-list:/data diamol/ch06-todo-list",
};

static KO: Texts = Texts {
    tagline: "브라우저에서 살펴보는 도커 스토리지",
    intro: "컨테이너는 하나의 파일 시스템을 보지만, 그 안의 파일은 여러 곳에 나뉘어 저장됩니다. \
            읽기 전용 이미지 레이어, 컨테이너마다 있는 기록 가능 레이어, 볼륨, 바인드 마운트, tmpfs. \
            layerbox는 파일이 실제로 어디에 있는지, docker rm 뒤에 무엇이 남는지 보여 줍니다.",
    switch_label: "언어",
    switch_to: "English",
    legend_title: "컨테이너의 파일은 어디에 있을까",
    lives_label: "수명",
    kinds: [
        KindText {
            name: "이미지 레이어",
            what: "읽기 전용이며, 이 레이어를 쓰는 모든 이미지와 컨테이너가 함께 씁니다.",
            lives: "이미지를 지울 때까지",
        },
        KindText {
            name: "기록 가능 레이어",
            what: "컨테이너가 바꾼 내용: 새로 만든 파일과, 수정하려고 복사해 온 이미지 파일.",
            lives: "docker rm 할 때까지",
        },
        KindText {
            name: "볼륨",
            what: "도커가 관리하는 스토리지로, 디렉터리에 마운트되며 여러 컨테이너가 함께 쓸 수 있습니다.",
            lives: "docker volume rm 할 때까지 (익명 볼륨은 rm -v, --rm 때도 삭제)",
        },
        KindText {
            name: "바인드 마운트",
            what: "호스트의 디렉터리나 파일을 컨테이너 안에서 그대로 씁니다. 변경은 양쪽에 반영됩니다.",
            lives: "호스트에 남으며 컨테이너와 무관",
        },
        KindText {
            name: "네트워크 공유 (바인드)",
            what: "네트워크 파일 시스템을 바인드 마운트한 것. 지원하지 않는 기능이 있고 접근이 느립니다.",
            lives: "네트워크 스토리지에 남음",
        },
        KindText {
            name: "tmpfs",
            what: "메모리에만 있고 디스크에 기록되지 않습니다.",
            lives: "컨테이너가 멈출 때까지",
        },
        KindText {
            name: "도커가 관리하는 파일",
            what: "/etc/hostname, /etc/hosts, /etc/resolv.conf. 도커가 컨테이너마다 만들어 줍니다.",
            lives: "컨테이너와 같은 수명",
        },
        KindText {
            name: "procfs (커널)",
            what: "컨테이너가 실행 중일 때의 /proc. 커널이 보여 주는 프로세스 정보이며 어디에도 저장되지 않습니다.",
            lives: "컨테이너가 실행되는 동안",
        },
    ],
    terminal_label: "도커 호스트의 터미널",
    undo: "실행 취소",
    redo: "다시 실행",
    reset: "처음부터",
    reset_confirm: "처음부터 다시 시작할까요? 지금까지의 세션이 모두 지워집니다.",
    export: "내보내기",
    import: "가져오기",
    share: "공유",
    share_ready: "이 세션의 링크입니다 (브라우저가 허용하면 복사되었습니다):",
    share_too_long: "세션이 너무 길어 링크로 만들 수 없습니다. 내보내기로 파일에 저장하세요.",
    import_refused: "파일을 불러오지 않았습니다. 지금 세션은 그대로입니다.",
    load_malformed: "layerbox 세션 파일이 아닙니다",
    load_version: "이 layerbox가 읽지 못하는 세션 파일 버전입니다:",
    load_too_large: "세션 파일이 허용된 크기보다 큽니다",
    load_bad_link: "링크가 손상되었습니다",
    timeline_title: "타임라인",
    timeline_start: "시작: 샘플 이미지만 있고 컨테이너와 볼륨은 없음",
    host_wrote: "호스트 패널: 파일 저장",
    host_made_dir: "호스트 패널: 디렉터리 만듦",
    host_removed: "호스트 패널: 삭제",
    explain_title: "방금 스토리지에 일어난 일",
    explain_nothing: "이 명령은 스토리지를 바꾸지 않았습니다.",
    explain_routine: "그리고 모든 컨테이너가 그렇듯:",
    lesson_complete: "레슨 완료: 자유롭게 실습하세요",
    lesson_steps: "단계",
    step_done: "완료! ",
    free_play: "이 레슨을 마쳤습니다. 터미널과 보기 화면으로 자유롭게 더 실험해 보세요.",
    hint: "힌트",
    show_me: "풀이 보기",
    lesson_reset: "레슨 처음부터",
    step_over: "이 단계 처음부터",
    lesson_log: "이 레슨에서 지금까지 본 것",
    clean_up_and_show: "지우고 풀이 보기",
    start_over_and_show: "이 단계를 처음부터 하고 풀이 보기",
    not_from_here: "지금 상태에서는 풀이를 실행해도 이 단계의 목표에 닿지 않습니다. 풀이에 필요한 것이 바뀌었습니다. 이 단계를 처음부터 다시 시작하고(이것도 되돌릴 수 있습니다) 거기서 풀이를 보세요.",
    next_lesson: "다음 레슨:",
    widget: "위젯",
    lesson_done_mark: "완료",
    course_intro: "컨테이너의 파일이 어디에 사는지 다루는 여덟 개의 레슨입니다. 진행 상황은 이 브라우저에 저장됩니다.",
    lessons_title: "레슨: 볼륨과 마운트로 데이터 유지하기",
    back_to_playground: "자유 실습",
    unknown_lesson: "그런 이름의 레슨은 없습니다. 레슨 목록:",
    browser_help: "도커 호스트의 브라우저입니다. 포트를 공개하고(docker run -p 8010:80 ...) localhost:8010을 열어 보세요.",
    browser_unreachable: "이 페이지에 연결할 수 없습니다",
    browser_address: "주소",
    browser_go: "열기",
    browser_new_item: "새 할 일",
    browser_add: "추가",
    running: "실행 중:",
    restoring: "세션을 되살리는 중, 단계 수:",
    preparing: "레슨의 시작 상태를 준비하는 중…",
    stop: "중지 (Ctrl-C)",
    crashed_line: "이 줄은 layerbox 엔진을 멈추게 해서 실행하지 않았습니다. 세션은 이 줄을 입력하기 전 그대로입니다:",
    crash_details: "자세히",
    visit_notice: "공유된 세션을 보고 있습니다. 내 세션은 선택하기 전까지 그대로 보관됩니다.",
    visit_keep: "이 세션 유지",
    visit_back: "내 세션으로 돌아가기",
    kept_notice: "이제 이 세션이 내 세션입니다. 이전 세션은 따로 보관했습니다:",
    download_earlier: "이전 세션 내려받기",
    load_failed: "저장된 세션을 불러오지 못했습니다. 선택하기 전까지 그대로 보관하며 덮어쓰지 않습니다.",
    download_saved: "내려받기",
    discard_saved: "버리고 지금 세션 저장",
    save_failed: "브라우저 저장소가 가득 찼거나 막혀 있어 세션을 저장하지 못했습니다. 내보내기로 파일에 저장하세요.",
    limit_near: "세션이 허용된 최대 크기에 가까워졌습니다. 내보내기로 사본을 저장하세요.",
    limit_reached: "세션이 허용된 최대 크기에 이르러 실행하지 않았습니다. 내보내기로 저장한 뒤 초기화하고 계속하세요.",
    session_ended: "[호스트의 bash가 종료되었습니다. 실행 취소로 되돌리거나 처음부터 다시 시작하세요]",
    first_hint: "이렇게 시작해 보세요: docker volume create todo-list 다음에 docker run -d --name todo1 -v todo-list:/data diamol/ch06-todo-list",
};
