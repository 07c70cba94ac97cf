//! The build context: the files under PATH the CLI sends (`.dockerignore` applied), and the
//! sources `COPY`/`ADD` pick from it or from another image.

use std::collections::BTreeMap;

use layerbox_dockerfile::ignore::Ignore;
use layerbox_fstree::{Cred, FileSystem, FileType, Store};

/// One entry of the build context as the CLI's tar carries it.
#[derive(Debug, Clone)]
pub(crate) struct ContextEntry {
    /// Relative to the context, `/`-separated.
    pub(crate) rel: String,
    pub(crate) kind: FileType,
    pub(crate) mode: u32,
    pub(crate) mtime: u64,
    pub(crate) data: Vec<u8>,
    pub(crate) target: String,
    /// A hard link to this earlier entry (`rel`), as read from an image for `COPY --from`.
    pub(crate) link: Option<String>,
}

/// The context directory read as the user, `.dockerignore`d entries left out, in tar order.
pub(crate) fn read_context(
    host: &dyn Store,
    cred: &Cred,
    root: &str,
    ignore: &Ignore,
    keep: &[&str],
) -> Vec<ContextEntry> {
    let mut out = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let dir = if rel.is_empty() {
            root.to_string()
        } else {
            layerbox_fstree::path::join(root, &rel)
        };
        let Ok(mut entries) = host.read_dir(cred, &dir) else {
            continue;
        };
        layerbox_order::sort_by(&mut entries, |a, b| a.name.cmp(&b.name));
        let mut subdirs = Vec::new();
        for e in entries {
            let child_rel = if rel.is_empty() {
                e.name.clone()
            } else {
                format!("{rel}/{}", e.name)
            };
            if ignore.excludes(&child_rel) && !keep.contains(&child_rel.as_str()) {
                continue;
            }
            let path = layerbox_fstree::path::join(root, &child_rel);
            let Ok(st) = host.lstat(cred, &path) else {
                continue;
            };
            let data = if st.kind == FileType::File {
                host.read_file(cred, &path)
                    .map(|c| c.to_vec())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            let target = if st.kind == FileType::Symlink {
                host.readlink(cred, &path).unwrap_or_default()
            } else {
                String::new()
            };
            out.push(ContextEntry {
                rel: child_rel.clone(),
                kind: st.kind,
                mode: st.mode & 0o7777,
                mtime: st.mtime,
                data,
                target,
                link: None,
            });
            if st.kind == FileType::Dir {
                subdirs.push(child_rel);
            }
        }
        // Depth first, in name order (filepath.Walk).
        for d in subdirs.into_iter().rev() {
            stack.push(d);
        }
    }
    // Walk order: a directory's entries follow it directly.
    layerbox_order::sort_by(&mut out, |a, b| walk_key(&a.rel).cmp(&walk_key(&b.rel)));
    out
}

pub(crate) fn walk_key(rel: &str) -> Vec<&str> {
    rel.split('/').collect()
}

/// What `COPY --from` reads: the entries at and below each source path in image `image`'s
/// files, named relative to `/`, in walk order; a file with a name already read is a hard link.
pub(crate) fn read_image(
    world: &layerbox_engine::world::World,
    image: &str,
    sources: &[String],
) -> Vec<ContextEntry> {
    let Ok(fs) = world.build_rootfs(image) else {
        return Vec::new();
    };
    let root = Cred::root();
    let mut out: Vec<ContextEntry> = Vec::new();
    let mut inodes: BTreeMap<u64, String> = BTreeMap::new();
    let mut stack: Vec<String> = sources.iter().map(|s| context_rel(s)).collect();
    layerbox_order::sort(&mut stack);
    stack.dedup();
    while let Some(rel) = stack.pop() {
        let path = format!("/{rel}");
        let Ok(st) = fs.lstat(&root, &path) else {
            continue;
        };
        if out.iter().any(|e| e.rel == rel) {
            continue;
        }
        let link = (st.kind == FileType::File && st.nlink > 1)
            .then(|| inodes.get(&st.ino).cloned())
            .flatten();
        if st.kind == FileType::File && link.is_none() {
            inodes.insert(st.ino, rel.clone());
        }
        let data = if st.kind == FileType::File && link.is_none() {
            fs.read_file(&root, &path)
                .map(|c| c.to_vec())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let target = if st.kind == FileType::Symlink {
            fs.readlink(&root, &path).unwrap_or_default()
        } else {
            String::new()
        };
        if st.kind == FileType::Dir {
            if let Ok(mut entries) = fs.read_dir(&root, &path) {
                layerbox_order::sort_by(&mut entries, |a, b| b.name.cmp(&a.name));
                for e in entries {
                    stack.push(if rel.is_empty() {
                        e.name
                    } else {
                        format!("{rel}/{}", e.name)
                    });
                }
            }
        }
        out.push(ContextEntry {
            rel,
            kind: st.kind,
            mode: st.mode & 0o7777,
            mtime: st.mtime,
            data,
            target,
            link,
        });
    }
    layerbox_order::sort_by(&mut out, |a, b| walk_key(&a.rel).cmp(&walk_key(&b.rel)));
    out
}

/// Bytes of the context's tar: a 512-byte header per entry, file data in 512-byte blocks, two
/// zero blocks at the end.
pub(crate) fn tar_size(entries: &[ContextEntry]) -> u64 {
    let blocks: u64 = entries
        .iter()
        .map(|e| 1 + (e.data.len() as u64).div_ceil(512))
        .sum();
    blocks * 512 + 1024
}

/// The context-relative path `p` names, cleaned, never above the context.
pub(crate) fn context_rel(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    parts.join("/")
}

/// `COPY`/`ADD`: the sources found in the context, each with the entries to copy.
pub(crate) fn copy_sources<'a>(
    context: &'a [ContextEntry],
    sources: &[String],
) -> Result<Vec<(String, Vec<&'a ContextEntry>)>, String> {
    let mut found = Vec::new();
    for src in sources {
        let rel = context_rel(src);
        let names: Vec<String> = if src.contains(['*', '?', '[']) {
            let (dir, pattern) = match rel.rsplit_once('/') {
                Some((d, p)) => (d.to_string(), p.to_string()),
                None => (String::new(), rel.clone()),
            };
            context
                .iter()
                .filter(|e| match e.rel.rsplit_once('/') {
                    Some((d, n)) => d == dir && layerbox_dockerfile::filepath_match(&pattern, n),
                    None => dir.is_empty() && layerbox_dockerfile::filepath_match(&pattern, &e.rel),
                })
                .map(|e| e.rel.clone())
                .collect()
        } else {
            vec![rel.clone()]
        };
        if names.is_empty() {
            return Err("COPY failed: no source files were specified".to_string());
        }
        for name in names {
            let entries: Vec<&ContextEntry> = if name.is_empty() {
                context.iter().collect()
            } else {
                context
                    .iter()
                    .filter(|e| e.rel == name || e.rel.starts_with(&format!("{name}/")))
                    .collect()
            };
            if entries.is_empty() {
                return Err(format!(
                    "COPY failed: file not found in build context or excluded by .dockerignore: stat {}: file does not exist",
                    src
                ));
            }
            found.push((name, entries));
        }
    }
    Ok(found)
}
