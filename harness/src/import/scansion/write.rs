//! The scenario file a script becomes, written like the hand-written ones:
//! the title from the script's first line, `[spec]` from its tags or title,
//! one `[[actor]]` per client, the stanzas as multi-line literals, and the
//! script's comments as the steps' notes.

use std::collections::BTreeSet;
use std::fmt::Write;

use regex::Regex;

use super::super::Note;
use super::cast::Cast;
use super::script::Script;
use super::steps::{Commented, Expected, Step};

/// What `[spec]` says, from the script's tags (`## xep: 191` or `## rfc:
/// 6121`, `## section: 3.1`, `## versions: 1.3.0, 1.4.0`, `## level:
/// SHOULD`, `## quote: ...`) or a `XEP-NNNN` (`RFC NNNN`) in its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecGuess {
    /// The XEP's number; 0 for an RFC, or when the script names nothing.
    pub xep: u32,
    /// Its versions.
    pub versions: Vec<String>,
    /// The section.
    pub section: String,
    /// The requirement quoted; the title when the script quotes none.
    pub quote: String,
    /// `MUST`, `SHOULD` or `MAY`.
    pub level: String,
    /// Nothing in the script named the specification.
    pub placeholder: bool,
}

/// `[spec]` for `script`, with a note when it has to be a placeholder.
pub fn spec(script: &Script, notes: &mut Vec<Note>) -> SpecGuess {
    let tag = |name: &str| {
        script
            .tags
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
            .and_then(|t| t.value.clone())
    };
    let number = Regex::new(r"(?i)\bXEP[- ]?0*(\d{1,4})\b").expect("valid regex");
    let from_title = script
        .title
        .as_deref()
        .and_then(|t| number.captures(t))
        .and_then(|c| c[1].parse().ok());
    let from_tag = tag("xep").and_then(|v| {
        let digits: String = v.chars().filter(char::is_ascii_digit).collect();
        digits.parse().ok()
    });
    let rfc = Regex::new(r"(?i)\bRFC ?\d{4}\b").expect("valid regex");
    let names_rfc =
        tag("rfc").is_some() || script.title.as_deref().is_some_and(|t| rfc.is_match(t));
    let xep = from_tag.or(from_title).or(names_rfc.then_some(0));
    if xep.is_none() {
        notes.push(Note::new(
            1,
            "the script names no specification (a `XEP-NNNN` or `RFC NNNN` title, or a `## xep: NNNN` or `## rfc: NNNN` tag): [spec] is a placeholder to fill in",
        ));
    }
    let level = match tag("level").map(|l| l.to_ascii_uppercase()) {
        Some(l) if ["MUST", "SHOULD", "MAY"].contains(&l.as_str()) => l,
        _ => "MUST".into(),
    };
    SpecGuess {
        xep: xep.unwrap_or(0),
        versions: tag("versions")
            .or_else(|| tag("version"))
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        section: tag("section").unwrap_or_else(|| "unknown".into()),
        quote: tag("quote")
            .or_else(|| script.title.clone())
            .unwrap_or_default(),
        level,
        placeholder: xep.is_none(),
    }
}

/// The tags that go into `[spec]` rather than the comment.
const SPEC_TAGS: &[&str] = &[
    "xep", "rfc", "section", "version", "versions", "quote", "level",
];

/// Everything the file is made of.
pub struct Document<'a> {
    /// The script's file name.
    pub file_name: &'a str,
    /// The script.
    pub script: &'a Script,
    /// Its clients.
    pub cast: &'a Cast,
    /// `[spec]`.
    pub spec: &'a SpecGuess,
    /// The services its stanzas name.
    pub services: &'a BTreeSet<String>,
    /// The steps.
    pub steps: &'a [Commented],
    /// What the conversion left out or changed.
    pub notes: &'a [Note],
}

impl Document<'_> {
    /// The scenario file's text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let stem = self.file_name.trim_end_matches(".scs");
        let title = self.script.title.clone().unwrap_or_else(|| stem.to_owned());
        let _ = writeln!(out, "title = {}", basic(&title));
        let _ = writeln!(out, "comment = {}", multi_line_basic(&self.comment()));
        self.render_spec(&mut out);
        if !self.services.is_empty() {
            let list: Vec<String> = self.services.iter().map(|s| basic(s)).collect();
            let _ = writeln!(out, "\n[requires]\nservices = [{}]", list.join(", "));
        }
        for member in &self.cast.members {
            let _ = writeln!(
                out,
                "\n# [Client] {} ({})\n[[actor]]\nname = {}\nconnected = false\npresence = false\nanswers = \"scenario\"",
                member.character,
                member.jid,
                basic(&member.actor())
            );
        }
        for commented in self.steps {
            out.push('\n');
            render_step(&mut out, commented);
        }
        out
    }

    fn comment(&self) -> String {
        let script = self.script;
        let mut lines = vec![format!(
            "Converted by `xepspec import scansion` from {}.",
            self.file_name
        )];
        lines.extend(script.description.iter().cloned());
        if let Some(rfc) = script
            .tags
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case("rfc"))
        {
            let number = rfc.value.as_deref().unwrap_or("?");
            lines.push(format!("The requirement is RFC {number}'s (xep = 0)."));
        }
        lines.extend(script.preamble.iter().cloned());
        let tags: Vec<String> = script
            .tags
            .iter()
            .filter(|t| !SPEC_TAGS.contains(&t.name.to_ascii_lowercase().as_str()))
            .map(|t| match &t.value {
                Some(v) => format!("{}: {v}", t.name),
                None => t.name.clone(),
            })
            .collect();
        if !tags.is_empty() {
            lines.push(format!("Tags: {}.", tags.join(", ")));
        }
        if !self.notes.is_empty() {
            lines.push("Not converted as written:".into());
            for note in self.notes {
                lines.push(format!("- line {}: {}", note.line, note.message));
            }
        }
        lines.join("\n")
    }

    fn render_spec(&self, out: &mut String) {
        let spec = self.spec;
        out.push_str("\n[spec]\n");
        if spec.placeholder {
            out.push_str("# A placeholder: the script names no specification. Fill in the XEP\n# (0 for an RFC), its versions, the section and the requirement quoted.\n");
        }
        let versions: Vec<String> = spec.versions.iter().map(|v| basic(v)).collect();
        let _ = writeln!(out, "xep = {}", spec.xep);
        let _ = writeln!(out, "versions = [{}]", versions.join(", "));
        let _ = writeln!(out, "section = {}", basic(&spec.section));
        let _ = writeln!(out, "quote = {}", basic(&spec.quote));
        let _ = writeln!(out, "level = {}", basic(&spec.level));
    }
}

/// One `[[step]]` table.
fn render_step(out: &mut String, commented: &Commented) {
    out.push_str("[[step]]\n");
    let mut note = commented.comment.join(" ");
    match &commented.step {
        Step::Expect(items) if items.len() > 1 => {
            let first = items[0].comment.join(" ");
            if note.is_empty() {
                note = first;
            }
            note_line(out, &note);
            out.push_str("in_order = [\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    for line in &item.comment {
                        let _ = writeln!(out, "  # {line}");
                    }
                }
                let _ = writeln!(
                    out,
                    "  {{ expect = {}, xml = {} }},",
                    basic(&item.actor),
                    literal(&item.xml)
                );
            }
            out.push_str("]\n");
        }
        Step::Expect(items) => {
            let Some(Expected {
                actor,
                xml,
                comment,
            }) = items.first()
            else {
                return;
            };
            if note.is_empty() {
                note = comment.join(" ");
            }
            note_line(out, &note);
            let _ = writeln!(out, "expect = {}\nxml = {}", basic(actor), literal(xml));
        }
        Step::Send(actor, xml) => {
            note_line(out, &note);
            let _ = writeln!(out, "send = {}\nxml = {}", basic(actor), literal(xml));
        }
        Step::Connect(actor) => {
            note_line(out, &note);
            let _ = writeln!(out, "connect = {}", basic(actor));
        }
        Step::Disconnect(actor) => {
            note_line(out, &note);
            let _ = writeln!(out, "disconnect = {}", basic(actor));
        }
        Step::Silence(actor, said) => {
            if note.is_empty() {
                note = if *said {
                    "the script says: receives nothing".into()
                } else {
                    "nothing else arrived (scansion fails on any stanza the script does not expect)"
                        .into()
                };
            }
            note_line(out, &note);
            let _ = writeln!(out, "silence = {}", basic(actor));
        }
    }
}

fn note_line(out: &mut String, note: &str) {
    if !note.is_empty() {
        let _ = writeln!(out, "note = {}", basic(note));
    }
}

/// A TOML basic string.
fn basic(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML multi-line basic string, for the comment.
fn multi_line_basic(text: &str) -> String {
    let mut out = String::from("\"\"\"\n");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str("\n\"\"\"");
    out
}

/// XML as a TOML multi-line literal string, the way scenarios hold
/// stanzas: on its own lines unless it is one line. XML holding `'''`
/// (which a literal cannot) falls back to a basic string.
fn literal(xml: &str) -> String {
    if xml.contains("'''")
        || xml
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return basic(xml);
    }
    if xml.contains('\n') {
        format!("'''\n{xml}'''")
    } else {
        format!("'''{xml}'''")
    }
}
