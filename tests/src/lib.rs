//! Support for the acceptance tests: the conformance transcript format and its normaliser, a
//! static file server, a WebDriver client for headless Chromium and the site's gzipped size.

pub mod bundle;
pub mod http;
pub mod static_server;
pub mod transcript;
pub mod webdriver;
