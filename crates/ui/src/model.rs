//! The page's state: the timeline behind a shared cell, and the messages that change it.
//!
//! Yew components get a [`Shared`] handle whose equality is its revision, so a command costs one
//! re-render of what depends on it and no copying of sessions.

use std::cell::RefCell;
use std::rc::Rc;

use layerbox_shell::Session;
use yew::Reducible;

use crate::timeline::{Action, SessionFile, Timeline};

/// The timeline, shared by every component; `rev` changes whenever it does.
#[derive(Clone)]
pub struct Shared {
    pub timeline: Rc<RefCell<Timeline>>,
    pub rev: u64,
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        self.rev == other.rev && Rc::ptr_eq(&self.timeline, &other.timeline)
    }
}

/// What can happen to the timeline.
pub enum Msg {
    Apply(Action),
    Undo,
    Redo,
    /// Show the state after step N (`None`: the start).
    Seek(Option<usize>),
    /// Start over from `start`.
    Reset(Box<Session>),
    /// Replace the timeline (import, share link, restore).
    Replace(Box<Timeline>),
}

impl Reducible for Shared {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        {
            let mut t = self.timeline.borrow_mut();
            match msg {
                Msg::Apply(action) => {
                    t.apply(action);
                }
                Msg::Undo => t.undo(),
                Msg::Redo => t.redo(),
                Msg::Seek(at) => t.seek(at),
                Msg::Reset(start) => *t = Timeline::from_session(*start),
                Msg::Replace(timeline) => *t = *timeline,
            }
        }
        Rc::new(Shared {
            timeline: self.timeline.clone(),
            rev: self.rev + 1,
        })
    }
}

impl Shared {
    pub fn new(timeline: Timeline) -> Shared {
        Shared {
            timeline: Rc::new(RefCell::new(timeline)),
            rev: 0,
        }
    }

    pub fn file(&self) -> SessionFile {
        self.timeline.borrow().file()
    }
}
