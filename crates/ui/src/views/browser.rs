//! A small browser on the Docker host: `http://localhost:PORT/PATH` goes to whatever container
//! publishes that port (the todo app, nginx), through the engine, never the network. Pages are
//! drawn from a few safe elements (headings, paragraphs, lists, links); nothing of a page runs.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::context::{action_callback, use_lang, use_runner, use_shared};
use crate::i18n::texts;
use crate::timeline::Action;

/// Parses `localhost:8010/path`, `http://127.0.0.1:8010`, `:8010/x`.
pub fn parse_address(text: &str) -> Option<(u16, String)> {
    let rest = text.trim();
    let rest = rest
        .strip_prefix("http://")
        .or_else(|| rest.strip_prefix("https://"))
        .unwrap_or(rest);
    let rest = rest
        .strip_prefix("localhost")
        .or_else(|| rest.strip_prefix("127.0.0.1"))
        .unwrap_or(rest);
    let rest = rest.strip_prefix(':')?;
    let (port, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Some((port.parse().ok()?, path.to_string()))
}

/// One piece of a page as the panel draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Heading(String),
    Para(String),
    Item(String),
    Link { text: String, href: String },
    Title(String),
}

/// Reads the few elements the sample apps use; everything else is its text.
pub fn render_html(html: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut kind: Option<&'static str> = None;
    let mut href = String::new();
    let mut rest = html;
    let flush = |out: &mut Vec<Piece>, text: &mut String, kind: Option<&str>, href: &str| {
        let t = decode(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
        );
        text.clear();
        if t.is_empty() {
            return;
        }
        out.push(match kind {
            Some("h") => Piece::Heading(t),
            Some("li") => Piece::Item(t),
            Some("title") => Piece::Title(t),
            Some("a") => Piece::Link {
                text: t,
                href: href.to_string(),
            },
            _ => Piece::Para(t),
        });
    };
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            // An unclosed `<`: the rest is text (what came before it is already kept).
            rest = &rest[open..];
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        let block = matches!(
            name.as_str(),
            "h1" | "h2" | "h3" | "p" | "li" | "ul" | "ol" | "title" | "div" | "br" | "a" | "body"
        );
        if block {
            flush(&mut out, &mut text, kind, &href);
            kind = if closing {
                None
            } else {
                match name.as_str() {
                    "h1" | "h2" | "h3" => Some("h"),
                    "li" => Some("li"),
                    "title" => Some("title"),
                    "a" => {
                        href = tag
                            .split("href=\"")
                            .nth(1)
                            .and_then(|h| h.split('"').next())
                            .unwrap_or("")
                            .to_string();
                        Some("a")
                    }
                    _ => None,
                }
            };
        }
    }
    text.push_str(rest);
    flush(&mut out, &mut text, kind, &href);
    out
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `%`-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn Browser() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let on_action = action_callback(&shared, use_runner());
    let address = use_state(|| "localhost:8010/".to_string());
    let item = use_state(String::new);
    let t = texts(lang);
    let timeline = shared.timeline.borrow();
    let last = timeline.last_browse().and_then(|s| match &s.action {
        Action::Browse { port, path } => Some((*port, path.clone(), s.code, s.printed.clone())),
        _ => None,
    });
    // A page longer than a step keeps (`output.rs`) shows its head and tail, and says so.
    let omitted = timeline.last_browse().and_then(|s| s.omitted);
    let go = {
        let address = address.clone();
        let on_action = on_action.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some((port, path)) = parse_address(&address) {
                on_action.emit(Action::Browse { port, path });
            }
        })
    };
    let on_address = {
        let address = address.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                address.set(i.value());
            }
        })
    };
    let on_item = {
        let item = item.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                item.set(i.value());
            }
        })
    };
    let page = match &last {
        None => html! { <p class="muted">{ t.browser_help }</p> },
        Some((_, _, 7, printed)) => html! {
            <p class="error-page">{ format!("{} ({})", t.browser_unreachable, printed.first().map(|p| p.text.as_str()).unwrap_or("")) }</p>
        },
        Some((_, _, _, printed)) => {
            let body: String = printed.iter().map(|p| p.text.as_str()).collect();
            html! {
                <div class="page">
                    { for render_html(&body).into_iter().map(|piece| match piece {
                        Piece::Title(_) => html! {},
                        Piece::Heading(h) => html! { <h4>{ h }</h4> },
                        Piece::Para(p) => html! { <p>{ p }</p> },
                        Piece::Item(i) => html! { <p class="page-item">{ format!("• {i}") }</p> },
                        Piece::Link { text, href } => html! { <p><u title={ href }>{ text }</u></p> },
                    }) }
                    if let Some(o) = &omitted {
                        <p class="muted">{ crate::i18n::omitted(lang, o) }</p>
                    }
                </div>
            }
        }
    };
    // The todo app takes new items at /cgi-bin/add.cgi?item=...
    let todo_port = last
        .as_ref()
        .filter(|(_, _, _, printed)| printed.iter().any(|p| p.text.contains("To-do list")))
        .map(|(port, _, _, _)| *port);
    let add = {
        let item = item.clone();
        let on_action = on_action.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let (Some(port), false) = (todo_port, item.trim().is_empty()) {
                on_action.emit(Action::Browse {
                    port,
                    path: format!("/cgi-bin/add.cgi?item={}", encode(item.trim())),
                });
                on_action.emit(Action::Browse {
                    port,
                    path: "/".into(),
                });
                item.set(String::new());
            }
        })
    };
    html! {
        <div class="browser" data-testid="browser">
            <form class="address" onsubmit={ go }>
                <label class="visually-hidden" for="browser-address">{ t.browser_address }</label>
                <input id="browser-address" type="text" value={ (*address).clone() } oninput={ on_address }
                    spellcheck="false" data-testid="browser-address" />
                <button type="submit" class="small-button">{ t.browser_go }</button>
            </form>
            { page }
            if todo_port.is_some() {
                <form class="todo-add" onsubmit={ add }>
                    <input type="text" value={ (*item).clone() } oninput={ on_item } aria-label={ t.browser_new_item }
                        placeholder={ t.browser_new_item } data-testid="todo-item" />
                    <button type="submit" class="small-button">{ t.browser_add }</button>
                </form>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_before_an_unclosed_tag_is_kept_once() {
        assert_eq!(render_html("a><b"), vec![Piece::Para("a><b".into())]);
    }

    #[test]
    fn addresses_name_a_port_and_a_path() {
        assert_eq!(parse_address("localhost:8010"), Some((8010, "/".into())));
        assert_eq!(
            parse_address("http://127.0.0.1:8080/index.html"),
            Some((8080, "/index.html".into()))
        );
        assert_eq!(parse_address("example.com"), None);
    }

    #[test]
    fn pages_are_read_as_headings_paragraphs_and_items_without_markup() {
        let pieces = render_html(
            "<html><head><title>To-do list</title></head><body><h1>To-do list</h1>\n<ul>\n<li>buy &amp; milk</li>\n<li><script>x</script></li></ul></body></html>",
        );
        assert_eq!(
            pieces,
            vec![
                Piece::Title("To-do list".into()),
                Piece::Heading("To-do list".into()),
                Piece::Item("buy & milk".into()),
                Piece::Item("x".into()),
            ]
        );
    }

    /// Hostile pages: the reader never panics, ends within a time bound, and what it keeps is
    /// never more than the page (nothing of a page grows when read). Native only (proptest);
    /// `LAYERBOX_FUZZ_CASES` sets the number of cases.
    #[cfg(not(target_arch = "wasm32"))]
    mod fuzz {
        use super::super::{parse_address, render_html, Piece};
        use proptest::prelude::*;
        use std::time::{Duration, Instant};

        const BOUND: Duration = Duration::from_millis(500);

        fn cases() -> u32 {
            std::env::var("LAYERBOX_FUZZ_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(2000)
        }

        fn kept(pieces: &[Piece]) -> usize {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Heading(t) | Piece::Para(t) | Piece::Item(t) | Piece::Title(t) => {
                        t.len()
                    }
                    Piece::Link { text, href } => text.len() + href.len(),
                })
                .sum()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(cases()))]

            #[test]
            fn any_page_is_read_within_bounds(page in "(<(/?)(h1|h3|p|li|ul|a href=\"[^\"]{0,6}\"|a href=|title|script|div|br|body|x)[^>]{0,4}>|&(lt|gt|amp|quot|#39);?|[^<&]{0,8}|<|>|&|\\s){0,300}") {
                let began = Instant::now();
                let pieces = render_html(&page);
                prop_assert!(began.elapsed() < BOUND, "took {:?}", began.elapsed());
                prop_assert!(kept(&pieces) <= page.len());
                for p in &pieces {
                    if let Piece::Link { href, .. } = p {
                        prop_assert!(!href.contains('"'));
                    }
                }
            }

            #[test]
            fn any_address_is_read_or_refused(text in "(https?://)?(localhost|127\\.0\\.0\\.1)?:?[0-9]{0,8}(/[^ ]{0,10})?|.{0,30}") {
                if let Some((_, path)) = parse_address(&text) {
                    prop_assert!(path.starts_with('/'));
                }
            }
        }

        #[test]
        fn a_large_page_of_open_tags_is_read_in_linear_time() {
            for page in [
                "<a".repeat(200_000),
                "<p>".repeat(100_000),
                "&amp;".repeat(200_000),
            ] {
                let began = Instant::now();
                let pieces = render_html(&page);
                assert!(began.elapsed() < BOUND * 4, "took {:?}", began.elapsed());
                assert!(kept(&pieces) <= page.len());
            }
        }
    }
}
