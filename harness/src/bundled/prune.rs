//! Old copies in the cache: each build of changed scenarios or recipes
//! writes a new copy, so a copy no binary has used for a week is removed.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// How long an unused copy is kept.
const UNUSED_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// Marks `dir` as used now (its modification time), so that it is kept.
pub(super) fn mark_used(dir: &Path) {
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.set_modified(SystemTime::now());
    }
}

/// Removes the copies of `name` in `parent` unused since `UNUSED_FOR`
/// before `now`, except `keep`. Failures only leave a copy behind.
pub(super) fn prune(parent: &Path, name: &str, keep: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let file_name = entry.file_name();
        if path == keep || !is_copy_of(&file_name.to_string_lossy(), name) {
            continue;
        }
        let unused = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > UNUSED_FOR);
        if unused {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether `file_name` is `<name>-<16 hex digits>`, a copy's name.
fn is_copy_of(file_name: &str, name: &str) -> bool {
    file_name
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hash| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_copies_of_the_same_folder_go() {
        let parent = std::env::temp_dir().join(format!("xepspec-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        let names = [
            "scenarios-00000000000000aa",
            "scenarios-00000000000000bb",
            "scenarios-00000000000000cc",
            "scenarios-joined-00000000000000dd",
            "containers-00000000000000ee",
        ];
        for name in names {
            std::fs::create_dir_all(parent.join(name)).unwrap();
        }
        let week_ago = SystemTime::now() - UNUSED_FOR - Duration::from_secs(60);
        for name in names {
            let folder = std::fs::File::open(parent.join(name)).unwrap();
            folder.set_modified(week_ago).unwrap();
        }
        mark_used(&parent.join(names[1]));
        let keep = parent.join(names[2]);
        prune(&parent, "scenarios", &keep, SystemTime::now());
        let left: Vec<bool> = names.iter().map(|n| parent.join(n).exists()).collect();
        // aa: old, gone; bb: used just now; cc: the one in use; the others
        // are copies of other folders.
        assert_eq!(left, [false, true, true, true, true]);
        std::fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn copies_are_named_with_sixteen_hex_digits() {
        assert!(is_copy_of("scenarios-0123456789abcdef", "scenarios"));
        assert!(!is_copy_of(
            "scenarios-joined-0123456789abcdef",
            "scenarios"
        ));
        assert!(!is_copy_of("scenarios-0123", "scenarios"));
        assert!(!is_copy_of("xeps", "scenarios"));
    }
}
