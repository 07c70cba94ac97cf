//! Union benchmark: an image of 10 layers x 1,000 files; lookups, merged readdir, copy-up of a
//! 1 MiB file, a 1,000-change diff, snapshot and restore. Prints a table.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use layerbox_fstree::{Cred, FileSystem, Layer, Limits, Meta, Store, Tree, Union};

const LAYERS: usize = 10;
const FILES: usize = 1_000;

/// Run `f` repeatedly for about 200 ms; the mean time per call.
fn measure(mut f: impl FnMut()) -> (Duration, u32) {
    let start = Instant::now();
    let mut n = 0;
    while n < 3 || start.elapsed() < Duration::from_millis(200) {
        f();
        n += 1;
    }
    (start.elapsed() / n, n)
}

/// Layer `l` holds `/shared/l{l}_{i}` and `/d{i % 10}/l{l}_{i}` files; every layer also
/// writes `/big` (1 MiB) in layer 0.
fn image() -> Vec<Arc<Layer>> {
    let r = Cred::root();
    (0..LAYERS)
        .map(|l| {
            let limits = Limits {
                max_total_bytes: 1 << 30,
                ..Limits::default()
            };
            let mut t = Tree::with_root(Meta::default(), limits);
            t.mkdir(&r, "/shared", 0o755, 1).unwrap();
            for d in 0..10 {
                t.mkdir(&r, &format!("/d{d}"), 0o755, 1).unwrap();
            }
            for i in 0..FILES / 2 {
                t.write_file(&r, &format!("/shared/l{l}_{i}"), b"data", 0o644, 1)
                    .unwrap();
                t.write_file(&r, &format!("/d{}/l{l}_{i}", i % 10), b"data", 0o644, 1)
                    .unwrap();
            }
            if l == 0 {
                t.write_file(&r, "/big", &vec![7u8; 1 << 20], 0o644, 1)
                    .unwrap();
            }
            Arc::new(Layer::from_tree(t))
        })
        .collect()
}

fn main() {
    let r = Cred::root();
    let t0 = Instant::now();
    let lowers = image();
    let build = t0.elapsed();
    let base = Union::new(lowers);
    let mut rows: Vec<(&str, (Duration, u32))> =
        vec![("build image (10 x 1,000 files)", (build, 1))];

    rows.push((
        "stat, bottom-layer file, deep lookup",
        measure(|| {
            black_box(base.stat(&r, "/d3/l0_13").unwrap());
        }),
    ));
    rows.push((
        "stat, missing path",
        measure(|| {
            black_box(base.stat(&r, "/shared/nope").unwrap_err());
        }),
    ));
    rows.push((
        "read_dir /shared (5,000 merged names)",
        measure(|| {
            black_box(base.read_dir(&r, "/shared").unwrap());
        }),
    ));
    rows.push((
        "copy-up of a 1 MiB file (chmod)",
        measure(|| {
            let mut u = base.clone();
            u.chmod(&r, "/big", 0o600).unwrap();
            black_box(u);
        }),
    ));
    let mut changed = base.clone();
    for i in 0..FILES {
        changed
            .write_file(&r, &format!("/d{}/new{i}", i % 10), b"n", 0o644, 2)
            .unwrap();
    }
    changed.take_events();
    rows.push((
        "diff with 1,000 changes",
        measure(|| {
            black_box(changed.changes(&[]));
        }),
    ));
    rows.push((
        "commit of 1,000 changes + to_oci",
        measure(|| {
            black_box(changed.commit(&[]).to_oci());
        }),
    ));
    rows.push((
        "snapshot (clone) of the 1,000-change union",
        measure(|| {
            black_box(changed.clone());
        }),
    ));
    let snapshot = changed.clone();
    rows.push((
        "restore: clone snapshot, 1 write, drop",
        measure(|| {
            let mut u = snapshot.clone();
            u.write_file(&r, "/d1/new1", b"again", 0o644, 3).unwrap();
            black_box(Store::node(&u, "/d1/new1"));
        }),
    ));

    println!("{:<46} {:>14} {:>8}", "operation", "mean", "runs");
    println!("{}", "-".repeat(70));
    for (name, (d, n)) in rows {
        println!("{name:<46} {:>14} {n:>8}", format!("{d:.2?}"));
    }
}
