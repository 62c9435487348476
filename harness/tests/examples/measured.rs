//! The checker measured on material it was not written against: real
//! errata fixed by XSF editors, and a labelled sample of its findings.

use super::*;

/// Recall on the development errata set (`../shared/errata` beside the
/// checkout, or `XEPSPEC_ERRATA`), printed per erratum and in total
/// (`cargo test --test examples errata -- --nocapture`); it may not drop
/// below the share reached so far.
#[test]
fn errata_recall_does_not_drop() {
    use xepspec::examples::errata;
    const FLOOR_PERCENT: usize = 76;
    let dir = errata::locate(None).unwrap_or_else(|e| panic!("{e}"));
    let loaded = xepspec::examples::Corpus::load(&corpus_dir()).unwrap();
    let outcomes = errata::measure(&dir, &loaded.corpus).unwrap_or_else(|e| panic!("{e}"));
    println!("{}", errata::report(&outcomes));
    assert!(!outcomes.is_empty(), "no errata in {}", dir.display());
    let (location, _) = errata::recall(&outcomes);
    assert!(
        location * 100 >= FLOOR_PERCENT * outcomes.len(),
        "recall by location fell to {location} of {}",
        outcomes.len()
    );
}

/// The labelled sample (`harness/src/examples/labels.toml`): findings over
/// the corpus judged by reading their example. Prints, per sample, how many
/// are still reported (warnings and errors; notes are not alarms) and how
/// many of those are false alarms; the overall rate may not rise above the
/// figure reached so far.
#[test]
fn false_alarm_rate_of_the_labelled_sample() {
    #[derive(serde::Deserialize)]
    struct Labels {
        finding: Vec<Label>,
    }
    #[derive(serde::Deserialize)]
    struct Label {
        sample: u32,
        file: String,
        line: usize,
        column: usize,
        code: String,
        real: bool,
        reason: String,
    }
    // Over all eight samples, 9.6 % today; the honest figure is sample 8's
    // own (10 %), the one drawn after the last change (README).
    const CEILING_PERCENT: usize = 10;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/examples/labels.toml");
    let labels: Labels = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        labels.finding.len() >= 60,
        "{} labels",
        labels.finding.len()
    );
    assert!(labels.finding.iter().all(|l| !l.reason.trim().is_empty()));
    let mut results = check(&[], &corpus_dir()).unwrap();
    // Labels on older versions of XEPs name them `errata/<id>/after.xml`:
    // the version right after an erratum's fix, text the checks were not
    // tuned on.
    let older: std::collections::BTreeSet<&str> = labels
        .finding
        .iter()
        .filter_map(|l| l.file.strip_prefix("errata/"))
        .collect();
    if !older.is_empty() {
        let errata = xepspec::examples::errata::locate(None).unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<PathBuf> = older.iter().map(|f| errata.join(f)).collect();
        for mut result in check(&files, &corpus_dir()).unwrap() {
            for finding in &mut result.findings {
                let path = Path::new(&finding.file);
                let id = path.parent().and_then(Path::file_name);
                let name = path.file_name();
                if let (Some(id), Some(name)) = (id, name) {
                    finding.file = format!("errata/{}/{}", id.display(), name.display());
                }
            }
            results.push(result);
        }
    }
    let reported: std::collections::HashSet<(String, usize, usize, String)> = results
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.severity != xepspec::examples::Severity::Info)
        .map(|f| (f.file.clone(), f.line, f.column, f.code.id().to_owned()))
        .collect();
    let mut total = (0, 0);
    let mut samples: Vec<u32> = labels.finding.iter().map(|l| l.sample).collect();
    samples.dedup();
    for sample in samples {
        let of: Vec<&Label> = labels
            .finding
            .iter()
            .filter(|l| l.sample == sample)
            .collect();
        let still: Vec<&&Label> = of
            .iter()
            .filter(|l| reported.contains(&(l.file.clone(), l.line, l.column, l.code.clone())))
            .collect();
        let false_alarms = still.iter().filter(|l| !l.real).count();
        let real_gone = of.iter().filter(|l| l.real).count() - (still.len() - false_alarms);
        println!(
            "sample {sample}: {} labelled ({} false when drawn), {} still reported, {false_alarms} of them false alarms ({:.0} %); {real_gone} real ones no longer reported",
            of.len(),
            of.iter().filter(|l| !l.real).count(),
            still.len(),
            100.0 * false_alarms as f64 / still.len().max(1) as f64
        );
        total.0 += still.len();
        total.1 += false_alarms;
    }
    println!(
        "false-alarm rate: {} of {} ({:.1} %)",
        total.1,
        total.0,
        100.0 * total.1 as f64 / total.0.max(1) as f64
    );
    assert!(
        total.1 * 100 <= CEILING_PERCENT * total.0,
        "false-alarm rate rose to {} of {}",
        total.1,
        total.0
    );
}
