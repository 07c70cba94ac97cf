//! Property tests over the docker CLI's flag parser and the mount-spec parsers (`-v`,
//! `--mount`, `--tmpfs`): no input panics, and every refusal is worded as Docker's CLI or
//! daemon words it (or as layerbox's "not modelled").
#![cfg(not(target_arch = "wasm32"))]
// Failures are shrunk and printed; the regression cases worth keeping become unit tests.

use layerbox_engine::world::World;
use proptest::prelude::*;

/// The first line of every error layerbox's docker CLI may print.
fn is_docker_message(line: &str) -> bool {
    [
        "docker: ",
        "Error response from daemon: ",
        "Error: ",
        "invalid argument ",
        "unknown flag: ",
        "unknown shorthand flag: ",
        "flag needs an argument: ",
        "layerbox: ",
        "invalid reference format",
        "Unable to find image",
        "template parsing error: ",
        "Flag shorthand -h has been deprecated",
        "Error parsing reference: ",
        "DEPRECATED: ",
        // docker volume create --name NAME NAME (cli/command/volume/create.go).
        "conflicting options: ",
        // docker build's checks of its context (cli/command/image/build.go).
        "unable to prepare context: ",
        // docker cp's own (cli/command/container/cp.go).
        "must specify at least one container source",
        "copying between containers is not supported",
        "open ",
        "lstat ",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

fn run(args: Vec<String>) -> (i32, String) {
    thread_local! {
        // Building the sample images is the slow part: build once, clone per case.
        static FRESH: World = World::new().expect("sample images build");
    }
    FRESH.with(|world| crate::run_docker(world, &args))
}

/// Pieces mount specs are made of, so random specs reach deep into the parsers.
fn spec_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("type=bind".to_string()),
        Just("type=volume".to_string()),
        Just("type=tmpfs".to_string()),
        Just("type=npipe".to_string()),
        Just("src=/tmp".to_string()),
        Just("source=v1".to_string()),
        Just("dst=/data".to_string()),
        Just("target=/x".to_string()),
        Just("readonly".to_string()),
        Just("ro=false".to_string()),
        Just("volume-nocopy".to_string()),
        Just("volume-opt=type=tmpfs".to_string()),
        Just("bind-propagation=rshared".to_string()),
        Just("tmpfs-size=1m".to_string()),
        Just("tmpfs-mode=1777".to_string()),
        Just("\"a,b\"".to_string()),
        "[a-z=:/,.-]{0,12}",
        "\\PC{0,8}",
    ]
}

fn spec() -> impl Strategy<Value = String> {
    prop::collection::vec(spec_piece(), 0..5).prop_map(|p| p.join(","))
}

fn volume_spec() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("v1".to_string()),
            Just("/data".to_string()),
            Just("ro".to_string()),
            Just("rw,z".to_string()),
            Just("".to_string()),
            Just("./x".to_string()),
            "[a-zA-Z0-9_./:,-]{0,10}",
            "\\PC{0,6}",
        ],
        0..4,
    )
    .prop_map(|p| p.join(":"))
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-d".to_string()),
        Just("--rm".to_string()),
        Just("-v".to_string()),
        Just("--mount".to_string()),
        Just("--tmpfs".to_string()),
        Just("--name".to_string()),
        Just("-it".to_string()),
        Just("--format".to_string()),
        Just("-f".to_string()),
        Just("--filter".to_string()),
        Just("-h".to_string()),
        Just("--".to_string()),
        Just("alpine".to_string()),
        Just("true".to_string()),
        "-{1,2}[a-z-]{0,8}(=[a-z0-9{}.]{0,6})?",
        "\\PC{0,10}",
    ]
}

fn command() -> impl Strategy<Value = Vec<String>> {
    let names: Vec<Vec<String>> = layerbox_docker_cli::catalog()
        .map(|(name, _)| name.split(' ').map(str::to_string).collect())
        .collect();
    (
        prop::sample::select(names),
        prop::collection::vec(word(), 0..8),
    )
        .prop_map(|(mut n, w)| {
            n.extend(w);
            n
        })
}

fn check(code: i32, stderr: &str) -> Result<(), TestCaseError> {
    if code != 0 {
        if let Some(first) = stderr.lines().next() {
            prop_assert!(is_docker_message(first), "not a docker message: {stderr:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_command_line_ends_in_a_docker_message(args in command()) {
        let (code, stderr) = run(args);
        check(code, &stderr)?;
    }

    #[test]
    fn mount_specs_end_in_a_docker_message(s in spec(), v in volume_spec(), t in volume_spec()) {
        for flag in [["--mount", s.as_str()], ["-v", v.as_str()], ["--tmpfs", t.as_str()]] {
            let args: Vec<String> = ["create"]
                .iter()
                .copied()
                .chain(flag)
                .chain(["alpine"])
                .map(str::to_string)
                .collect();
            let (code, stderr) = run(args);
            check(code, &stderr)?;
        }
    }

    #[test]
    fn format_templates_never_panic(t in "(\\{\\{|\\}\\}|[ .$a-zA-Z|()\"=:,-]|range|if|end|else|with|json|printf){0,16}") {
        let (code, stderr) = run(vec!["volume".into(), "ls".into(), "--format".into(), t]);
        check(code, &stderr)?;
    }
}
