//! The notice that the session's storage is nearly full: what it stores against its one limit
//! (`Session::storage`, across the host, the layers it made, containers, volumes and tmpfs),
//! shown from [`NEAR_PERCENT`] on, with what to do about it, in the page's language.

use layerbox_i18n::Lang;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};

/// From how full (in percent of the limit) the page says so.
pub const NEAR_PERCENT: u64 = 80;

/// What the notice says for `used` bytes of `limit`, or `None` while there is room.
pub fn notice_text(lang: Lang, used: u64, limit: u64) -> Option<String> {
    let percent = used.saturating_mul(100).checked_div(limit).unwrap_or(100);
    if percent < NEAR_PERCENT {
        return None;
    }
    // In MiB, as `df -h` counts the same disk (128M), not Docker's decimal sizes.
    let (used_text, limit_text) = (mib(used), mib(limit));
    let full = used >= limit;
    Some(match (lang, full) {
        (Lang::Ko, false) => format!(
            "저장 공간이 거의 찼습니다: 이 세션은 {limit_text} 중 {used_text}({percent}%)를 쓰고 있습니다. \
             가득 차면 파일 쓰기, docker build, docker commit, docker cp가 \
             'No space left on device'로 실패합니다. 필요 없는 컨테이너, 이미지, 볼륨이나 파일을 지우면 공간이 생깁니다."
        ),
        (Lang::Ko, true) => format!(
            "저장 공간이 가득 찼습니다({limit_text}): 파일 쓰기, docker build, docker commit, docker cp가 \
             'No space left on device'로 실패합니다. 필요 없는 컨테이너, 이미지, 볼륨이나 파일을 지우면 공간이 생깁니다."
        ),
        (Lang::En, false) => format!(
            "Storage is nearly full: this session uses {used_text} of {limit_text} ({percent}%). \
             When it is full, writing files, docker build, docker commit and docker cp fail with \
             'No space left on device'. Removing containers, images, volumes or files you no \
             longer need frees space."
        ),
        (Lang::En, true) => format!(
            "Storage is full ({limit_text}): writing files, docker build, docker commit and \
             docker cp fail with 'No space left on device'. Removing containers, images, volumes \
             or files you no longer need frees space."
        ),
    })
}

/// `bytes` in MiB, with one decimal unless whole.
fn mib(bytes: u64) -> String {
    let tenths = (bytes * 10 + (1 << 19)) >> 20;
    if tenths.is_multiple_of(10) {
        format!("{} MiB", tenths / 10)
    } else {
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

/// The notice, for the session at the timeline's cursor; nothing while there is room.
#[component]
pub fn StorageNotice() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let storage = shared.timeline.borrow().current().storage();
    match notice_text(lang, storage.used, storage.limit) {
        Some(text) => html! {
            <p class="notice storage-notice" role="status" data-testid="storage-notice">{ text }</p>
        },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_says_nothing_while_there_is_room_and_both_languages_when_near() {
        let limit = 128 << 20;
        assert_eq!(notice_text(Lang::En, 0, limit), None);
        assert_eq!(notice_text(Lang::Ko, limit / 10 * 7, limit), None);
        let near = notice_text(Lang::En, limit / 10 * 9, limit).unwrap();
        assert!(near.starts_with("Storage is nearly full"), "{near}");
        assert!(near.contains("(89%)"), "{near}");
        assert!(near.contains("uses 115.2 MiB of 128 MiB"), "{near}");
        let ko = notice_text(Lang::Ko, limit / 10 * 9, limit).unwrap();
        assert!(ko.starts_with("저장 공간이 거의 찼습니다"), "{ko}");
        let full = notice_text(Lang::En, limit, limit).unwrap();
        assert!(full.starts_with("Storage is full"), "{full}");
        assert!(notice_text(Lang::Ko, limit + 5, limit)
            .unwrap()
            .starts_with("저장 공간이 가득 찼습니다"));
    }
}
