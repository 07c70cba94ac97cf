//! The template lexer: a template's text cut into text and `{{ }}` actions (with `{{-`/`-}}`
//! trimming, comments and the action's keyword), each action's words cut into tokens, and the
//! `template: :LINE:` position every parse error carries.

/// `template: :LINE: ...` for a parse error at byte `pos` of `text`.
pub(super) fn parse_err(text: &str, pos: usize, msg: impl std::fmt::Display) -> String {
    let line = 1 + text[..pos.min(text.len())].matches('\n').count();
    format!("template: :{line}: {msg}")
}

/// One token of an action; the parser's errors print it with `{:?}`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Open,
    Close,
    Pipe,
    Decl,
    Comma,
    Word(String),
}

/// One piece of a template, in the order of its text.
pub(super) enum Item<'a> {
    Text(String),
    Action(Action<'a>),
}

/// One `{{ }}` action, cut into tokens.
pub(super) struct Action<'a> {
    /// Where its `{{` is.
    pub(super) pos: usize,
    /// `if`, `range`, `with`, `else`, `end`, or "" for a plain action.
    pub(super) keyword: &'a str,
    /// An `else if`: `toks` are the pipeline after the `if`.
    pub(super) else_if: bool,
    /// The pipeline's tokens, each at its byte offset from `base`.
    pub(super) toks: Vec<(usize, Tok)>,
    pub(super) base: usize,
}

/// Cuts `text` into items and hands each to `emit` as soon as it is cut, so the first error in
/// the text is the one reported, whether the lexer or `emit` finds it.
pub(super) fn lex<'a>(
    text: &'a str,
    mut emit: impl FnMut(Item<'a>) -> Result<(), String>,
) -> Result<(), String> {
    let mut rest = 0;
    let mut trim_next = false;
    while let Some(found) = text[rest..].find("{{") {
        let start = rest + found;
        let mut chunk = &text[rest..start];
        if trim_next {
            chunk = chunk.trim_start();
        }
        let mut body_start = start + 2;
        let trim_before = text[body_start..].starts_with("- ")
            || text[body_start..].starts_with("-\t")
            || text[body_start..].starts_with("-\n");
        if trim_before {
            chunk = chunk.trim_end();
            body_start += 1;
        }
        if !chunk.is_empty() {
            emit(Item::Text(chunk.to_string()))?;
        }
        // Find the closing `}}` outside quotes.
        let bytes = text.as_bytes();
        let mut i = body_start;
        let mut quote: Option<u8> = None;
        let end = loop {
            if i + 1 >= bytes.len() {
                let msg = match quote {
                    Some(b'"') => "unterminated quoted string",
                    Some(_) => "unterminated raw quoted string",
                    None => "unclosed action",
                };
                return Err(parse_err(text, start, msg));
            }
            match (quote, bytes[i]) {
                (None, b'"') | (None, b'`') => quote = Some(bytes[i]),
                (Some(b'"'), b'\\') => i += 1,
                (Some(q), c) if c == q => quote = None,
                (None, b'}') if bytes[i + 1] == b'}' => break i,
                _ => {}
            }
            i += 1;
        };
        let mut body_end = end;
        trim_next = false;
        if body_end > body_start
            && text[..body_end].ends_with('-')
            && text[..body_end - 1].ends_with([' ', '\t', '\n'])
        {
            body_end -= 1;
            trim_next = true;
        }
        let body = &text[body_start..body_end];
        rest = end + 2;
        let trimmed = body.trim_start();
        if trimmed.starts_with("/*") {
            continue;
        }
        let lead = body.len() - trimmed.len();
        let kw_len = trimmed
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(trimmed.len());
        let kw = &trimmed[..kw_len];
        let (kw, pipe_text, pipe_base) = match kw {
            "if" | "range" | "with" | "else" | "end" | "define" | "template" | "block"
            | "break" | "continue" => (kw, &trimmed[kw_len..], body_start + lead + kw_len),
            _ => ("", body, body_start),
        };
        if ["define", "template", "block", "break", "continue"].contains(&kw) {
            return Err(format!(
                "layerbox: template action \"{kw}\" is not modelled"
            ));
        }
        let toks = tokens(text, pipe_text, pipe_base)?;
        // `else if ...`
        let action = match (kw, toks.first()) {
            ("else", Some((_, Tok::Word(w)))) if w == "if" => {
                let offset = toks[0].0 + 2;
                Action {
                    pos: start,
                    keyword: "else",
                    else_if: true,
                    toks: tokens(text, &pipe_text[offset..], pipe_base + offset)?,
                    base: pipe_base + offset,
                }
            }
            _ => Action {
                pos: start,
                keyword: kw,
                else_if: false,
                toks,
                base: pipe_base,
            },
        };
        emit(Item::Action(action))?;
    }
    let mut chunk = &text[rest..];
    if trim_next {
        chunk = chunk.trim_start();
    }
    if !chunk.is_empty() {
        emit(Item::Text(chunk.to_string()))?;
    }
    Ok(())
}

/// The tokens of `pipe`, the part of `src` at byte `base`, each at its offset in `pipe`.
fn tokens(src: &str, pipe: &str, base: usize) -> Result<Vec<(usize, Tok)>, String> {
    let err = |at: usize, msg: &str| parse_err(src, base + at, msg);
    let bytes = pipe.as_bytes();
    let mut at = 0;
    let mut toks = Vec::new();
    while at < bytes.len() {
        let c = bytes[at];
        let start = at;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => at += 1,
            b'(' => {
                toks.push((start, Tok::Open));
                at += 1
            }
            b')' => {
                toks.push((start, Tok::Close));
                at += 1
            }
            b'|' => {
                toks.push((start, Tok::Pipe));
                at += 1
            }
            b',' => {
                toks.push((start, Tok::Comma));
                at += 1
            }
            b':' if bytes.get(at + 1) == Some(&b'=') => {
                toks.push((start, Tok::Decl));
                at += 2
            }
            b'=' => {
                toks.push((start, Tok::Decl));
                at += 1
            }
            b'"' => {
                at += 1;
                let mut escaped = false;
                loop {
                    match bytes.get(at) {
                        None | Some(b'\n') => return Err(err(at, "unterminated quoted string")),
                        Some(b'\\') if !escaped => escaped = true,
                        Some(b'"') if !escaped => break,
                        _ => escaped = false,
                    }
                    at += 1;
                }
                at += 1;
                toks.push((start, Tok::Word(pipe[start..at].to_string())));
            }
            b'`' => {
                let Some(end) = pipe[at + 1..].find('`') else {
                    return Err(err(at, "unterminated raw quoted string"));
                };
                at += end + 2;
                toks.push((start, Tok::Word(pipe[start..at].to_string())));
            }
            _ => {
                while at < bytes.len()
                    && !b" \t\n\r()|,=\"`".contains(&bytes[at])
                    && !(bytes[at] == b':' && bytes.get(at + 1) == Some(&b'='))
                {
                    at += 1;
                }
                // `).Field` after a parenthesis is lexed as a word starting with '.'.
                toks.push((start, Tok::Word(pipe[start..at].to_string())));
            }
        }
    }
    Ok(toks)
}
