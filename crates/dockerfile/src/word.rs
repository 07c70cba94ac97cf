//! The builder's word processing (BuildKit's `shell.Lex`): quotes removed, `\` escapes, and
//! `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` replaced from the build's environment.

/// How deeply `${VAR:-word}` may nest a substitution in its word.
/// Emulation note: BuildKit's lexer recurses as deep as the text nests (Go's stack grows);
/// layerbox stops past this depth with `layerbox: substitutions nested deeper than 64
/// (layerbox limit)`, so neither the stack nor the time grows with a hostile Dockerfile.
pub const MAX_NESTING: usize = 64;

/// Looks up a variable of the build (ENV and ARG values).
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// `word` with quotes removed and variables substituted.
pub fn expand(word: &str, env: Lookup<'_>) -> Result<String, String> {
    Ok(lex(word, env, 0)?.concat())
}

/// `text` split into words at unquoted blanks, each processed as [`expand`] does.
pub fn expand_words(text: &str, env: Lookup<'_>) -> Result<Vec<String>, String> {
    lex(text, env, 0)
}

/// The words of `text`, itself the word of a substitution nested `depth` deep.
fn lex(text: &str, env: Lookup<'_>, depth: usize) -> Result<Vec<String>, String> {
    if depth > MAX_NESTING {
        return Err(format!(
            "layerbox: substitutions nested deeper than {MAX_NESTING} (layerbox limit)"
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                i += 1;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                i += 1;
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err(
                            "unexpected end of statement while looking for matching double-quote"
                                .into(),
                        );
                    };
                    match d {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '$' | '\\')) => {
                            word.push(chars[i + 1]);
                            i += 2;
                        }
                        '$' => {
                            let (value, next) = variable(&chars, i, env, depth)?;
                            word.push_str(&value);
                            i = next;
                        }
                        _ => {
                            word.push(d);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(&n) = chars.get(i + 1) {
                    word.push(n);
                }
                i += 2;
            }
            '$' => {
                in_word = true;
                let (value, next) = variable(&chars, i, env, depth)?;
                word.push_str(&value);
                i = next;
            }
            _ => {
                in_word = true;
                word.push(c);
                i += 1;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The value of the variable reference at `chars[at] == '$'` and the index after it.
fn variable(
    chars: &[char],
    at: usize,
    env: Lookup<'_>,
    nesting: usize,
) -> Result<(String, usize), String> {
    let mut i = at + 1;
    match chars.get(i) {
        Some('{') => {
            i += 1;
            let start = i;
            while chars.get(i).is_some_and(|c| is_name_char(*c)) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            if name.is_empty() {
                return Err("bad substitution".into());
            }
            match chars.get(i) {
                Some('}') => Ok((env(&name).unwrap_or_default(), i + 1)),
                Some(':') | Some('-') | Some('+') | Some('?') => {
                    let colon = chars[i] == ':';
                    if colon {
                        i += 1;
                    }
                    let Some(&op) = chars.get(i) else {
                        return Err(format!("missing '}}' in '{}'", name));
                    };
                    i += 1;
                    let word_start = i;
                    let mut depth = 0;
                    while let Some(&c) = chars.get(i) {
                        if c == '{' {
                            depth += 1;
                        } else if c == '}' {
                            if depth == 0 {
                                break;
                            }
                            depth -= 1;
                        }
                        i += 1;
                    }
                    if i >= chars.len() {
                        return Err(format!("missing '}}' in '{}'", name));
                    }
                    let word: String = chars[word_start..i].iter().collect();
                    let word = lex(&word, env, nesting + 1)?.concat();
                    let value = env(&name);
                    let set = match &value {
                        Some(v) => !colon || !v.is_empty(),
                        None => false,
                    };
                    let out = match op {
                        '-' => {
                            if set {
                                value.unwrap_or_default()
                            } else {
                                word
                            }
                        }
                        '+' => {
                            if set {
                                word
                            } else {
                                String::new()
                            }
                        }
                        '?' => {
                            if set {
                                value.unwrap_or_default()
                            } else {
                                return Err(format!("{name}: {word}"));
                            }
                        }
                        _ => return Err(format!("unsupported modifier ({op}) in substitution")),
                    };
                    Ok((out, i + 1))
                }
                _ => Err(format!("missing '}}' in '{}'", name)),
            }
        }
        Some(c) if is_name_char(*c) => {
            let start = i;
            while chars.get(i).is_some_and(|c| is_name_char(*c)) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            Ok((env(&name).unwrap_or_default(), i))
        }
        _ => Ok(("$".into(), i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "DIR" => Some("/opt/app".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn variables_are_replaced_in_both_spellings() {
        assert_eq!(expand("$DIR/bin", &env).as_deref(), Ok("/opt/app/bin"));
        assert_eq!(expand("${DIR}x", &env).as_deref(), Ok("/opt/appx"));
        assert_eq!(expand("$NOPE-x", &env).as_deref(), Ok("-x"));
    }

    #[test]
    fn defaults_and_alternatives_follow_the_shell() {
        assert_eq!(expand("${NOPE:-def}", &env).as_deref(), Ok("def"));
        assert_eq!(expand("${EMPTY:-def}", &env).as_deref(), Ok("def"));
        assert_eq!(expand("${EMPTY-def}", &env).as_deref(), Ok(""));
        assert_eq!(expand("${DIR:+set}", &env).as_deref(), Ok("set"));
    }

    #[test]
    fn quotes_are_removed_and_single_quotes_keep_dollars() {
        assert_eq!(expand("\"a b\"", &env).as_deref(), Ok("a b"));
        assert_eq!(expand("'$DIR'", &env).as_deref(), Ok("$DIR"));
        assert_eq!(expand("\\$DIR", &env).as_deref(), Ok("$DIR"));
        assert_eq!(
            expand_words("/a \"/b c\" $DIR", &env),
            Ok(vec!["/a".to_string(), "/b c".into(), "/opt/app".into()])
        );
    }
}
