//! What the page keeps of one step's output, as a terminal's scrollback keeps only so much: the
//! first and the last [`KEEP`] bytes, cut where a line ends, and how much was left out between
//! them (the terminal says so in one line, `i18n::omitted`).
//!
//! A line may print up to the line's output budget (16 MiB, `layerbox_sh::Budget`); sent to the
//! page and drawn whole, that is a task of over a second on the page's thread, and nobody reads
//! it. The head shows how it began (what was asked, the first error), the tail how it ended
//! (the budget's message, the last lines of a log). 32 KiB at each end is several hundred
//! lines of a wide listing and about a thousand of a narrow one, more than a terminal window
//! shows many times over, and it draws in a few milliseconds. The session file keeps actions,
//! not output, so a reload shows the same; the cut is made where the step is made
//! ([`crate::timeline::Timeline::apply`]), in the worker and without it alike.

use layerbox_session::Stream;

use crate::timeline::Printed;

impl Printed {
    /// A run's transcript as the terminal prints it.
    pub fn all(transcript: &[(Stream, Vec<u8>)]) -> Vec<Printed> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        transcript
            .iter()
            .map(|(s, b)| Printed {
                stream: *s,
                text: text(b),
            })
            .collect()
    }
}

/// Bytes kept at each end of a step's output.
pub const KEEP: usize = 32 * 1024;

/// What was left out of a step's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Omitted {
    /// Where in the step's `printed` the left-out part was: the kept head is before it.
    pub at: usize,
    /// The bytes left out.
    pub bytes: usize,
    /// The line ends among them.
    pub lines: usize,
}

/// `printed` as the page keeps it: whole when it is at most twice [`KEEP`], else its head and
/// its tail, each at most [`KEEP`] bytes and cut at a line's end where one is near.
pub fn keep(printed: Vec<Printed>) -> (Vec<Printed>, Option<Omitted>) {
    let total: usize = printed.iter().map(|p| p.text.len()).sum();
    if total <= 2 * KEEP {
        return (printed, None);
    }
    let texts: Vec<&str> = printed.iter().map(|p| p.text.as_str()).collect();
    let head_end = head_end(&texts);
    let tail_start = tail_start(&texts, total).max(head_end);
    let mut lines = 0;
    let mut kept = Vec::new();
    let mut at = 0;
    let mut offset = 0;
    for p in printed {
        let (start, end) = (offset, offset + p.text.len());
        offset = end;
        let piece = |from: usize, to: usize| &p.text[from - start..to - start];
        if start < head_end {
            push(&mut kept, p.stream, piece(start, end.min(head_end)));
            at = kept.len();
        }
        let (from, to) = (start.max(head_end), end.min(tail_start));
        if from < to {
            lines += piece(from, to).bytes().filter(|&b| b == b'\n').count();
        }
        if end > tail_start {
            let from = start.max(tail_start);
            let text = piece(from, end);
            // The tail's first piece never joins the head's last: the note stands between them.
            if kept.len() == at && !text.is_empty() {
                kept.push(Printed {
                    stream: p.stream,
                    text: text.to_string(),
                });
            } else {
                push(&mut kept, p.stream, text);
            }
        }
    }
    let omitted = Omitted {
        at,
        bytes: tail_start - head_end,
        lines,
    };
    (kept, Some(omitted))
}

/// Appends `text` to the last piece when it is of the same stream.
fn push(kept: &mut Vec<Printed>, stream: layerbox_session::Stream, text: &str) {
    match kept.last_mut() {
        Some(last) if last.stream == stream => last.text.push_str(text),
        _ => kept.push(Printed {
            stream,
            text: text.to_string(),
        }),
    }
}

/// Where the head ends: after the last line end within the first [`KEEP`] bytes, or at
/// [`KEEP`] (down to a character's start) when no line ends in its second half (a long line is
/// cut, rather than most of the head given up).
fn head_end(texts: &[&str]) -> usize {
    let mut offset = 0;
    let mut line_end = None;
    for text in texts {
        let room = KEEP - offset;
        if text.len() >= room {
            let taken = &text.as_bytes()[..room];
            let end = match taken.iter().rposition(|&b| b == b'\n') {
                Some(i) => Some(offset + i + 1),
                None => line_end,
            };
            return end
                .filter(|&end| end >= KEEP / 2)
                .unwrap_or_else(|| offset + floor_char(text, room));
        }
        if let Some(i) = text.bytes().rposition(|b| b == b'\n') {
            line_end = Some(offset + i + 1);
        }
        offset += text.len();
    }
    offset
}

/// Where the tail starts: at the first line's start within the last [`KEEP`] bytes (the
/// output's own last line end does not count), or [`KEEP`] bytes before the end (up to a
/// character's start) when no line starts in their first half.
fn tail_start(texts: &[&str], total: usize) -> usize {
    let mut end = total;
    let mut line_start = None;
    for text in texts.iter().rev() {
        let start = end - text.len();
        let room = KEEP - (total - end);
        // The bytes of `text` within the last KEEP, without the output's final line end.
        let from = text.len().saturating_sub(room);
        let mut bytes = &text.as_bytes()[from..];
        if end == total {
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        }
        let first = bytes.iter().position(|&b| b == b'\n');
        if text.len() >= room {
            let begin = match first {
                Some(i) => Some(start + from + i + 1),
                None => line_start,
            };
            return begin
                .filter(|&begin| total - begin >= KEEP / 2)
                .unwrap_or_else(|| start + ceil_char(text, from));
        }
        if let Some(i) = first {
            line_start = Some(start + i + 1);
        }
        end = start;
    }
    0
}

/// The largest character start in `text` at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character start in `text` at or after `i`.
fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerbox_session::Stream;

    fn out(text: &str) -> Printed {
        Printed {
            stream: Stream::Stdout,
            text: text.into(),
        }
    }

    fn joined(printed: &[Printed]) -> String {
        printed.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn output_within_twice_the_kept_size_is_kept_whole() {
        let printed = vec![out(&"a".repeat(2 * KEEP - 1)), out("\n")];
        assert_eq!(keep(printed.clone()), (printed, None));
    }

    #[test]
    fn long_output_keeps_whole_lines_at_both_ends_and_counts_what_is_left_out() {
        // 10,000 numbered lines of 10 bytes each.
        let text: String = (0..10_000).map(|i| format!("line {i:04}\n")).collect();
        let (kept, omitted) = keep(vec![out(&text)]);
        let omitted = omitted.expect("cut");
        let head = joined(&kept[..omitted.at]);
        let tail = joined(&kept[omitted.at..]);
        assert!(head.starts_with("line 0000\n") && head.ends_with('\n'));
        assert!(tail.ends_with("line 9999\n"));
        assert!(head.len() <= KEEP && tail.len() <= KEEP);
        assert!(tail.starts_with("line "), "{}", &tail[..20]);
        assert_eq!(head.len() + omitted.bytes + tail.len(), text.len());
        assert_eq!(
            head.lines().count() + omitted.lines + tail.lines().count(),
            10_000
        );
        // What was kept is what was printed, around the part left out.
        assert!(text.starts_with(&head) && text.ends_with(&tail));
    }

    #[test]
    fn one_long_line_is_cut_at_a_characters_start_and_streams_keep_their_order() {
        let big = "가".repeat(40_000);
        let printed = vec![
            out(&big),
            Printed {
                stream: Stream::Stderr,
                text: "layerbox: this command did too much work and was stopped\n".into(),
            },
        ];
        let (kept, omitted) = keep(printed);
        let omitted = omitted.expect("cut");
        assert_eq!(omitted.lines, 0);
        let head = joined(&kept[..omitted.at]);
        assert!(head.len() <= KEEP && head.len() > KEEP - 3);
        let last = kept.last().expect("tail");
        assert_eq!(last.stream, Stream::Stderr);
        assert!(last.text.starts_with("layerbox: this command"));
        let total: usize = big.len() + last.text.len();
        let kept_bytes: usize = kept.iter().map(|p| p.text.len()).sum();
        assert_eq!(kept_bytes + omitted.bytes, total);
    }
}
