//! Snapshots: the stanzas of every case × target, normalised so reruns give
//! the same text, compared with the accepted ones under `snapshots/`.

mod render;
mod store;
mod volatile;

pub use render::snapshot_text;
pub use store::{SnapshotStatus, SnapshotStore, UpdateMode, description};
pub use volatile::{VOLATILE, Volatile};

/// xepspec's own accepted snapshots: `XEPSPEC_SNAPSHOTS`, else the
/// `snapshots/` folder of the xepspec checkout the current folder is in
/// (found at run time, never through a path fixed at build time); none
/// outside a checkout.
pub fn accepted_snapshots_dir() -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("XEPSPEC_SNAPSHOTS") {
        return Some(dir.into());
    }
    let dir = crate::checkout::current()?.join("snapshots");
    dir.join(VOLATILE).is_file().then_some(dir)
}
