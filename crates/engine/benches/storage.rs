//! Storage benchmarks: container creation, union lookups, readdir, copy-up, `docker diff`,
//! snapshots and per-container memory, side by side with vfs's `OverlayFS` over `MemoryFS`
//! layers. A hand-written harness (median of N runs, `std::time::Instant`) keeps the build
//! small; run with `cargo bench -p layerbox-engine --bench storage`.

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::io::Write;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use layerbox_engine::clock::IdGenerator;
    use layerbox_engine::image::{HistoryEntry, Image, ImageConfig};
    use layerbox_engine::vfs_adapter::VfsUnion;
    use layerbox_engine::world::{CreateRequest, World};
    use layerbox_fstree::{Cred, FileSystem, Layer, Tree, Union};
    use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};
    use vfs::impls::memory::MemoryFS;
    use vfs::impls::overlay::OverlayFS;
    use vfs::VfsPath;

    /// Counts live heap bytes for the memory row (the crate's `unsafe` stays in `stats_alloc`).
    #[global_allocator]
    static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

    const LAYERS: usize = 10;
    const FILES_PER_LAYER: usize = 1_000;
    /// Files of each layer in `/shared`, the directory every layer has.
    const SHARED_PER_LAYER: usize = 100;
    const BIG: usize = 1 << 20;
    const FLAT_FILES: usize = 10_000;
    const STACKED: &str = "bench/stacked:10x1000";
    const FLAT: &str = "bench/flat:10000";
    /// A file of the bottom layer, under nine layers that do not have it.
    const BOTTOM_FILE: &str = "/layer0/dir4/file550";

    fn root() -> Cred {
        Cred::root()
    }

    /// The paths and contents of layer `i` of the stacked image: 100 files in `/shared`, 900
    /// in `/layer{i}/dir{0..9}`, and in the bottom layer a 1 MiB `/big.bin`.
    fn stacked_files(i: usize) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = (0..FILES_PER_LAYER)
            .map(|j| {
                let path = if j < SHARED_PER_LAYER {
                    format!("/shared/l{i}-f{j:03}")
                } else {
                    format!("/layer{i}/dir{}/file{j:03}", j / 100 - 1)
                };
                let text = format!("layer {i} file {j}\n").into_bytes();
                (path, text)
            })
            .collect();
        if i == 0 {
            out.push(("/big.bin".to_string(), vec![b'x'; BIG]));
        }
        out
    }

    fn parent(path: &str) -> &str {
        path.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
    }

    fn tree_of(files: &[(String, Vec<u8>)], now: u64) -> Tree {
        let mut t = Tree::new();
        for (path, data) in files {
            let dir = parent(path);
            if !dir.is_empty() {
                t.mkdir_all(&root(), dir, 0o755, now).expect("mkdir -p");
            }
            t.write_file(&root(), path, data, 0o644, now)
                .expect("write");
        }
        t
    }

    fn memory_fs_of(files: &[(String, Vec<u8>)]) -> VfsPath {
        let fs: VfsPath = MemoryFS::new().into();
        for (path, data) in files {
            fs.join(parent(path).trim_start_matches('/'))
                .and_then(|d| d.create_dir_all())
                .expect("mkdir -p");
            fs.join(&path[1..])
                .and_then(|p| p.create_file())
                .and_then(|mut f| Ok(f.write_all(data)?))
                .expect("write");
        }
        fs
    }

    fn image_of(name: &str, layers: Vec<Arc<Layer>>, now: u64) -> Image {
        Image {
            id: IdGenerator::digest_of(name.as_bytes()),
            repo_tags: vec![name.to_string()],
            parent: None,
            history: layers
                .iter()
                .enumerate()
                .map(|(i, _)| HistoryEntry {
                    created: now,
                    created_by: format!("COPY layer{i} /"),
                    empty_layer: false,
                    comment: String::new(),
                })
                .collect(),
            layers,
            config: ImageConfig {
                cmd: Some(vec!["sh".into()]),
                ..ImageConfig::default()
            },
            created: now,
            last_tag_time: Some(now),
            committed: None,
        }
    }

    fn run_container(w: &mut World, image: &str) -> String {
        let id = w
            .create_container(&CreateRequest {
                image: image.into(),
                ..Default::default()
            })
            .expect("create");
        w.start_container(&id).expect("start");
        id
    }

    /// Median time of one `op`, over `runs` samples of `batch` calls each.
    fn median(runs: usize, batch: u32, mut op: impl FnMut()) -> Duration {
        let mut samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..batch {
                    op();
                }
                t.elapsed() / batch
            })
            .collect();
        samples.sort();
        samples[runs / 2]
    }

    /// Median time of `op` on a fresh state from `setup` (untimed); the state is dropped
    /// outside the timer.
    fn median_fresh<S>(
        runs: usize,
        mut setup: impl FnMut() -> S,
        mut op: impl FnMut(&mut S),
    ) -> Duration {
        let mut samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let mut state = setup();
                let t = Instant::now();
                op(&mut state);
                let d = t.elapsed();
                drop(state);
                d
            })
            .collect();
        samples.sort();
        samples[runs / 2]
    }

    fn live_bytes() -> isize {
        let s = GLOBAL.stats();
        s.bytes_allocated as isize - s.bytes_deallocated as isize + s.bytes_reallocated
    }

    fn show(d: Duration) -> String {
        let ns = d.as_nanos() as f64;
        if ns < 1_000.0 {
            format!("{ns:.0} ns")
        } else if ns < 1_000_000.0 {
            format!("{:.1} µs", ns / 1_000.0)
        } else {
            format!("{:.2} ms", ns / 1_000_000.0)
        }
    }

    struct Table(Vec<[String; 5]>);

    impl Table {
        fn row(
            &mut self,
            what: &str,
            layerbox: Duration,
            adapter: Option<Duration>,
            overlay: Option<Duration>,
        ) {
            let ratio = overlay
                .map(|o| format!("{:.1}×", o.as_secs_f64() / layerbox.as_secs_f64()))
                .unwrap_or_default();
            self.0.push([
                what.to_string(),
                show(layerbox),
                adapter.map(show).unwrap_or_default(),
                overlay.map(show).unwrap_or_default(),
                ratio,
            ]);
        }

        fn print(&self) {
            let head = [
                "operation",
                "layerbox (fstree)",
                "layerbox via vfs adapter",
                "vfs OverlayFS+MemoryFS",
                "OverlayFS / layerbox",
            ];
            println!("| {} |", head.join(" | "));
            println!("|{}", " --- |".repeat(head.len()));
            for r in &self.0 {
                println!("| {} |", r.join(" | "));
            }
        }
    }

    fn spin_op() -> Option<String> {
        let args: Vec<String> = std::env::args().collect();
        let i = args.iter().position(|a| a == "--spin")?;
        args.get(i + 1).cloned()
    }

    fn file_meta(ovl: &VfsPath) -> vfs::VfsResult<vfs::VfsMetadata> {
        ovl.join(&BOTTOM_FILE[1..])?.metadata()
    }

    pub fn main() {
        let quick = std::env::args().any(|a| a == "--quick");
        let runs = if quick { 5 } else { 31 };
        let mut base = World::new().expect("a fresh world");
        let now = base.now();

        let t = Instant::now();
        let stacked: Vec<Vec<(String, Vec<u8>)>> = (0..LAYERS).map(stacked_files).collect();
        let layers: Vec<Arc<Layer>> = stacked
            .iter()
            .map(|f| Arc::new(Layer::from_tree(tree_of(f, now))))
            .collect();
        let flat_files: Vec<(String, Vec<u8>)> = (0..FLAT_FILES)
            .map(|j| {
                (
                    format!("/files/d{:03}/f{j:05}", j / 100),
                    format!("file {j}\n").into_bytes(),
                )
            })
            .collect();
        let before_flat = live_bytes();
        let flat_layer = Arc::new(Layer::from_tree(tree_of(&flat_files, now)));
        let flat_image_bytes = live_bytes() - before_flat;
        base.load_image(image_of(STACKED, layers.clone(), now));
        base.load_image(image_of(FLAT, vec![flat_layer], now));
        let build_layerbox = t.elapsed();

        let t = Instant::now();
        let mem_layers: Vec<VfsPath> = stacked.iter().map(|f| memory_fs_of(f)).collect();
        let build_vfs = t.elapsed();
        // OverlayFS wants its writable layer first, then the read-only ones top to bottom.
        let overlay = |upper: VfsPath| -> VfsPath {
            let mut all = vec![upper];
            all.extend(mem_layers.iter().rev().cloned());
            OverlayFS::new(&all).into()
        };

        println!(
            "image: {LAYERS} layers × {FILES_PER_LAYER} files (+ a 1 MiB file in the bottom layer); \
             built in {} with fstree, {} as MemoryFS layers",
            show(build_layerbox),
            show(build_vfs)
        );
        println!(
            "flat image: {FLAT_FILES} files in one layer, {:.1} MiB of heap",
            flat_image_bytes as f64 / (1 << 20) as f64
        );
        println!("median of {runs} runs\n");

        let mut table = Table(Vec::new());

        // Container creation, on a world that already ran one container of each image (the
        // image's init layer is cached), and the first container of an image.
        let mut warm = base.clone();
        for image in ["alpine", STACKED, FLAT] {
            run_container(&mut warm, image);
        }
        for image in ["alpine", STACKED, FLAT] {
            let d = median_fresh(
                runs,
                || warm.clone(),
                |w| {
                    black_box(run_container(w, image));
                },
            );
            table.row(
                &format!("create + start container ({image})"),
                d,
                None,
                None,
            );
        }
        for image in ["alpine", STACKED, FLAT] {
            let d = median_fresh(
                runs,
                || base.clone(),
                |w| {
                    black_box(run_container(w, image));
                },
            );
            table.row(
                &format!("first container of an image, init layer built ({image})"),
                d,
                None,
                None,
            );
        }

        // The stacked image as a plain union, through the vfs adapter, and as an overlay.
        let mut union = Union::new(layers.clone());
        union.set_read_only(false);
        let adapter = VfsUnion::new(union.clone(), now);
        let ovl = overlay(MemoryFS::new().into());

        // `--spin OP`: repeat one operation for three seconds, for `perf record`.
        if let Some(op) = spin_op() {
            let until = Instant::now() + Duration::from_secs(3);
            while Instant::now() < until {
                match op.as_str() {
                    "stat" => drop(black_box(union.stat(&root(), BOTTOM_FILE))),
                    "readdir" => drop(black_box(union.read_dir(&root(), "/shared"))),
                    "create" => {
                        let mut u = union.clone();
                        black_box(u.write_file(&root(), "/shared/new.txt", b"hi\n", 0o644, now))
                            .expect("write");
                    }
                    "copy-up" => {
                        let mut u = union.clone();
                        black_box(u.append_file(&root(), "/big.bin", b"!", 0o644, now))
                            .expect("append");
                    }
                    "overlay-stat" => drop(black_box(file_meta(&ovl))),
                    _ => panic!("--spin stat|readdir|create|copy-up|overlay-stat"),
                }
            }
            return;
        }

        let stat_lb = median(runs, 1_000, || {
            black_box(union.stat(&root(), BOTTOM_FILE).expect("stat"));
        });
        let stat_ad = median(runs, 1_000, || {
            black_box(vfs::FileSystem::metadata(&adapter, BOTTOM_FILE).expect("stat"));
        });
        let file = ovl.join(&BOTTOM_FILE[1..]).expect("join");
        let stat_ov = median(runs, 100, || {
            black_box(file.metadata().expect("stat"));
        });
        table.row(
            &format!("stat of a bottom-layer file ({BOTTOM_FILE})"),
            stat_lb,
            Some(stat_ad),
            Some(stat_ov),
        );

        let merged = LAYERS * SHARED_PER_LAYER;
        let rd_lb = median(runs, 10, || {
            let e = union.read_dir(&root(), "/shared").expect("readdir");
            assert_eq!(e.len(), merged);
            black_box(e);
        });
        let rd_ad = median(runs, 10, || {
            let n = vfs::FileSystem::read_dir(&adapter, "/shared")
                .expect("readdir")
                .count();
            assert_eq!(n, merged);
        });
        let shared = ovl.join("shared").expect("join");
        let rd_ov = median(runs, 1, || {
            let n = shared.read_dir().expect("readdir").count();
            assert_eq!(n, merged);
        });
        table.row(
            &format!("merged readdir of /shared ({merged} entries from {LAYERS} layers)"),
            rd_lb,
            Some(rd_ad),
            Some(rd_ov),
        );

        let read_lb = median(runs, 1_000, || {
            black_box(union.read_file(&root(), BOTTOM_FILE).expect("read"));
        });
        let read_ad = median(runs, 1_000, || {
            let mut r = vfs::FileSystem::open_file(&adapter, BOTTOM_FILE).expect("open");
            let mut s = Vec::new();
            std::io::Read::read_to_end(&mut r, &mut s).expect("read");
            black_box(s);
        });
        let read_ov = median(runs, 100, || {
            black_box(file.read_to_string().expect("read"));
        });
        table.row(
            "read a bottom-layer file",
            read_lb,
            Some(read_ad),
            Some(read_ov),
        );

        let small_lb = median_fresh(
            runs,
            || union.clone(),
            |u| {
                u.write_file(&root(), "/shared/new.txt", b"hello\n", 0o644, now)
                    .expect("write");
            },
        );
        let small_ad = median_fresh(
            runs,
            || VfsUnion::new(union.clone(), now),
            |a| {
                let mut f = vfs::FileSystem::create_file(a, "/shared/new.txt").expect("create");
                f.write_all(b"hello\n").expect("write");
            },
        );
        let small_ov = median_fresh(
            runs,
            || overlay(MemoryFS::new().into()),
            |o| {
                let mut f = o
                    .join("shared/new.txt")
                    .and_then(|p| p.create_file())
                    .expect("create");
                f.write_all(b"hello\n").expect("write");
            },
        );
        table.row(
            "create a 6-byte file in a lower directory",
            small_lb,
            Some(small_ad),
            Some(small_ov),
        );

        let copy_lb = median_fresh(
            runs,
            || union.clone(),
            |u| {
                u.append_file(&root(), "/big.bin", b"!", 0o644, now)
                    .expect("append");
            },
        );
        let copy_ad = median_fresh(
            runs,
            || VfsUnion::new(union.clone(), now),
            |a| {
                let mut f = vfs::FileSystem::append_file(a, "/big.bin").expect("append");
                f.write_all(b"!").expect("write");
            },
        );
        let copy_ov = median_fresh(
            runs,
            || overlay(MemoryFS::new().into()),
            |o| {
                let mut f = o
                    .join("big.bin")
                    .and_then(|p| p.append_file())
                    .expect("append");
                f.write_all(b"!").expect("write");
            },
        );
        table.row(
            "copy-up of a 1 MiB bottom-layer file (append 1 byte)",
            copy_lb,
            Some(copy_ad),
            Some(copy_ov),
        );

        // The same append, then the whole file read back: where layerbox joins the appended
        // bytes to the shared ones (once; later reads share the joined bytes).
        let back_lb = median_fresh(
            runs,
            || union.clone(),
            |u| {
                u.append_file(&root(), "/big.bin", b"!", 0o644, now)
                    .expect("append");
                black_box(u.read_file(&root(), "/big.bin").expect("read"));
            },
        );
        let back_ov = median_fresh(
            runs,
            || overlay(MemoryFS::new().into()),
            |o| {
                let f = o.join("big.bin").expect("join");
                f.append_file()
                    .expect("append")
                    .write_all(b"!")
                    .expect("write");
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f.open_file().expect("open"), &mut data)
                    .expect("read");
                black_box(data);
            },
        );
        table.row(
            "copy-up, append 1 byte, then read the 1 MiB file whole",
            back_lb,
            None,
            Some(back_ov),
        );

        // `docker diff` after 1,000 writes: 500 image files changed, 500 new files.
        let mut busy = warm.clone();
        let id = run_container(&mut busy, STACKED);
        busy.with_container_fs(&id, false, |fs| {
            fs.mkdir(&root(), "/data", 0o755, now)?;
            for j in 0..500 {
                let path = format!("/layer0/dir{}/file{:03}", j / 100, 100 + j);
                fs.append_file(&root(), &path, b"+", 0o644, now)?;
                fs.write_file(&root(), &format!("/data/new{j:03}"), b"new\n", 0o644, now)?;
            }
            Ok::<(), layerbox_fstree::Errno>(())
        })
        .expect("container")
        .expect("writes");
        let entries = busy.diff(&id).expect("diff").len();
        let diff = median(runs, 1, || {
            black_box(busy.diff(&id).expect("diff"));
        });
        table.row(
            &format!("docker diff, 1,000 writes ({entries} entries)"),
            diff,
            None,
            None,
        );

        let snapshot = median(runs, 100, || {
            black_box(busy.clone());
        });
        table.row(
            &format!(
                "snapshot (World::clone; {} containers, {} images, change log not yet taken)",
                busy.containers().len(),
                busy.images().images.len()
            ),
            snapshot,
            None,
            None,
        );
        let log = busy.take_changes().len();
        let snapshot = median(runs, 100, || {
            black_box(busy.clone());
        });
        table.row(
            &format!("snapshot after take_changes() ({log} change events drained)"),
            snapshot,
            None,
            None,
        );
        let snap = busy.clone();
        let restore = median_fresh(
            runs,
            || {
                let mut w = busy.clone();
                run_container(&mut w, "alpine");
                w
            },
            |w| *w = snap.clone(),
        );
        table.row(
            "restore (replace the world with the snapshot)",
            restore,
            None,
            None,
        );

        table.print();

        // Memory: 100 more containers of the flat image.
        let mut w = base.clone();
        run_container(&mut w, FLAT);
        let before = live_bytes();
        for _ in 0..100 {
            run_container(&mut w, FLAT);
        }
        let added = live_bytes() - before;
        let mut big = base.clone();
        let before_big = live_bytes();
        run_container(&mut big, FLAT);
        let first = live_bytes() - before_big;
        println!(
            "\nmemory: 100 running containers of the {FLAT_FILES}-file image add {:.1} KiB of heap \
             ({:.1} KiB each; budget 10 MB in all); the first one, which builds the image's init \
             layer, adds {:.1} KiB",
            added as f64 / 1024.0,
            added as f64 / 1024.0 / 100.0,
            first as f64 / 1024.0
        );
        black_box((w, big));
    }
}
