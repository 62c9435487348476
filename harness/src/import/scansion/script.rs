//! Reading a scansion script as its author wrote it: the title and
//! description (`#` lines at the top), tags (`## name` or `## name: value`),
//! characters (`[Client] Romeo` and its indented `key: value` properties)
//! and actions (`Romeo connects`, `Romeo sends:` with the stanza indented
//! below it, `Romeo receives: nothing`), each with its line. `#` lines
//! between actions are comments that describe the next action; `--` and
//! `//` lines and lines of dashes are ignored.

use super::super::Note;

/// A script, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// The first `#` line.
    pub title: Option<String>,
    /// The `#` lines right below the title.
    pub description: Vec<String>,
    /// `## name` and `## name: value` lines.
    pub tags: Vec<Tag>,
    /// `#` comments before the first action that are not the description.
    pub preamble: Vec<String>,
    /// The `[Class] Name` blocks.
    pub characters: Vec<Character>,
    /// What the characters do, in order.
    pub actions: Vec<Action>,
    /// Lines that could not be read, with why.
    pub notes: Vec<Note>,
}

/// A `## name: value` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's name.
    pub name: String,
    /// Its value, if the tag has one.
    pub value: Option<String>,
    /// Where it is.
    pub line: usize,
}

/// A `[Class] Name` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Character {
    /// `Client` for an XMPP client.
    pub class: String,
    /// The name actions use (`Juliet's phone`).
    pub name: String,
    /// `key: value` properties (`jid`, `password`, `resource`, ...), each
    /// with its line.
    pub properties: Vec<(String, String, usize)>,
    /// Where the block starts.
    pub line: usize,
}

impl Character {
    /// The value of property `key`.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
    }
}

/// What an action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `X connects`: logs in and binds a resource, without presence.
    Connects,
    /// `X disconnects`: closes the stream.
    Disconnects,
    /// `X sends:` the stanza below.
    Sends,
    /// `X receives:` the stanza below, next.
    Receives,
    /// `X receives: nothing`.
    ReceivesNothing,
    /// A verb this reader does not know.
    Other(String),
}

/// One action line and the stanza text indented below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The character acting.
    pub character: String,
    /// What it does.
    pub verb: Verb,
    /// The stanza text, without the indentation the script gives it.
    pub payload: Option<Payload>,
    /// The `#` comments right above the action.
    pub comment: Vec<String>,
    /// Where the action line is.
    pub line: usize,
}

/// The XML text of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// The text, its common indentation removed.
    pub text: String,
    /// The script line of its first line.
    pub line: usize,
}

/// Where the reader is.
enum Block {
    /// Between blocks.
    None,
    /// In the properties of the last character.
    Character,
    /// In the stanza text of the last action.
    Action,
    /// Below a line that could not be read: its indented lines go with it.
    Skipped,
}

/// Reads `text` as a scansion script. Never fails: what cannot be read is
/// a note with its line.
pub fn read(text: &str) -> Script {
    let mut script = Script::default();
    let mut block = Block::None;
    let mut pending: Vec<String> = Vec::new();
    let mut description_open = false;
    let mut payload_lines: Vec<Vec<(usize, String)>> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end();
        if line.trim().is_empty() {
            description_open = false;
            if let (Block::Action, Some(lines)) = (&block, payload_lines.last_mut()) {
                lines.push((number, String::new()));
            }
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let unindented_xml = line.starts_with('<') && matches!(block, Block::Action);
        if indented || unindented_xml {
            match block {
                Block::Character => property(&mut script, line, number),
                Block::Action => {
                    if let Some(lines) = payload_lines.last_mut() {
                        lines.push((number, line.to_owned()));
                    }
                }
                Block::None => script.notes.push(Note::new(
                    number,
                    "an indented line outside a character's properties or an action's stanza: left out",
                )),
                Block::Skipped => {}
            }
            continue;
        }
        block = Block::None;
        if line.len() >= 3 && line.chars().all(|c| c == '-') {
            description_open = false;
            continue;
        }
        if line.starts_with("--") || line.starts_with("//") {
            continue;
        }
        if let Some(tag) = line.strip_prefix("##") {
            script.tags.push(read_tag(tag, number));
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim_start_matches('#').trim().to_owned();
            let at_top = script.characters.is_empty() && script.actions.is_empty();
            if at_top && script.title.is_none() {
                script.title = Some(comment);
                description_open = true;
            } else if description_open {
                script.description.push(comment);
            } else {
                pending.push(comment);
            }
            continue;
        }
        description_open = false;
        if line.starts_with('[') {
            match read_character(line, number) {
                Ok(character) => {
                    script.preamble.append(&mut pending);
                    script.characters.push(character);
                    block = Block::Character;
                }
                Err(note) => {
                    script.notes.push(note);
                    block = Block::Skipped;
                }
            }
            continue;
        }
        match read_action(line, number, &script.characters) {
            Ok((action, inline)) => {
                if script.actions.is_empty() {
                    script.preamble.append(&mut pending);
                }
                let mut lines = Vec::new();
                if let Some(xml) = inline {
                    lines.push((number, xml));
                }
                payload_lines.push(lines);
                script.actions.push(Action {
                    comment: std::mem::take(&mut pending),
                    ..action
                });
                block = Block::Action;
            }
            Err(note) => {
                pending.clear();
                script.notes.push(note);
                block = Block::Skipped;
            }
        }
    }
    for (action, lines) in script.actions.iter_mut().zip(payload_lines) {
        action.payload = payload(lines);
    }
    script
}

/// A `key: value` property line of the last character.
fn property(script: &mut Script, line: &str, number: usize) {
    let Some(character) = script.characters.last_mut() else {
        return;
    };
    match line.trim().split_once(':') {
        Some((key, value)) => {
            character
                .properties
                .push((key.trim().to_owned(), value.trim().to_owned(), number));
        }
        None => script.notes.push(Note::new(
            number,
            format!(
                "a property of {} must be written `key: value`: left out",
                character.name
            ),
        )),
    }
}

fn read_tag(tag: &str, line: usize) -> Tag {
    let tag = tag.trim();
    match tag.split_once(':') {
        Some((name, value)) => Tag {
            name: name.trim().to_owned(),
            value: Some(value.trim().to_owned()),
            line,
        },
        None => Tag {
            name: tag.to_owned(),
            value: None,
            line,
        },
    }
}

fn read_character(line: &str, number: usize) -> Result<Character, Note> {
    let malformed = || {
        Note::new(
            number,
            "a character is written `[Class] Name` (e.g. `[Client] Romeo`): left out",
        )
    };
    let rest = line.strip_prefix('[').ok_or_else(malformed)?;
    let (class, name) = rest.split_once(']').ok_or_else(malformed)?;
    let (class, name) = (class.trim(), name.trim());
    if class.is_empty() || name.is_empty() {
        return Err(malformed());
    }
    Ok(Character {
        class: class.to_owned(),
        name: name.to_owned(),
        properties: Vec::new(),
        line: number,
    })
}

/// An action line: the longest character name it starts with, the verb,
/// and a stanza written on the same line after the colon, if any.
fn read_action(
    line: &str,
    number: usize,
    characters: &[Character],
) -> Result<(Action, Option<String>), Note> {
    let character = characters
        .iter()
        .filter(|c| {
            line.strip_prefix(c.name.as_str())
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .max_by_key(|c| c.name.len())
        .ok_or_else(|| {
            Note::new(
                number,
                format!("`{line}` names no character declared above it: left out"),
            )
        })?;
    let rest = line[character.name.len()..].trim();
    let (verb, extra) = match rest.split_once(':') {
        Some((verb, extra)) => (verb.trim(), extra.trim()),
        None => (rest, ""),
    };
    let inline = extra.starts_with('<').then(|| extra.to_owned());
    let verb = match verb {
        "connects" => Verb::Connects,
        "disconnects" => Verb::Disconnects,
        "sends" => Verb::Sends,
        "receives" if extra == "nothing" => Verb::ReceivesNothing,
        "receives" => Verb::Receives,
        other => Verb::Other(other.to_owned()),
    };
    if !extra.is_empty() && inline.is_none() && verb != Verb::ReceivesNothing {
        return Err(Note::new(
            number,
            format!(
                "`{extra}` after `{}:` is not a stanza: left out",
                character.name
            ),
        ));
    }
    let action = Action {
        character: character.name.clone(),
        verb,
        payload: None,
        comment: Vec::new(),
        line: number,
    };
    Ok((action, inline))
}

/// The stanza text from its lines: trailing blank lines dropped, the
/// indentation common to its lines removed.
fn payload(mut lines: Vec<(usize, String)>) -> Option<Payload> {
    while lines.last().is_some_and(|(_, l)| l.is_empty()) {
        lines.pop();
    }
    let first = lines.first()?.0;
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let common = lines
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(_, l)| indent(l))
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = lines
        .iter()
        .map(|(_, l)| if l.is_empty() { "" } else { &l[common..] })
        .collect();
    Some(Payload {
        text: text.join("\n"),
        line: first,
    })
}
