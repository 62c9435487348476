//! Findings for people (one compiler-style line each, then a summary) and
//! for tools (a JSON array).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::finding::{Code, Finding, Severity};

/// What a run over some files found, file by file.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    /// The file, as given.
    pub file: String,
    /// How many examples it has.
    pub examples: usize,
    /// How many of them are XML (the others are prose, DNS records, …).
    pub xml_examples: usize,
    /// What is wrong, in file order.
    pub findings: Vec<Finding>,
}

/// One line per finding:
/// `xep-0402.xml:123:5: error[E001]: message (Example 5: caption)`.
pub fn human(results: &[FileResult]) -> String {
    let mut out = String::new();
    for finding in results.iter().flat_map(|r| &r.findings) {
        let _ = write!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            finding.file,
            finding.line,
            finding.column,
            finding.severity.as_str(),
            finding.code.id(),
            finding.message
        );
        if finding.example == 0 && !finding.caption.is_empty() {
            let _ = write!(out, " ({})", finding.caption);
        }
        if finding.example > 0 {
            let _ = write!(out, " (Example {}", finding.example);
            if !finding.caption.is_empty() {
                let _ = write!(out, ": {}", finding.caption);
            }
            out.push(')');
        }
        out.push('\n');
    }
    out
}

/// The totals: files, examples, findings per code.
pub fn summary(results: &[FileResult]) -> String {
    let examples: usize = results.iter().map(|r| r.examples).sum();
    let xml: usize = results.iter().map(|r| r.xml_examples).sum();
    let counts = counts(results);
    let errors: usize = counts
        .iter()
        .filter(|(c, _)| c.severity() == Severity::Error)
        .map(|(_, n)| n)
        .sum();
    let notes: usize = counts
        .iter()
        .filter(|(c, _)| c.severity() == Severity::Info)
        .map(|(_, n)| n)
        .sum();
    let warnings: usize = counts.values().sum::<usize>() - errors - notes;
    let mut out = format!(
        "{} files, {examples} examples ({xml} XML): {errors} errors, {warnings} warnings, {notes} notes\n",
        results.len()
    );
    for (code, n) in counts {
        let _ = writeln!(out, "  {} {:<24} {n}", code.id(), code.name());
    }
    out
}

/// Findings per code.
pub fn counts(results: &[FileResult]) -> BTreeMap<Code, usize> {
    let mut counts = BTreeMap::new();
    for finding in results.iter().flat_map(|r| &r.findings) {
        *counts.entry(finding.code).or_insert(0) += 1;
    }
    counts
}

/// The findings as a JSON array.
pub fn json(results: &[FileResult]) -> Result<String, serde_json::Error> {
    let all: Vec<&Finding> = results.iter().flat_map(|r| &r.findings).collect();
    serde_json::to_string_pretty(&all)
}
