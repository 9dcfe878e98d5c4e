//! Integration tests of etalage: one binary over small fixture sites in `tests/fixtures/`.
//!
//! Each fixture folder holds one case; `harness` copies it into a temporary folder and fills in
//! the shared settings, vocabularies and the bundled theme. Snapshots (insta) live in
//! `tests/it/snapshots/`. Tests that document a known bug are `#[ignore = "bug: ..."]`.

mod base_url;
mod browser;
mod browsing;
mod build_watch;
mod bundled;
mod cli;
mod content_language;
mod drafts;
mod encoding;
mod errors;
mod harness;
mod hostile;
mod incremental;
mod jury;
mod killed;
mod output;
mod pages;
mod pagination;
mod properties;
mod publish;
mod recognitions;
mod scaffold;
mod schema;
mod serve;
mod serve_load;
mod serve_watch;
mod vnu;
mod warnings;
