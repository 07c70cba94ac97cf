//! A sed script read into commands, as GNU sed's `compile.c` (with its `-e expression #N, char
//! M:` messages) and BusyBox's `add_cmd` (laxer, with its own messages) read it.

use crate::regex::{Options, Regex};
use crate::Flavor;

use super::Source;

/// The first address of a command.
#[derive(Debug, Clone)]
pub enum Addr {
    Line(u64),
    /// `$`.
    Last,
    /// A regex (`None`: the empty regex, the last one used).
    Re(Option<usize>),
    /// GNU `first~step`.
    Step(u64, u64),
    /// GNU `0` before `,/re/`: the range is open before the first line.
    Zero,
}

/// The second address of a range.
#[derive(Debug, Clone)]
pub enum Addr2 {
    Line(u64),
    Last,
    Re(Option<usize>),
    /// `+N`: N more lines.
    Plus(u64),
    /// GNU `~N`: up to the next line that is a multiple of N.
    Mult(u64),
}

/// One piece of a replacement.
#[derive(Debug, Clone)]
pub enum Rep {
    Lit(Vec<u8>),
    /// `&` (0) or `\1`..`\9`.
    Group(usize),
    /// GNU `\U \L \u \l \E`.
    Case(u8),
}

#[derive(Debug, Clone)]
pub struct Subst {
    pub re: Option<usize>,
    pub rep: Vec<Rep>,
    pub global: bool,
    /// Replace the Nth match (and with `g`, every one after it).
    pub nth: usize,
    pub print: usize,
    pub write: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// `{`: the index of its `}`.
    Open(usize),
    Close,
    Label(Vec<u8>),
    /// `b`, `t`, `T`: the command index to go on at (`None`: the end of the script).
    Branch(u8, Option<usize>),
    /// A BusyBox branch to a label that is not in the script: BusyBox looks labels up when a
    /// branch is taken (`branch_to()`), and dies there.
    NoLabel(u8, Vec<u8>),
    /// `a`, `i`, `c` and their text.
    Text(u8, Vec<u8>),
    Subst(Box<Subst>),
    /// `y`: pairs of units (bytes in BusyBox, characters in GNU).
    Trans(Vec<(Vec<u8>, Vec<u8>)>),
    /// `q` (prints) or `Q` (does not), with the exit status.
    Quit(bool, i32),
    /// `r FILE` (`R`: one line at a time, GNU).
    Read(u8, String),
    /// `w FILE` (`W`: the first line of the pattern space, GNU): an index into the files.
    Write(u8, usize),
    /// `l` with its line length (0: the `-l` default).
    List(usize),
    /// A command with no argument: `= d D g G h H n N p P x z F`.
    Simple(u8),
    /// A command that does nothing (BusyBox's `l`, GNU's `v`, `#` after an address).
    Nop,
}

#[derive(Debug, Clone)]
pub struct Cmd {
    pub a1: Option<Addr>,
    pub a2: Option<Addr2>,
    pub neg: bool,
    pub kind: Kind,
}

/// A parsed script.
#[derive(Debug)]
pub struct Script {
    pub cmds: Vec<Cmd>,
    pub regexes: Vec<Regex>,
    /// `w` files, in the order they appear (each created empty when the script is read).
    pub wfiles: Vec<String>,
    /// The script starts with `#n` on a line of its own.
    pub quiet: bool,
}

struct Parser<'a> {
    src: Vec<u8>,
    pos: usize,
    /// Where each piece starts in `src`, and where it came from.
    pieces: Vec<(usize, &'a Source)>,
    gnu: bool,
    extended: bool,
    regexes: Vec<Regex>,
    wfiles: Vec<String>,
    cmds: Vec<Cmd>,
    open: Vec<usize>,
    /// Branches and the labels they name, resolved at the end.
    pending: Vec<(usize, Vec<u8>)>,
}

/// Reads the script's pieces (joined by newlines, as both programs do); an error is the whole
/// message after `sed: `.
pub fn parse(
    pieces: &[(Source, Vec<u8>)],
    extended: bool,
    flavor: Flavor,
) -> Result<Script, String> {
    let mut src = Vec::new();
    let mut starts = Vec::new();
    for (i, (s, text)) in pieces.iter().enumerate() {
        if i > 0 {
            src.push(b'\n');
        }
        starts.push((src.len(), s));
        src.extend_from_slice(text);
    }
    let quiet = src.starts_with(b"#n") && matches!(src.get(2), None | Some(b'\n'));
    let mut p = Parser {
        src,
        pos: 0,
        pieces: starts,
        gnu: flavor == Flavor::Coreutils,
        extended,
        regexes: Vec::new(),
        wfiles: Vec::new(),
        cmds: Vec::new(),
        open: Vec::new(),
        pending: Vec::new(),
    };
    p.script()?;
    // BusyBox finds an unclosed block only when it skips it at run time.
    if !p.open.is_empty() && p.gnu {
        return Err(format!("{}: unmatched `{{'", p.location_at(0)));
    }
    p.resolve_labels()?;
    Ok(Script {
        cmds: p.cmds,
        regexes: p.regexes,
        wfiles: p.wfiles,
        quiet,
    })
}

impl Parser<'_> {
    /// Points every branch at its label: GNU refuses a label that is not there; BusyBox only
    /// when the branch is taken.
    fn resolve_labels(&mut self) -> Result<(), String> {
        for (at, label) in std::mem::take(&mut self.pending) {
            if label.is_empty() {
                continue;
            }
            let target = self
                .cmds
                .iter()
                .position(|c| matches!(&c.kind, Kind::Label(l) if *l == label));
            let Some(target) = target else {
                if !self.gnu {
                    if let Kind::Branch(c, _) = self.cmds[at].kind {
                        self.cmds[at].kind = Kind::NoLabel(c, label);
                    }
                    continue;
                }
                let l = String::from_utf8_lossy(&label);
                return Err(format!("can't find label for jump to `{l}'"));
            };
            if let Kind::Branch(c, _) = self.cmds[at].kind {
                self.cmds[at].kind = Kind::Branch(c, Some(target));
            }
        }
        Ok(())
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// GNU's `-e expression #N, char M` (or `file F line L`) for the current position.
    fn location(&self) -> String {
        self.location_at(usize::MAX)
    }

    fn location_at(&self, forced: usize) -> String {
        let k = self
            .pieces
            .iter()
            .rposition(|(start, _)| *start <= self.pos.saturating_sub(1))
            .unwrap_or(0);
        let (start, source) = self.pieces.get(k).copied().unwrap_or((0, &Source::Expr(1)));
        match source {
            Source::Expr(n) => {
                let ch = if forced == usize::MAX {
                    self.pos.saturating_sub(start)
                } else {
                    forced
                };
                format!("-e expression #{n}, char {ch}")
            }
            Source::File(f) => {
                let upto = self.pos.min(self.src.len());
                let line = self.src[start..upto]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                let line = if forced == usize::MAX {
                    line
                } else {
                    line.max(1)
                };
                format!("file {f} line {line}")
            }
        }
    }

    /// An error in each flavour's words.
    fn err(&self, gnu: &str, busybox: &str) -> String {
        if self.gnu {
            format!("{}: {gnu}", self.location())
        } else {
            busybox.to_string()
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn script(&mut self) -> Result<(), String> {
        loop {
            while matches!(
                self.peek(),
                Some(b' ' | b'\t' | b'\n' | b';' | b'\r' | 0x0b | 0x0c)
            ) {
                self.pos += 1;
            }
            let Some(c) = self.peek() else {
                return Ok(());
            };
            if c == b'#' {
                while !matches!(self.next(), None | Some(b'\n')) {}
                continue;
            }
            self.command()?;
        }
    }

    fn number(&mut self) -> u64 {
        let mut n: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            self.pos += 1;
        }
        n
    }

    /// An address regex after its opening delimiter `delim`; `None` if it is empty.
    fn address_regex(&mut self, delim: u8) -> Result<Option<usize>, String> {
        let Some(text) = self.delimited(delim, true)? else {
            return Err(self.err(
                "unterminated address regex",
                &format!("unmatched '{}'", delim as char),
            ));
        };
        let mut icase = false;
        if self.gnu {
            loop {
                match self.peek() {
                    Some(b'I') => {
                        self.pos += 1;
                        icase = true;
                    }
                    Some(b'M') => {
                        return Err(format!(
                            "{}: layerbox: the M flag of an address is not modelled",
                            self.location()
                        ));
                    }
                    _ => break,
                }
            }
        }
        if text.is_empty() {
            return Ok(None);
        }
        self.compile(&text, icase).map(Some)
    }

    fn compile(&mut self, text: &[u8], icase: bool) -> Result<usize, String> {
        let pattern = String::from_utf8_lossy(text).into_owned();
        let o = Options {
            extended: self.extended,
            icase,
            gnu: self.gnu,
            whole_line: false,
            whole_word: false,
        };
        match Regex::new(&pattern, o) {
            Ok((re, _)) => {
                self.regexes.push(re);
                Ok(self.regexes.len() - 1)
            }
            Err(e) => Err(if self.gnu {
                format!("{}: {}", self.location(), e.message())
            } else {
                format!("bad regex '{pattern}': {}", e.message())
            }),
        }
    }

    /// Text up to the unescaped `delim` (consumed), with `\n` made a newline and `\delim` the
    /// delimiter; `None` if the script ends first. In a regex (`regex`), BusyBox skips over
    /// bracket expressions.
    fn delimited(&mut self, delim: u8, regex: bool) -> Result<Option<Vec<u8>>, String> {
        let mut out = Vec::new();
        let mut bracket: Option<usize> = None;
        loop {
            let Some(c) = self.next() else {
                return Ok(None);
            };
            if let Some(b) = bracket {
                out.push(c);
                let len = out.len();
                if c == b']' && !(b + 1 == len - 1 || (b + 2 == len - 1 && out[b + 1] == b'^')) {
                    bracket = None;
                }
                continue;
            }
            if c == b'\\' {
                let Some(d) = self.next() else {
                    return Ok(None);
                };
                if d == delim && (regex || d != b'&') {
                    out.push(d);
                } else if d == b'\n' || (d == b'n' && regex) {
                    out.push(b'\n');
                } else {
                    out.push(b'\\');
                    out.push(d);
                }
                continue;
            }
            if c == delim {
                return Ok(Some(out));
            }
            if c == b'\n' && self.gnu && regex {
                return Ok(None);
            }
            if c == b'[' && regex && !self.gnu {
                bracket = Some(out.len());
            }
            out.push(c);
        }
    }

    fn command(&mut self) -> Result<(), String> {
        let mut a1 = None;
        let mut a2 = None;
        match self.peek() {
            Some(b'0'..=b'9') => {
                let n = self.number();
                if self.gnu && self.peek() == Some(b'~') {
                    self.pos += 1;
                    let step = self.number();
                    a1 = Some(Addr::Step(n, step));
                } else if n == 0 && self.gnu {
                    a1 = Some(Addr::Zero);
                } else if n == 0 {
                    // BusyBox: line 0 is no address at all, but starts a range that never
                    // opens.
                    a1 = Some(Addr::Line(0));
                } else {
                    a1 = Some(Addr::Line(n));
                }
            }
            Some(b'$') => {
                self.pos += 1;
                a1 = Some(Addr::Last);
            }
            Some(b'/') => {
                self.pos += 1;
                a1 = Some(Addr::Re(self.address_regex(b'/')?));
            }
            Some(b'\\') => {
                self.pos += 1;
                let Some(d) = self.next() else {
                    return Err(self.err("unexpected `,'", "unmatched '\\'"));
                };
                a1 = Some(Addr::Re(self.address_regex(d)?));
            }
            _ => {}
        }
        if self.gnu {
            self.skip_ws();
        }
        if self.peek() == Some(b',') {
            self.pos += 1;
            if self.gnu {
                self.skip_ws();
            }
            a2 = Some(match self.peek() {
                Some(b'0'..=b'9') => Addr2::Line(self.number()),
                Some(b'+')
                    if self.gnu || matches!(self.src.get(self.pos + 1), Some(b'0'..=b'9')) =>
                {
                    self.pos += 1;
                    Addr2::Plus(self.number())
                }
                Some(b'~') if self.gnu => {
                    self.pos += 1;
                    Addr2::Mult(self.number())
                }
                Some(b'$') => {
                    self.pos += 1;
                    Addr2::Last
                }
                Some(b'/') => {
                    self.pos += 1;
                    Addr2::Re(self.address_regex(b'/')?)
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let d = self.next().unwrap_or(b'\n');
                    Addr2::Re(self.address_regex(d)?)
                }
                _ => {
                    if self.gnu {
                        self.pos += usize::from(self.peek().is_some());
                    }
                    return Err(self.err("unexpected `,'", "no address after comma"));
                }
            });
            if a1.is_none() && self.gnu {
                return Err(self.err("unexpected `,'", ""));
            }
        }
        if !self.gnu && a2.is_none() && matches!(a1, Some(Addr::Line(0))) {
            a1 = None;
        }
        if self.gnu {
            if let Some(Addr::Zero) = a1 {
                if !matches!(a2, Some(Addr2::Re(_))) {
                    self.skip_ws();
                    self.pos += usize::from(self.peek().is_some());
                    return Err(self.err("invalid usage of line address 0", ""));
                }
            }
        }
        self.skip_ws();
        let mut neg = false;
        while self.peek() == Some(b'!') {
            self.pos += 1;
            if neg && self.gnu {
                return Err(self.err("multiple `!'s", ""));
            }
            neg = true;
            self.skip_ws();
        }
        let Some(c) = self.next() else {
            return Err(self.err("missing command", "missing command"));
        };
        if c == b'\n' || c == b';' {
            if self.gnu {
                return Err(self.err("missing command", ""));
            }
            return Err("missing command".into());
        }
        let has_addr = a1.is_some() || a2.is_some();
        let kind = match c {
            b'{' => {
                self.open.push(self.cmds.len());
                Kind::Open(usize::MAX)
            }
            b'}' => {
                if self.gnu {
                    if has_addr {
                        return Err(self.err("} doesn't want any addresses", ""));
                    }
                    let Some(o) = self.open.pop() else {
                        return Err(self.err("unexpected `}'", ""));
                    };
                    let me = self.cmds.len();
                    self.cmds[o].kind = Kind::Open(me);
                    self.end_of_cmd()?;
                } else if let Some(o) = self.open.pop() {
                    let me = self.cmds.len();
                    self.cmds[o].kind = Kind::Open(me);
                }
                Kind::Close
            }
            b':' => {
                if has_addr && self.gnu {
                    return Err(self.err(": doesn't want any addresses", ""));
                }
                self.skip_ws();
                let label = self.label(true);
                if label.is_empty() && self.gnu {
                    return Err(self.err("\":\" lacks a label", ""));
                }
                Kind::Label(label)
            }
            b'b' | b't' | b'T' => {
                self.skip_ws();
                let label = self.label(false);
                if self.gnu {
                    self.end_of_cmd()?;
                }
                self.pending.push((self.cmds.len(), label));
                Kind::Branch(c, None)
            }
            b'a' | b'i' | b'c' => {
                if !self.gnu && c != b'c' && a2.is_some() {
                    return Err(format!("command '{}' uses only one address", c as char));
                }
                Kind::Text(c, self.text()?)
            }
            b'q' | b'Q' if self.gnu || c == b'q' => {
                if a2.is_some() && self.gnu {
                    return Err(self.err("command only uses one address", ""));
                }
                let mut code = 0;
                if self.gnu {
                    self.skip_ws();
                    if matches!(self.peek(), Some(b'0'..=b'9')) {
                        code = self.number().min(i32::MAX as u64) as i32;
                    }
                    self.end_of_cmd()?;
                }
                Kind::Quit(c == b'q', code)
            }
            b'l' | b'L' if c == b'l' || self.gnu => {
                if !self.gnu {
                    Kind::Nop
                } else {
                    self.skip_ws();
                    let n = if matches!(self.peek(), Some(b'0'..=b'9')) {
                        self.number() as usize
                    } else {
                        0
                    };
                    self.end_of_cmd()?;
                    if c == b'L' {
                        return Err(format!(
                            "{}: layerbox: the L command is not modelled",
                            self.location()
                        ));
                    }
                    Kind::List(n)
                }
            }
            b'=' | b'd' | b'D' | b'g' | b'G' | b'h' | b'H' | b'n' | b'N' | b'p' | b'P' | b'x' => {
                if self.gnu {
                    self.end_of_cmd()?;
                }
                Kind::Simple(c)
            }
            b'z' | b'F' if self.gnu => {
                self.end_of_cmd()?;
                Kind::Simple(c)
            }
            b'r' | b'R' | b'w' | b'W' if self.gnu || c == b'r' || c == b'w' => {
                if c == b'r' && a2.is_some() && !self.gnu {
                    return Err("command 'r' uses only one address".into());
                }
                let name = self.filename()?;
                match c {
                    b'r' | b'R' => Kind::Read(c, name),
                    _ => Kind::Write(c, self.wfile(name)),
                }
            }
            b's' => Kind::Subst(Box::new(self.subst()?)),
            b'y' => self.trans()?,
            b'#' if self.gnu => return Err(self.err("comments don't accept any addresses", "")),
            b'v' if self.gnu => {
                let _ = self.label(false);
                self.end_of_cmd()?;
                Kind::Nop
            }
            b'e' if self.gnu => {
                return Err(format!(
                    "{}: layerbox: the e command is not modelled",
                    self.location()
                ))
            }
            _ => {
                if self.gnu {
                    return Err(format!(
                        "{}: unknown command: `{}'",
                        self.location(),
                        String::from_utf8_lossy(&[c])
                    ));
                }
                return Err(format!("unsupported command {}", c as char));
            }
        };
        self.cmds.push(Cmd { a1, a2, neg, kind });
        Ok(())
    }

    /// GNU: after a command only spaces, then `;`, a newline, `#` or `}` may follow.
    fn end_of_cmd(&mut self) -> Result<(), String> {
        self.skip_ws();
        match self.peek() {
            None | Some(b'\n' | b';') => {
                self.pos += usize::from(self.peek().is_some());
                Ok(())
            }
            Some(b'#' | b'}') => Ok(()),
            Some(_) => {
                self.pos += 1;
                Err(self.err("extra characters after command", ""))
            }
        }
    }

    /// A label: to a newline or `;` (GNU also ends one at a space for `b`; BusyBox at any
    /// space).
    fn label(&mut self, colon: bool) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            let stop = c == b'\n'
                || c == b';'
                || (!self.gnu && (c == b' ' || c == b'\t'))
                || (self.gnu && !colon && (c == b' ' || c == b'\t'));
            if stop {
                break;
            }
            out.push(c);
            self.pos += 1;
        }
        if colon && self.gnu {
            while out.last().is_some_and(|c| *c == b' ' || *c == b'\t') {
                out.pop();
            }
            if self.peek() == Some(b';') {
                self.pos += 1;
            }
        }
        out
    }

    /// A file name: after spaces, to the end of the line.
    fn filename(&mut self) -> Result<String, String> {
        self.skip_ws();
        let start = self.pos;
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.pos += 1;
        }
        let name = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
        if name.is_empty() {
            return Err(self.err("missing filename in r/R/w/W commands", "empty filename"));
        }
        Ok(name)
    }

    fn wfile(&mut self, name: String) -> usize {
        if let Some(i) = self.wfiles.iter().position(|n| *n == name) {
            return i;
        }
        self.wfiles.push(name);
        self.wfiles.len() - 1
    }

    /// The text of `a`, `i` or `c`: to the end of the line, a backslash before a newline
    /// going on to the next; other escapes give the character (`\t` a tab).
    fn text(&mut self) -> Result<Vec<u8>, String> {
        self.skip_ws();
        if self.peek() == Some(b'\\') {
            self.pos += 1;
            if self.peek() == Some(b'\n') {
                self.pos += 1;
            } else if self.gnu {
                self.skip_ws();
            }
        } else if self.peek() == Some(b'\n') && !self.gnu {
            self.pos += 1;
        }
        if self.peek().is_none() && self.gnu {
            return Err(self.err("expected \\ after `a', `c' or `i'", ""));
        }
        let mut out = Vec::new();
        while let Some(c) = self.next() {
            match c {
                b'\n' => break,
                b'\\' => match self.next() {
                    Some(b't') => out.push(b'\t'),
                    Some(b'n') if !self.gnu => out.push(b'\n'),
                    Some(b'r') if !self.gnu => out.push(b'\r'),
                    Some(d) => out.push(d),
                    None => {}
                },
                _ => out.push(c),
            }
        }
        Ok(out)
    }

    fn subst(&mut self) -> Result<Subst, String> {
        let Some(delim) = self.next() else {
            return Err(self.err(
                "unterminated `s' command",
                "bad format in substitution expression",
            ));
        };
        if delim == b'\n' || delim == b'\\' {
            return Err(self.err("unterminated `s' command", "unmatched '\\'"));
        }
        let unmatched = format!("unmatched '{}'", delim as char);
        let Some(re_text) = self.delimited(delim, true)? else {
            return Err(self.err("unterminated `s' command", &unmatched));
        };
        let Some(rep_text) = self.delimited(delim, false)? else {
            return Err(self.err("unterminated `s' command", &unmatched));
        };
        let mut s = Subst {
            re: None,
            rep: Vec::new(),
            global: false,
            nth: 1,
            print: 0,
            write: None,
        };
        let mut icase = false;
        let mut numbered = false;
        loop {
            match self.peek() {
                Some(b'g') => {
                    self.pos += 1;
                    if s.global && self.gnu {
                        return Err(self.err("multiple `g' options to `s' command", ""));
                    }
                    s.global = true;
                    if !self.gnu {
                        s.nth = 1;
                    }
                }
                Some(b'p') => {
                    self.pos += 1;
                    if s.print > 0 && self.gnu {
                        return Err(self.err("multiple `p' options to `s' command", ""));
                    }
                    s.print += 1;
                }
                Some(b'i' | b'I') => {
                    self.pos += 1;
                    icase = true;
                }
                Some(b'0'..=b'9') => {
                    if numbered && self.gnu {
                        self.pos += 1;
                        return Err(self.err("multiple number options to `s' command", ""));
                    }
                    let n = self.number();
                    if n == 0 && self.gnu {
                        return Err(self.err("number option to `s' command may not be zero", ""));
                    }
                    if self.gnu || !re_text.starts_with(b"^") {
                        s.nth = usize::try_from(n).unwrap_or(usize::MAX);
                        // BusyBox: a count of 0 means every match, and the last of `g` and
                        // a count wins.
                        if !self.gnu {
                            s.global = n == 0;
                        }
                    }
                    numbered = true;
                }
                Some(b'w') => {
                    self.pos += 1;
                    let name = self.filename()?;
                    s.write = Some(self.wfile(name));
                    break;
                }
                Some(b'm' | b'M' | b'e') if self.gnu => {
                    self.pos += 1;
                    return Err(format!(
                        "{}: layerbox: the {} flag of `s' is not modelled",
                        self.location(),
                        self.src[self.pos - 1] as char
                    ));
                }
                Some(b' ' | b'\t') if !self.gnu => self.pos += 1,
                Some(b'#') if !self.gnu => {
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.pos += 1;
                    }
                    break;
                }
                None | Some(b'\n' | b';' | b'}') if !self.gnu => break,
                _ if !self.gnu => {
                    return Err("bad option in substitution expression".into());
                }
                _ => {
                    self.skip_ws();
                    match self.peek() {
                        None | Some(b'\n' | b';') => {
                            self.pos += usize::from(self.peek().is_some());
                        }
                        Some(b'#' | b'}') => {}
                        Some(_) => {
                            self.pos += 1;
                            return Err(self.err("unknown option to `s'", ""));
                        }
                    }
                    break;
                }
            }
        }
        s.rep = self.replacement(&rep_text);
        let re_text = self.escapes(&re_text);
        if !re_text.is_empty() {
            let re = self.compile(&re_text, icase)?;
            let groups = self.regexes[re].groups();
            if self.gnu {
                if let Some(k) = s.rep.iter().find_map(|r| match r {
                    Rep::Group(k) if *k > groups => Some(*k),
                    _ => None,
                }) {
                    return Err(format!(
                        "{}: invalid reference \\{k} on `s' command's RHS",
                        self.location()
                    ));
                }
            }
            s.re = Some(re);
        }
        Ok(s)
    }

    /// GNU converts `\t`, `\f`, `\v`, `\a` and `\r` in a regex before compiling it; BusyBox
    /// converts `\t` and `\r`.
    fn escapes(&self, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            if text[i] == b'\\' && i + 1 < text.len() {
                let c = match text[i + 1] {
                    b't' => Some(b'\t'),
                    b'r' => Some(b'\r'),
                    b'f' if self.gnu => Some(0x0c),
                    b'v' if self.gnu => Some(0x0b),
                    b'a' if self.gnu => Some(0x07),
                    _ => None,
                };
                match c {
                    Some(c) => out.push(c),
                    None => out.extend_from_slice(&text[i..i + 2]),
                }
                i += 2;
                continue;
            }
            out.push(text[i]);
            i += 1;
        }
        out
    }

    fn replacement(&self, text: &[u8]) -> Vec<Rep> {
        let mut out: Vec<Rep> = Vec::new();
        let mut lit = Vec::new();
        let mut i = 0;
        let flush = |lit: &mut Vec<u8>, out: &mut Vec<Rep>| {
            if !lit.is_empty() {
                out.push(Rep::Lit(std::mem::take(lit)));
            }
        };
        while i < text.len() {
            let c = text[i];
            i += 1;
            if c == b'&' {
                flush(&mut lit, &mut out);
                out.push(Rep::Group(0));
                continue;
            }
            if c != b'\\' || i >= text.len() {
                lit.push(c);
                continue;
            }
            let d = text[i];
            i += 1;
            match d {
                b'0'..=b'9' => {
                    flush(&mut lit, &mut out);
                    out.push(Rep::Group(usize::from(d - b'0')));
                }
                b'n' => lit.push(b'\n'),
                b't' => lit.push(b'\t'),
                b'r' => lit.push(b'\r'),
                b'f' if self.gnu => lit.push(0x0c),
                b'v' if self.gnu => lit.push(0x0b),
                b'a' if self.gnu => lit.push(0x07),
                b'U' | b'L' | b'u' | b'l' | b'E' if self.gnu => {
                    flush(&mut lit, &mut out);
                    out.push(Rep::Case(d));
                }
                _ => lit.push(d),
            }
        }
        flush(&mut lit, &mut out);
        out
    }

    fn trans(&mut self) -> Result<Kind, String> {
        let Some(delim) = self.next() else {
            return Err(self.err(
                "unterminated `y' command",
                "bad format in substitution expression",
            ));
        };
        let unmatched = format!("unmatched '{}'", delim as char);
        let Some(from) = self.delimited(delim, false)? else {
            return Err(self.err("unterminated `y' command", &unmatched));
        };
        let Some(to) = self.delimited(delim, false)? else {
            return Err(self.err("unterminated `y' command", &unmatched));
        };
        let units = |t: &[u8], gnu: bool| -> Vec<Vec<u8>> {
            // `\\` is a backslash and `\n` a newline; other escapes are kept as they are.
            let mut clean = Vec::new();
            let mut i = 0;
            while i < t.len() {
                if t[i] == b'\\' && i + 1 < t.len() {
                    match t[i + 1] {
                        b'\\' => clean.push(b'\\'),
                        b'n' => clean.push(b'\n'),
                        b't' => clean.push(b'\t'),
                        b'r' => clean.push(b'\r'),
                        other => {
                            clean.push(b'\\');
                            clean.push(other);
                        }
                    }
                    i += 2;
                    continue;
                }
                clean.push(t[i]);
                i += 1;
            }
            if gnu {
                String::from_utf8_lossy(&clean)
                    .chars()
                    .map(|c| c.to_string().into_bytes())
                    .collect()
            } else {
                clean.iter().map(|&b| vec![b]).collect()
            }
        };
        let f = units(&from, self.gnu);
        let t = units(&to, self.gnu);
        if self.gnu {
            self.end_of_cmd_after_y()?;
            if f.len() != t.len() {
                return Err(self.err("strings for `y' command are different lengths", ""));
            }
        }
        Ok(Kind::Trans(f.into_iter().zip(t).collect()))
    }

    fn end_of_cmd_after_y(&mut self) -> Result<(), String> {
        let save = self.pos;
        match self.end_of_cmd() {
            Ok(()) => {
                // The length check reports the position after the command.
                let before = self.src.get(self.pos.wrapping_sub(1));
                if matches!(before, Some(b';' | b'\n')) && self.pos > save {
                    self.pos -= 1;
                }
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}
