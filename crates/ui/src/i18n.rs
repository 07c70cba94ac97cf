//! The page's two languages: choosing one (`?lang=`, else the browser's) and every UI text in both.

/// A language the UI speaks. Docker's own output stays in English in both, as in Docker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// The `lang` attribute / query value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// Reads `ko` or `en` (and regional forms such as `ko-KR`, `en-US`).
    pub fn parse(value: &str) -> Option<Lang> {
        let primary = value.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

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
            .and_then(|v| Lang::parse(&v));
        from_query
            .or_else(|| {
                window
                    .navigator()
                    .languages()
                    .iter()
                    .filter_map(|v| v.as_string())
                    .find_map(|v| Lang::parse(&v))
            })
            .unwrap_or(Lang::En)
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ko => Lang::En,
            Lang::En => Lang::Ko,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ko => &KO,
            Lang::En => &EN,
        }
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
    pub kinds: [KindText; 7],
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
    ],
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
    ],
};

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn regional_language_tags_choose_the_language() {
        assert_eq!(Lang::parse("ko-KR"), Some(Lang::Ko));
        assert_eq!(Lang::parse("en_US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
