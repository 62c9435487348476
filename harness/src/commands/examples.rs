//! `xepspec examples`: checks the examples of XEP sources, or turns them
//! into scenario skeletons.

use std::path::{Path, PathBuf};

use std::fmt::Write;

use crate::examples::check::{broken_source, check_source};
use crate::examples::errata::{self, ErrataError};
use crate::examples::skeleton::skeletons;
use crate::examples::{Checker, Corpus, FileResult, SourceError, XepSource};

/// What `xepspec examples` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct ExamplesOptions {
    /// XEP XML sources to check (default: every XEP of the corpus).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The XEP sources' folder: the corpus that defines namespaces,
    /// features and FORM_TYPEs (default: `XEPSPEC_XEPS`, else the folder
    /// `xepspec xeps fetch` fills, else `../shared/xeps` beside a checkout).
    #[arg(long = "xeps", visible_alias = "corpus", value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExamplesFormat,
    /// Write scenario skeletons replaying each XEP's examples into this
    /// folder instead of checking.
    #[arg(long, value_name = "DIR")]
    pub scenario: Option<PathBuf>,
    /// Measure the checker on a folder of example errata (each erratum's
    /// XEP file before and after an editor's fix) and print its recall,
    /// instead of checking (the set's tests find it through
    /// `XEPSPEC_ERRATA` or `../shared/errata` beside a checkout).
    #[arg(long, value_name = "DIR")]
    pub errata: Option<PathBuf>,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExamplesFormat {
    /// One compiler-style line per finding, then a summary.
    Text,
    /// A JSON array of findings.
    Json,
}

/// XEP sources by the name findings give them, or why one is unreadable.
pub type Sources = Vec<(String, Result<XepSource, SourceError>)>;

/// The corpus folder: `flag` if given, else found as [`crate::xeps`] says.
pub fn corpus_dir(flag: Option<&Path>) -> Result<PathBuf, crate::xeps::XepsError> {
    crate::xeps::locate(flag)
}

/// The XEP sources to work on: the given files, read (with the corpus's
/// copy where a file is in it), or the whole corpus; with the corpus's
/// definitions plus those of the given files.
pub fn sources(files: &[PathBuf], corpus_dir: &Path) -> Result<(Corpus, Sources), SourceError> {
    let mut loaded = Corpus::load(corpus_dir)?;
    let mut out = Vec::new();
    if files.is_empty() {
        for error in loaded.broken.drain(..) {
            if let SourceError::Xml { path, .. } = &error {
                out.push((path.display().to_string(), Err(error)));
            }
        }
        for (path, source) in std::mem::take(&mut loaded.sources) {
            out.push((file_name(&path), Ok(source)));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        return Ok((loaded.corpus, out));
    }
    for file in files {
        let known = file
            .canonicalize()
            .ok()
            .and_then(|p| loaded.sources.get(&p));
        let source = match known {
            Some(source) => Ok(source.clone()),
            None => XepSource::read(file, &loaded.entities),
        };
        if let Ok(source) = &source {
            loaded.corpus.add(source);
        }
        match source {
            Err(e @ SourceError::Read { .. }) => return Err(e),
            other => out.push((file.display().to_string(), other)),
        }
    }
    Ok((loaded.corpus, out))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Checks the examples of `files` (or of the whole corpus).
pub fn check(files: &[PathBuf], corpus_dir: &Path) -> Result<Vec<FileResult>, SourceError> {
    let (corpus, sources) = sources(files, corpus_dir)?;
    let checker = Checker::new(&corpus);
    Ok(sources
        .iter()
        .filter_map(|(name, source)| match source {
            Ok(source) => Some(check_source(source, name, &checker)),
            Err(error) => broken_source(error, name),
        })
        .collect())
}

/// Measures the checker on the errata folder (`flag`, else found as
/// [`crate::examples::errata::locate`] says) with the definitions of the
/// corpus at `corpus_dir`; the report for people.
pub fn measure_errata(flag: Option<&Path>, corpus_dir: &Path) -> Result<String, ErrataError> {
    let dir = errata::locate(flag)?;
    let loaded = Corpus::load(corpus_dir)?;
    let outcomes = errata::measure(&dir, &loaded.corpus)?;
    Ok(errata::report(&outcomes))
}

/// Why scenario skeletons could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SkeletonError {
    /// A XEP source could not be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// No file was named.
    #[error("--scenario needs the XEP files to replay")]
    NoFiles,
    /// A scenario file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes the scenario skeletons of `files` under `out`; returns what was
/// written and which examples became no scenario, for people.
pub fn write_skeletons(
    files: &[PathBuf],
    corpus_dir: &Path,
    out: &Path,
) -> Result<String, SkeletonError> {
    if files.is_empty() {
        return Err(SkeletonError::NoFiles);
    }
    let (_, sources) = sources(files, corpus_dir)?;
    let mut report = String::new();
    for (name, source) in &sources {
        let source = match source {
            Ok(source) => source,
            Err(e) => {
                let _ = writeln!(report, "{name}: skipped: {e}");
                continue;
            }
        };
        let generated = skeletons(source);
        for skeleton in &generated.scenarios {
            let path = out.join(&skeleton.path);
            let write = |path: &Path| {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, &skeleton.text)
            };
            write(&path).map_err(|source| SkeletonError::Write {
                path: path.clone(),
                source,
            })?;
            let _ = writeln!(
                report,
                "{name}: Example {} -> {}",
                skeleton.example,
                path.display()
            );
        }
        for (example, why) in &generated.skipped {
            let _ = writeln!(report, "{name}: Example {example}: no scenario: {why}");
        }
    }
    Ok(report)
}

/// `xepspec examples`: checks the examples (exit 1 on an error-severity
/// finding), or with `--scenario` writes scenarios replaying them.
pub fn command(options: ExamplesOptions) -> Result<u8, String> {
    use crate::examples::{Severity, render};
    let corpus = corpus_dir(options.corpus.as_deref()).map_err(|e| e.to_string())?;
    if let Some(errata) = &options.errata {
        print!(
            "{}",
            measure_errata(Some(errata), &corpus).map_err(|e| e.to_string())?
        );
        return Ok(0);
    }
    if let Some(out) = &options.scenario {
        let report = write_skeletons(&options.files, &corpus, out).map_err(|e| e.to_string())?;
        print!("{report}");
        return Ok(0);
    }
    let results = check(&options.files, &corpus).map_err(|e| e.to_string())?;
    match options.format {
        ExamplesFormat::Json => println!("{}", render::json(&results).map_err(|e| e.to_string())?),
        ExamplesFormat::Text => {
            print!("{}", render::human(&results));
            print!("{}", render::summary(&results));
        }
    }
    let errors = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity == Severity::Error);
    Ok(u8::from(errors))
}
