//! Checksums and encodings: `md5sum`, `sha1sum`, `sha256sum` (print, and `-c` check) over
//! MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-4) written out here, and `base64` (RFC 4648,
//! `-d`, `-w`).

use crate::cli::{parse_or_usage, Spec};
use crate::text::read_input;
use crate::{Ctx, Output};

fn md5(data: &[u8]) -> Vec<u8> {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    const K: [u32; 64] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391,
    ];
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for block in pad(data, false).chunks(64) {
        let m: Vec<u32> = block
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(K[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// The message padded to whole 64-byte blocks, its bit length at the end (big-endian for SHA).
fn pad(data: &[u8], big_endian: bool) -> Vec<u8> {
    let mut m = data.to_vec();
    m.push(0x80);
    while m.len() % 64 != 56 {
        m.push(0);
    }
    let bits = (data.len() as u64).wrapping_mul(8);
    if big_endian {
        m.extend_from_slice(&bits.to_be_bytes());
    } else {
        m.extend_from_slice(&bits.to_le_bytes());
    }
    m
}

fn words_be(block: &[u8]) -> Vec<u32> {
    block
        .chunks(4)
        .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
        .collect()
}

fn sha1(data: &[u8]) -> Vec<u8> {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    for block in pad(data, true).chunks(64) {
        let mut w = words_be(block);
        for i in 16..80 {
            w.push((w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1));
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5a82_7999),
                1 => (b ^ c ^ d, 0x6ed9_eba1),
                2 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6u32),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|w| w.to_be_bytes()).collect()
}

fn sha256(data: &[u8]) -> Vec<u8> {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    for block in pad(data, true).chunks(64) {
        let mut w = words_be(block);
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w.push(
                w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1),
            );
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|w| w.to_be_bytes()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `md5sum`, `sha1sum` and `sha256sum`: which function by the program's name.
pub fn sum(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let f: fn(&[u8]) -> Vec<u8> = match prog {
        "md5sum" => md5,
        "sha1sum" => sha1,
        _ => sha256,
    };
    let gnu = ctx.gnu();
    let spec = Spec {
        short: if gnu { "bctwz" } else { "bctsw" },
        long: &[
            ("binary", 'b'),
            ("check", 'c'),
            ("text", 't'),
            ("warn", 'w'),
            ("zero", 'z'),
            ("status", 's'),
            ("quiet", 'q'),
            ("strict", 'S'),
            ("tag", 'T'),
            ("ignore-missing", 'i'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    for (c, name) in [('S', "strict"), ('T', "tag"), ('i', "ignore-missing")] {
        if o.has(c) {
            let mut out = Output::default();
            out.err(format!("layerbox: {prog} --{name} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    let names: Vec<String> = if o.operands.is_empty() {
        vec!["-".into()]
    } else {
        o.operands.clone()
    };
    let mut out = Output::default();
    let cant = |ctx: &Ctx<'_>, name: &str, e: layerbox_fstree::Errno| -> String {
        if ctx.gnu() {
            format!("{prog}: {name}: {}\n", e.strerror())
        } else {
            format!("{prog}: can't open '{name}': {}\n", e.strerror())
        }
    };
    if !o.has('c') {
        for name in &names {
            match read_input(ctx, name) {
                Ok(d) => {
                    let mark = if o.has('b') && gnu { '*' } else { ' ' };
                    out.out(format!("{}  {name}\n", hex(&f(&d))).replacen(
                        "  ",
                        &format!(" {mark}"),
                        1,
                    ));
                }
                Err(e) => {
                    out.err(cant(ctx, name, e));
                    out.code = 1;
                }
            }
        }
        return out;
    }
    let digest_len = f(b"").len() * 2;
    let status_only = o.has('s') || o.has('q');
    for list in &names {
        let text = match read_input(ctx, list) {
            Ok(d) => d,
            Err(e) => {
                out.err(format!("{prog}: {list}: {}\n", e.strerror()));
                out.code = 1;
                continue;
            }
        };
        let (mut bad, mut unread, mut malformed, mut good_lines) = (0, 0, 0, 0);
        let mut checked = 0;
        for line in text.split(|&b| b == b'\n') {
            if line.is_empty() {
                continue;
            }
            let line = String::from_utf8_lossy(line);
            let parsed = line.split_once(' ').and_then(|(sum, rest)| {
                let name = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('*'))?;
                Some((sum.to_string(), name.to_string()))
            });
            let Some((want, name)) = parsed.filter(|(s, _)| {
                !gnu || (s.len() == digest_len && s.bytes().all(|b| b.is_ascii_hexdigit()))
            }) else {
                malformed += 1;
                continue;
            };
            good_lines += 1;
            match read_input(ctx, &name) {
                Ok(d) => {
                    checked += 1;
                    let ok = hex(&f(&d)).eq_ignore_ascii_case(&want);
                    if !ok {
                        bad += 1;
                    }
                    if !(status_only || ok && o.has('q')) {
                        out.out(format!("{name}: {}\n", if ok { "OK" } else { "FAILED" }));
                    }
                }
                Err(e) => {
                    unread += 1;
                    if gnu {
                        out.err(format!("{prog}: {name}: {}\n", e.strerror()));
                        out.out(format!("{name}: FAILED open or read\n"));
                    } else {
                        checked += 1;
                        bad += 1;
                        out.err(cant(ctx, &name, e));
                        out.out(format!("{name}: FAILED\n"));
                    }
                }
            }
        }
        if gnu {
            let shown = if list == "-" {
                "standard input".to_string()
            } else {
                list.clone()
            };
            if good_lines == 0 {
                out.err(format!(
                    "{prog}: {}: no properly formatted checksum lines found\n",
                    crate::cli::quote_if_needed(&shown)
                ));
                out.code = 1;
                continue;
            }
            let plural = |n: usize, one: &str, many: &str| {
                if n == 1 {
                    one.to_string()
                } else {
                    many.to_string()
                }
            };
            if malformed > 0 {
                out.err(format!(
                    "{prog}: WARNING: {malformed} {} improperly formatted\n",
                    plural(malformed, "line is", "lines are")
                ));
            }
            if unread > 0 {
                out.err(format!(
                    "{prog}: WARNING: {unread} listed {} could not be read\n",
                    plural(unread, "file", "files")
                ));
                out.code = 1;
            }
            if bad > 0 {
                out.err(format!(
                    "{prog}: WARNING: {bad} computed {} did NOT match\n",
                    plural(bad, "checksum", "checksums")
                ));
                out.code = 1;
            }
        } else if bad > 0 || (checked == 0 && malformed > 0) {
            let total = checked.max(bad + malformed);
            out.err(format!(
                "{prog}: WARNING: {} of {total} computed checksums did NOT match\n",
                bad.max(if checked == 0 { malformed } else { 0 })
            ));
            out.code = 1;
        }
    }
    out
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "diw:",
        long: &[("decode", 'd'), ("ignore-garbage", 'i'), ("wrap", 'w')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    if o.operands.len() > 1 {
        let msg = format!("extra operand {}", crate::cli::quote(ctx, &o.operands[1]));
        return crate::cli::usage_error(ctx, prog, Some(&msg), 1);
    }
    let name = o.operands.first().map_or("-", String::as_str);
    let data = match read_input(ctx, name) {
        Ok(d) => d,
        Err(e) => {
            out.fail(prog, format!("{name}: {}", e.strerror()), 1);
            return out;
        }
    };
    if o.has('d') {
        let mut buf = Vec::new();
        let mut acc = 0u32;
        let mut bits = 0;
        let mut pads = 0;
        for &c in &data {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => {
                    pads += 1;
                    continue;
                }
                b'\n' => continue,
                _ if o.has('i') => continue,
                _ => {
                    out.out(buf);
                    out.fail(
                        prog,
                        if ctx.gnu() {
                            "invalid input"
                        } else {
                            "truncated input"
                        },
                        1,
                    );
                    return out;
                }
            };
            if pads > 0 {
                out.out(buf);
                out.fail(prog, "invalid input", 1);
                return out;
            }
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                buf.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        out.out(buf);
        if bits >= 6 {
            out.fail(
                prog,
                if ctx.gnu() {
                    "invalid input"
                } else {
                    "truncated input"
                },
                1,
            );
        }
        return out;
    }
    let wrap = match o.value('w') {
        None => 76,
        Some(w) => match w.parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                out.fail(
                    prog,
                    format!("invalid wrap size: {}", crate::cli::quote(ctx, w)),
                    1,
                );
                return out;
            }
        },
    };
    let mut enc = Vec::with_capacity(data.len() / 3 * 4 + 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                enc.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]);
            } else {
                enc.push(b'=');
            }
        }
    }
    let mut text = Vec::with_capacity(enc.len() + enc.len() / 76 + 1);
    if wrap == 0 {
        text.extend_from_slice(&enc);
    } else {
        for line in enc.chunks(wrap) {
            text.extend_from_slice(line);
            text.push(b'\n');
        }
    }
    out.out(text);
    out
}
