//! The session at the timeline's cursor as the views read it: what the step there changed (to
//! flash) and the containers, newest first.

use layerbox_engine::container::Status;
use layerbox_view as view;
use layerbox_view::Highlights;

use crate::timeline::Timeline;

/// What the step at the timeline's cursor changed, to flash.
pub fn step_highlights(timeline: &Timeline) -> Highlights {
    timeline
        .applied()
        .last()
        .map(|s| view::highlights(&s.changes, timeline.current().world()))
        .unwrap_or_default()
}

/// Containers as `(name, id, running)`, the newest first (the daemon's creation order).
pub fn containers_newest_first(session: &layerbox_session::Session) -> Vec<(String, String, bool)> {
    session
        .world()
        .containers_newest_first()
        .into_iter()
        .map(|c| {
            (
                c.name.trim_start_matches('/').to_string(),
                c.id.clone(),
                c.state.status == Status::Running,
            )
        })
        .collect()
}
