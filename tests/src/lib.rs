//! Support for the acceptance tests: the conformance transcript format and its normaliser, a
//! static file server and a WebDriver client for headless Chromium.

pub mod http;
pub mod static_server;
pub mod transcript;
pub mod webdriver;
