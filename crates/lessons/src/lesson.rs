//! A lesson as data: its texts in both languages, the commands that set up its start state and
//! its steps, each with a goal over the engine's state, hints and a reference solution.

use layerbox_i18n::{Lang, Text};
use serde::{Deserialize, Serialize};

use crate::goal::Goal;
use crate::markdown::{self, Block};

/// One lesson, as a `lessons/*.toml` file holds it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Stable id, used in URLs and progress (`writable-layer`).
    pub id: String,
    pub title: Text,
    /// One or two sentences (markdown) for a lesson list.
    pub summary: Text,
    /// Commands run in a fresh session before step 1 (may be empty).
    #[serde(default)]
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
    /// The view shown beside the lesson first (`diagram`, `storage-map`, ...: the widget's
    /// `view=` names); `None`: the page's own choice.
    #[serde(default)]
    pub view: Option<String>,
}

/// One step: what to do, how the engine's state shows it was done, help, and why it matters.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do (markdown).
    pub instruction: Text,
    /// The state that completes the step; never about the command typed.
    pub goal: Goal,
    /// In order of how much they give away; hints with `when` show by themselves.
    pub hints: Vec<Hint>,
    /// A reference solution, one host shell line each ("show me").
    pub solution: Vec<String>,
    /// What the learner just saw, shown when the step completes (markdown).
    pub explanation: Text,
}

/// A hint for a step: given on request or after wrong attempts, or, with `when`, as soon as
/// the state it describes holds (a typical mistake).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub ko: String,
    pub en: String,
    #[serde(default)]
    pub when: Option<Goal>,
}

impl Hint {
    /// The hint's text (markdown) in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    /// The hint parsed for rendering.
    pub fn blocks(&self, lang: Lang) -> Vec<Block> {
        markdown::parse(self.text(lang))
    }
}

impl Step {
    /// The instruction parsed for rendering.
    pub fn instruction_blocks(&self, lang: Lang) -> Vec<Block> {
        markdown::parse(self.instruction.get(lang))
    }

    /// The explanation parsed for rendering.
    pub fn explanation_blocks(&self, lang: Lang) -> Vec<Block> {
        markdown::parse(self.explanation.get(lang))
    }
}

impl Lesson {
    /// Parses one lesson file (natively; the web bundle has the course built in, see
    /// [`crate::course`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_toml(text: &str) -> Result<Lesson, toml::de::Error> {
        toml::from_str(text)
    }

    /// The summary parsed for rendering.
    pub fn summary_blocks(&self, lang: Lang) -> Vec<Block> {
        markdown::parse(self.summary.get(lang))
    }
}
