//! Measuring builds without touching the workspace: the private copy they run in
//! ([`sandbox`]), the statistics and charts of `bench` ([`stats`]), and the search of `tune`
//! ([`tune`]). The commands themselves (`ops::bench`, `ops::tune`, `ops::verify`) drive these.
pub mod sandbox;
pub mod stats;
pub mod tune;
pub mod workflow;
