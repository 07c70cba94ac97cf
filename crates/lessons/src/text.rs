//! The two languages of the course and a text given in both.

use serde::{Deserialize, Serialize};

/// A language the course is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    /// `ko` or `en`, as in `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The language a code names (`ko`, `en`, `ko-KR`, `en-US`); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
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
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code(Lang::En.code()), Some(Lang::En));
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
