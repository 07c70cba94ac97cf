//! The tokenizer: operators, words with their quoting and `$` forms, comments, line continuations.
//!
//! Words are read straight into [`WordPart`]s. A `$(...)` inside a word is parsed on the spot by
//! [`crate::parse`] over the same characters, so its syntax errors surface before anything runs,
//! as in the real shells.

use crate::ast::{Param, ParamOp, Word, WordPart};
use crate::parse::{self, SyntaxError};

/// Deeper nesting than this (`$($($(...)))`, `((((...))))`) is refused instead of overflowing
/// the stack. Emulation note: the real shells have no such limit.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A word and its text as typed (for reserved words and error messages).
    Word(Word, String),
    /// Digits right before `<` or `>`: the file descriptor of a redirection.
    IoNumber(u32),
    Op(&'static str),
    Newline,
    Eof,
}

impl Tok {
    /// How the shells name the token in `unexpected "..."`.
    pub fn text(&self) -> String {
        match self {
            Tok::Word(_, raw) => raw.clone(),
            Tok::IoNumber(n) => n.to_string(),
            Tok::Op(op) => (*op).to_string(),
            Tok::Newline => "newline".to_string(),
            Tok::Eof => "end of file".to_string(),
        }
    }
}

const OPERATORS: [&str; 20] = [
    "<<<", "&>>", "&>", "&&", "||", ";;", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", "&", "|", ";",
    "(", ")", "<", ">",
];

/// The operators only bash reads: its here-string and `&>>` (BusyBox ash reads `<<` then `<`,
/// and `&>` then `>`).
const BASH_ONLY: [&str; 2] = ["<<<", "&>>"];

/// Whether operator `op` is a redirection (ash's syntax errors name them so).
pub fn is_redirection(op: &str) -> bool {
    matches!(
        op,
        "<<<" | "&>>" | "&>" | "<<-" | "<<" | "<>" | "<&" | ">>" | ">&" | ">|" | "<" | ">"
    )
}

pub struct Lexer<'a> {
    src: &'a [char],
    pub pos: usize,
    /// 1-based line of `pos`.
    pub line: usize,
    pub depth: usize,
    /// Here-document bodies already read past the end of the current line: at the newline at
    /// `.0` the lexer jumps to `.1`, having passed `.2` more lines.
    heredoc_skip: Option<(usize, usize, usize)>,
    /// It reads bash's operators too ([`BASH_ONLY`]).
    pub bash: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [char]) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            line: 1,
            depth: 0,
            heredoc_skip: None,
            bash: false,
        }
    }

    /// Reads the body of a here-document whose operator was just read: the lines after the
    /// current one (after earlier bodies on the same line) up to a line that is `delim`.
    /// With `strip_tabs` (`<<-`) leading tabs are removed from each line and the delimiter.
    /// The input ending before the delimiter is an unexpected end of file.
    pub fn read_heredoc(&mut self, delim: &str, strip_tabs: bool) -> Result<String, SyntaxError> {
        let (newline, start, passed) = match self.heredoc_skip {
            Some(skip) => skip,
            None => {
                let nl = (self.pos..self.src.len())
                    .find(|&i| self.src[i] == '\n')
                    .ok_or(SyntaxError::Eof { expecting: None })?;
                (nl, nl + 1, 0)
            }
        };
        let mut body = String::new();
        let mut at = start;
        let mut lines = 0;
        loop {
            if at >= self.src.len() {
                return Err(SyntaxError::Eof { expecting: None });
            }
            let end = (at..self.src.len())
                .find(|&i| self.src[i] == '\n')
                .unwrap_or(self.src.len());
            let line: String = self.src[at..end].iter().collect();
            let text = if strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line.as_str()
            };
            lines += 1;
            at = end + 1;
            if text == delim {
                break;
            }
            body.push_str(text);
            body.push('\n');
        }
        self.heredoc_skip = Some((newline, at.min(self.src.len()), passed + lines));
        Ok(body)
    }

    /// The parts of an unquoted here-document's body: `$` expansions and backquotes, with `\$`,
    /// `` \` ``, `\\` and `\newline` escaped, every other character literal.
    pub fn heredoc_parts(&mut self) -> Result<Vec<WordPart>, SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '\\')) => lit.push(c),
                        Some(c) => {
                            lit.push('\\');
                            lit.push(c);
                        }
                        None => lit.push('\\'),
                    }
                }
                '$' | '`' => match self.dollar_or_backquote()? {
                    Some(part) => {
                        quoted_flush(&mut lit, &mut parts);
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                c => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        quoted_flush(&mut lit, &mut parts);
        Ok(parts)
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src.get(self.pos + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        if let Some((newline, resume, passed)) = self.heredoc_skip {
            if self.pos == newline {
                // The end of a line with here-documents: their bodies were read already.
                self.heredoc_skip = None;
                self.pos = resume;
                self.line += 1 + passed;
                return Some(c);
            }
        }
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// The next token.
    pub fn next_token(&mut self) -> Result<Tok, SyntaxError> {
        loop {
            match self.peek() {
                Some(' ' | '\t') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.peek() else {
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.bump();
            return Ok(Tok::Newline);
        }
        if let Some(op) = OPERATORS
            .iter()
            .find(|op| self.starts_with(op) && (self.bash || !BASH_ONLY.contains(op)))
        {
            for _ in 0..op.chars().count() {
                self.bump();
            }
            return Ok(Tok::Op(op));
        }
        let start = self.pos;
        let word = self.word()?;
        let raw: String = self.src[start..self.pos].iter().collect();
        if matches!(self.peek(), Some('<' | '>')) && raw.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(n) = raw.parse() {
                return Ok(Tok::IoNumber(n));
            }
        }
        Ok(Tok::Word(word, raw))
    }

    /// An unquoted word, up to the next blank or operator character.
    fn word(&mut self) -> Result<Word, SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c) => {
                            flush(&mut lit, &mut parts);
                            parts.push(WordPart::Quoted(c.to_string()));
                        }
                        None => lit.push('\\'),
                    }
                }
                '\'' => {
                    self.bump();
                    flush(&mut lit, &mut parts);
                    parts.push(WordPart::Quoted(self.single_quoted()?));
                }
                '"' => {
                    self.bump();
                    flush(&mut lit, &mut parts);
                    parts.push(WordPart::DoubleQuoted(self.double_quoted()?));
                }
                '$' | '`' => match self.dollar_or_backquote()? {
                    Some(part) => {
                        flush(&mut lit, &mut parts);
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                _ => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }

    fn single_quoted(&mut self) -> Result<String, SyntaxError> {
        let mut s = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(s),
                Some(c) => s.push(c),
                None => return Err(SyntaxError::Unterminated('\'')),
            }
        }
    }

    /// The inside of `"..."`, the opening quote already read.
    fn double_quoted(&mut self) -> Result<Vec<WordPart>, SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            match self.peek() {
                None => return Err(SyntaxError::Unterminated('"')),
                Some('"') => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '"' | '\\')) => lit.push(c),
                        Some(c) => {
                            lit.push('\\');
                            lit.push(c);
                        }
                        None => return Err(SyntaxError::Unterminated('"')),
                    }
                }
                Some('$' | '`') => match self.dollar_or_backquote()? {
                    Some(part) => {
                        quoted_flush(&mut lit, &mut parts);
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                Some(c) => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        quoted_flush(&mut lit, &mut parts);
        Ok(parts)
    }

    /// At `$` or a backquote: the expansion, or `None` for a lone `$` (taken literally).
    fn dollar_or_backquote(&mut self) -> Result<Option<WordPart>, SyntaxError> {
        if self.bump() == Some('`') {
            return self.backquoted().map(Some);
        }
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.bump();
                self.bump();
                self.arith().map(Some)
            }
            Some('(') => {
                self.bump();
                self.enter()?;
                let program = parse::parse_until_paren(self)?;
                self.depth -= 1;
                Ok(Some(WordPart::CommandSubst(program)))
            }
            Some('{') => {
                self.bump();
                self.braced().map(Some)
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self
                    .peek()
                    .filter(|c| *c == '_' || c.is_ascii_alphanumeric())
                {
                    self.bump();
                    name.push(c);
                }
                Ok(Some(plain(name)))
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.bump();
                Ok(Some(plain(c.to_string())))
            }
            _ => Ok(None),
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::TooDeep);
        }
        Ok(())
    }

    /// `` `...` ``: the text up to the closing backquote, `\$ \` \\` unescaped, parsed as a
    /// script of its own.
    fn backquoted(&mut self) -> Result<WordPart, SyntaxError> {
        let mut inner = Vec::new();
        loop {
            match self.bump() {
                None => return Err(SyntaxError::Unterminated('`')),
                Some('`') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('$' | '`' | '\\')) => inner.push(c),
                    Some(c) => {
                        inner.push('\\');
                        inner.push(c);
                    }
                    None => return Err(SyntaxError::Unterminated('`')),
                },
                Some(c) => inner.push(c),
            }
        }
        self.enter()?;
        let mut sub = Lexer::new(&inner);
        sub.bash = self.bash;
        sub.depth = self.depth;
        let program = parse::parse_program(&mut sub)?;
        self.depth -= 1;
        Ok(WordPart::CommandSubst(program))
    }

    /// `$((...))`, after the two parentheses: text with `$` expansions, up to `))`.
    fn arith(&mut self) -> Result<WordPart, SyntaxError> {
        self.enter()?;
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut open = 0usize;
        loop {
            match self.peek() {
                None => return Err(SyntaxError::Eof { expecting: None }),
                Some(')') if open == 0 => {
                    self.bump();
                    if self.bump() != Some(')') {
                        return Err(SyntaxError::Unexpected(")".into()));
                    }
                    break;
                }
                Some(c @ ('(' | ')')) => {
                    open = if c == '(' { open + 1 } else { open - 1 };
                    self.bump();
                    lit.push(c);
                }
                Some('$' | '`') => match self.dollar_or_backquote()? {
                    Some(part) => {
                        quoted_flush(&mut lit, &mut parts);
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                Some(c) => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        quoted_flush(&mut lit, &mut parts);
        self.depth -= 1;
        Ok(WordPart::Arith(parts))
    }

    /// `${...}`, after the brace.
    fn braced(&mut self) -> Result<WordPart, SyntaxError> {
        self.enter()?;
        let start = self.pos;
        let length =
            self.peek() == Some('#') && matches!(self.peek_at(1), Some(c) if c != '}' && c != ':');
        if length {
            self.bump();
        }
        let mut name = String::new();
        match self.peek() {
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                while let Some(c) = self
                    .peek()
                    .filter(|c| *c == '_' || c.is_ascii_alphanumeric())
                {
                    self.bump();
                    name.push(c);
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    self.bump();
                    name.push(c);
                }
            }
            Some(c) if "?#@*$!-".contains(c) => {
                self.bump();
                name.push(c);
            }
            _ => {}
        }
        let bad = |lx: &mut Lexer<'_>| {
            while !matches!(lx.peek(), None | Some('}')) {
                lx.bump();
            }
            if lx.bump().is_none() {
                return SyntaxError::Unterminated('}');
            }
            let text: String = lx.src[start..lx.pos.min(lx.src.len())].iter().collect();
            SyntaxError::BadSubstitution(format!("${{{text}"))
        };
        if name.is_empty() {
            return Err(bad(self));
        }
        let op = if length {
            if self.peek() != Some('}') {
                return Err(bad(self));
            }
            self.bump();
            ParamOp::Length
        } else {
            let colon = self.peek() == Some(':');
            if colon {
                self.bump();
            }
            let Some(c) = self.bump() else {
                return Err(SyntaxError::Unterminated('}'));
            };
            let twice = |lx: &mut Lexer<'_>, c: char| {
                let t = lx.peek() == Some(c);
                if t {
                    lx.bump();
                }
                t
            };
            match c {
                '}' if !colon => ParamOp::Plain,
                '-' => ParamOp::Default(colon, self.brace_word()?),
                '=' => ParamOp::Assign(colon, self.brace_word()?),
                '+' => ParamOp::Alternative(colon, self.brace_word()?),
                '?' => ParamOp::Error(colon, self.brace_word()?),
                '%' if !colon => {
                    let t = twice(self, '%');
                    ParamOp::RemoveSuffix(t, self.brace_word()?)
                }
                '#' if !colon => {
                    let t = twice(self, '#');
                    ParamOp::RemovePrefix(t, self.brace_word()?)
                }
                _ => {
                    self.pos -= 1;
                    return Err(bad(self));
                }
            }
        };
        self.depth -= 1;
        Ok(WordPart::Param(Param { name, op }))
    }

    /// The word inside `${name-...}`, up to the closing brace.
    fn brace_word(&mut self) -> Result<Word, SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            match self.peek() {
                None => return Err(SyntaxError::Unterminated('}')),
                Some('}') => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    self.bump();
                    if let Some(c) = self.bump() {
                        flush(&mut lit, &mut parts);
                        parts.push(WordPart::Quoted(c.to_string()));
                    }
                }
                Some('\'') => {
                    self.bump();
                    flush(&mut lit, &mut parts);
                    parts.push(WordPart::Quoted(self.single_quoted()?));
                }
                Some('"') => {
                    self.bump();
                    flush(&mut lit, &mut parts);
                    parts.push(WordPart::DoubleQuoted(self.double_quoted()?));
                }
                Some('$' | '`') => match self.dollar_or_backquote()? {
                    Some(part) => {
                        flush(&mut lit, &mut parts);
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                Some(c) => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }
}

fn plain(name: String) -> WordPart {
    WordPart::Param(Param {
        name,
        op: ParamOp::Plain,
    })
}

fn flush(lit: &mut String, parts: &mut Vec<WordPart>) {
    if !lit.is_empty() {
        parts.push(WordPart::Literal(std::mem::take(lit)));
    }
}

fn quoted_flush(lit: &mut String, parts: &mut Vec<WordPart>) {
    if !lit.is_empty() {
        parts.push(WordPart::Quoted(std::mem::take(lit)));
    }
}
