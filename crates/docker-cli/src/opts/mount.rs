//! What the CLI does with mount flags before the daemon sees them: `--mount` CSV becomes a
//! `MountSpec` (docker/cli `opts/mount.go`), and `-v` is split into anonymous volumes
//! (`Config.Volumes`) and binds sent verbatim (the compose loader's `ParseVolume`).

use layerbox_engine::mount_spec::{MountSpec, MountType};

use crate::opts::flags::parse_bool;

/// Splits one CSV record (Go's `encoding/csv`: fields may be double-quoted).
fn csv_fields(text: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if at_start => quoted = true,
            ',' if !quoted => {
                fields.push(std::mem::take(&mut cur));
                at_start = true;
                continue;
            }
            c => cur.push(c),
        }
        at_start = false;
    }
    if quoted {
        return Err(
            "parse error on line 1, column 1: extraneous or missing \" in quoted-field".into(),
        );
    }
    fields.push(cur);
    Ok(fields)
}

/// `--mount` as the CLI parses it; the error is the reason pflag puts after
/// `invalid argument "…" for "--mount" flag: `.
pub fn parse_mount(value: &str, cwd: &str) -> Result<MountSpec, String> {
    let mut spec = MountSpec {
        kind: Some(MountType::Volume),
        type_name: "volume".into(),
        ..MountSpec::default()
    };
    let (mut volume_opts, mut bind_opts, mut tmpfs_opts) = (false, false, false);
    for f in csv_fields(value)? {
        let (key, val) = match f.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
            None => (f.to_lowercase(), None),
        };
        let Some(val) = val else {
            match key.as_str() {
                "readonly" | "ro" => spec.read_only = true,
                "volume-nocopy" => {
                    spec.no_copy = Some(true);
                    volume_opts = true;
                }
                "bind-nonrecursive" => {
                    return Err(
                        "bind-nonrecursive is deprecated, use bind-recursive=disabled instead"
                            .into(),
                    )
                }
                _ => return Err(format!("invalid field '{f}' must be a key=value pair")),
            }
            continue;
        };
        let bad = || format!("invalid value for {key}: {val}");
        match key.as_str() {
            "type" => {
                let t = val.to_lowercase();
                spec.kind = match t.as_str() {
                    "bind" => Some(MountType::Bind),
                    "volume" => Some(MountType::Volume),
                    "tmpfs" => Some(MountType::Tmpfs),
                    _ => None,
                };
                spec.type_name = t;
            }
            "source" | "src" => {
                spec.source = if val == "." || val.starts_with("./") {
                    layerbox_fstree::path::normalize(&layerbox_fstree::path::join(cwd, &val))
                        .unwrap_or(val.clone())
                } else {
                    val.clone()
                };
            }
            "target" | "dst" | "destination" => spec.target = val.clone(),
            "readonly" | "ro" => spec.read_only = parse_bool(&val).ok_or_else(bad)?,
            "consistency" => spec.consistency = val.clone(),
            "bind-propagation" => {
                spec.propagation = Some(val.to_lowercase());
                bind_opts = true;
            }
            "volume-nocopy" => {
                spec.no_copy = Some(
                    parse_bool(&val)
                        .ok_or_else(|| format!("invalid value for volume-nocopy: {val}"))?,
                );
                volume_opts = true;
            }
            "volume-label" => {
                let (k, v) = val.split_once('=').unwrap_or((val.as_str(), ""));
                spec.volume_labels.push((k.to_string(), v.to_string()));
                volume_opts = true;
            }
            "volume-driver" => {
                spec.volume_driver = Some(val.clone());
                volume_opts = true;
            }
            "volume-opt" => {
                let (k, v) = val.split_once('=').unwrap_or((val.as_str(), ""));
                spec.volume_options.push((k.to_string(), v.to_string()));
                volume_opts = true;
            }
            "volume-subpath" => {
                spec.volume_subpath = Some(val.clone());
                volume_opts = true;
            }
            "tmpfs-size" => {
                spec.tmpfs_size = Some(ram_in_bytes(&val).ok_or_else(bad)?);
                tmpfs_opts = true;
            }
            "tmpfs-mode" => {
                spec.tmpfs_mode = Some(u32::from_str_radix(&val, 8).map_err(|_| bad())?);
                tmpfs_opts = true;
            }
            _ => return Err(format!("unexpected key '{key}' in '{f}'")),
        }
    }
    if spec.type_name.is_empty() {
        return Err("type is required".into());
    }
    if spec.target.is_empty() {
        return Err("target is required".into());
    }
    let t = &spec.type_name;
    if volume_opts && t != "volume" {
        return Err(format!(
            "cannot mix 'volume-*' options with mount type '{t}'"
        ));
    }
    if bind_opts && t != "bind" {
        return Err(format!("cannot mix 'bind-*' options with mount type '{t}'"));
    }
    if tmpfs_opts && t != "tmpfs" {
        return Err(format!(
            "cannot mix 'tmpfs-*' options with mount type '{t}'"
        ));
    }
    Ok(spec)
}

/// go-units `RAMInBytes`: `64m`, `1g`, `512k`, plain bytes.
pub fn ram_in_bytes(text: &str) -> Option<u64> {
    let lower = text.trim().to_lowercase();
    let digits_end = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let number = layerbox_tools::number::parse_f64(&lower[..digits_end])?;
    let unit = lower[digits_end..]
        .trim_end_matches('b')
        .trim_end_matches('i');
    let mult: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        "p" => 1 << 50,
        _ => return None,
    };
    Some((number * mult as f64) as u64)
}

/// What the CLI makes of one `-v` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeArg {
    /// `-v /path` (or a one-letter "drive" such as `v:/data`): `Config.Volumes`.
    Anonymous(String),
    /// `SRC:DST[:OPTS]`, sent to the daemon verbatim (a `./` source made absolute).
    Bind(String),
}

/// The compose loader's `ParseVolume`, as `docker run -v` uses it to tell anonymous volumes
/// from binds; a one-letter part before `:` is a Windows drive letter.
pub fn classify_volume(raw: &str, cwd: &str) -> Result<VolumeArg, String> {
    let chars: Vec<char> = raw.chars().collect();
    match chars.len() {
        0 => return Err("invalid empty volume spec".into()),
        1 | 2 => return Ok(VolumeArg::Anonymous(raw.to_string())),
        _ => {}
    }
    let mut parts: Vec<String> = Vec::new();
    let mut buf = String::new();
    for &c in &chars {
        if c == ':' && buf.chars().count() == 1 && buf.chars().all(char::is_alphabetic) {
            buf.push(c);
        } else if c == ':' {
            parts.push(std::mem::take(&mut buf));
        } else {
            buf.push(c);
        }
    }
    parts.push(buf);
    if parts.iter().any(String::is_empty) {
        return Err(format!("invalid spec: {raw}: empty section between colons"));
    }
    if parts.len() > 3 {
        return Err(format!("invalid spec: {raw}: too many colons"));
    }
    if parts.len() == 1 {
        return Ok(VolumeArg::Anonymous(raw.to_string()));
    }
    let host = &parts[0];
    if host.starts_with('.') {
        let abs = layerbox_fstree::path::normalize(&layerbox_fstree::path::join(cwd, host))
            .unwrap_or(host.clone());
        let rest = raw.split_once(':').map(|(_, r)| r).unwrap_or("");
        return Ok(VolumeArg::Bind(format!("{abs}:{rest}")));
    }
    Ok(VolumeArg::Bind(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_mount_keys_are_refused_with_the_field() {
        assert_eq!(
            parse_mount("type=volume,source=v,target=/x,bogus=1", "/"),
            Err("unexpected key 'bogus' in 'bogus=1'".into())
        );
        assert_eq!(
            parse_mount("type=bind,src=/tmp,dst=/x,volume-nocopy", "/"),
            Err("cannot mix 'volume-*' options with mount type 'bind'".into())
        );
    }

    #[test]
    fn mount_defaults_to_a_volume() {
        let spec = parse_mount("source=data2,target=/data", "/").expect("parses");
        assert_eq!(spec.kind, Some(MountType::Volume));
        assert_eq!(spec.source, "data2");
    }

    #[test]
    fn a_one_letter_source_is_a_windows_drive() {
        assert_eq!(
            classify_volume("v:/data", "/"),
            Ok(VolumeArg::Anonymous("v:/data".into()))
        );
        assert_eq!(
            classify_volume("./out:/out", "/home/user"),
            Ok(VolumeArg::Bind("/home/user/out:/out".into()))
        );
        assert_eq!(
            classify_volume("/data", "/"),
            Ok(VolumeArg::Anonymous("/data".into()))
        );
    }
}
