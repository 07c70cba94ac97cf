//! A lesson's progress as the page and its worker send it to each other (`worker.rs`): the
//! page sends where the learner is before the actions the worker runs, and the worker sends,
//! with each step, where the step took the learner and what happened on the way (the
//! `LessonEvent`s), having checked the step's goal and tried its solution on a copy of the
//! session there, not on the page; and what "show me" would play from the learner's state
//! (`ShowMe`), found there by the same tries.

use layerbox_lessons::{LessonEvent, Obstacle, Progress, ShowMe};
use serde_json::{json, Value};

fn obstacles_to_value(obstacles: &[Obstacle]) -> Value {
    obstacles
        .iter()
        .map(|o| match o {
            Obstacle::NameTaken { name } => json!(["name", name]),
            Obstacle::PortTaken { port, container } => json!(["port", port, container]),
        })
        .collect()
}

fn obstacles_from_value(value: &Value) -> Option<Vec<Obstacle>> {
    value
        .as_array()?
        .iter()
        .map(|o| {
            let text = |i: usize| o.get(i)?.as_str().map(str::to_string);
            match o.get(0)?.as_str()? {
                "name" => Some(Obstacle::NameTaken { name: text(1)? }),
                "port" => Some(Obstacle::PortTaken {
                    port: u16::try_from(o.get(1)?.as_u64()?).ok()?,
                    container: text(2)?,
                }),
                _ => None,
            }
        })
        .collect()
}

pub fn progress_to_value(p: &Progress) -> Value {
    json!({
        "step": p.step,
        "wrong": p.wrong_attempts,
        "due": p.due,
        "obstacles": obstacles_to_value(&p.obstacles),
    })
}

pub fn progress_from_value(value: &Value) -> Option<Progress> {
    let n = |v: &Value| usize::try_from(v.as_u64()?).ok();
    Some(Progress {
        step: n(value.get("step")?)?,
        wrong_attempts: u32::try_from(value.get("wrong")?.as_u64()?).ok()?,
        due: value
            .get("due")?
            .as_array()?
            .iter()
            .map(n)
            .collect::<Option<_>>()?,
        obstacles: obstacles_from_value(value.get("obstacles")?)?,
    })
}

pub fn show_me_to_value(plan: &ShowMe) -> Value {
    match plan {
        ShowMe::Solution(lines) => json!(["solution", lines]),
        ShowMe::CleanUpFirst { obstacles, lines } => {
            json!(["clean-up", lines, obstacles_to_value(obstacles)])
        }
        ShowMe::StartOver(lines) => json!(["start-over", lines]),
    }
}

pub fn show_me_from_value(value: &Value) -> Option<ShowMe> {
    let lines: Vec<String> = value
        .get(1)?
        .as_array()?
        .iter()
        .map(|l| l.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    Some(match value.get(0)?.as_str()? {
        "solution" => ShowMe::Solution(lines),
        "clean-up" => ShowMe::CleanUpFirst {
            obstacles: obstacles_from_value(value.get(2)?)?,
            lines,
        },
        "start-over" => ShowMe::StartOver(lines),
        _ => return None,
    })
}

pub fn events_to_value(events: &[LessonEvent]) -> Value {
    events
        .iter()
        .map(|e| match e {
            LessonEvent::StepCompleted { index } => json!(["done", index]),
            LessonEvent::LessonCompleted => json!(["complete"]),
            LessonEvent::HintDue { step, hint } => json!(["hint", step, hint]),
            LessonEvent::Blocked { step } => json!(["blocked", step]),
        })
        .collect()
}

pub fn events_from_value(value: &Value) -> Option<Vec<LessonEvent>> {
    value
        .as_array()?
        .iter()
        .map(|e| {
            let n = |i: usize| usize::try_from(e.get(i)?.as_u64()?).ok();
            Some(match e.get(0)?.as_str()? {
                "done" => LessonEvent::StepCompleted { index: n(1)? },
                "complete" => LessonEvent::LessonCompleted,
                "hint" => LessonEvent::HintDue {
                    step: n(1)?,
                    hint: n(2)?,
                },
                "blocked" => LessonEvent::Blocked { step: n(1)? },
                _ => return None,
            })
        })
        .collect()
}
