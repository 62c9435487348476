//! The layering of `harness/src`, as ARCHITECTURE.md writes it, checked the
//! way rustc's tidy checks its rules: every `crate::ROOM` path in every
//! source file (tests included, comments not) must name a room below the
//! file's own, unless ARCHITECTURE.md lists the exception with its reason.
//! The scan must find imports, so it cannot pass by reading nothing, and a
//! fixture proves it catches an upward import. clap, the command line's
//! crate, is kept to `main.rs` and `commands/` the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::Regex;

/// One `crate::ROOM` path in a source file.
#[derive(Debug)]
struct Import {
    file: PathBuf,
    line: usize,
    from: String,
    to: String,
}

/// The rooms of the ```layers block, with their rank (peers share one).
fn layers(architecture: &str) -> Result<HashMap<String, usize>, String> {
    let block = fenced(architecture, "layers").ok_or("ARCHITECTURE.md has no ```layers block")?;
    let mut ranks = HashMap::new();
    for (rank, line) in block.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        for room in line.split_whitespace() {
            if ranks.insert(room.to_owned(), rank).is_some() {
                return Err(format!("{room} is listed twice in the layers"));
            }
        }
    }
    Ok(ranks)
}

/// The ```exceptions block: `from -> to: reason` lines; a line without a
/// reason is refused.
fn exceptions(architecture: &str) -> Result<Vec<(String, String)>, String> {
    let block = fenced(architecture, "exceptions").ok_or("no ```exceptions block")?;
    let mut found = Vec::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let (pair, reason) = line.split_once(':').ok_or(format!("no reason: {line}"))?;
        let (from, to) = pair
            .split_once("->")
            .ok_or(format!("not `a -> b`: {line}"))?;
        if reason.trim().is_empty() {
            return Err(format!("an exception needs its reason: {line}"));
        }
        found.push((from.trim().to_owned(), to.trim().to_owned()));
    }
    Ok(found)
}

/// The body of the fenced block whose info string is `name`.
fn fenced<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!("```{name}\n"))? + name.len() + 4;
    let end = start + text[start..].find("```")?;
    Some(&text[start..end])
}

/// Every `crate::ROOM` path in `files` (path relative to `src/`, text),
/// with the room of the file it is in; comment lines are skipped.
fn imports(files: &[(PathBuf, String)]) -> Vec<Import> {
    let path = Regex::new(r"\bcrate::([a-z_][a-z0-9_]*)").expect("a valid pattern");
    let mut found = Vec::new();
    for (file, text) in files {
        let Some(from) = room_of(file) else { continue };
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for capture in path.captures_iter(line) {
                found.push(Import {
                    file: file.clone(),
                    line: number + 1,
                    from: from.clone(),
                    to: capture[1].to_owned(),
                });
            }
        }
    }
    found
}

/// The room a file under `src/` belongs to: its first folder, or its own
/// name for a top-level file; `lib.rs` and `main.rs` belong to none.
fn room_of(file: &Path) -> Option<String> {
    let first = file.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        _ => Some(first.trim_end_matches(".rs").to_owned()),
    }
}

/// The imports that break the layering, one line each.
fn violations(
    ranks: &HashMap<String, usize>,
    allowed: &[(String, String)],
    found: &[Import],
) -> Vec<String> {
    let mut out = Vec::new();
    for import in found.iter().filter(|i| i.from != i.to) {
        let where_ = format!("{}:{}", import.file.display(), import.line);
        let (Some(from), Some(to)) = (ranks.get(&import.from), ranks.get(&import.to)) else {
            out.push(format!(
                "{where_}: {} or {} is not in ARCHITECTURE.md's layers",
                import.from, import.to
            ));
            continue;
        };
        let excepted = allowed
            .iter()
            .any(|(f, t)| *f == import.from && *t == import.to);
        if to >= from && !excepted {
            let how = if to == from {
                "a peer"
            } else {
                "a room above it"
            };
            out.push(format!(
                "{where_}: {} imports {}, {how}",
                import.from, import.to
            ));
        }
    }
    out
}

/// Every `.rs` file under `dir`, relative to it, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).expect("src/ is readable");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file is readable");
                let relative = path.strip_prefix(dir).expect("under src/").to_path_buf();
                files.push((relative, text));
            }
        }
    }
    files
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_tree_follows_the_layers_of_architecture_md() {
    let architecture = std::fs::read_to_string(repository().join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md is readable");
    let ranks = layers(&architecture).expect("the layers parse");
    let allowed = exceptions(&architecture).expect("the exceptions parse");
    let files = sources(&repository().join("harness/src"));
    let found = imports(&files);
    assert!(
        found.len() > 100,
        "the scan found only {} imports: it is not reading the tree",
        found.len()
    );
    let lib = std::fs::read_to_string(repository().join("harness/src/lib.rs"))
        .expect("lib.rs is readable");
    for room in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let room = room.trim_end_matches(';');
        assert!(
            ranks.contains_key(room),
            "{room} is not in ARCHITECTURE.md's layers"
        );
    }
    let broken = violations(&ranks, &allowed, &found);
    assert!(broken.is_empty(), "upward imports:\n{}", broken.join("\n"));
}

#[test]
fn an_upward_import_in_a_fixture_is_caught_with_its_place() {
    let architecture = "```layers\nstanza\nengine\nexamples fuzz\n```\n```exceptions\nfuzz -> examples: a fixture's reason\n```\n";
    let ranks = layers(architecture).expect("parses");
    let allowed = exceptions(architecture).expect("parses");
    let files = vec![
        (
            PathBuf::from("stanza/match.rs"),
            "use crate::stanza::x;\n// crate::engine in a comment\nuse crate::engine::run;\n"
                .to_owned(),
        ),
        (
            PathBuf::from("engine/mod.rs"),
            "use crate::stanza::x;\n".to_owned(),
        ),
        (
            PathBuf::from("examples/mod.rs"),
            "use crate::fuzz::y;\n".to_owned(),
        ),
        (
            PathBuf::from("fuzz/mod.rs"),
            "use crate::examples::z;\n".to_owned(),
        ),
        (
            PathBuf::from("lib.rs"),
            "pub use crate::engine::run;\n".to_owned(),
        ),
    ];
    let broken = violations(&ranks, &allowed, &imports(&files));
    assert_eq!(
        broken,
        vec![
            "stanza/match.rs:3: stanza imports engine, a room above it".to_owned(),
            "examples/mod.rs:1: examples imports fuzz, a peer".to_owned(),
        ]
    );
    assert!(exceptions("```exceptions\na -> b:\n```\n").is_err());
}

/// The files that use clap, given every source file: only the command line
/// (`main.rs` and `commands/`) may; the library takes plain structs.
fn clap_outside_the_command_line(files: &[(PathBuf, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(file, _)| !(file.starts_with("commands") || file == Path::new("main.rs")))
        .filter(|(_, text)| {
            text.lines()
                .any(|l| !l.trim_start().starts_with("//") && l.contains("clap"))
        })
        .map(|(file, _)| file.display().to_string())
        .collect()
}

#[test]
fn clap_stays_in_the_command_line() {
    let files = sources(&repository().join("harness/src"));
    let in_commands = files
        .iter()
        .filter(|(f, t)| f.starts_with("commands") && t.contains("clap::"))
        .count();
    assert!(
        in_commands > 3,
        "the scan found clap in only {in_commands} command files"
    );
    let outside = clap_outside_the_command_line(&files);
    assert!(
        outside.is_empty(),
        "clap outside the command line: {outside:?}"
    );
    let fixture = vec![(
        PathBuf::from("session/tls.rs"),
        "#[derive(clap::ValueEnum)]\npub enum TlsMode {}\n".to_owned(),
    )];
    assert_eq!(clap_outside_the_command_line(&fixture), ["session/tls.rs"]);
}
