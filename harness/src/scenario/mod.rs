//! Scenarios: the declarative format, loading with precise errors, and
//! parameter expansion into cases. Knows nothing of networks.

pub mod account_use;
mod error;
pub mod expand;
mod folder;
pub mod load;
mod load_actors;
mod loaded;
pub mod model;
mod names;
mod presence;
#[cfg(test)]
mod presence_tests;
#[cfg(test)]
mod services_tests;
mod setup;
pub mod shard;
mod source;
#[cfg(test)]
mod steps_tests;
#[cfg(test)]
mod tests;
mod value_text;
mod xml_checks;

pub use account_use::{accounts_needed, accounts_per_case};
pub use error::{LoadError, LoadErrors};
pub use expand::{Case, plan};
pub use load::{load_dir, load_str};
pub use loaded::{Actor, Expectation, PresenceStep, Scenario, Setup, Step, StepKind, Xml};
pub use model::{Answers, Level, SpecRef, spec_name};
pub use shard::Shard;
pub use source::ScenarioSource;
