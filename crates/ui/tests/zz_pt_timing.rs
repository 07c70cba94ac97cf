use layerbox_ui::timeline::{Action, Timeline};

#[test]
fn timing() {
    for l in [
        "while :; do docker run -d alpine sh -c 'while :; do :; done'; done",
        "while :; do docker run --rm postgres true; done",
        "while :; do docker run --rm alpine sh -c 'grep -c \"\\(a*\\)*b\" /etc/passwd'; done",
    ] {
        let mut t = Timeline::new();
        let before = t.current().world().clone();
        let step = t.apply(Action::Line { line: l.into() }).clone();
        let t0 = std::time::Instant::now();
        let d = layerbox_view::diagram(step.after.world(), &step.changes, Some(&before), &[]);
        let lay = layerbox_view::layout(&d, false);
        eprintln!("{l}\n  changes {}; diagram {:?}: containers {} not_shown {} removed {} notes {} sources {} edges {}", step.changes.len(), t0.elapsed(), d.containers.len(), d.not_shown.len(), d.removed.len(), d.notes.len(), d.sources.len(), d.edges.len());
        let _ = lay;
    }
}
