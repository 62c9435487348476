//! Property-based fuzzing: proptest strategies generated from the specs'
//! grammar, properties every correct implementation holds, and the known
//! deviations they found. It sits beside the pipeline and reuses `stanza/`.

pub mod caps_reference;
pub mod deviations;
pub mod live;
pub mod live_runner;
pub mod live_scenario;
pub mod live_stanzas;
pub mod properties;
pub mod regressions;
pub mod runner;
pub mod strategies;
pub mod xml;

#[cfg(test)]
mod tests;
