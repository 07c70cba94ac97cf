//! Hostile session files and share links: the readers never panic, stay within time and
//! size bounds on arbitrary bytes, and what the page may save always loads back.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use layerbox_ui::timeline::{Action, LoadError, SessionFile};
use proptest::prelude::*;

/// Every read ends well within this, whatever it is given.
const BOUND: Duration = Duration::from_millis(500);

fn read_file(text: &str) -> Result<SessionFile, LoadError> {
    let began = Instant::now();
    let result = SessionFile::from_json(text);
    assert!(
        began.elapsed() < BOUND,
        "from_json took {:?}",
        began.elapsed()
    );
    if let Ok(file) = &result {
        assert!(file.actions.len() <= SessionFile::MAX_ACTIONS);
        assert!(file.cursor <= file.actions.len());
    }
    result
}

fn read_link(text: &str) -> Result<SessionFile, LoadError> {
    let began = Instant::now();
    let result = SessionFile::from_link(text);
    assert!(
        began.elapsed() < BOUND,
        "from_link took {:?}",
        began.elapsed()
    );
    if let Ok(file) = &result {
        assert!(file.actions.len() <= SessionFile::MAX_ACTIONS);
    }
    result
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        ".{0,40}".prop_map(|line| Action::Line { line }),
        ".{0,10}".prop_map(|typed| Action::Interrupt { typed }),
        Just(Action::EndOfInput),
        (any::<u16>(), ".{0,20}").prop_map(|(port, path)| Action::Browse { port, path }),
        (".{0,20}", ".{0,40}").prop_map(|(path, text)| Action::HostWrite { path, text }),
        ".{0,20}".prop_map(|path| Action::HostMkdir { path }),
        ".{0,20}".prop_map(|path| Action::HostRemove { path }),
    ]
}

fn link_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let packed = miniz_oxide::deflate::compress_to_vec(bytes, 9);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_are_refused_or_read_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_file(&String::from_utf8_lossy(&bytes));
        let _ = read_link(&String::from_utf8_lossy(&bytes));
        // The same bytes deflated into a well-formed link.
        let _ = read_link(&link_of(&bytes));
    }

    #[test]
    fn json_shaped_garbage_is_refused_with_a_reason(
        version in prop_oneof![Just("1".to_string()), "-?[0-9]{1,25}(\\.[0-9])?", Just("null".into())],
        actions in prop_oneof![Just("[]".to_string()), "\\[(\\{\"kind\": ?\"[a-z-]{0,12}\"(, ?\"[a-z]{1,6}\": ?(\"[^\"]{0,8}\"|-?[0-9]{1,22}|null|\\[\\]))*\\},? ?){0,4}\\]"],
        cursor in prop_oneof![Just("0".to_string()), "-?[0-9]{1,25}", Just("\"0\"".into())],
    ) {
        let text = format!("{{\"version\": {version}, \"actions\": {actions}, \"cursor\": {cursor}}}");
        if let Err(LoadError::Malformed(why)) = read_file(&text) {
            prop_assert!(!why.is_empty());
        }
        let _ = read_link(&link_of(text.as_bytes()));
    }

    #[test]
    fn what_fits_loads_back_and_what_does_not_is_refused(
        actions in prop::collection::vec(action(), 0..30),
        cursor in any::<prop::sample::Index>(),
    ) {
        let cursor = cursor.index(actions.len() + 1);
        let file = SessionFile { version: SessionFile::VERSION, actions, cursor };
        prop_assert!(file.fits());
        prop_assert_eq!(read_file(&file.to_json()), Ok(file.clone()));
        if let Some(link) = file.to_link() {
            prop_assert_eq!(read_link(&link), Ok(file));
        }
    }
}

#[test]
fn a_file_at_the_limits_saves_exports_and_loads_and_one_past_them_does_not() {
    let line = |i: usize| Action::Line {
        line: format!("echo {i}"),
    };
    let mut file = SessionFile {
        version: SessionFile::VERSION,
        actions: (0..SessionFile::MAX_ACTIONS).map(line).collect(),
        cursor: SessionFile::MAX_ACTIONS,
    };
    assert!(file.fits());
    assert_eq!(read_file(&file.to_json()), Ok(file.clone()));
    file.actions.push(line(0));
    assert!(!file.fits());
    assert_eq!(read_file(&file.to_json()), Err(LoadError::TooLarge));

    // Bytes: one long line, just within and just past the limit.
    let empty = SessionFile {
        version: SessionFile::VERSION,
        actions: vec![Action::Line {
            line: String::new(),
        }],
        cursor: 1,
    };
    let room = SessionFile::MAX_BYTES - empty.to_json().len();
    for (extra, fits) in [(room, true), (room + 1, false)] {
        let file = SessionFile {
            actions: vec![Action::Line {
                line: "x".repeat(extra),
            }],
            ..empty.clone()
        };
        assert_eq!(file.fits(), fits, "{extra}");
        assert_eq!(read_file(&file.to_json()).is_ok(), fits, "{extra}");
    }
}

#[test]
fn a_deflate_bomb_link_is_refused_quickly() {
    let bomb = vec![b' '; 4 << 20];
    let link = link_of(&bomb);
    assert!(link.len() <= SessionFile::MAX_LINK, "{}", link.len());
    assert!(read_link(&link).is_err());
}
