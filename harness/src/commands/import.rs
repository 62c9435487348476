//! `xepspec import scansion FILE.scs... --out DIR`: scansion scripts as
//! scenario files, one per script, with what could not be converted
//! printed per script with its file and line.
//!
//! Exit codes: 0 when every script became a scenario that loads (notes or
//! not: they are printed, and kept in each scenario's `comment`); 1 when
//! some script could not be converted or its scenario does not load (the
//! others are still written); 2 for a usage error (a file that cannot be
//! read, two scripts that would write the same file, an output folder that
//! cannot be made).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::import::scansion;

/// The formats `xepspec import` reads.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ImportFormat {
    /// Scansion scripts (`*.scs`, as in Prosody's `spec/scansion/`).
    Scansion(ScansionOptions),
}

/// What `xepspec import scansion` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct ScansionOptions {
    /// The scripts.
    #[arg(required = true, value_name = "FILE.scs")]
    pub files: Vec<PathBuf>,
    /// The folder the scenario files go to (made if missing); each is
    /// named after its script (`basic_roster.scs` → `basic_roster.toml`).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Runs `xepspec import`; the report goes to standard output. `Err` is a
/// usage error.
pub fn run(format: &ImportFormat) -> Result<u8, String> {
    let ImportFormat::Scansion(options) = format;
    let (report, failed) = scansion_files(&options.files, &options.out)?;
    print!("{report}");
    Ok(u8::from(failed))
}

/// Converts `files` into `out`; returns the report and whether a script
/// failed.
pub fn scansion_files(files: &[PathBuf], out: &Path) -> Result<(String, bool), String> {
    let mut texts = Vec::new();
    let mut stems = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("{}: cannot be read: {e}", file.display()))?;
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .ok_or_else(|| format!("{}: not a file name", file.display()))?;
        if !stems.insert(stem.clone()) {
            return Err(format!(
                "two scripts would both be written to {stem}.toml: convert them into different folders"
            ));
        }
        texts.push((file, stem, text));
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut report = String::new();
    let mut failed = false;
    for (file, stem, text) in texts {
        let name = file
            .file_name()
            .map_or_else(|| stem.clone(), |n| n.to_string_lossy().into_owned());
        let converted = match scansion::convert(&text, &name) {
            Ok(converted) => converted,
            Err(notes) => {
                failed = true;
                let _ = writeln!(report, "{}: not converted", file.display());
                for note in notes {
                    let _ = writeln!(
                        report,
                        "  {}:{}: {}",
                        file.display(),
                        note.line,
                        note.message
                    );
                }
                continue;
            }
        };
        let target = out.join(format!("{stem}.toml"));
        std::fs::write(&target, &converted.toml)
            .map_err(|e| format!("{}: {e}", target.display()))?;
        let loads = scansion::load(&converted, &target, &stem);
        let verdict = match (&loads, converted.notes.len()) {
            (Err(_), _) => "written, but it does not load".to_owned(),
            (Ok(_), 0) => "converted".to_owned(),
            (Ok(_), n) => format!("converted, {n} note(s)"),
        };
        let _ = writeln!(
            report,
            "{} -> {}: {verdict}",
            file.display(),
            target.display()
        );
        for note in &converted.notes {
            let _ = writeln!(
                report,
                "  {}:{}: {}",
                file.display(),
                note.line,
                note.message
            );
        }
        if let Err(errors) = loads {
            failed = true;
            for error in &errors.0 {
                let _ = writeln!(report, "  {error}");
            }
        }
    }
    Ok((report, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xepspec-import-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    }

    #[test]
    fn each_script_is_reported_with_its_file_and_lines() {
        let dir = folder("report");
        let good = dir.join("ping.scs");
        std::fs::write(
            &good,
            "# XEP-0199: ping\n[Client] Romeo\n\tjid: romeo@localhost\nRomeo connects\nRomeo waits\n",
        )
        .unwrap();
        let empty = dir.join("empty.scs");
        std::fs::write(&empty, "# Nothing here\n").unwrap();
        let out = dir.join("out");
        let (report, failed) = scansion_files(&[good.clone(), empty.clone()], &out).unwrap();
        assert!(
            failed,
            "a script that could not be converted fails the command"
        );
        let written = std::fs::read_to_string(out.join("ping.toml")).expect("ping.toml written");
        assert!(written.starts_with("title = \"XEP-0199: ping\""));
        assert!(!out.join("empty.toml").exists());
        assert!(
            report.contains(&format!("{}:5: `Romeo waits`", good.display())),
            "{report}"
        );
        assert!(
            report.contains(&format!("{}: not converted", empty.display())),
            "{report}"
        );
        assert!(
            report.contains(&format!("{}:1: no [Client]", empty.display())),
            "{report}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unreadable_files_and_clashing_names_are_usage_errors() {
        let dir = folder("usage");
        let missing = dir.join("missing.scs");
        let error = scansion_files(std::slice::from_ref(&missing), &dir.join("out")).unwrap_err();
        assert!(error.contains("missing.scs: cannot be read"), "{error}");
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::create_dir_all(dir.join("b")).unwrap();
        let (a, b) = (dir.join("a/x.scs"), dir.join("b/x.scs"));
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        let error = scansion_files(&[a, b], &dir.join("out")).unwrap_err();
        assert!(error.contains("x.toml"), "{error}");
        assert!(
            !dir.join("out").exists(),
            "nothing is written on a usage error"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
