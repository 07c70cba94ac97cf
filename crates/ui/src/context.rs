//! The two contexts every panel reads instead of props handed down the page: the page's
//! language and the shared state (`model::Shared` behind the page's reducer). `App` and
//! `Widget` provide both around everything they draw.

use layerbox_i18n::Lang;
use yew::prelude::*;

use crate::model::{Msg, Shared};
use crate::runner::Runner;
use crate::timeline::Action;

/// The shared state with its dispatcher, as the page's `use_reducer` gives it.
pub type SharedHandle = UseReducerHandle<Shared>;

/// The page's language.
#[hook]
pub fn use_lang() -> Lang {
    // Invariant: `App` and `Widget` provide the language around every panel.
    use_context::<Lang>().expect("the page provides its language")
}

/// The shared state: the timeline, the lesson beside it, and the dispatcher of its messages.
#[hook]
pub fn use_shared() -> SharedHandle {
    // Invariant: `App` and `Widget` provide the shared state around every panel.
    use_context::<SharedHandle>().expect("the page provides the shared state")
}

/// A callback that applies an action to the timeline (a typed line, a host edit, a visit):
/// through the page's runner when it has one (`runner.rs`: its worker runs it).
pub fn action_callback(shared: &SharedHandle, runner: Option<Runner>) -> Callback<Action> {
    let dispatch = shared.dispatcher();
    Callback::from(move |action: Action| match &runner {
        Some(r) => r.submit_all(vec![action]),
        None => dispatch.dispatch(Msg::Apply(action)),
    })
}

/// The page's runner of typed lines (`runner.rs`), when the page has one.
#[hook]
pub fn use_runner() -> Option<Runner> {
    use_context::<Option<Runner>>().flatten()
}
