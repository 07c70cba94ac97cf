//! The page: header with the language switch, and the playground's panels.

use yew::prelude::*;

use crate::i18n::Lang;
use crate::legend::Legend;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The language to start in; `None` detects it from `?lang=` and the browser.
    #[prop_or_default]
    pub lang: Option<Lang>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.lang;
    let lang = use_state(move || initial.unwrap_or_else(Lang::detect));
    {
        let lang = *lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                // Screen readers and fonts follow the page's language.
                let _ = root.set_attribute("lang", lang.code());
            }
        });
    }
    let t = lang.texts();
    let switch = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };
    html! {
        <div class="app">
            <header class="top">
                <h1 class="brand">{ "layerbox" }</h1>
                <p class="tagline" data-testid="tagline">{ t.tagline }</p>
                <button
                    class="lang-switch"
                    data-testid="lang-switch"
                    aria-label={ t.switch_label }
                    lang={ lang.other().code() }
                    onclick={ switch }
                >
                    { t.switch_to }
                </button>
            </header>
            <main>
                <p class="intro">{ t.intro }</p>
                <Legend lang={ *lang } />
            </main>
        </div>
    }
}
