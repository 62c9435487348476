//! Older versions of a XEP: `history/xep-NNNN-V.xml` in the XEP sources'
//! folder, taken from the `xeps` repository's git history when missing.

use std::path::Path;
use std::process::Command;

use super::FetchError;

/// Where a XEP's version lives under the XEP sources' folder.
pub fn history_path(xep: u32, version: &str) -> String {
    format!("history/xep-{xep:04}-{version}.xml")
}

/// The version of a XEP source's newest revision (the first `<revision>`
/// of its header), if it has one.
pub fn newest_revision(source: &str) -> Option<&str> {
    let revision = &source[source.find("<revision>")?..];
    let start = revision.find("<version>")? + "<version>".len();
    let length = revision[start..].find("</version>")?;
    Some(revision[start..start + length].trim())
}

/// The text of `xep-NNNN.xml` as it was in the last commit whose newest
/// revision is `version`, from the git repository `repo`; `None` when no
/// commit has it.
pub fn from_git(repo: &Path, xep: u32, version: &str) -> Result<Option<String>, FetchError> {
    let file = format!("xep-{xep:04}.xml");
    let log = git(repo, &["log", "--reverse", "--format=%H", "--", &file])?;
    let mut found = None;
    for commit in log.lines() {
        let text = git(repo, &["show", &format!("{commit}:{file}")])?;
        if newest_revision(&text) == Some(version) {
            found = Some(text);
        } else if found.is_some() {
            break;
        }
    }
    Ok(found)
}

/// Runs git in `repo`; its standard output, or an error with its standard
/// error.
pub(super) fn git(repo: &Path, args: &[&str]) -> Result<String, FetchError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|source| FetchError::GitMissing { source })?;
    if !output.status.success() {
        return Err(FetchError::Git {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_revision_is_the_first() {
        let source = "<header><revision><version>1.0</version></revision>\
                      <revision><version>0.1</version></revision></header>";
        assert_eq!(newest_revision(source), Some("1.0"));
        assert_eq!(newest_revision("<xep/>"), None);
    }

    #[test]
    fn history_paths_have_four_digits() {
        assert_eq!(history_path(223, "1.0"), "history/xep-0223-1.0.xml");
    }
}
