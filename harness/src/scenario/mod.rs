//! Scenarios: the declarative format, loading with precise errors, and
//! parameter expansion into cases. Knows nothing of networks.

mod error;
pub mod expand;
mod folder;
pub mod load;
mod loaded;
pub mod model;
mod setup;
pub mod shard;
#[cfg(test)]
mod tests;

pub use error::{LoadError, LoadErrors};
pub use expand::{Case, plan};
pub use load::{load_dir, load_str};
pub use loaded::{Actor, Expectation, Scenario, Setup, Step, StepKind, Xml};
pub use model::{Level, SpecRef};
pub use shard::Shard;

/// The repository's `scenarios/` folder: `XEPSPEC_SCENARIOS`, else found
/// from the crate's location at build time.
pub fn default_scenarios_dir() -> std::path::PathBuf {
    std::env::var_os("XEPSPEC_SCENARIOS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios"))
}
