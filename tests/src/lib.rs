//! Support for the acceptance tests: a static file server and a WebDriver client for headless Chromium.

pub mod http;
pub mod static_server;
pub mod webdriver;
