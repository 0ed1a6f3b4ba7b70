//! Measuring builds without touching the workspace: the private copy they run in
//! ([`sandbox`]), the seam between the measurements and the builds ([`builder`]: real cargo, or
//! a simulation in the tests), what `bench` measures ([`mod@bench`]) and its statistics and charts
//! ([`stats`]), and the search of `tune` ([`tune`]). The commands themselves (`ops::bench`,
//! `ops::tune`, `ops::verify`) drive these.
pub mod bench;
pub mod builder;
pub mod sandbox;
#[cfg(test)]
mod sim;
pub mod stats;
pub mod tune;
pub mod workflow;
