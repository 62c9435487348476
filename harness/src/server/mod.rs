//! Where servers live: images built from Debian's packages, containers
//! started with testcontainers, or an external server the user names; and how
//! fresh accounts are made there.

pub mod account_state;
pub mod accounts;
pub mod catalog;
pub mod container;
pub mod docker_api;
mod docker_cli;
mod error;
pub mod external;
pub mod images;
mod live;
mod mutant_list;
pub mod preflight;
pub mod premade;
mod resolve;
pub mod targets_file;

pub use catalog::{BrokenStatement, Catalog, Mutant, Recipes, TargetDef, Unbreakable};
pub use error::TargetError;
pub use external::{AccountSupply, ExternalTarget};
pub use live::{LiveTarget, TargetInfo};
pub use preflight::{PreflightError, PreflightLimits, preflight};
pub use premade::{PremadeAccount, PremadeLease, PremadePool};
pub use resolve::{ChosenTarget, resolve_target, resolve_targets};
pub use targets_file::{TargetsFile, TargetsFileError, load_targets_file};
