//! Scenarios: the declarative format, loading with precise errors, and
//! parameter expansion into cases. Knows nothing of networks.

pub mod account_use;
mod error;
pub mod expand;
mod folder;
pub mod load;
mod loaded;
pub mod model;
mod presence;
#[cfg(test)]
mod presence_tests;
mod setup;
pub mod shard;
mod source;
#[cfg(test)]
mod tests;
mod value_text;

pub use account_use::{accounts_needed, accounts_per_case};
pub use error::{LoadError, LoadErrors};
pub use expand::{Case, plan};
pub use load::{load_dir, load_str};
pub use loaded::{Actor, Expectation, PresenceStep, Scenario, Setup, Step, StepKind, Xml};
pub use model::{Answers, Level, SpecRef};
pub use shard::Shard;
pub use source::ScenarioSource;
