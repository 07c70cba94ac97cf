//! A lazy tree: only expanded directories are listed, and a directory shows at most
//! [`PAGE`] entries until asked for more, so a 10,000-file image stays fast.
//!
//! ARIA: `role="tree"`, `treeitem` with `aria-level` and `aria-expanded`, `group` for children.
//! Every row is a button; Enter or Space expands and selects, Right expands, Left collapses.

use std::collections::BTreeSet;

use yew::prelude::*;

/// Entries shown per directory before "show more".
pub const PAGE: usize = 200;

/// One row of a tree, as a panel describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub path: String,
    pub name: String,
    pub expandable: bool,
    /// CSS class of the kind of storage (`kind-volume`), if any.
    pub kind_class: Option<&'static str>,
    /// The tag after the name (`layer 2`, `volume todo-list`).
    pub badge: String,
    /// More detail for the tooltip and screen readers.
    pub detail: String,
    /// A ghost: something the container cannot see.
    pub ghost: bool,
    /// Changed by the last command (flashed).
    pub changed: bool,
    /// Extra classes (`mount-point`, `added`, ...).
    pub extra: Vec<&'static str>,
    /// Text after the badge (size, symlink target).
    pub note: String,
}

impl Row {
    /// The row of a tree's root directory, `/`.
    pub fn root() -> Row {
        Row {
            path: "/".into(),
            name: "/".into(),
            expandable: true,
            kind_class: None,
            badge: String::new(),
            detail: String::new(),
            ghost: false,
            changed: false,
            extra: vec![],
            note: String::new(),
        }
    }
}

/// Which directories are open, which are shown in full, and which row is selected.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TreeState {
    pub expanded: BTreeSet<String>,
    pub full: BTreeSet<String>,
    pub selected: Option<String>,
}

/// What a row click asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum TreeMsg {
    Toggle(String),
    Expand(String),
    Collapse(String),
    Select(String),
    ShowAll(String),
}

impl TreeState {
    pub fn with_open(paths: impl IntoIterator<Item = String>) -> TreeState {
        TreeState {
            expanded: layerbox_order::set(paths),
            ..TreeState::default()
        }
    }

    pub fn update(&mut self, msg: TreeMsg) {
        match msg {
            TreeMsg::Toggle(p) => {
                if !self.expanded.remove(&p) {
                    self.expanded.insert(p);
                }
            }
            TreeMsg::Expand(p) => {
                self.expanded.insert(p);
            }
            TreeMsg::Collapse(p) => {
                self.expanded.remove(&p);
            }
            TreeMsg::Select(p) => self.selected = Some(p),
            TreeMsg::ShowAll(p) => {
                self.full.insert(p);
            }
        }
    }
}

/// Lists directory `dir`: at most `limit` rows (all with `None`) and the directory's total.
pub type Children<'a> = dyn Fn(&str, Option<usize>) -> Result<(Vec<Row>, usize), String> + 'a;

/// Adapts a listing that returns every row to [`Children`].
pub fn all_rows<'a>(
    list: impl Fn(&str) -> Result<Vec<Row>, String> + 'a,
) -> impl Fn(&str, Option<usize>) -> Result<(Vec<Row>, usize), String> + 'a {
    move |dir, limit| {
        let mut rows = list(dir)?;
        let total = rows.len();
        if let Some(n) = limit {
            rows.truncate(n);
        }
        Ok((rows, total))
    }
}

/// Draws the tree below `root` (the root row itself included).
pub fn tree(
    label: &str,
    testid: &'static str,
    root: Row,
    children: &Children<'_>,
    state: &TreeState,
    on: &Callback<TreeMsg>,
    more_text: &dyn Fn(usize) -> String,
) -> Html {
    html! {
        <ul class="tree" role="tree" aria-label={ label.to_string() } data-testid={ testid }>
            { item(root, 1, children, state, on, more_text) }
        </ul>
    }
}

fn item(
    row: Row,
    level: usize,
    children: &Children<'_>,
    state: &TreeState,
    on: &Callback<TreeMsg>,
    more_text: &dyn Fn(usize) -> String,
) -> Html {
    let open = row.expandable && state.expanded.contains(&row.path);
    let selected = state.selected.as_deref() == Some(row.path.as_str());
    let path = row.path.clone();
    let onclick = {
        let on = on.clone();
        let path = path.clone();
        let expandable = row.expandable;
        Callback::from(move |_: MouseEvent| {
            if expandable {
                on.emit(TreeMsg::Toggle(path.clone()));
            }
            on.emit(TreeMsg::Select(path.clone()));
        })
    };
    let onkeydown = {
        let on = on.clone();
        let path = path.clone();
        let expandable = row.expandable;
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowRight" if expandable => {
                e.prevent_default();
                on.emit(TreeMsg::Expand(path.clone()));
            }
            "ArrowLeft" if expandable => {
                e.prevent_default();
                on.emit(TreeMsg::Collapse(path.clone()));
            }
            _ => {}
        })
    };
    let sub = if open {
        let limit = (!state.full.contains(&row.path)).then_some(PAGE);
        match children(&row.path, limit) {
            Ok((rows, total)) => {
                let shown = rows.len();
                let show_all = {
                    let on = on.clone();
                    let path = path.clone();
                    Callback::from(move |_: MouseEvent| on.emit(TreeMsg::ShowAll(path.clone())))
                };
                html! {
                    <ul role="group">
                        { for rows.into_iter().map(|r| item(r, level + 1, children, state, on, more_text)) }
                        if shown < total {
                            <li role="none" class="more">
                                <button class="small-button" onclick={ show_all }>{ more_text(total - shown) }</button>
                            </li>
                        }
                    </ul>
                }
            }
            Err(e) => html! { <ul role="group"><li role="none" class="tree-error">{ e }</li></ul> },
        }
    } else {
        html! {}
    };
    let name = if row.expandable && row.path != "/" {
        format!("{}/", row.name)
    } else {
        row.name.clone()
    };
    let classes = classes!(
        "row",
        row.kind_class,
        row.ghost.then_some("ghost"),
        row.changed.then_some("changed"),
        selected.then_some("selected"),
        row.extra.clone()
    );
    html! {
        <li
            role="treeitem"
            aria-level={ level.to_string() }
            aria-expanded={ row.expandable.then(|| open.to_string()) }
            aria-selected={ selected.to_string() }
            data-path={ row.path.clone() }
        >
            <button class={ classes } {onclick} {onkeydown} title={ row.detail.clone() }>
                <span class="name">{ name }</span>
                if !row.badge.is_empty() {
                    <span class="badge">{ row.badge.clone() }</span>
                }
                if !row.note.is_empty() {
                    <span class="note">{ row.note.clone() }</span>
                }
            </button>
            { sub }
        </li>
    }
}

/// Size or symlink target after a file's name.
pub fn entry_note(e: &layerbox_view::Entry) -> String {
    match &e.symlink_target {
        Some(t) => format!("→ {t}"),
        None if !e.expandable => human_size(e.size),
        None => String::new(),
    }
}

/// Sizes as the docker CLI writes them (`0B`, `2.05kB`, `1.2MB`).
pub use layerbox_docker_cli::formatter::units::human_size;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_opens_and_closes_a_directory() {
        let mut s = TreeState::default();
        s.update(TreeMsg::Toggle("/etc".into()));
        assert!(s.expanded.contains("/etc"));
        s.update(TreeMsg::Toggle("/etc".into()));
        assert!(!s.expanded.contains("/etc"));
    }
}
