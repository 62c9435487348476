//! Scenarios: the declarative format, loading with precise errors, and
//! parameter expansion into cases. Knows nothing of networks.

pub mod account_use;
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

pub use account_use::{accounts_needed, accounts_per_case};
pub use error::{LoadError, LoadErrors};
pub use expand::{Case, plan};
pub use load::{load_dir, load_str};
pub use loaded::{Actor, Expectation, Scenario, Setup, Step, StepKind, Xml};
pub use model::{Level, SpecRef};
pub use shard::Shard;

/// The default scenarios: `XEPSPEC_SCENARIOS`, else the ones compiled into
/// the binary, written out into the cache folder (see [`crate::bundled`]).
/// Should the cache and the temporary folder both refuse the copy, the
/// path returned does not exist and loading it names the problem.
pub fn default_scenarios_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("XEPSPEC_SCENARIOS") {
        return dir.into();
    }
    crate::bundled::scenarios_dir().unwrap_or_else(|e| {
        tracing::error!("{e}");
        e.dir
    })
}
