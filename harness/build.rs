//! Compiles the default scenarios and container recipes into the binary, so
//! that an installed `xepspec` needs neither this repository nor a path
//! fixed at build time. Writes `$OUT_DIR/embedded.rs`: one list of files
//! per folder, each with its path under the folder, its bytes and whether
//! it is executable.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The folders embedded, beside this package, and the names of their lists.
const FOLDERS: &[(&str, &str)] = &[
    ("../scenarios", "SCENARIOS"),
    ("../containers", "CONTAINERS"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let mut code = String::new();
    for (folder, name) in FOLDERS {
        let root = manifest.join(folder);
        // A folder here makes cargo rerun this script when any file below
        // it changes, appears or goes.
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        if let Err(e) = collect(&root, &root, &mut files) {
            panic!("cannot read {}: {e}", root.display());
        }
        files.sort();
        let _ = writeln!(code, "/// The files of `{folder}`, sorted by path.");
        let _ = writeln!(code, "pub static {name}: &[EmbeddedFile] = &[");
        for (relative, absolute, executable) in files {
            let _ = writeln!(
                code,
                "    EmbeddedFile {{ path: {relative:?}, bytes: include_bytes!({absolute:?}), executable: {executable} }},"
            );
        }
        let _ = writeln!(code, "];");
    }
    if let Err(e) = std::fs::write(out.join("embedded.rs"), code) {
        panic!("cannot write embedded.rs: {e}");
    }
}

/// Every file below `dir`, as (path under `root` with `/`, absolute path,
/// executable).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String, bool)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let absolute = path.canonicalize()?.to_string_lossy().into_owned();
            out.push((relative, absolute, is_executable(&entry.metadata()?)));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}
