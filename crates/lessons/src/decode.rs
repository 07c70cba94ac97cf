//! Reads the course back from its compact encoding (see [`encode`](crate::encode) for the
//! format): one small reader per lesson type, fields in declaration order, enum variants by
//! their index. The encoding is made by `build.rs` from the lesson files, so it is never
//! malformed; should it be, the reader gives empty values rather than panic. Tests compare the
//! result with the lesson files parsed, and round-trip one value of every goal variant.

use layerbox_i18n::Text;

use crate::goal::{Backing, DiffKind, Goal, Kind};
use crate::lesson::{Hint, Lesson, Step};

/// The lessons encoded in `bytes`.
pub fn course(bytes: &[u8]) -> Vec<Lesson> {
    Reader { bytes, at: 0 }.list(Reader::lesson)
}

/// `Backing`'s variants in declaration order.
const BACKINGS: [Backing; 10] = [
    Backing::ImageLayer,
    Backing::InitLayer,
    Backing::WritableLayer,
    Backing::CopiedUp,
    Backing::Volume,
    Backing::AnonymousVolume,
    Backing::LocalBind,
    Backing::NetworkBind,
    Backing::Tmpfs,
    Backing::DockerManaged,
];

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Reader<'_> {
    fn number(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            if shift < 64 {
                n |= u64::from(byte & 0x7f) << shift;
            }
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        n
    }

    fn index(&mut self) -> usize {
        usize::try_from(self.number()).unwrap_or(usize::MAX)
    }

    fn flag(&mut self) -> bool {
        self.number() != 0
    }

    fn string(&mut self) -> String {
        let len = self.index();
        let end = self.at.saturating_add(len).min(self.bytes.len());
        let text = String::from_utf8_lossy(&self.bytes[self.at..end]).into_owned();
        self.at = end;
        text
    }

    fn list<T>(&mut self, item: fn(&mut Self) -> T) -> Vec<T> {
        let len = self.index();
        let mut items = Vec::new();
        while items.len() < len && self.at < self.bytes.len() {
            items.push(item(self));
        }
        items
    }

    fn option<T>(&mut self, value: fn(&mut Self) -> T) -> Option<T> {
        self.flag().then(|| value(self))
    }

    fn text(&mut self) -> Text {
        Text {
            ko: self.string(),
            en: self.string(),
        }
    }

    fn lesson(&mut self) -> Lesson {
        Lesson {
            id: self.string(),
            title: self.text(),
            summary: self.text(),
            setup: self.list(Self::string),
            steps: self.list(Self::step),
            view: self.option(Self::string),
        }
    }

    fn step(&mut self) -> Step {
        Step {
            instruction: self.text(),
            goal: self.goal(),
            hints: self.list(Self::hint),
            solution: self.list(Self::string),
            explanation: self.text(),
        }
    }

    fn hint(&mut self) -> Hint {
        Hint {
            ko: self.string(),
            en: self.string(),
            when: self.option(Self::goal),
        }
    }

    fn pick<T: Copy>(&mut self, variants: &[T]) -> T {
        let i = self.index();
        variants.get(i).copied().unwrap_or(variants[0])
    }

    /// `Goal`'s variants in declaration order: the index is serde's `variant_index`.
    fn goal(&mut self) -> Goal {
        match self.number() {
            0 => Goal::All(self.list(Self::goal)),
            1 => Goal::Any(self.list(Self::goal)),
            2 => Goal::Not(Box::new(self.goal())),
            3 => Goal::ContainerExists(self.string()),
            4 => Goal::ContainerRunning(self.string()),
            5 => Goal::ContainerStopped(self.string()),
            6 => Goal::ContainerRemoved(self.string()),
            7 => Goal::ContainerRestarted(self.string()),
            8 => Goal::ContainerImage {
                container: self.string(),
                image: self.string(),
            },
            9 => Goal::LogsContain {
                container: self.string(),
                text: self.string(),
            },
            10 => Goal::VolumeMount {
                container: self.string(),
                destination: self.string(),
                volume: self.option(Self::string),
                anonymous: self.option(Self::flag),
                read_only: self.option(Self::flag),
            },
            11 => Goal::BindMount {
                container: self.string(),
                destination: self.string(),
                source: self.option(Self::string),
                read_only: self.option(Self::flag),
            },
            12 => Goal::TmpfsMount {
                container: self.string(),
                destination: self.string(),
            },
            13 => Goal::Mounted {
                container: self.string(),
                destination: self.string(),
            },
            14 => Goal::SameVolume {
                containers: self.list(Self::string),
                destination: self.string(),
            },
            15 => Goal::PathExists {
                container: self.string(),
                path: self.string(),
                contains: self.option(Self::string),
            },
            16 => Goal::PathAbsent {
                container: self.string(),
                path: self.string(),
            },
            17 => Goal::PathBacking {
                container: self.string(),
                path: self.string(),
                backing: self.pick(&BACKINGS),
            },
            18 => Goal::Diff {
                container: self.string(),
                path: self.string(),
                kind: self
                    .option(|r| r.pick(&[DiffKind::Added, DiffKind::Changed, DiffKind::Deleted])),
            },
            19 => Goal::HostPath {
                path: self.string(),
                kind: self.option(|r| r.pick(&[Kind::File, Kind::Dir, Kind::Symlink])),
                owner: self.option(|r| u32::try_from(r.number()).unwrap_or(u32::MAX)),
                contains: self.option(Self::string),
            },
            20 => Goal::HostPathAbsent(self.string()),
            21 => Goal::VolumeExists(self.string()),
            22 => Goal::AnonymousVolumesAtLeast(self.index()),
            23 => Goal::VolumeContains {
                volume: self.option(Self::string),
                path: self.string(),
                contains: self.option(Self::string),
            },
            24 => Goal::ImageExists(self.string()),
            25 => Goal::ImageFile {
                image: self.string(),
                path: self.string(),
                contains: self.option(Self::string),
            },
            26 => Goal::ContainerCommand {
                container: self.string(),
                program: self.string(),
            },
            _ => Goal::All(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::encode;

    fn s(text: &str) -> String {
        text.to_string()
    }

    /// One value of every variant, with every optional field set (the `match` has no wildcard,
    /// so a new variant does not compile until it is added here and to the reader).
    fn one_of_each() -> Vec<Goal> {
        let all = vec![
            Goal::All(vec![Goal::ContainerExists(s("a"))]),
            Goal::Any(vec![Goal::VolumeExists(s("v")), Goal::ImageExists(s("i"))]),
            Goal::Not(Box::new(Goal::ContainerRunning(s("b")))),
            Goal::ContainerExists(s("c")),
            Goal::ContainerRunning(s("d")),
            Goal::ContainerStopped(s("e")),
            Goal::ContainerRemoved(s("f")),
            Goal::ContainerRestarted(s("g")),
            Goal::ContainerImage {
                container: s("c1"),
                image: s("alpine"),
            },
            Goal::LogsContain {
                container: s("c1"),
                text: s("컨테이너"),
            },
            Goal::VolumeMount {
                container: s("c1"),
                destination: s("/data"),
                volume: Some(s("vol")),
                anonymous: Some(false),
                read_only: Some(true),
            },
            Goal::BindMount {
                container: s("c1"),
                destination: s("/src"),
                source: Some(s("/home/user/src")),
                read_only: Some(false),
            },
            Goal::TmpfsMount {
                container: s("c1"),
                destination: s("/cache"),
            },
            Goal::Mounted {
                container: s("c1"),
                destination: s("/m"),
            },
            Goal::SameVolume {
                containers: vec![s("a1"), s("a2")],
                destination: s("/data"),
            },
            Goal::PathExists {
                container: s("c1"),
                path: s("/p"),
                contains: Some(s("x")),
            },
            Goal::PathAbsent {
                container: s("c1"),
                path: s("/q"),
            },
            Goal::PathBacking {
                container: s("c1"),
                path: s("/etc/hostname"),
                backing: Backing::DockerManaged,
            },
            Goal::Diff {
                container: s("c1"),
                path: s("/etc"),
                kind: Some(DiffKind::Deleted),
            },
            Goal::HostPath {
                path: s("/home/user/x"),
                kind: Some(Kind::Symlink),
                owner: Some(1000),
                contains: Some(s("y")),
            },
            Goal::HostPathAbsent(s("/home/user/gone")),
            Goal::VolumeExists(s("v2")),
            Goal::AnonymousVolumesAtLeast(300),
            Goal::VolumeContains {
                volume: Some(s("v3")),
                path: s("/f"),
                contains: Some(s("z")),
            },
            Goal::ImageExists(s("img")),
            Goal::ImageFile {
                image: s("img"),
                path: s("/etc/os-release"),
                contains: Some(s("Alpine")),
            },
            Goal::ContainerCommand {
                container: s("c1"),
                program: s("sleep"),
            },
        ];
        for goal in &all {
            match goal {
                Goal::All(_)
                | Goal::Any(_)
                | Goal::Not(_)
                | Goal::ContainerExists(_)
                | Goal::ContainerRunning(_)
                | Goal::ContainerStopped(_)
                | Goal::ContainerRemoved(_)
                | Goal::ContainerRestarted(_)
                | Goal::ContainerImage { .. }
                | Goal::LogsContain { .. }
                | Goal::VolumeMount { .. }
                | Goal::BindMount { .. }
                | Goal::TmpfsMount { .. }
                | Goal::Mounted { .. }
                | Goal::SameVolume { .. }
                | Goal::PathExists { .. }
                | Goal::PathAbsent { .. }
                | Goal::PathBacking { .. }
                | Goal::Diff { .. }
                | Goal::HostPath { .. }
                | Goal::HostPathAbsent(_)
                | Goal::VolumeExists(_)
                | Goal::AnonymousVolumesAtLeast(_)
                | Goal::VolumeContains { .. }
                | Goal::ImageExists(_)
                | Goal::ImageFile { .. }
                | Goal::ContainerCommand { .. } => {}
            }
        }
        all
    }

    fn lesson_with(goals: Vec<Goal>) -> Lesson {
        let text = |en: &str| Text {
            ko: format!("{en} (한국어)"),
            en: en.to_string(),
        };
        Lesson {
            id: s("every-goal"),
            title: text("title"),
            summary: text("summary"),
            setup: vec![s("docker volume create v")],
            steps: goals
                .into_iter()
                .map(|goal| Step {
                    instruction: text("do it"),
                    hints: vec![
                        Hint {
                            ko: s("힌트"),
                            en: s("hint"),
                            when: Some(goal.clone()),
                        },
                        Hint {
                            ko: s("둘째"),
                            en: s("second"),
                            when: None,
                        },
                    ],
                    goal,
                    solution: vec![s("true")],
                    explanation: text("why"),
                })
                .collect(),
            view: Some(s("diagram")),
        }
    }

    #[test]
    fn every_goal_variant_reads_back_as_written() {
        let course = vec![lesson_with(one_of_each()), lesson_with(Vec::new())];
        let bytes = encode(&course).expect("every lesson type encodes");
        assert_eq!(super::course(&bytes), course);
    }

    #[test]
    fn every_unit_variant_reads_back_as_written() {
        let backings = BACKINGS;
        for backing in backings {
            // No wildcard: a new variant does not compile until it is in `BACKINGS`.
            match backing {
                Backing::ImageLayer
                | Backing::InitLayer
                | Backing::WritableLayer
                | Backing::CopiedUp
                | Backing::Volume
                | Backing::AnonymousVolume
                | Backing::LocalBind
                | Backing::NetworkBind
                | Backing::Tmpfs
                | Backing::DockerManaged => {}
            }
        }
        let mut goals: Vec<Goal> = backings
            .iter()
            .map(|&backing| Goal::PathBacking {
                container: s("c"),
                path: s("/"),
                backing,
            })
            .collect();
        for kind in [DiffKind::Added, DiffKind::Changed, DiffKind::Deleted] {
            goals.push(Goal::Diff {
                container: s("c"),
                path: s("/"),
                kind: Some(kind),
            });
        }
        for kind in [Kind::File, Kind::Dir, Kind::Symlink] {
            goals.push(Goal::HostPath {
                path: s("/"),
                kind: Some(kind),
                owner: None,
                contains: None,
            });
        }
        let course = vec![lesson_with(goals)];
        let bytes = encode(&course).expect("encodes");
        assert_eq!(super::course(&bytes), course);
    }

    #[test]
    fn a_cut_short_encoding_gives_what_it_holds_without_panicking() {
        let course = vec![lesson_with(one_of_each())];
        let bytes = encode(&course).expect("encodes");
        for cut in [0, 1, 7, bytes.len() / 2, bytes.len() - 1] {
            let _ = super::course(&bytes[..cut]);
        }
    }
}
