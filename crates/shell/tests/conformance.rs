//! Replays every session recorded from a real Docker Engine (`tests/conformance/*.txt`)
//! through a fresh `Session` and compares the normalised transcripts.
//!
//! Sessions in [`MATCHING`] must match exactly (a `docker diff` block compares as a set); the
//! others are reported with their first differing line so progress stays visible.
//!
//! Native only: it reads the corpus from disk.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use layerbox_acceptance::transcript::{output_lines, Normalizer, Transcript};
use layerbox_shell::Session;

/// Sessions layerbox reproduces; the test fails if any of them stops matching.
const MATCHING: &[&str] = &[
    "anonymous-volume-from-dash-v",
    "anonymous-volume-per-container-from-image-volume",
    "arity-errors",
    "bind-mount-empty-host-dir-not-prepopulated",
    "bind-mount-files-written-by-root-container",
    "bind-mount-hides-image-directory",
    "bind-mount-missing-host-dir-created-by-dash-v",
    "bind-mount-missing-source-with-mount-flag",
    "bind-mount-non-root-user-cannot-write-root-dir",
    "bind-mount-read-only",
    "bind-mount-single-file",
    "build-add-local-tar",
    "build-cache-file-flag-and-ignore",
    "build-copy-dir-chown-and-retag",
    "build-copy-run-cmd",
    "build-env-forms-and-copy-targets",
    "build-errors",
    "build-from-scratch",
    "build-metadata-instructions",
    "build-multi-stage",
    "build-volume-discards-later-writes",
    "commit-excludes-volume-paths",
    "commit-new-image-history",
    "commit-with-name-and-tag",
    "container-aliases",
    "container-name-rules",
    "cp-directories-and-errors",
    "cp-from-volume-path",
    "cp-in-and-out",
    "cp-into-read-only-rootfs",
    "create-then-inspect-state",
    "diff-add-file-and-dir",
    "diff-after-rename",
    "diff-change-and-delete-in-etc",
    "diff-chmod-only",
    "diff-delete-directory-with-files",
    "diff-excludes-volume-and-bind-contents",
    "diff-nested-ancestors",
    "diff-of-new-container-is-empty",
    "diff-recreate-deleted-directory",
    "diff-tmpfs-mount-point",
    "exec-errors",
    "exec-workdir-user-env",
    "flag-errors-unknown",
    "format-comparisons",
    "format-control-more",
    "format-errors",
    "format-exec-errors-more",
    "format-functions",
    "format-images-fields",
    "format-json-keyword",
    "format-parse-errors-more",
    "format-printf-verbs",
    "format-ps-fields",
    "format-range-if-else",
    "format-strings-functions",
    "format-table-default",
    "format-table-headers",
    "format-volume-ls-fields",
    "help-aliases",
    "help-commands",
    "help-deprecated-short",
    "help-more-commands",
    "help-run-create-exec",
    "image-aliases",
    "image-inspect-config",
    "image-inspect-errors",
    "image-inspect-json",
    "image-prune",
    "image-prune-nothing",
    "info-format-fields",
    "inspect-format-raw-fallback",
    "inspect-mounts-formats",
    "inspect-multiple-kinds",
    "inspect-volume-and-container-json",
    "logs-of-detached-container",
    "mount-spec-errors",
    "nginx-serves-bind-mounted-html",
    "nosuch-container-errors",
    "port-errors",
    "ports-publish-and-port-command",
    "postgres-data-volume",
    "postgres-named-volume-survives",
    "proc-mounts-lists-the-container-mounts",
    "ps-command-column",
    "ps-filter-combined",
    "ps-filter-name-is-a-regex",
    "ps-filters",
    "ps-last-created-order",
    "ps-not-running-hidden",
    "ps-quiet-size-notrunc",
    "ps-size-table",
    "read-only-rootfs",
    "rename-container",
    "rename-running-container",
    "rename-then-use-new-name",
    "restart-kill-wait",
    "rm-force-running",
    "rm-v-removes-anonymous-volumes-only",
    "rmi-errors",
    "rmi-force-untags-in-use",
    "rmi-in-use",
    "rmi-removes-untagged-image",
    "run-dit-keeps-the-shell-running",
    "run-entrypoint-override",
    "run-env-and-workdir",
    "run-labels",
    "run-name-conflict",
    "run-rm-removes-anonymous-volumes",
    "run-rm-removes-the-container",
    "run-user-flag",
    "sample-images-contents",
    "sample-images-history",
    "sample-images-list",
    "start-attach-output",
    "stop-already-stopped",
    "system-df",
    "system-df-empty",
    "system-df-format",
    "tag-and-rmi",
    "tag-errors-more",
    "tag-then-run",
    "tmpfs-emptied-on-stop",
    "tmpfs-flag-not-in-mounts",
    "tmpfs-mount-flag-in-mounts",
    "todo-list-over-http",
    "todo-list-volumes-from",
    "top-lists-the-container-processes",
    "unknown-and-unmodelled-commands",
    "version-and-info",
    "version-info-format",
    "volume-auto-created-by-run",
    "volume-create-ls-inspect",
    "volume-create-twice-and-options",
    "volume-dangling-filter",
    "volume-in-use-by-created-container",
    "volume-in-use-by-stopped-container",
    "volume-inspect-multiple",
    "volume-labels-and-filters",
    "volume-ls-filter-errors",
    "volume-ls-filters-combined",
    "volume-name-rules",
    "volume-nocopy",
    "volume-prepopulated-etc-gets-init-files",
    "volume-prepopulated-from-image",
    "volume-prepopulated-only-when-empty",
    "volume-prune-all-current-docker",
    "volume-prune-default-current-docker",
    "volume-rm-nosuch",
    "volume-rm-several",
    "volumes-from-read-only",
    "wait-exit-codes",
    "writable-layer-lost-on-rm",
    "writable-layer-not-shared-between-containers",
    "writable-layer-survives-stop-start",
];

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("conformance directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read_to_string(&p).expect("readable session"))
        })
        .collect();
    files.sort();
    files
}

fn is_diff(command: &str) -> bool {
    command.starts_with("docker diff") || command.starts_with("docker container diff")
}

/// The first difference between the recorded session and layerbox's replay, if any.
fn first_difference(text: &str) -> Option<String> {
    let expected = Normalizer::new().normalize_transcript(&Transcript::parse(text));
    let mut session = Session::new();
    let mut ours = Normalizer::new();
    for block in &expected.blocks {
        let result = session.run_line(&block.command);
        let mut got = ours.normalize_lines(&output_lines(&result.text()));
        let mut want = block.output.clone();
        if is_diff(&block.command) {
            got.sort();
            want.sort();
        }
        if got != want {
            let at = got
                .iter()
                .zip(&want)
                .position(|(g, w)| g != w)
                .unwrap_or(got.len().min(want.len()));
            return Some(format!(
                "$ {}\n      want: {:?}\n      got:  {:?}",
                block.command,
                want.get(at).map(String::as_str).unwrap_or("<end>"),
                got.get(at).map(String::as_str).unwrap_or("<end>")
            ));
        }
        if result.code != block.exit {
            return Some(format!(
                "$ {}\n      want: [exit {}]\n      got:  [exit {}]",
                block.command, block.exit, result.code
            ));
        }
    }
    None
}

#[test]
fn recorded_docker_sessions_replay_identically() {
    let sessions = corpus();
    let mut matching = Vec::new();
    let mut report = String::new();
    for (name, text) in &sessions {
        match first_difference(text) {
            None => matching.push(name.clone()),
            Some(diff) => report.push_str(&format!("  {name}:\n    {diff}\n")),
        }
    }
    println!(
        "conformance: {} of {} sessions match",
        matching.len(),
        sessions.len()
    );
    println!("matching: {}", matching.join(" "));
    print!("{report}");
    let regressed: Vec<&&str> = MATCHING
        .iter()
        .filter(|m| !matching.iter().any(|n| n == **m))
        .collect();
    assert!(
        regressed.is_empty(),
        "sessions listed in MATCHING no longer match: {regressed:?}"
    );
    for m in MATCHING {
        assert!(
            sessions.iter().any(|(n, _)| n == m),
            "MATCHING names a session that does not exist: {m}"
        );
    }
}
