//! Where servers live: images built from Debian's packages, containers
//! started with testcontainers, or an external server the user names; and how
//! fresh accounts are made there.

pub mod catalog;
pub mod container;
pub mod docker_api;
mod docker_cli;
mod error;
pub mod images;
mod live;

pub use catalog::{Catalog, TargetDef, default_containers_dir};
pub use error::TargetError;
pub use live::{ExternalServer, LiveTarget, TargetInfo};
