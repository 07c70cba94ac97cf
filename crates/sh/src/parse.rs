//! The recursive-descent parser: tokens to [`Program`], and the syntax errors the shells report.

use crate::ast::{
    AndOr, Command, Compound, Connector, Pipeline, Program, Redirect, RedirectKind, SimpleCommand,
    Word, WordPart,
};
use crate::lex::{Lexer, Tok, MAX_DEPTH};

/// Why a script could not be parsed; [`crate::Dialect`] words it the way each shell does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// A token where it cannot stand (`fi` with no `if`, `;;` at the start).
    Unexpected(String),
    /// The input ended inside a construct; ash names the keyword it was waiting for.
    Eof { expecting: Option<&'static str> },
    /// A quote (`'`, `"`, a backquote), `$(` (as `)`) or `${` (as `}`) never closed.
    Unterminated(char),
    /// `${}` or `${a b}`: the text of the whole expansion.
    BadSubstitution(String),
    /// `for 1 in ...`: the bad name.
    BadForVariable(String),
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Parse a whole script.
pub fn parse(input: &str) -> Result<Program, SyntaxError> {
    let chars: Vec<char> = input.chars().collect();
    parse_program(&mut Lexer::new(&chars))
}

/// Parse the next complete command of a script: and-or lists up to the end of a line. `None`
/// at the end of the input. The shells read and run scripts this way, so an error on line 3
/// comes after lines 1 and 2 have run.
pub fn parse_line(lx: &mut Lexer<'_>) -> Result<Option<Program>, SyntaxError> {
    let mut p = Parser { lx, peeked: None };
    let mut list = Vec::new();
    while *p.peek()? == Tok::Newline {
        p.next()?;
    }
    if *p.peek()? == Tok::Eof {
        return Ok(None);
    }
    loop {
        let mut and_or = p.and_or()?;
        match p.next()? {
            Tok::Op(op @ (";" | "&")) => {
                and_or.background = op == "&";
                list.push(and_or);
                match p.peek()? {
                    Tok::Newline => {
                        p.next()?;
                        break;
                    }
                    Tok::Eof => break,
                    _ => {}
                }
            }
            Tok::Newline | Tok::Eof => {
                list.push(and_or);
                break;
            }
            tok => return Err(SyntaxError::Unexpected(tok.text())),
        }
    }
    Ok(Some(list))
}

/// Parse up to the end of the input.
pub fn parse_program(lx: &mut Lexer<'_>) -> Result<Program, SyntaxError> {
    let mut p = Parser { lx, peeked: None };
    let program = p.list(&[])?;
    match p.next()? {
        Tok::Eof => Ok(program),
        tok => Err(SyntaxError::Unexpected(tok.text())),
    }
}

/// Parse the inside of `$(...)` up to and including its `)`.
pub fn parse_until_paren(lx: &mut Lexer<'_>) -> Result<Program, SyntaxError> {
    let mut p = Parser { lx, peeked: None };
    let program = p.list(&[])?;
    match p.next()? {
        Tok::Op(")") => Ok(program),
        Tok::Eof => Err(SyntaxError::Unterminated(')')),
        tok => Err(SyntaxError::Unexpected(tok.text())),
    }
}

struct Parser<'l, 'a> {
    lx: &'l mut Lexer<'a>,
    peeked: Option<Tok>,
}

const RESERVED: [&str; 15] = [
    "if", "then", "elif", "else", "fi", "for", "do", "done", "while", "until", "{", "}", "!",
    "case", "esac",
];

/// The reserved word a token spells, if it is an unquoted word that does.
fn reserved(tok: &Tok) -> Option<&'static str> {
    match tok {
        Tok::Word(w, raw) if matches!(w.as_slice(), [WordPart::Literal(_)]) => {
            RESERVED.iter().find(|r| **r == raw).copied()
        }
        _ => None,
    }
}

impl Parser<'_, '_> {
    fn peek(&mut self) -> Result<&Tok, SyntaxError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lx.next_token()?);
        }
        // Invariant: filled just above.
        Ok(self.peeked.as_ref().expect("peeked token"))
    }

    fn next(&mut self) -> Result<Tok, SyntaxError> {
        self.peek()?;
        Ok(self.peeked.take().unwrap_or(Tok::Eof))
    }

    fn skip_newlines(&mut self) -> Result<(), SyntaxError> {
        while *self.peek()? == Tok::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn peek_reserved(&mut self) -> Result<Option<&'static str>, SyntaxError> {
        Ok(reserved(self.peek()?))
    }

    /// And-or lists separated by `;`, `&` or newlines, up to the end, a `)`, or one of the
    /// reserved words in `until`.
    fn list(&mut self, until: &[&str]) -> Result<Program, SyntaxError> {
        let mut list = Vec::new();
        self.skip_newlines()?;
        loop {
            match self.peek()? {
                Tok::Eof | Tok::Op(")" | ";;") => break,
                tok if reserved(tok).is_some_and(|r| until.contains(&r)) => break,
                _ => {}
            }
            let mut and_or = self.and_or()?;
            match self.peek()? {
                Tok::Op(op @ (";" | "&")) => {
                    and_or.background = *op == "&";
                    self.next()?;
                    list.push(and_or);
                    self.skip_newlines()?;
                }
                Tok::Newline => {
                    list.push(and_or);
                    self.skip_newlines()?;
                }
                _ => {
                    list.push(and_or);
                    break;
                }
            }
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, SyntaxError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Tok::Op("&&") => Connector::And,
                Tok::Op("||") => Connector::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    /// Whether the next token is the unquoted word `word`.
    fn peek_word(&mut self, word: &str) -> Result<bool, SyntaxError> {
        Ok(matches!(self.peek()?, Tok::Word(w, raw)
            if raw == word && matches!(w.as_slice(), [WordPart::Literal(_)])))
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        // bash's `time [-p]` (a reserved word there; BusyBox's ash has the `time` program).
        let timed = self.lx.bash && self.peek_word("time")?;
        if timed {
            self.next()?;
            if self.peek_word("-p")? {
                self.next()?;
            }
            if matches!(self.peek()?, Tok::Eof | Tok::Newline | Tok::Op(";" | "&")) {
                return Ok(Pipeline {
                    negated: false,
                    timed,
                    commands: Vec::new(),
                });
            }
        }
        let negated = self.peek_reserved()? == Some("!");
        if negated {
            self.next()?;
        }
        let mut commands = vec![self.command()?];
        while *self.peek()? == Tok::Op("|") {
            self.next()?;
            self.skip_newlines()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline {
            negated,
            timed,
            commands,
        })
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        let compound = match self.peek_reserved()? {
            Some("if") => Some(self.if_clause()?),
            Some("for") => Some(self.for_clause()?),
            Some(w @ ("while" | "until")) => Some(self.while_clause(w == "until")?),
            Some("case") => Some(self.case_clause()?),
            Some("{") => {
                self.next()?;
                let body = self.body(&["}"], "}")?;
                Some(Compound::Group(body))
            }
            Some(word) => return Err(SyntaxError::Unexpected(word.to_string())),
            None if *self.peek()? == Tok::Op("(") => {
                self.next()?;
                self.enter()?;
                let body = self.list(&[])?;
                match self.next()? {
                    Tok::Op(")") if !body.is_empty() => {}
                    Tok::Eof => {
                        return Err(SyntaxError::Eof {
                            expecting: Some(")"),
                        })
                    }
                    tok => return Err(SyntaxError::Unexpected(tok.text())),
                }
                self.lx.depth -= 1;
                Some(Compound::Subshell(body))
            }
            None => None,
        };
        match compound {
            Some(compound) => {
                let mut redirects = Vec::new();
                while let Some(r) = self.redirect()? {
                    redirects.push(r);
                }
                Ok(Command::Compound(compound, redirects))
            }
            None => self.simple(),
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.lx.depth += 1;
        if self.lx.depth > MAX_DEPTH {
            return Err(SyntaxError::TooDeep);
        }
        Ok(())
    }

    /// A non-empty list ended by the reserved word `end` (consumed), one of `until`.
    fn body(&mut self, until: &[&str], end: &'static str) -> Result<Program, SyntaxError> {
        self.enter()?;
        let body = self.list(until)?;
        self.lx.depth -= 1;
        let tok = self.next()?;
        if tok == Tok::Eof {
            return Err(SyntaxError::Eof {
                expecting: Some(end),
            });
        }
        if body.is_empty() || reserved(&tok) != Some(end) {
            return Err(SyntaxError::Unexpected(tok.text()));
        }
        Ok(body)
    }

    fn if_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.body(&["then"], "then")?;
            self.enter()?;
            let then = self.list(&["elif", "else", "fi"])?;
            self.lx.depth -= 1;
            let tok = self.next()?;
            if tok == Tok::Eof {
                return Err(SyntaxError::Eof {
                    expecting: Some("fi"),
                });
            }
            if then.is_empty() {
                return Err(SyntaxError::Unexpected(tok.text()));
            }
            branches.push((cond, then));
            match reserved(&tok) {
                Some("elif") => continue,
                Some("else") => {
                    otherwise = Some(self.body(&["fi"], "fi")?);
                    break;
                }
                _ => break,
            }
        }
        Ok(Compound::If {
            branches,
            otherwise,
        })
    }

    fn for_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let var = match self.next()? {
            Tok::Word(_, raw) if is_name(&raw) => raw,
            Tok::Eof => return Err(SyntaxError::Eof { expecting: None }),
            tok => return Err(SyntaxError::BadForVariable(tok.text())),
        };
        self.skip_newlines()?;
        let mut words = None;
        if self.peek_reserved()?.is_none()
            && matches!(self.peek()?, Tok::Word(w, raw) if raw == "in" && w.len() == 1)
        {
            self.next()?;
            let mut list = Vec::new();
            while let Tok::Word(..) = self.peek()? {
                if let Tok::Word(w, _) = self.next()? {
                    list.push(w);
                }
            }
            words = Some(list);
        }
        match self.peek()? {
            Tok::Op(";") | Tok::Newline => {
                self.next()?;
            }
            _ => {}
        }
        self.skip_newlines()?;
        match self.next()? {
            tok if reserved(&tok) == Some("do") => {}
            Tok::Eof => {
                return Err(SyntaxError::Eof {
                    expecting: Some("do"),
                })
            }
            tok => return Err(SyntaxError::Unexpected(tok.text())),
        }
        let body = self.body(&["done"], "done")?;
        Ok(Compound::For { var, words, body })
    }

    fn while_clause(&mut self, until: bool) -> Result<Compound, SyntaxError> {
        self.next()?;
        let cond = self.body(&["do"], "do")?;
        let body = self.body(&["done"], "done")?;
        Ok(Compound::While { cond, body, until })
    }

    /// `case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac`, after `case`.
    fn case_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let word = match self.next()? {
            Tok::Word(w, _) => w,
            Tok::Eof => return Err(SyntaxError::Eof { expecting: None }),
            tok => return Err(SyntaxError::Unexpected(tok.text())),
        };
        self.skip_newlines()?;
        match self.next()? {
            Tok::Word(w, raw) if raw == "in" && w.len() == 1 => {}
            Tok::Eof => {
                return Err(SyntaxError::Eof {
                    expecting: Some("in"),
                })
            }
            tok => return Err(SyntaxError::Unexpected(tok.text())),
        }
        self.enter()?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_reserved()? == Some("esac") {
                self.next()?;
                break;
            }
            if *self.peek()? == Tok::Op("(") {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w, _) => patterns.push(w),
                    Tok::Eof => {
                        return Err(SyntaxError::Eof {
                            expecting: Some(")"),
                        })
                    }
                    tok => return Err(SyntaxError::Unexpected(tok.text())),
                }
                match self.next()? {
                    Tok::Op("|") => continue,
                    Tok::Op(")") => break,
                    Tok::Eof => {
                        return Err(SyntaxError::Eof {
                            expecting: Some(")"),
                        })
                    }
                    tok => return Err(SyntaxError::Unexpected(tok.text())),
                }
            }
            let body = self.list(&["esac"])?;
            arms.push((patterns, body));
            match self.next()? {
                Tok::Op(";;") => continue,
                tok if reserved(&tok) == Some("esac") => break,
                Tok::Eof => {
                    return Err(SyntaxError::Eof {
                        expecting: Some(";;"),
                    })
                }
                tok => return Err(SyntaxError::Unexpected(tok.text())),
            }
        }
        self.lx.depth -= 1;
        Ok(Compound::Case { word, arms })
    }

    /// A redirection operator and its target word, if one comes next.
    fn redirect(&mut self) -> Result<Option<Redirect>, SyntaxError> {
        let fd = match self.peek()? {
            Tok::IoNumber(n) => {
                let n = *n;
                self.next()?;
                Some(n)
            }
            _ => None,
        };
        let (kind, default_fd) = match self.peek()? {
            Tok::Op(">") => (RedirectKind::Write, 1),
            Tok::Op(">|") => (RedirectKind::Clobber, 1),
            Tok::Op(">>") => (RedirectKind::Append, 1),
            Tok::Op("&>") => (RedirectKind::WriteBoth, 1),
            Tok::Op("&>>") => (RedirectKind::AppendBoth, 1),
            Tok::Op("<<<") => (RedirectKind::HereString, 0),
            Tok::Op("<") => (RedirectKind::Read, 0),
            Tok::Op("<>") => (RedirectKind::ReadWrite, 0),
            Tok::Op(">&") => (RedirectKind::Dup, 1),
            Tok::Op("<&") => (RedirectKind::Dup, 0),
            Tok::Op("<<" | "<<-") => (RedirectKind::HereDoc, 0),
            tok if fd.is_some() => return Err(SyntaxError::Unexpected(tok.text())),
            _ => return Ok(None),
        };
        let op = self.next()?;
        let (target, raw) = match self.next()? {
            Tok::Word(w, raw) => (w, raw),
            Tok::Eof => return Err(SyntaxError::Eof { expecting: None }),
            tok => return Err(SyntaxError::Unexpected(tok.text())),
        };
        let target = if kind == RedirectKind::HereDoc {
            self.heredoc(&target, &raw, op == Tok::Op("<<-"))?
        } else {
            target
        };
        Ok(Some(Redirect {
            fd: fd.unwrap_or(default_fd),
            kind,
            target,
        }))
    }

    /// A here-document's body as a word: quoted text when any part of the delimiter was
    /// quoted, else text with `$` expansions.
    fn heredoc(&mut self, delim: &Word, raw: &str, strip_tabs: bool) -> Result<Word, SyntaxError> {
        let quoted = delim.iter().any(|p| !matches!(p, WordPart::Literal(_)));
        let name: String = if quoted {
            raw.chars()
                .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                .collect()
        } else {
            raw.to_string()
        };
        let body = self.lx.read_heredoc(&name, strip_tabs)?;
        if quoted {
            return Ok(vec![WordPart::Quoted(body)]);
        }
        let chars: Vec<char> = body.chars().collect();
        let mut sub = Lexer::new(&chars);
        sub.bash = self.lx.bash;
        sub.depth = self.lx.depth;
        Ok(vec![WordPart::DoubleQuoted(sub.heredoc_parts()?)])
    }

    fn simple(&mut self) -> Result<Command, SyntaxError> {
        let line = self.lx.line;
        let mut cmd = SimpleCommand {
            assignments: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            line,
        };
        loop {
            if let Some(r) = self.redirect()? {
                cmd.redirects.push(r);
                continue;
            }
            match self.peek()? {
                Tok::Word(..) => {
                    let Tok::Word(word, _) = self.next()? else {
                        break;
                    };
                    match (cmd.words.is_empty(), assignment(&word)) {
                        (true, Some(a)) => cmd.assignments.push(a),
                        _ => cmd.words.push(word),
                    }
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return Err(match self.next()? {
                Tok::Eof => SyntaxError::Eof { expecting: None },
                tok => SyntaxError::Unexpected(tok.text()),
            });
        }
        if !cmd.words.is_empty() && *self.peek()? == Tok::Op("(") {
            // `name() compound-command`
            let name = match (cmd.words.as_slice(), cmd.assignments.is_empty()) {
                ([w], true) => match w.as_slice() {
                    [WordPart::Literal(n)] if is_name(n) => n.clone(),
                    _ => return Err(SyntaxError::Unexpected("(".into())),
                },
                _ => return Err(SyntaxError::Unexpected("(".into())),
            };
            self.next()?;
            match self.next()? {
                Tok::Op(")") => {}
                Tok::Eof => {
                    return Err(SyntaxError::Eof {
                        expecting: Some(")"),
                    })
                }
                tok => return Err(SyntaxError::Unexpected(tok.text())),
            }
            self.skip_newlines()?;
            self.enter()?;
            let body = self.command()?;
            self.lx.depth -= 1;
            if !matches!(body, Command::Compound(..)) {
                return Err(SyntaxError::Unexpected(name));
            }
            return Ok(Command::Function(name, Box::new(body)));
        }
        Ok(Command::Simple(cmd))
    }
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `NAME=value` as the first words of a simple command.
fn assignment(word: &Word) -> Option<(String, Word)> {
    let Some(WordPart::Literal(first)) = word.first() else {
        return None;
    };
    let (name, value) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut rest: Word = Vec::new();
    if !value.is_empty() {
        rest.push(WordPart::Literal(value.to_string()));
    }
    rest.extend(word[1..].iter().cloned());
    Some((name.to_string(), rest))
}
