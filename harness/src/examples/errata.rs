//! Measuring the checker against real history: a folder of example errata
//! (each the XEP file before and after an editor's fix, with the lines of
//! the examples the fix changed) and how many of them the checker would
//! have caught.
//!
//! An erratum is caught *by location* when some finding inside a changed
//! example of the file before the fix is gone from the same example after
//! it (no finding of the same code and message there), and *by count* when
//! the file after the fix has fewer findings than the file before. Notes
//! (info findings) are left out of both.
//!
//! The errata are never copied into this project; they are found at run
//! time: `--errata DIR`, the `XEPSPEC_ERRATA` variable, or
//! `../shared/errata` beside a checkout.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use super::check::check_source;
use super::checks::Checker;
use super::corpus::Corpus;
use super::entities::Entities;
use super::finding::{Finding, Severity};
use super::source::{SourceError, XepSource};

/// The environment variable naming the errata folder.
pub const ENV: &str = "XEPSPEC_ERRATA";

/// One editor's fix of a XEP's examples.
#[derive(Debug, Clone)]
pub struct Erratum {
    /// The commit's short hash, also its folder's name.
    pub hash: String,
    /// The XEP file it changed (`xep-0060.xml`).
    pub file: String,
    /// The main kind of mistake (`well-formedness`, `namespace`, …).
    pub kind: String,
    /// The changed examples' lines before and after the fix (from 1,
    /// inclusive).
    pub changes: Vec<(RangeInclusive<usize>, RangeInclusive<usize>)>,
}

/// What the checker made of one erratum.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The erratum.
    pub erratum: Erratum,
    /// Findings in the whole file before the fix.
    pub before: usize,
    /// Findings in the whole file after the fix.
    pub after: usize,
    /// The findings inside a changed example before the fix that the fix
    /// removed (caught by location when not empty).
    pub removed: Vec<Finding>,
}

impl Outcome {
    /// Caught by location: a finding in a changed example went away.
    pub fn by_location(&self) -> bool {
        !self.removed.is_empty()
    }

    /// Caught by count: fewer findings after the fix than before.
    pub fn by_count(&self) -> bool {
        self.after < self.before
    }
}

/// Why the errata could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum ErrataError {
    /// No folder was named or found.
    #[error(
        "no errata folder found (looked in {}); name one with --errata DIR (the command) or {ENV}=DIR (the tests)",
        tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    NotFound {
        /// Where it was looked for.
        tried: Vec<PathBuf>,
    },
    /// A file of the set could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `changed-examples.tsv` or `errata.tsv` has a line it cannot use.
    #[error("{}:{line}: {why}", path.display())]
    Table {
        /// The table.
        path: PathBuf,
        /// Its line, from 1.
        line: usize,
        /// What is wrong.
        why: String,
    },
    /// A XEP file of the set is not usable.
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// The errata folder: `flag`, else `XEPSPEC_ERRATA`, else
/// `../shared/errata` beside the checkout holding the current folder.
pub fn locate(flag: Option<&Path>) -> Result<PathBuf, ErrataError> {
    let named = flag.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let mut tried = Vec::new();
    let candidates = named.into_iter().chain(
        std::env::current_dir()
            .ok()
            .and_then(|d| crate::checkout::above(&d))
            .map(|c| c.join("../shared/errata")),
    );
    for dir in candidates {
        if dir.join("errata.tsv").is_file() {
            return Ok(dir);
        }
        tried.push(dir);
        if flag.is_some() || std::env::var_os(ENV).is_some_and(|v| !v.is_empty()) {
            break;
        }
    }
    Err(ErrataError::NotFound { tried })
}

fn read(path: &Path) -> Result<String, ErrataError> {
    std::fs::read_to_string(path).map_err(|source| ErrataError::Read {
        path: path.to_owned(),
        source,
    })
}

/// The rows of a tab-separated table after its header, with line numbers.
fn rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, ErrataError> {
    Ok(read(path)?
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').map(str::to_owned).collect()))
        .collect())
}

/// Reads the errata of `dir` (`errata.tsv` and `changed-examples.tsv`).
pub fn load(dir: &Path) -> Result<Vec<Erratum>, ErrataError> {
    let mut errata: Vec<Erratum> = Vec::new();
    let table = dir.join("errata.tsv");
    for (line, row) in rows(&table)? {
        let [hash, file, kind, ..] = row.as_slice() else {
            return Err(ErrataError::Table {
                path: table,
                line,
                why: "fewer than 3 columns".into(),
            });
        };
        errata.push(Erratum {
            hash: hash.clone(),
            file: file.clone(),
            kind: kind.clone(),
            changes: Vec::new(),
        });
    }
    let table = dir.join("changed-examples.tsv");
    for (line, row) in rows(&table)? {
        let bad = |why: &str| ErrataError::Table {
            path: table.clone(),
            line,
            why: why.to_owned(),
        };
        let number = |i: usize| -> Result<usize, ErrataError> {
            row.get(i)
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| bad(&format!("column {} is not a line number", i + 1)))
        };
        let hash = &row[0];
        let Some(erratum) = errata.iter_mut().find(|e| &e.hash == hash) else {
            return Err(bad(&format!("{hash} is not in errata.tsv")));
        };
        erratum
            .changes
            .push((number(1)?..=number(2)?, number(3)?..=number(4)?));
    }
    Ok(errata)
}

/// Checks the file before and after each erratum of `dir`, with what
/// `corpus` defines (plus what each file itself defines).
pub fn measure(dir: &Path, corpus: &Corpus) -> Result<Vec<Outcome>, ErrataError> {
    let mut outcomes = Vec::new();
    for erratum in load(dir)? {
        let folder = dir.join(&erratum.hash);
        let entities = Entities::parse(&read(&folder.join("xep.ent"))?);
        let findings = |name: &str| -> Result<Vec<Finding>, ErrataError> {
            let source = XepSource::read(&folder.join(name), &entities)?;
            let mut defined = corpus.clone();
            defined.add(&source);
            let checker = Checker::new(&defined);
            let mut found = check_source(&source, name, &checker).findings;
            // Notes (info) are not alarms: they catch nothing.
            found.retain(|f| f.severity != Severity::Info);
            Ok(found)
        };
        let before = findings("before.xml")?;
        let after = findings("after.xml")?;
        let removed = removed(&erratum, &before, &after);
        outcomes.push(Outcome {
            before: before.len(),
            after: after.len(),
            removed,
            erratum,
        });
    }
    Ok(outcomes)
}

/// The findings inside a changed example before the fix that have no twin
/// (same code and message) in the same example after it.
fn removed(erratum: &Erratum, before: &[Finding], after: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (was, is) in &erratum.changes {
        let mut left: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for f in after.iter().filter(|f| is.contains(&f.line)) {
            *left.entry((f.code.id(), f.message.as_str())).or_default() += 1;
        }
        for f in before.iter().filter(|f| was.contains(&f.line)) {
            match left.get_mut(&(f.code.id(), f.message.as_str())) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.push(f.clone()),
            }
        }
    }
    out
}

/// One line per erratum, then recall in total and per kind.
pub fn report(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    let mark = |b: bool| if b { "yes" } else { "-" };
    let _ = writeln!(
        out,
        "{:<9} {:<13} {:<16} {:>6} {:>6} {:>8} {:>5}  evidence",
        "erratum", "file", "kind", "before", "after", "location", "count"
    );
    for o in outcomes {
        let evidence = o
            .removed
            .first()
            .map(|f| format!("{}:{}:{} {}", f.line, f.column, f.code.id(), f.message))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<9} {:<13} {:<16} {:>6} {:>6} {:>8} {:>5}  {}",
            o.erratum.hash,
            o.erratum.file,
            o.erratum.kind,
            o.before,
            o.after,
            mark(o.by_location()),
            mark(o.by_count()),
            evidence.chars().take(100).collect::<String>()
        );
    }
    let mut kinds: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let k = kinds.entry(o.erratum.kind.as_str()).or_default();
        k.0 += 1;
        k.1 += usize::from(o.by_location());
        k.2 += usize::from(o.by_count());
    }
    for (kind, (n, location, count)) in &kinds {
        let _ = writeln!(
            out,
            "kind {kind:<16} {location:>2} of {n:>2} by location, {count:>2} by count"
        );
    }
    let (location, count) = recall(outcomes);
    let _ = writeln!(
        out,
        "recall: {location} of {n} by location ({:.0} %), {count} of {n} by count ({:.0} %)",
        percent(location, outcomes.len()),
        percent(count, outcomes.len()),
        n = outcomes.len()
    );
    out
}

/// How many errata are caught by location and by count.
pub fn recall(outcomes: &[Outcome]) -> (usize, usize) {
    (
        outcomes.iter().filter(|o| o.by_location()).count(),
        outcomes.iter().filter(|o| o.by_count()).count(),
    )
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::finding::Code;

    fn finding(line: usize, code: Code, message: &str) -> Finding {
        Finding {
            file: "x".into(),
            example: 1,
            caption: String::new(),
            line,
            column: 1,
            severity: Severity::Error,
            code,
            name: code.name(),
            message: message.into(),
        }
    }

    #[test]
    fn a_finding_is_removed_only_when_its_twin_is_gone_from_the_example() {
        let erratum = Erratum {
            hash: "h".into(),
            file: "f".into(),
            kind: "k".into(),
            changes: vec![(10..=20, 12..=22)],
        };
        let kept = finding(11, Code::UnknownNamespace, "ns");
        let outside = finding(30, Code::NotWellFormed, "x");
        let before = [kept.clone(), outside, finding(15, Code::NotWellFormed, "y")];
        let after = [finding(13, Code::UnknownNamespace, "ns")];
        let gone = removed(&erratum, &before, &after);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].message, "y");
        assert!(removed(&erratum, &before[..1], &after).is_empty());
    }
}
