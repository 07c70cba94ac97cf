//! Volumes and mounts: every volume with what made it, who uses it and its content; the chosen
//! container's mount table as `docker inspect` lists it, plus `--tmpfs` and Docker's own files.

use layerbox_view as view;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n_panels::{mount_origin, panels, volume_origin};
use crate::views::at_cursor::step_highlights;
use crate::views::tree::{entry_note, human_size, PAGE};

#[derive(Properties, PartialEq)]
pub struct VolumesProps {
    /// The container whose mounts are listed.
    pub container: Option<String>,
    /// The panel's container picker, drawn above the mount table.
    pub picker: Html,
    /// A volume to point out (the diagram's selection).
    #[prop_or_default]
    pub focus: Option<String>,
}

#[component]
pub fn VolumesView(props: &VolumesProps) -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let timeline = shared.timeline.borrow();
    let world = timeline.current().world();
    let highlights = step_highlights(&timeline);
    let container = props.container.as_deref();
    let picker = props.picker.clone();
    let p = panels(lang);
    let list = view::volumes(world);
    let volume_rows = list.iter().map(|v| {
        let shown = if v.anonymous {
            format!("{}…", &v.name[..12.min(v.name.len())])
        } else {
            v.name.clone()
        };
        let changed = highlights.volumes.contains(&v.name);
        let focused = props.focus.as_deref() == Some(v.name.as_str());
        let content = view::volume_children(world, &v.name, "/").unwrap_or_default();
        html! {
            <li class={ classes!("volume", "kind-volume", changed.then_some("changed"), focused.then_some("selected")) }
                data-volume={ v.name.clone() } aria-current={ focused.then_some("true") }>
                <div class="volume-head">
                    <span class="name" title={ v.name.clone() }>{ shown }</span>
                    if v.anonymous { <span class="badge">{ p.anonymous }</span> }
                    <span class="size">{ human_size(v.size) }</span>
                </div>
                <div class="volume-meta muted">{ volume_origin(lang, v.origin, v.origin_image.as_deref()) }</div>
                { match &v.backing {
                    view::VolumeBacking::Disk => html! {},
                    view::VolumeBacking::Memory => html! {
                        <div class="volume-meta kind-tmpfs">{ p.volume_memory }</div>
                    },
                    view::VolumeBacking::HostDir(dir) => html! {
                        <div class="volume-meta kind-bind">{ p.volume_host_dir }{ " " }<code>{ dir.clone() }</code></div>
                    },
                    view::VolumeBacking::Nfs(source) => html! {
                        <div class="volume-meta kind-netshare" title={ view::nfs_server_note(lang) }>{ p.volume_nfs }{ " " }<code>{ source.clone() }</code></div>
                    },
                    view::VolumeBacking::Other(fstype) => html! {
                        <div class="volume-meta muted">{ p.volume_other_type }{ " " }<code>{ fstype.clone() }</code></div>
                    },
                } }
                <div class="volume-users">
                    if v.users.is_empty() {
                        <span class="unused">{ p.unused }</span>
                    } else {
                        { p.used_by }{ ": " }
                        { for v.users.iter().map(|u| html! {
                            <span class="user">{ format!("{} → {}{}", u.container, u.destination, if u.rw { "" } else { " (ro)" }) }</span>
                        }) }
                    }
                </div>
                if !content.is_empty() {
                    <details class="volume-content" open={ focused }>
                        <summary>{ format!("{} ({})", p.contents, content.len()) }</summary>
                        <ul>
                            { for content.iter().take(PAGE).map(|e| html! {
                                <li><code>{ if e.expandable { format!("{}/", e.name) } else { e.name.clone() } }</code>{ " " }<span class="muted">{ entry_note(e) }</span></li>
                            }) }
                        </ul>
                    </details>
                }
            </li>
        }
    });
    let mounts = container.and_then(|c| view::mount_table(world, c).ok().map(|m| (c, m)));
    html! {
        <div class="volumes-view">
            <h3>{ p.volumes_title }</h3>
            if list.is_empty() {
                <p class="muted" data-testid="volume-list">{ p.no_volumes }</p>
            } else {
                <ul class="volumes" data-testid="volume-list">{ for volume_rows }</ul>
            }
            if let Some((name, rows)) = mounts {
                <h3>{ format!("{} {name}", p.mounts_title) }</h3>
                <div class="view-controls">{ picker }</div>
                <div class="table-wrap">
                    <table class="mounts" data-testid="mount-table">
                        <thead><tr>
                            <th scope="col">{ p.col_type }</th>
                            <th scope="col">{ p.col_source }</th>
                            <th scope="col">{ p.col_destination }</th>
                            <th scope="col">{ p.col_mode }</th>
                            <th scope="col">{ p.col_rw }</th>
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|m| html! {
                                <tr class={ classes!(m.kind.css_class(), (!m.active).then_some("inactive")) }
                                    title={ format!("{}{}", mount_origin(lang, m.origin), if m.in_inspect { String::new() } else { format!(" · {}", p.not_in_inspect) }) }>
                                    <td><span class="swatch" aria-hidden="true"></span>{ m.mount_type }</td>
                                    <td><code>{ if m.name.is_empty() { m.source.clone() } else { m.name.clone() } }</code></td>
                                    <td><code>{ m.destination.clone() }</code></td>
                                    <td>{ m.mode.clone() }</td>
                                    <td>{ m.rw.to_string() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </div>
    }
}
