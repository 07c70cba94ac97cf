//! What layerbox says where it does not model Docker, and where no recording can show Docker's
//! own answer (the recorder has no registry either).

use layerbox_shell::Session;

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
