//! The two languages layerbox speaks and a text given in both.
//!
//! One `Lang` for every crate: the view model words its explanations in it, the course picks
//! its texts with it and the web app switches its page with it. Docker's own output stays in
//! English in both, as in Docker. The UI's own texts live in the UI crate; only what several
//! crates share is here.

use serde::{Deserialize, Serialize};

/// A language the playground and the course are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// `ko` or `en`: the `lang` attribute and the `?lang=` value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The language a code names (`ko`, `en`, and regional forms such as `ko-KR`, `en_US`);
    /// anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the page's switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ko => Lang::En,
            Lang::En => Lang::Ko,
        }
    }
}

/// One text in Korean and English (`{ ko = "...", en = "..." }` in a lesson file).
#[derive(Clone, Debug, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub ko: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_with_regions_name_their_language() {
        assert_eq!(Lang::from_code("ko-KR"), Some(Lang::Ko));
        assert_eq!(Lang::from_code("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_code("en_US"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code(Lang::En.code()), Some(Lang::En));
    }

    #[test]
    fn the_other_language_of_the_other_is_the_first() {
        for lang in [Lang::Ko, Lang::En] {
            assert_ne!(lang.other(), lang);
            assert_eq!(lang.other().other(), lang);
        }
    }

    #[test]
    fn text_gives_the_asked_language() {
        let t = Text {
            ko: "안녕".into(),
            en: "hello".into(),
        };
        assert_eq!(t.get(Lang::Ko), "안녕");
        assert_eq!(t.get(Lang::En), "hello");
    }
}
