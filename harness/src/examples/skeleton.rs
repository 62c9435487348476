//! `xepspec examples --scenario`: one scenario per server stanza a XEP's
//! examples show, asking "does this server reproduce Example N?".
//!
//! The scenario sends the client stanza that causes it (`flow::Story::trigger`)
//! and expects the example as printed. Client stanzas of earlier examples
//! are sent first, unchecked, so the account is in the state the XEP's story
//! assumes (a removal follows an addition). People's JIDs become actors
//! (`juliet@capulet.lit/balcony` → `juliet/balcony`, `{juliet}` for the bare
//! JID, `{domain}` for their domain); a sent stanza's id becomes `{id}`; in
//! an expectation the answer's id is `{id}`, ids and stamps the server
//! makes up are `{any}`, and a message's or presence's own id, which RFC
//! 6120 makes optional, is left out (so any id or none matches). `+notify` interests a client's disco answer shows
//! become its actor's caps.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::PathBuf;

use super::flow::{Direction, Jid, Stanza, Story};
use super::source::XepSource;

/// One generated scenario.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// Where it goes under the output folder
    /// (`xep-0402/1.2.0/example-07.toml`).
    pub path: PathBuf,
    /// The example it expects.
    pub example: usize,
    /// The TOML text.
    pub text: String,
}

/// What a XEP's examples become.
#[derive(Debug, Clone, Default)]
pub struct Skeletons {
    /// The scenarios.
    pub scenarios: Vec<Skeleton>,
    /// Examples that became no scenario, with why.
    pub skipped: Vec<(usize, String)>,
}

/// How a stanza is used in a step.
enum Role<'t> {
    Send,
    Expect {
        /// It answers the stanza sent last, by id.
        answers: bool,
        /// The text of the client stanzas sent before it: ids in it are
        /// the client's, others the server's.
        sent: &'t str,
    },
}

/// The scenarios replaying `source`'s examples.
pub fn skeletons(source: &XepSource) -> Skeletons {
    let story = Story::read(source);
    let mut out = Skeletons {
        skipped: story.skipped.clone(),
        ..Skeletons::default()
    };
    let version = source.version.clone().unwrap_or_else(|| "unknown".into());
    let xep = source.number.unwrap_or(0);
    let mut per_example: BTreeMap<usize, usize> = BTreeMap::new();
    for (index, stanza) in story.stanzas.iter().enumerate() {
        match stanza.direction {
            Direction::Send => continue,
            Direction::ClientAnswer => {
                out.skipped.push((
                    stanza.example.number,
                    "a client's answer to its server: the session gives it (its +notify interests go into caps)".into(),
                ));
                continue;
            }
            Direction::Receive => {}
        }
        let Some(trigger) = story.trigger(index) else {
            out.skipped.push((
                stanza.example.number,
                "no example sends what makes the server send it".into(),
            ));
            continue;
        };
        let n = per_example.entry(stanza.example.number).or_insert(0);
        *n += 1;
        let name = match *n {
            1 => format!("example-{:02}.toml", stanza.example.number),
            k => format!("example-{:02}-{k}.toml", stanza.example.number),
        };
        out.scenarios.push(Skeleton {
            path: PathBuf::from(format!("xep-{xep:04}"))
                .join(&version)
                .join(name),
            example: stanza.example.number,
            text: Writer::new(&story, source, &version).scenario(index, trigger),
        });
    }
    out.skipped.sort();
    out
}

/// Renders one scenario.
struct Writer<'s, 'a> {
    story: &'s Story<'a>,
    source: &'a XepSource,
    version: &'s str,
    actors: BTreeSet<String>,
    accounts: BTreeSet<String>,
}

impl<'s, 'a> Writer<'s, 'a> {
    fn new(story: &'s Story<'a>, source: &'a XepSource, version: &'s str) -> Self {
        Writer {
            story,
            source,
            version,
            actors: BTreeSet::new(),
            accounts: BTreeSet::new(),
        }
    }

    fn scenario(mut self, index: usize, trigger: usize) -> String {
        let stanzas = &self.story.stanzas;
        let expected = &stanzas[index];
        let cause = &stanzas[trigger];
        let setup: Vec<usize> = (0..trigger)
            .filter(|&i| stanzas[i].direction == Direction::Send)
            .collect();
        let mut steps = String::new();
        for &i in &setup {
            let note = format!("setup, unchecked: {}", describe(&stanzas[i]));
            self.step(&mut steps, "send", &stanzas[i], Role::Send, &note, None);
        }
        let sender = self.sender(cause);
        self.step(
            &mut steps,
            "send",
            cause,
            Role::Send,
            &describe(cause),
            None,
        );
        let answers = expected.element.name() == "iq";
        let sent: String = setup
            .iter()
            .chain(std::iter::once(&trigger))
            .map(|&i| stanzas[i].text.as_str())
            .collect();
        let role = Role::Expect {
            answers,
            sent: &sent,
        };
        self.step(
            &mut steps,
            "expect",
            expected,
            role,
            &describe(expected),
            Some(&sender),
        );
        self.document(index, trigger, &setup, &steps)
    }

    fn document(&self, index: usize, trigger: usize, setup: &[usize], steps: &str) -> String {
        let stanzas = &self.story.stanzas;
        let expected = &stanzas[index];
        let xep = self.source.number.unwrap_or(0);
        let mut text = String::new();
        let title = format!(
            "XEP-{xep:04} {} {} as printed: {}",
            self.version,
            example_name(expected),
            expected.example.caption
        );
        let mut comment = format!(
            "Generated by `xepspec examples --scenario` from {} ({}).\nSends {} and expects {} as the XEP prints it.",
            self.source.path.file_name().map_or_else(
                || self.source.path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            ),
            self.version,
            describe(&stanzas[trigger]),
            example_name(expected),
        );
        if !setup.is_empty() {
            let names: Vec<String> = setup.iter().map(|&i| example_name(&stanzas[i])).collect();
            let _ = write!(
                comment,
                "\nFirst sends {} (unchecked), so the account is in the state the XEP's story assumes.",
                names.join(", ")
            );
        }
        let _ = writeln!(text, "title = {}", quoted(&title));
        let _ = writeln!(text, "comment = {}", quoted(&comment));
        let _ = writeln!(
            text,
            "\n[spec]\nxep = {xep}\nversions = [{}]",
            quoted(self.version)
        );
        let _ = writeln!(text, "section = {}", quoted(&expected.example.section));
        let quote = format!("{}: {}", example_name(expected), expected.example.caption);
        let _ = writeln!(text, "quote = {}\nlevel = \"MUST\"", quoted(&quote));
        for actor in self.all_actors() {
            let _ = writeln!(text, "\n[[actor]]\nname = {}", quoted(&actor));
            if let Some(interests) = self.story.notify.get(&actor) {
                let list: Vec<String> = interests.iter().map(|i| quoted(i)).collect();
                let _ = writeln!(text, "notify = [{}]", list.join(", "));
            }
        }
        text.push_str(steps);
        text
    }

    /// The actors the steps use, plus one per account known only by its
    /// bare JID.
    fn all_actors(&self) -> Vec<String> {
        let mut actors = self.actors.clone();
        for account in &self.accounts {
            if !actors.iter().any(|a| a.split('/').next() == Some(account)) {
                let resource = self
                    .story
                    .people
                    .get(account)
                    .and_then(|r| r.first().cloned())
                    .unwrap_or_else(|| "replay".into());
                actors.insert(format!("{account}/{resource}"));
            }
        }
        actors.into_iter().collect()
    }

    fn step(
        &mut self,
        out: &mut String,
        kind: &str,
        stanza: &Stanza<'_>,
        role: Role<'_>,
        note: &str,
        default_receiver: Option<&str>,
    ) {
        let actor = match (&role, default_receiver) {
            (Role::Send, _) => self.sender(stanza),
            (Role::Expect { .. }, fallback) => self
                .actor_of(stanza.element.attr("to"))
                .or_else(|| fallback.map(str::to_owned))
                .unwrap_or_else(|| self.default_actor()),
        };
        self.actors.insert(actor.clone());
        let xml = self.template(stanza, &role);
        let _ = write!(
            out,
            "\n[[step]]\n{kind} = {}\nnote = {}\nxml = {}\n",
            quoted(&actor),
            quoted(note),
            xml_string(&xml)
        );
    }

    fn sender(&self, stanza: &Stanza<'_>) -> String {
        self.actor_of(stanza.element.attr("from"))
            .unwrap_or_else(|| self.default_actor())
    }

    /// `local/resource` for a person's full JID.
    fn actor_of(&self, jid: Option<&str>) -> Option<String> {
        let jid = Jid::parse(jid?)?;
        let resource = jid
            .resource
            .filter(|_| self.story.people.contains_key(&jid.local))?;
        Some(format!("{}/{resource}", jid.local))
    }

    /// The first person's first resource.
    fn default_actor(&self) -> String {
        self.story
            .people
            .iter()
            .find_map(|(local, resources)| resources.first().map(|r| format!("{local}/{r}")))
            .unwrap_or_else(|| "user/replay".into())
    }

    /// The stanza's text with placeholders for people, ids and generated
    /// values; other braces doubled.
    fn template(&mut self, stanza: &Stanza<'_>, role: &Role<'_>) -> String {
        let mut replacements: Vec<(usize, usize, String)> = Vec::new();
        for (tag_index, tag) in stanza.tags.iter().enumerate() {
            for attr in &tag.attributes {
                let value = attr.value.trim();
                if tag_index == 0
                    && attr.name == "id"
                    && matches!(role, Role::Expect { answers: false, .. })
                {
                    let end = attr.offset + attr.raw_len + 1;
                    let before = &stanza.text[..attr.start];
                    let start = before.trim_end().len();
                    replacements.push((start, end - start, String::new()));
                    continue;
                }
                let replacement = if attr.name.starts_with("xmlns") {
                    None
                } else if tag_index == 0 && attr.name == "id" {
                    Some("{id}".to_owned())
                } else if let Some(p) = self.person_placeholder(value) {
                    Some(p)
                } else {
                    match role {
                        Role::Expect { sent, .. }
                            if attr.name == "stamp"
                                || (attr.name == "id" && !sent.contains(value)) =>
                        {
                            Some("{any}".to_owned())
                        }
                        _ => None,
                    }
                };
                if let Some(r) = replacement {
                    replacements.push((attr.offset, attr.raw_len, r));
                }
            }
        }
        replacements.sort_by_key(|r| r.0);
        let text = &stanza.text;
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (offset, len, value) in replacements {
            out.push_str(&escape_braces(&text[at..offset]));
            out.push_str(&value);
            at = offset + len;
        }
        out.push_str(&escape_braces(&text[at..]));
        tidy(&out)
    }

    fn person_placeholder(&mut self, value: &str) -> Option<String> {
        let jid = Jid::parse(value)?;
        if !self.story.domains.contains(&jid.domain) {
            return None;
        }
        if jid.local.is_empty() {
            return jid.resource.is_none().then(|| "{domain}".to_owned());
        }
        if !self.story.people.contains_key(&jid.local) {
            return None;
        }
        match jid.resource {
            Some(resource) => {
                let actor = format!("{}/{resource}", jid.local);
                self.actors.insert(actor.clone());
                Some(format!("{{{actor}}}"))
            }
            None => {
                self.accounts.insert(jid.local.clone());
                Some(format!("{{{}}}", jid.local))
            }
        }
    }
}

fn example_name(stanza: &Stanza<'_>) -> String {
    format!("Example {}", stanza.example.number)
}

fn describe(stanza: &Stanza<'_>) -> String {
    format!("{} ({})", example_name(stanza), stanza.example.caption)
}

fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// Blank lines left by blanked comments and elisions are dropped, and
/// trailing spaces.
fn tidy(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// XML as a TOML multi-line literal string where it can be one.
fn xml_string(xml: &str) -> String {
    if xml.contains("'''") {
        quoted(xml)
    } else {
        format!("'''\n{xml}'''")
    }
}
