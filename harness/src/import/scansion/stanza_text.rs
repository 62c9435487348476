//! A script's stanza as scenario XML, edited in place so that it keeps the
//! script's layout:
//!
//! - `${Romeo's full JID}` → `{romeo/balcony}`, `${Romeo's JID}` →
//!   `{romeo}`; the script's own JIDs written out (`romeo@localhost`) the
//!   same way, its domain → `{domain}`, `conference.localhost` →
//!   `{service:muc}`, `pubsub.localhost` → `{service:pubsub}`;
//! - `{scansion:any}` → `{any}`; `{scansion:capture:x}` → `{=x}` where it
//!   is first met in a received stanza, `{x}` after;
//! - strictness: scansion matches an element that declares its own
//!   namespace strictly (with its subtree), the rest leniently, and
//!   `scansion:strict` overrides either; the template says the same with
//!   `t:strict` where the strictness changes;
//! - literal braces doubled.

use std::collections::{BTreeMap, BTreeSet};

use regex::{Captures, Regex};

use super::super::Note;
use super::cast::Cast;
use super::script::Payload;
use super::shape::{StartTag, stanzas};

/// The template namespace, as the scenario format spells it.
const TEMPLATE_NS: &str = "urn:xepspec:template";

/// Whether the stanza is sent or expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A `send` step.
    Send,
    /// An expectation.
    Expect,
}

/// What a script's stanzas have in common while they are converted in
/// order: its cast, the captures bound so far, the services named.
pub struct Rewriter<'a> {
    cast: &'a Cast,
    /// Placeholder names a capture may not take.
    taken: BTreeSet<String>,
    /// Captures bound so far: the script's name → the scenario's.
    captures: BTreeMap<String, String>,
    /// `muc`, `pubsub`: the services the stanzas name.
    pub services: BTreeSet<String>,
    /// Subdomains already reported as unknown services.
    unknown_hosts: BTreeSet<String>,
    jid: Regex,
}

impl<'a> Rewriter<'a> {
    /// A rewriter for the stanzas of a script whose clients are `cast`.
    pub fn new(cast: &'a Cast) -> Rewriter<'a> {
        let mut taken: BTreeSet<String> = ["domain", "id", "any"].map(String::from).into();
        for member in &cast.members {
            taken.insert(member.actor());
            taken.insert(member.account.clone());
        }
        let domain = regex::escape(if cast.domain.is_empty() {
            "localhost"
        } else {
            &cast.domain
        });
        let jid = Regex::new(&format!(
            r#"\$\{{(?P<var>[^}}]*)\}}|\{{scansion:(?P<scansion>[^}}]*)\}}|(?P<brace>[{{}}])|(?:(?P<local>[A-Za-z0-9._%+\-]+)@)?(?:(?P<sub>[A-Za-z0-9\-]+)\.)?{domain}(?:/(?P<res>[^\s"'<>{{}}]+))?"#
        ))
        .expect("valid regex");
        Rewriter {
            cast,
            taken,
            captures: BTreeMap::new(),
            services: BTreeSet::new(),
            unknown_hosts: BTreeSet::new(),
            jid,
        }
    }

    /// The stanzas of `payload` as scenario XML for a step of kind `used`,
    /// or `None` (with a note) when the text is not well-formed XML.
    pub fn stanzas(
        &mut self,
        payload: &Payload,
        used: Use,
        notes: &mut Vec<Note>,
    ) -> Option<Vec<String>> {
        let line_of = |offset: usize| payload.line + payload.text[..offset].matches('\n').count();
        let shapes = match stanzas(&payload.text) {
            Ok(shapes) => shapes,
            Err(e) => {
                notes.push(Note::new(
                    line_of(e.offset.min(payload.text.len())),
                    format!(
                        "the stanza is not well-formed XML ({}): left out",
                        e.message
                    ),
                ));
                return None;
            }
        };
        let mut out = Vec::new();
        for (span, tags) in shapes {
            let line = line_of(span.start);
            let marked = mark_strictness(&payload.text, span.clone(), &tags, used, line, notes);
            let text = self.placeholders(&marked, used, line, notes);
            out.push(reindent(&text));
        }
        Some(out)
    }

    /// `text` with the script's variables, wildcards, captures and JIDs as
    /// placeholders, and its other braces doubled.
    fn placeholders(
        &mut self,
        text: &str,
        used: Use,
        line: usize,
        notes: &mut Vec<Note>,
    ) -> String {
        let jid = self.jid.clone();
        let mut bound_here: BTreeSet<String> = BTreeSet::new();
        jid.replace_all(text, |c: &Captures| {
            let whole = c.get(0).expect("group 0");
            if let Some(var) = c.name("var") {
                self.variable(var.as_str(), line, notes)
            } else if let Some(name) = c.name("scansion") {
                self.wildcard(name.as_str(), used, &mut bound_here, line, notes)
            } else if let Some(brace) = c.name("brace") {
                brace.as_str().repeat(2)
            } else if !at_boundary(text, whole.start(), whole.end()) {
                whole.as_str().to_owned()
            } else {
                self.jid(c, line, notes)
            }
        })
        .into_owned()
    }

    /// `${Romeo's full JID}` and `${Romeo's JID}`.
    fn variable(&self, var: &str, line: usize, notes: &mut Vec<Note>) -> String {
        let (character, full) = if let Some(c) = var.strip_suffix("'s full JID") {
            (c, true)
        } else if let Some(c) = var.strip_suffix("'s JID") {
            (c, false)
        } else {
            notes.push(Note::new(
                line,
                format!("`${{{var}}}` is not a variable this converter knows (`${{X's full JID}}`, `${{X's JID}}`): kept as literal text"),
            ));
            return format!("${{{{{var}}}}}");
        };
        match self.cast.member(character) {
            Some(m) if full => format!("{{{}}}", m.actor()),
            Some(m) => format!("{{{}}}", m.account),
            None => {
                notes.push(Note::new(
                    line,
                    format!("`${{{var}}}` names no client: kept as literal text"),
                ));
                format!("${{{{{var}}}}}")
            }
        }
    }

    /// `{scansion:any}` and `{scansion:capture:name}`.
    fn wildcard(
        &mut self,
        name: &str,
        used: Use,
        bound_here: &mut BTreeSet<String>,
        line: usize,
        notes: &mut Vec<Note>,
    ) -> String {
        let literal = format!("{{{{scansion:{name}}}}}");
        if name == "any" {
            return match used {
                Use::Expect => "{any}".into(),
                Use::Send => {
                    notes.push(Note::new(
                        line,
                        "`{scansion:any}` in a stanza sent is sent as it is written, as scansion does",
                    ));
                    literal
                }
            };
        }
        let Some(capture) = name.strip_prefix("capture:") else {
            notes.push(Note::new(
                line,
                format!("`{{scansion:{name}}}` is not a wildcard this converter knows: kept as literal text"),
            ));
            return literal;
        };
        if let Some(bound) = self.captures.get(capture) {
            if bound_here.contains(capture) {
                notes.push(Note::new(
                    line,
                    format!("`{{scansion:capture:{capture}}}` twice in one stanza: the second matches any value"),
                ));
                return "{any}".into();
            }
            return format!("{{{bound}}}");
        }
        if used == Use::Send {
            notes.push(Note::new(
                line,
                format!("`{{scansion:capture:{capture}}}` is sent before a received stanza captured it: kept as literal text"),
            ));
            return literal;
        }
        let mut scenario_name: String = capture
            .chars()
            .map(|c| {
                if "{}<>/=".contains(c) || c.is_whitespace() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        if self.taken.contains(&scenario_name) {
            scenario_name = format!("captured-{scenario_name}");
        }
        self.taken.insert(scenario_name.clone());
        self.captures
            .insert(capture.to_owned(), scenario_name.clone());
        bound_here.insert(capture.to_owned());
        format!("{{={scenario_name}}}")
    }

    /// A JID or host on the script's domain.
    fn jid(&mut self, c: &Captures, line: usize, notes: &mut Vec<Note>) -> String {
        let local = c.name("local").map(|m| m.as_str());
        let resource = c.name("res").map(|m| m.as_str());
        let tail = resource.map(|r| format!("/{r}")).unwrap_or_default();
        if let Some(sub) = c.name("sub").map(|m| m.as_str()) {
            let host = match sub {
                "conference" | "muc" | "rooms" => Some("muc"),
                "pubsub" => Some("pubsub"),
                _ => None,
            };
            let host = match host {
                Some(service) => {
                    self.services.insert(service.to_owned());
                    format!("{{service:{service}}}")
                }
                None => {
                    if self.unknown_hosts.insert(sub.to_owned()) {
                        notes.push(Note::new(
                            line,
                            format!(
                                "`{sub}.{}` is no service a target declares (muc, pubsub): written `{sub}.{{domain}}`",
                                self.cast.domain
                            ),
                        ));
                    }
                    format!("{sub}.{{domain}}")
                }
            };
            let local = local.map(|l| format!("{l}@")).unwrap_or_default();
            return format!("{local}{host}{tail}");
        }
        let Some(local) = local else {
            return format!("{{domain}}{tail}");
        };
        let Some(account) = self.cast.accounts.get(local) else {
            return format!("{local}@{{domain}}{tail}");
        };
        // The resource a member has, and what follows it in running text
        // (`romeo@localhost/orchard,`).
        let actor = resource.and_then(|r| {
            self.cast
                .members
                .iter()
                .filter(|m| &m.account == account)
                .filter_map(|m| {
                    let rest = r.strip_prefix(m.resource.as_str())?;
                    let ends =
                        rest.is_empty() || rest.starts_with([',', '.', ';', ':', '!', '?', ')']);
                    ends.then_some((m, rest))
                })
                .max_by_key(|(m, _)| m.resource.len())
        });
        match (actor, resource) {
            (Some((member, rest)), _) => format!("{{{}}}{rest}", member.actor()),
            (None, Some(_)) => format!("{{{account}}}{tail}"),
            (None, None) => format!("{{{account}}}"),
        }
    }
}

/// Whether a JID found at `start..end` stands alone (not inside a longer
/// name such as `notlocalhost`).
fn at_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    !before.is_some_and(|c| name_char(c) || c == '.' || c == '@') && !after.is_some_and(name_char)
}

/// The stanza at `span` of `text` with scansion's strictness written as
/// `t:strict` where it changes, and `xmlns:t` declared on the stanza when
/// used. In a sent stanza `scansion:strict` means nothing, and is dropped.
fn mark_strictness(
    text: &str,
    span: std::ops::Range<usize>,
    tags: &[StartTag],
    used: Use,
    line: usize,
    notes: &mut Vec<Note>,
) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut stack: Vec<bool> = Vec::new();
    for tag in tags {
        stack.truncate(tag.depth);
        let parent = stack.last().copied().unwrap_or(false);
        let strict = match (&tag.strict, used) {
            (Some((range, _)), Use::Send) => {
                notes.push(Note::new(
                    line,
                    "`scansion:strict` in a stanza sent means nothing: dropped",
                ));
                edits.push((range.clone(), String::new()));
                false
            }
            (Some((range, value)), Use::Expect) => {
                let strict = matches!(value.as_str(), "true" | "1");
                edits.push((range.clone(), format!(" t:strict='{strict}'")));
                strict
            }
            (None, Use::Expect) if tag.own_namespace && tag.depth > 0 => {
                if !parent {
                    edits.push((
                        tag.close..tag.close,
                        attribute(text, tag.close, "t:strict='true'"),
                    ));
                }
                true
            }
            (None, _) => parent,
        };
        stack.push(strict);
    }
    let marked = edits.iter().any(|(_, e)| e.contains("t:strict"));
    if let (true, Some(stanza)) = (marked, tags.first()) {
        let declaration = format!("xmlns:t='{TEMPLATE_NS}'");
        edits.push((
            stanza.close..stanza.close,
            attribute(text, stanza.close, &declaration),
        ));
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse((range.start, range.end)));
    let mut out = text[span.clone()].to_owned();
    for (range, replacement) in edits {
        out.replace_range(
            range.start - span.start..range.end - span.start,
            &replacement,
        );
    }
    out
}

/// `attribute` as inserted at `at`: after a space unless one is there.
fn attribute(text: &str, at: usize, attribute: &str) -> String {
    if text[..at].ends_with(char::is_whitespace) {
        format!("{attribute} ")
    } else {
        format!(" {attribute}")
    }
}

/// `text` with each tab of its lines' indentation as two spaces, the way
/// the hand-written scenarios indent.
fn reindent(text: &str) -> String {
    text.trim()
        .lines()
        .map(|l| {
            let body = l.trim_start_matches([' ', '\t']);
            let indent = &l[..l.len() - body.len()];
            format!("{}{body}", indent.replace('\t', "  "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
