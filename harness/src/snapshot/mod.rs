//! Snapshots: the stanzas of every case × target, normalised so reruns give
//! the same text, compared with the accepted ones under `snapshots/`.

mod render;
mod store;
mod volatile;

pub use render::snapshot_text;
pub use store::{SnapshotStatus, SnapshotStore, UpdateMode, expression};
pub use volatile::{VOLATILE, Volatile};

/// The repository's `snapshots/` folder: `XEPSPEC_SNAPSHOTS`, else found from
/// the crate's location at build time.
pub fn default_snapshots_dir() -> std::path::PathBuf {
    std::env::var_os("XEPSPEC_SNAPSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots"))
}
