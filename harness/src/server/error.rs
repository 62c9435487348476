//! Why a target could not be built, started or used.

use thiserror::Error;

/// A target-layer failure, naming the target where there is one.
#[derive(Debug, Error)]
pub enum TargetError {
    /// `containers/targets.toml` is missing or malformed.
    #[error("target catalogue: {0}")]
    Catalog(String),
    /// A target name that the catalogue does not have.
    #[error("unknown target {name:?}; known targets: {}", known.join(", "))]
    UnknownTarget {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: Vec<String>,
    },
    /// A `--target` name that neither the targets file nor the built-in
    /// catalogue has.
    #[error(
        "unknown target {name:?}; {}; built-in targets: {}",
        own_names(own_file.as_deref(), own),
        defaults.join(", ")
    )]
    UnknownName {
        /// The name asked for.
        name: String,
        /// The targets file read, if any.
        own_file: Option<std::path::PathBuf>,
        /// The names it declares.
        own: Vec<String>,
        /// The built-in targets' names.
        defaults: Vec<String>,
    },
    /// Building an image failed.
    #[error("{target}: building the image failed: {reason}")]
    Build {
        /// The target.
        target: String,
        /// What went wrong, with the tail of the build output.
        reason: String,
    },
    /// The image is not there and building was not asked for.
    #[error("{target}: image {image} is not built (run `xepspec images build {target}`)")]
    NotBuilt {
        /// The target.
        target: String,
        /// The missing image.
        image: String,
    },
    /// Docker is missing or failing.
    #[error("Docker: {0}")]
    Docker(String),
    /// The container started but the server did not answer in time.
    #[error("{target}: the server did not come up: {reason}")]
    NotReady {
        /// The target.
        target: String,
        /// The last failure seen while waiting.
        reason: String,
    },
    /// Making an account failed.
    #[error("{target}: making an account failed: {reason}")]
    Account {
        /// The target.
        target: String,
        /// Why.
        reason: String,
    },
}

/// The own-targets half of an unknown-name message.
fn own_names(file: Option<&std::path::Path>, names: &[String]) -> String {
    match file {
        None => "no targets file (xepspec.toml here, or --targets-file FILE)".into(),
        Some(file) if names.is_empty() => format!("{} declares no targets", file.display()),
        Some(file) => format!("targets in {}: {}", file.display(), names.join(", ")),
    }
}
