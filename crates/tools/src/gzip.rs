//! The gzip container (RFC 1952) as GNU tar uses it through `gzip`: compressing an archive for
//! `tar -z`, reading one back, and telling compressed archives apart by their magic bytes (what
//! GNU tar and moby's `DecompressStream` both look at).

/// The compression an archive's first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Compression {
    /// What the magic bytes at the start of `bytes` say (moby's `DetectCompression`).
    pub fn detect(bytes: &[u8]) -> Compression {
        if bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
            Compression::Gzip
        } else if bytes.starts_with(b"BZh") {
            Compression::Bzip2
        } else if bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The program's name (`bzip2`), as GNU tar and the messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

/// Why bytes do not decompress, in gzip's words (`gzip: stdin: …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GzipError {
    NotGzip,
    UnexpectedEof,
    Crc,
    Length,
    FormatViolated,
    /// More than [`MAX_INFLATED`] bytes: refused rather than filling memory.
    TooLarge,
}

impl GzipError {
    /// gzip's message after `gzip: stdin: `.
    pub fn message(self) -> &'static str {
        match self {
            GzipError::NotGzip => "not in gzip format",
            GzipError::UnexpectedEof => "unexpected end of file",
            GzipError::Crc => "invalid compressed data--crc error",
            GzipError::Length => "invalid compressed data--length error",
            GzipError::FormatViolated => "invalid compressed data--format violated",
            // Emulation note: real gzip has no limit; layerbox keeps the browser's memory.
            GzipError::TooLarge => "decompressed data too large for layerbox",
        }
    }
}

/// The most bytes one decompression may produce.
pub const MAX_INFLATED: usize = 64 << 20;

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// The CRC-32 gzip's trailer carries.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in bytes {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    c ^ 0xffff_ffff
}

/// `gzip` reading standard input at its default level 6: no name, mtime 0, OS Unix.
///
/// Emulation note: the deflate stream is miniz_oxide's, not gzip 1.12's, so the compressed
/// bytes (and sometimes the length, by a few bytes) differ from what `tar -z` writes; the
/// header, trailer and the data they carry are gzip's.
pub fn compress(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03];
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, 6));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// `gzip -d` of one or more concatenated members (what gzip accepts; trailing zeros ignored).
pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, GzipError> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut first = true;
    while at < bytes.len() {
        let rest = &bytes[at..];
        if !first && rest.iter().all(|&b| b == 0) {
            break;
        }
        if rest.len() < 2 || rest[0] != 0x1f || rest[1] != 0x8b {
            return Err(if first {
                GzipError::NotGzip
            } else {
                // gzip: "decompression OK, trailing garbage ignored" (a warning, exit 2).
                GzipError::FormatViolated
            });
        }
        first = false;
        let (inflated, used) = member(rest, MAX_INFLATED.saturating_sub(out.len()))?;
        out.extend_from_slice(&inflated);
        at += used;
    }
    if first {
        return Err(GzipError::UnexpectedEof);
    }
    Ok(out)
}

/// One gzip member: its data and how many bytes it took.
fn member(bytes: &[u8], limit: usize) -> Result<(Vec<u8>, usize), GzipError> {
    if bytes.len() < 10 {
        return Err(GzipError::UnexpectedEof);
    }
    if bytes[2] != 8 {
        return Err(GzipError::FormatViolated);
    }
    let flags = bytes[3];
    let mut at = 10;
    let eof = GzipError::UnexpectedEof;
    if flags & 0x04 != 0 {
        let len = bytes.get(at..at + 2).ok_or(eof)?;
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            let end = bytes.get(at..).ok_or(eof)?.iter().position(|&b| b == 0);
            at += end.ok_or(eof)? + 1;
        }
    }
    if flags & 0x02 != 0 {
        at += 2;
    }
    let body = bytes.get(at..).ok_or(eof)?;
    let mut state = miniz_oxide::inflate::stream::InflateState::new(miniz_oxide::DataFormat::Raw);
    let mut data = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    let mut input = body;
    loop {
        let r = miniz_oxide::inflate::stream::inflate(
            &mut state,
            input,
            &mut buf,
            miniz_oxide::MZFlush::None,
        );
        input = &input[r.bytes_consumed.min(input.len())..];
        data.extend_from_slice(&buf[..r.bytes_written.min(buf.len())]);
        if data.len() > limit {
            return Err(GzipError::TooLarge);
        }
        match r.status {
            Ok(miniz_oxide::MZStatus::StreamEnd) => break,
            Ok(_) => {
                if r.bytes_consumed == 0 && r.bytes_written == 0 {
                    return Err(eof);
                }
            }
            Err(miniz_oxide::MZError::Buf) => return Err(eof),
            Err(_) => return Err(GzipError::FormatViolated),
        }
    }
    let used = body.len() - input.len();
    let trailer = body.get(used..used + 8).ok_or(eof)?;
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc != crc32(&data) {
        return Err(GzipError::Crc);
    }
    if size != data.len() as u32 {
        return Err(GzipError::Length);
    }
    Ok((data, at + used + 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_one_gzip_uses() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn the_header_is_the_one_gzip_writes_for_a_pipe() {
        // `tar -czf` on Debian 12: gzip 1.12 reading a pipe writes no name and mtime 0.
        let packed = compress(b"a\n");
        assert_eq!(&packed[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        assert_eq!(&packed[packed.len() - 4..], &2u32.to_le_bytes());
        assert_eq!(decompress(&packed), Ok(b"a\n".to_vec()));
    }

    #[test]
    fn what_real_gzip_wrote_reads_back() {
        // `printf 'hello\n' | gzip -n` (gzip 1.12).
        let real = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9,
            0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00,
        ];
        assert_eq!(decompress(&real), Ok(b"hello\n".to_vec()));
        let mut twice = real.to_vec();
        twice.extend_from_slice(&real);
        assert_eq!(decompress(&twice), Ok(b"hello\nhello\n".to_vec()));
    }

    #[test]
    fn broken_input_is_told_in_gzip_words() {
        let packed = compress(&[7u8; 5000]);
        assert_eq!(decompress(b"plain"), Err(GzipError::NotGzip));
        assert_eq!(
            decompress(&packed[..packed.len() - 3]),
            Err(GzipError::UnexpectedEof)
        );
        let mut bad = packed.clone();
        let n = bad.len();
        bad[n - 6] ^= 1;
        assert_eq!(decompress(&bad), Err(GzipError::Crc));
        assert_eq!(Compression::detect(&packed), Compression::Gzip);
        assert_eq!(Compression::detect(b"BZh91AY"), Compression::Bzip2);
    }
}
