//! What layerbox says where it does not model Docker, and where no recording can show Docker's
//! own answer (the recorder has no registry either).

use layerbox_session::Session;

#[test]
fn docker_pull_of_a_sample_image_says_it_is_not_modelled_and_the_image_is_here() {
    let mut s = Session::new();
    let r = s.run_line("docker pull alpine");
    assert_eq!(
        r.text(),
        "layerbox: docker pull is not modelled: the sample images are already here\n"
    );
    assert_ne!(r.code, 0);
    // The image is still there to run.
    assert_eq!(s.run_line("docker run --rm alpine true").code, 0);
}

#[test]
fn an_unmodelled_flag_is_named_as_not_modelled_in_its_short_form_too() {
    let mut s = Session::new();
    s.run_line("docker run --name c1 alpine echo hi");
    for (line, flag) in [
        ("docker logs --details c1", "docker logs --details"),
        ("docker update -m 5m c1", "docker update -m, --memory"),
        ("docker ps -l", "docker ps -l, --latest"),
        ("docker ps -n 2", "docker ps -n, --last"),
        (
            "docker commit -c 'ONBUILD RUN true' c1 snap",
            "docker commit --change ONBUILD",
        ),
        (
            "docker images -f dangling=true",
            "docker images -f, --filter",
        ),
        ("docker rm -l c1", "docker rm -l, --link"),
    ] {
        let r = s.run_line(line);
        assert_eq!(
            r.text(),
            format!("layerbox: {flag} is not modelled\n"),
            "{line}"
        );
        assert_ne!(r.code, 0, "{line}");
    }
    // A shorthand Docker does not have is still unknown, in Docker's words.
    assert!(s
        .run_line("docker logs -z c1")
        .text()
        .starts_with("unknown shorthand flag: 'z' in -z"));
}

/// `--pull always`, and `--pull missing` of an image that is not here, need a registry. The
/// Engine on the recording machine, which has none either, answered `docker: Error response
/// from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io
/// on 10.255.255.53:53: no such host` (exit 125); layerbox says there is none.
#[test]
fn docker_run_pull_from_a_registry_says_there_is_none() {
    let mut s = Session::new();
    let samples = "the sample images are alpine:latest, busybox:latest, nginx:latest, postgres:latest, diamol/ch06-todo-list:latest, diamol/ch06-bind-mount:latest\n";
    for (line, said) in [
        (
            "docker run --pull always --rm alpine true",
            "layerbox: docker run --pull always is not modelled: there is no registry; ",
        ),
        (
            "docker create --pull=always alpine",
            "layerbox: docker create --pull always is not modelled: there is no registry; ",
        ),
        (
            "docker run --rm nosuch",
            "Unable to find image 'nosuch:latest' locally\nlayerbox: pulling nosuch:latest is not modelled: there is no registry; ",
        ),
    ] {
        let r = s.run_line(line);
        assert_eq!(r.text(), format!("{said}{samples}"), "{line}");
        assert_eq!(r.code, 1, "{line}");
    }
    assert_eq!(s.run_line("docker ps -aq").text(), "");
}

#[test]
fn bash_time_parses_as_its_keyword_and_says_it_is_not_modelled() {
    let mut s = Session::new();
    for line in [
        "time true",
        "time (true)",
        "time { true; }",
        "time -p ls | wc -l",
        "time",
    ] {
        let r = s.run_line(line);
        assert_eq!(
            r.text(),
            "layerbox: bash's time is not modelled\n",
            "{line}"
        );
        assert_eq!(r.code, 69, "{line}");
    }
    // Only in the pipeline's first place: an argument is a word.
    assert_eq!(s.run_line("echo time -p").text(), "time -p\n");
    // In a container, BusyBox's `time` is a program, not modelled either.
    let r = s.run_line("docker run --rm alpine sh -c 'time true'");
    assert_eq!(
        r.text(),
        "layerbox: time is not modelled (BusyBox applet)\n"
    );
}
