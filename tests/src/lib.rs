//! Support for the acceptance tests: the conformance transcript format and its normaliser, a
//! static file server, a WebDriver client for headless Chromium, the site's gzipped size, and
//! the process's peak memory for the hostile and fuzzed lines.

pub mod bundle;
pub mod http;
pub mod memory;
pub mod static_server;
pub mod transcript;
pub mod webdriver;
