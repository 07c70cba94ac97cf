//! `docker images` (`image ls`).

use layerbox_engine::image::Image;
use layerbox_sh::Output;

use crate::formatter::table;
use crate::formatter::units::{human_duration, human_size_precision};
use crate::formatter::value::{field, s, Value};
use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::line;
use crate::Cli;

pub const IMAGES: Command = Command {
    path: "images",
    args: Arity::AtMost(1),
    usage: "docker images [OPTIONS] [REPOSITORY[:TAG]]",
    flags: &[
        switch("all", Some('a')),
        switch("quiet", Some('q')),
        option("format", None),
        switch("no-trunc", None),
    ],
    interspersed: true,
    not_modelled: &["digests", "filter/f", "tree"],
};

/// One row per tag (an untagged image is one `<none>` row).
pub(crate) fn rows(img: &Image, now: u64) -> Vec<Value> {
    let tags: Vec<(String, String)> = if img.repo_tags.is_empty() {
        vec![("<none>".into(), "<none>".into())]
    } else {
        img.repo_tags
            .iter()
            .map(|t| match t.rsplit_once(':') {
                Some((r, tag)) if !tag.contains('/') => (r.to_string(), tag.to_string()),
                _ => (t.clone(), "<none>".into()),
            })
            .collect()
    };
    tags.into_iter()
        .map(|(repo, tag)| {
            Value::Struct(vec![
                field("Repository", s(repo)),
                field("Tag", s(tag)),
                field("ID", s(layerbox_engine::clock::short_id(&img.id))),
                field(
                    "CreatedSince",
                    s(format!(
                        "{} ago",
                        human_duration(now.saturating_sub(img.created))
                    )),
                ),
                field("Size", s(human_size_precision(img.size(), 3))),
            ])
        })
        .collect()
}

pub fn images(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let world = &cli.world;
    let now = world.now();
    let mut imgs: Vec<&Image> = world.images().images.values().collect();
    if !m.on("all") {
        // Untagged images with children are a build's intermediate steps: only `-a` lists them.
        imgs.retain(|i| {
            !i.repo_tags.is_empty()
                || !world
                    .images()
                    .images
                    .values()
                    .any(|c| c.parent.as_deref() == Some(i.id.as_str()))
        });
    }
    // Newest first; equal times keep the store's order reversed.
    imgs.reverse();
    layerbox_order::sort_by_key(&mut imgs, |i| std::cmp::Reverse(i.created));
    let mut values: Vec<Value> = imgs.iter().flat_map(|i| rows(i, now)).collect();
    if let Some(want) = m.args.first() {
        // The tag follows the last `:` after the last `/` (`localhost:5000/a` has none).
        let (repo, tag) = match want.rsplit_once(':') {
            Some((r, t)) if !t.contains('/') => (r.to_string(), Some(t.to_string())),
            _ => (want.clone(), None),
        };
        values.retain(|v| {
            v.get("Repository").map(Value::go_print) == Some(repo.clone())
                && tag
                    .as_ref()
                    .is_none_or(|t| v.get("Tag").map(Value::go_print).as_ref() == Some(t))
        });
    }
    let mut out = Output::default();
    let get = |v: &Value, k: &str| v.get(k).map(Value::go_print).unwrap_or_default();
    if m.on("quiet") {
        for v in &values {
            line(&mut out, get(v, "ID"));
        }
        return out;
    }
    if let crate::formatter::format::ListFormat::Template { table, body } =
        crate::formatter::format::list_format(m.last("format"))
    {
        crate::formatter::format::list(
            &mut out,
            table,
            &body,
            &[
                ("Repository", "REPOSITORY"),
                ("Tag", "TAG"),
                ("ID", "IMAGE ID"),
                ("Digest", "DIGEST"),
                ("CreatedSince", "CREATED"),
                ("CreatedAt", "CREATED AT"),
                ("Size", "SIZE"),
                ("Containers", "CONTAINERS"),
                ("SharedSize", "SHARED SIZE"),
                ("UniqueSize", "UNIQUE SIZE"),
                ("VirtualSize", "VIRTUAL SIZE"),
            ],
            "*formatter.imageContext",
            values,
        );
        return out;
    }
    let mut table_rows = vec![["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()];
    for v in &values {
        table_rows.push(vec![
            get(v, "Repository"),
            get(v, "Tag"),
            get(v, "ID"),
            get(v, "CreatedSince"),
            get(v, "Size"),
        ]);
    }
    out.stdout
        .extend_from_slice(table::render(&table_rows).as_bytes());
    out
}
