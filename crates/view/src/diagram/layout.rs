//! Where the diagram's elements stand, in SVG user units: the sources in their regions on top,
//! the connectors below them, the containers' disks side by side, each with its writable and
//! init layers, and the image layers at the bottom, a shared layer spanning the columns of
//! every container on it. Text widths are estimated (the page draws system fonts), so boxes
//! are sized by character counts and the page clips what does not fit.

use std::collections::BTreeMap;

use super::{Diagram, Disk, ElementKind, Region};

/// Margin around the picture.
const M: i32 = 12;
/// Gap between columns and between regions.
const GAP: i32 = 24;
/// A source's box.
const SRC_H: i32 = 42;
const REGION_HEAD: i32 = 24;
/// A disk's header: name, image and state.
const DISK_HEAD: i32 = 40;
const DIR_LINE: i32 = 18;
const MOUNT_ROW: i32 = 22;
/// A mount row that also lists what it hides.
const MOUNT_ROW_HIDES: i32 = 36;
const WRITABLE_H: i32 = 36;
const INIT_H: i32 = 24;
const LAYER_H: i32 = 36;
const LABEL_LINE: i32 = 15;
/// Estimated width of a character of the diagram's small text.
const CHAR_W: i32 = 7;

/// A box.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }

    pub fn right(&self) -> i32 {
        self.x + self.w
    }

    pub fn center_x(&self) -> i32 {
        self.x + self.w / 2
    }
}

/// A region of the host the sources live in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionBox {
    pub region: Region,
    pub rect: Rect,
}

/// A connector's course and where its label goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdgePath {
    /// The mount point's id.
    pub mount: String,
    /// SVG path data from the mount point's port on the disk to the source.
    pub d: String,
    /// The label's start (left, baseline).
    pub label_x: i32,
    pub label_y: i32,
    /// The port on the disk's top edge.
    pub port_x: i32,
    pub port_y: i32,
}

/// Every element's place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub regions: Vec<RegionBox>,
    /// Element id → its box: disks, writable and init layers, image layers, sources, mount
    /// rows, removed outlines.
    pub boxes: BTreeMap<String, Rect>,
    /// Disk id → the boxes of its top-level entries, in [`Disk::dirs`] order; entries that do
    /// not fit are counted in `dirs_more`.
    pub dirs: BTreeMap<String, Vec<Rect>>,
    pub dirs_more: BTreeMap<String, usize>,
    pub edges: Vec<EdgePath>,
    /// Lines `(x, y1, y2)` from a container's init layer down to the top of its image layers,
    /// where its stack is shorter than the tallest drawn.
    pub spines: Vec<(i32, i32, i32)>,
}

impl Layout {
    /// The box of element `id` (a zero box if it has none).
    pub fn rect(&self, id: &str) -> Rect {
        self.boxes.get(id).copied().unwrap_or_default()
    }
}

/// The width a text of `chars` characters takes.
pub fn text_width(chars: usize) -> i32 {
    (chars.min(200) as i32) * CHAR_W
}

/// Lays `d` out; `compact` (the widget, narrow screens) uses narrower columns and at most
/// two lines of top-level entries per disk.
pub fn layout(d: &Diagram, compact: bool) -> Layout {
    let col_w = if compact { 210 } else { 250 };
    let region_w = if compact { 180 } else { 200 };
    let max_dir_lines = if compact { 2 } else { 4 };
    let mut out = Layout::default();

    // Sources, by region, left to right, in as many rows as keep them about as wide as the
    // disks below (at least two regions a row).
    let cols = d.containers.len().max(1) as i32;
    let cols_width = cols * (col_w + GAP) - GAP;
    let per_row = ((cols_width + GAP / 2) / (region_w + GAP / 2)).max(2) as usize;
    let mut x = M;
    let mut row_top = M;
    let mut row_bottom = M;
    let mut in_row = 0;
    let mut sources_right = M;
    for region in Region::ALL {
        let here: Vec<&super::Source> = d.sources.iter().filter(|s| s.region == region).collect();
        let gone: Vec<&super::Removed> = if region == Region::DockerArea {
            d.removed
                .iter()
                .filter(|r| r.kind == ElementKind::Volume)
                .collect()
        } else {
            Vec::new()
        };
        if here.is_empty() && gone.is_empty() {
            continue;
        }
        if in_row == per_row {
            in_row = 0;
            x = M;
            row_top = row_bottom + 10;
        }
        let mut y = row_top + REGION_HEAD;
        let ids = here
            .iter()
            .map(|s| s.id.clone())
            .chain(gone.iter().map(|r| r.id.clone()));
        for id in ids {
            out.boxes.insert(
                id,
                Rect {
                    x: x + 8,
                    y,
                    w: region_w - 16,
                    h: SRC_H,
                },
            );
            y += SRC_H + 6;
        }
        let rect = Rect {
            x,
            y: row_top,
            w: region_w,
            h: y - row_top + 2,
        };
        row_bottom = row_bottom.max(rect.bottom());
        out.regions.push(RegionBox { region, rect });
        x += region_w + GAP / 2;
        sources_right = sources_right.max(x);
        in_row += 1;
    }
    let sources_bottom = row_bottom;

    // The connectors' band: room for each disk's labels, one line a mount.
    let most_mounts = d
        .containers
        .iter()
        .map(|c| c.mounts.len())
        .max()
        .unwrap_or(0) as i32;
    let band = 36 + LABEL_LINE * most_mounts;
    let disk_top = sources_bottom + band;

    // Disks.
    let mut disk_h = 0;
    for (i, c) in d.containers.iter().enumerate() {
        let cx = M + i as i32 * (col_w + GAP);
        let (chips, more, lines) =
            dir_chips(c, cx + 8, disk_top + DISK_HEAD, col_w - 16, max_dir_lines);
        out.dirs.insert(c.id.clone(), chips);
        out.dirs_more.insert(c.id.clone(), more);
        let mut y = disk_top + DISK_HEAD + lines * DIR_LINE + 6;
        for m in &c.mounts {
            let h = if m.hidden_total > 0 {
                MOUNT_ROW_HIDES
            } else {
                MOUNT_ROW
            };
            out.boxes.insert(
                m.id.clone(),
                Rect {
                    x: cx + 6,
                    y,
                    w: col_w - 12,
                    h: h - 3,
                },
            );
            y += h;
        }
        disk_h = disk_h.max(y + 6 - disk_top);
    }
    let stack_top = disk_top + disk_h + 8;
    let init_top = stack_top + WRITABLE_H + 6;
    let layers_top = init_top + INIT_H + 14;
    let depth = d.layers.iter().map(|l| l.index + 1).max().unwrap_or(0) as i32;
    for (i, c) in d.containers.iter().enumerate() {
        let cx = M + i as i32 * (col_w + GAP);
        out.boxes.insert(
            c.id.clone(),
            Rect {
                x: cx,
                y: disk_top,
                w: col_w,
                h: disk_h,
            },
        );
        out.boxes.insert(
            c.writable.id.clone(),
            Rect {
                x: cx,
                y: stack_top,
                w: col_w,
                h: WRITABLE_H,
            },
        );
        out.boxes.insert(
            c.init.id.clone(),
            Rect {
                x: cx + 10,
                y: init_top,
                w: col_w - 20,
                h: INIT_H,
            },
        );
        let own = c.layers.len() as i32;
        let top_of_stack = layers_top + (depth - own) * (LAYER_H + 4);
        if own < depth && own > 0 {
            out.spines
                .push((cx + col_w / 2, init_top + INIT_H, top_of_stack));
        }
        // Connectors from this disk's ports up to the sources.
        let n = c.mounts.len() as i32;
        for (k, m) in c.mounts.iter().enumerate() {
            let k = k as i32;
            let port_x = cx + (k + 1) * col_w / (n + 1);
            let port_y = disk_top;
            let target = out.rect(&m.source);
            let users = d
                .edges
                .iter()
                .filter(|e| e.source == m.source)
                .map(|e| e.mount.as_str())
                .collect::<Vec<_>>();
            let j = users.iter().position(|u| *u == m.id).unwrap_or(0) as i32;
            let tx = target.x + (j + 1) * target.w / (users.len() as i32 + 1);
            let ty = target.bottom();
            let mid = (port_y - ty) / 2;
            out.edges.push(EdgePath {
                mount: m.id.clone(),
                d: format!(
                    "M{port_x} {port_y} C{port_x} {} {tx} {} {tx} {ty}",
                    port_y - mid,
                    ty + mid
                ),
                label_x: cx + 2,
                label_y: disk_top - 8 - (n - 1 - k) * LABEL_LINE,
                port_x,
                port_y,
            });
        }
    }
    // Image layers, a shared one spanning its users' columns.
    for l in &d.layers {
        let cols: Vec<i32> = d
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.layers.contains(&l.id))
            .map(|(i, _)| i as i32)
            .collect();
        let (Some(first), Some(last)) = (cols.iter().min(), cols.iter().max()) else {
            continue;
        };
        let x = M + first * (col_w + GAP);
        let w = (last - first) * (col_w + GAP) + col_w;
        let y = layers_top + (depth - 1 - l.index as i32) * (LAYER_H + 4);
        out.boxes.insert(
            l.id.clone(),
            Rect {
                x,
                y,
                w,
                h: LAYER_H,
            },
        );
    }
    // Writable layers the step removed, as outlines beside the disks.
    let mut gx = M + d.containers.len() as i32 * (col_w + GAP);
    for r in d
        .removed
        .iter()
        .filter(|r| r.kind == ElementKind::WritableLayer)
    {
        out.boxes.insert(
            r.id.clone(),
            Rect {
                x: gx,
                y: stack_top,
                w: col_w,
                h: WRITABLE_H,
            },
        );
        gx += col_w + GAP;
    }
    let layers_bottom = layers_top + depth * (LAYER_H + 4);
    out.width = sources_right.max(gx).max(M + col_w) + M - GAP / 2;
    out.height = layers_bottom.max(init_top + INIT_H) + M;
    out
}

/// The boxes of a disk's top-level entries, wrapped into `width` from `(x, y)`, at most
/// `max_lines` lines: the boxes, how many did not fit, and the lines used.
fn dir_chips(c: &Disk, x: i32, y: i32, width: i32, max_lines: i32) -> (Vec<Rect>, usize, i32) {
    let mut out = Vec::new();
    let (mut cx, mut line) = (x, 0);
    let more_w = text_width(4) + 8;
    for (i, e) in c.dirs.iter().enumerate() {
        let w = text_width(e.name.chars().count() + usize::from(e.is_dir)) + 8;
        let last_line = line == max_lines - 1;
        let room = if last_line && i + 1 < c.dirs.len() {
            width - more_w
        } else {
            width
        };
        if cx + w > x + room && cx > x {
            if last_line {
                return (out, c.dirs.len() - i, line + 1);
            }
            line += 1;
            cx = x;
        }
        out.push(Rect {
            x: cx,
            y: y + line * DIR_LINE,
            w: w.min(width),
            h: DIR_LINE - 3,
        });
        cx += w + 3;
    }
    let lines = if c.dirs.is_empty() { 0 } else { line + 1 };
    (out, 0, lines)
}
