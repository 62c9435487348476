//! Where proptest keeps failing seeds. In a checkout, the committed files
//! under `harness/proptest-regressions/`, so a found failure is committed
//! and replayed first by everyone; elsewhere (an installed binary), a copy
//! in the cache folder, started from the committed seeds compiled in.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const OFFLINE_NAME: &str = "fuzz-offline.txt";
const LIVE_NAME: &str = "fuzz-live.txt";
const OFFLINE_SEEDS: &str = include_str!("../../proptest-regressions/fuzz-offline.txt");
const LIVE_SEEDS: &str = include_str!("../../proptest-regressions/fuzz-live.txt");

/// The regression file of the offline properties.
pub fn offline() -> &'static str {
    static FILE: OnceLock<&'static str> = OnceLock::new();
    FILE.get_or_init(|| leaked(choose(OFFLINE_NAME, OFFLINE_SEEDS)))
}

/// The regression file of the live properties.
pub fn live() -> &'static str {
    static FILE: OnceLock<&'static str> = OnceLock::new();
    FILE.get_or_init(|| leaked(choose(LIVE_NAME, LIVE_SEEDS)))
}

/// proptest wants a `&'static str`; each file is chosen once a process.
fn leaked(path: PathBuf) -> &'static str {
    Box::leak(path.to_string_lossy().into_owned().into_boxed_str())
}

fn choose(name: &str, seeds: &str) -> PathBuf {
    file_for(
        crate::checkout::current().as_deref(),
        &crate::cache::root(),
        name,
        seeds,
    )
}

/// The checkout's committed file when there is one, else the cache's copy,
/// written from `seeds` when missing (a failure to write only means proptest
/// starts without them, and it says so).
fn file_for(checkout: Option<&Path>, cache: &Path, name: &str, seeds: &str) -> PathBuf {
    if let Some(checkout) = checkout {
        let committed = checkout.join("harness/proptest-regressions").join(name);
        if committed.is_file() {
            return committed;
        }
    }
    let copy = cache.join("proptest-regressions").join(name);
    if !copy.exists() {
        let written = copy
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&copy, seeds));
        if let Err(e) = written {
            tracing::warn!("cannot write {}: {e}", copy.display());
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_uses_its_committed_file() {
        let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let file = file_for(Some(&checkout), Path::new("/nonexistent"), OFFLINE_NAME, "");
        assert_eq!(
            file,
            checkout.join("harness/proptest-regressions/fuzz-offline.txt")
        );
    }

    #[test]
    fn elsewhere_the_cache_copy_starts_from_the_committed_seeds() {
        let cache =
            std::env::temp_dir().join(format!("xepspec-regressions-{}", std::process::id()));
        let file = file_for(None, &cache, LIVE_NAME, LIVE_SEEDS);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), LIVE_SEEDS);
        std::fs::remove_dir_all(cache).unwrap();
    }
}
