//! "What just happened": one to three plain sentences, in Korean or English, built from the
//! engine's change events of one command. Similar events are grouped; the most instructive
//! (a container and its writable layer gone, a volume that survives, a volume filled or
//! created, a mount hiding files, a whiteout, a copy-up) win. Korean uses 합니다체.
//!
//! This file gathers the sentences and holds what they share: the context they are built in
//! and how sizes, counts and names are worded. Each topic builds its own: `containers.rs`
//! (removed, created, stopped, committed), `volumes.rs`, `mounts.rs` (what a mount hides,
//! writes through volumes, bind mounts and tmpfs) and `layers.rs` (copy-up, whiteouts, opaque
//! directories, new entries in the writable layer).

mod containers;
mod host;
mod layers;
mod mounts;
mod volumes;

use layerbox_engine::change::Change;
use layerbox_engine::container::Container;
use layerbox_engine::world::World;
use layerbox_i18n::Lang;

/// At most this many sentences per command.
const MAX_SENTENCES: usize = 3;

/// Sentences at or above this priority are routine: what every `docker run` says (a writable
/// layer on the image's shared layers), folded away when something new is told.
const ROUTINE: u8 = 11;

/// One to three sentences on what `changes` did to storage, most instructive first picked,
/// told in the order they happened; empty when nothing happened to storage. `before` (the
/// world before the command, if the UI kept it) names what a removal took away and what the
/// host's own commands changed; `after` names everything else.
pub fn explain(
    changes: &[Change],
    before: Option<&World>,
    after: &World,
    lang: Lang,
) -> Vec<String> {
    let (mut lead, routine) = explain_folded(changes, before, after, lang);
    lead.extend(routine);
    lead
}

/// [`explain`]'s sentences in two parts: what is new about this command, to lead with, and
/// the routine the UI folds away (a container's writable layer over the image's shared
/// layers, said by every `run`). A command that did only routine things leads with them.
pub fn explain_folded(
    changes: &[Change],
    before: Option<&World>,
    after: &World,
    lang: Lang,
) -> (Vec<String>, Vec<String>) {
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
    cx.host_files(&mut found);
    cx.file_binds(&mut found);
    layerbox_order::sort_by_key(&mut found, |s| s.priority);
    found.truncate(MAX_SENTENCES);
    layerbox_order::sort_by_key(&mut found, |s| s.order);
    let news = found.iter().any(|s| s.priority < ROUTINE);
    let (lead, routine): (Vec<Sentence>, Vec<Sentence>) = found
        .into_iter()
        .partition(|s| !news || s.priority < ROUTINE);
    (
        lead.into_iter().map(|s| s.text).collect(),
        routine.into_iter().map(|s| s.text).collect(),
    )
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

/// An instruction as a Dockerfile line (`dockerfile_line`), shortened for a sentence.
fn short_instruction(s: &str) -> String {
    const MAX: usize = 40;
    let s = &crate::dockerfile_line(s);
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
