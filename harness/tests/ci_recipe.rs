//! The CI recipe as a server implementer runs it: `ci/run-xepspec.sh` (the
//! script `ci/github/action.yml` calls), from the implementer's own folder
//! holding only a targets file and a known-failures file, against a Prosody
//! 0.12 server that xepspec did not start (a container run here by hand,
//! addressed as an external server). A clean run exits 0 and writes nothing
//! outside its report folder (not in the folder, the home folder or the
//! temporary folder); with one known failure removed, it exits 1 naming
//! that cell.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use libtest_mimic::{Arguments, Failed, Trial};
use support::by_hand::{ByHand, DOMAIN};
use xepspec::judge::known;

mod support;

const IMAGE: &str = "prosody-0.12";
const NAME: &str = "my-prosody";

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let trials = vec![Trial::test(
        "ci::recipe_passes_and_then_names_a_regression",
        || {
            let server = start_server()?;
            let result = recipe_trial(&server.address);
            drop(server);
            result
        },
    )];
    libtest_mimic::run(&args, trials).exit_code()
}

/// A container of the built Prosody 0.12 image, started without xepspec
/// (built first if missing) and removed when dropped.
fn start_server() -> Result<ByHand, Failed> {
    let built = xepspec(&["images", "build", IMAGE], Path::new("."), &[])?;
    if !built.status.success() {
        return Err(format!("building {IMAGE}: {}", text(&built)).into());
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let image = format!("xepspec/{IMAGE}:latest");
    Ok(runtime.block_on(ByHand::start(&image, &[]))?)
}

fn recipe_trial(address: &str) -> Result<(), Failed> {
    let root = std::env::temp_dir().join(format!("xepspec-ci-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (repo, home, tmp) = (root.join("repo"), root.join("home"), root.join("tmp"));
    for dir in [&repo, &home, &tmp] {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let targets = format!(
        "[[target]]\nname = \"{NAME}\"\naddress = \"{address}\"\ndomain = \"{DOMAIN}\"\n\
         tls = \"starttls\"\ninsecure = true\nregister = true\n\
         known_failures = \"known-failures.toml\"\n"
    );
    write(&repo.join("xepspec.toml"), &targets)?;
    let entries = own_known_failures()?;
    write(&repo.join("known-failures.toml"), &entries.join("\n"))?;
    let env = [("HOME", home.as_path()), ("TMPDIR", tmp.as_path())];

    let clean = recipe(&repo, &env)?;
    if clean.status.code() != Some(0) {
        return Err(format!(
            "the recipe should exit 0, got {}:\n{}",
            clean.status,
            text(&clean)
        )
        .into());
    }
    let written = files_under(&root)?;
    let expected_outside = ["repo/known-failures.toml", "repo/xepspec.toml"];
    let outside: Vec<&String> = written
        .iter()
        .filter(|f| !f.starts_with("repo/report/") && !expected_outside.contains(&f.as_str()))
        .collect();
    if !outside.is_empty() {
        return Err(format!("written outside the report folder: {outside:?}").into());
    }
    for report in [
        "matrix.json",
        "junit.xml",
        "matrix.md",
        "index.html",
        "events.jsonl",
    ] {
        if !written.contains(&format!("repo/report/{report}")) {
            return Err(format!("the report folder lacks {report}").into());
        }
    }

    let removed = known::parse(&entries[0])?;
    let case = &removed[0].case;
    write(&repo.join("known-failures.toml"), &entries[1..].join("\n"))?;
    let regressed = recipe(&repo, &env)?;
    let out = text(&regressed);
    if regressed.status.code() != Some(1) || !out.contains(&format!("{case} on {NAME}")) {
        return Err(format!(
            "without the entry for {case}, the recipe should exit 1 naming it; got {}:\n{out}",
            regressed.status
        )
        .into());
    }
    let _ = std::fs::remove_dir_all(&root);
    Ok(())
}

/// What an implementer keeps for a Prosody server: xepspec's own entries
/// for Prosody, named for their own target, one `[[known]]` each.
fn own_known_failures() -> Result<Vec<String>, String> {
    let source = xepspec::scenario::ScenarioSource::bundled();
    let text = source
        .read("known-failures.toml")?
        .ok_or("no bundled known failures")?;
    let entries: Vec<String> = known::parse(&text)?
        .into_iter()
        .filter(|k| k.server.as_deref() == Some("Prosody"))
        .map(|k| {
            format!(
                "[[known]]\ntarget = \"{NAME}\"\ncase = {:?}\nreason = {:?}\nkind = \"{}\"\n",
                k.case,
                k.reason,
                k.kind.as_str()
            )
        })
        .collect();
    if entries.is_empty() {
        return Err("xepspec lists no known failure for Prosody".into());
    }
    Ok(entries)
}

/// Runs the recipe's script from `repo`, as a CI job would.
fn recipe(repo: &Path, env: &[(&str, &Path)]) -> Result<Output, Failed> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ci/run-xepspec.sh");
    let mut command = Command::new("sh");
    command
        .arg(script)
        .current_dir(repo)
        .env("XEPSPEC", env!("CARGO_BIN_EXE_xepspec"))
        .env("XEPSPEC_TARGET", NAME)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XEPSPEC_SNAPSHOTS")
        .env_remove("XEPSPEC_SCENARIOS");
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .output()
        .map_err(|e| Failed::from(format!("running the recipe: {e}")))
}

fn xepspec(args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> Result<Output, Failed> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xepspec"));
    command.args(args).current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .output()
        .map_err(|e| Failed::from(format!("running xepspec: {e}")))
}

/// Every file under `root`, relative, with `/`.
fn files_under(root: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut folders: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
