//! Checks across a XEP's examples, in document order: ad-hoc command
//! sessions (XEP-0050). A session belongs to the command that opened it, so
//! a later stage naming another node is a slip (W604); and a form submitted
//! in a session answers the form the session last offered, so a field that
//! form did not have is one too (W605). A session ends with a `completed`
//! or `canceled` status.

use std::collections::HashMap;

use super::finding::{Code, Problem};
use super::fragment::{self, Parsed};
use crate::ns::{COMMANDS, DATA_FORMS};

/// One `<command/>` of an example that names a session.
#[derive(Debug, Clone)]
pub struct Command {
    /// Offset of its start tag in the example's text.
    pub offset: usize,
    /// Its `sessionid`.
    pub session: String,
    /// Its `node`.
    pub node: String,
    /// Whether its `status` ends the session (`completed`, `canceled`).
    pub ends: bool,
    /// Its data form: the form's type and each field's var with the offset
    /// of its start tag.
    pub form: Option<(String, Vec<(String, usize)>)>,
}

/// The commands of a parsed example that carry a `sessionid`.
pub fn commands(parsed: &Parsed) -> Vec<Command> {
    let walk = fragment::walk(&parsed.roots);
    let offset = |i: usize| parsed.tags.get(i).map(|t| t.offset);
    let mut out = Vec::new();
    for (i, (el, _)) in walk.iter().enumerate() {
        if !el.is("command", COMMANDS) {
            continue;
        }
        let (Some(session), Some(node), Some(at)) =
            (el.attr("sessionid"), el.attr("node"), offset(i))
        else {
            continue;
        };
        let form = walk
            .iter()
            .enumerate()
            .find(|(_, (x, parent))| parent == &Some(i) && x.is("x", DATA_FORMS))
            .map(|(x_index, (x, _))| {
                let fields = walk
                    .iter()
                    .enumerate()
                    .filter(|(_, (f, parent))| {
                        parent == &Some(x_index) && f.is("field", DATA_FORMS)
                    })
                    .filter_map(|(j, (f, _))| Some((f.attr("var")?.to_owned(), offset(j)?)))
                    .collect();
                (x.attr("type").unwrap_or("").to_owned(), fields)
            });
        out.push(Command {
            offset: at,
            session: session.to_owned(),
            node: node.to_owned(),
            ends: matches!(el.attr("status"), Some("completed" | "canceled")),
            form,
        });
    }
    out
}

struct Session {
    node: String,
    example: usize,
    /// The fields of the last form offered, and the example offering it.
    offered: Option<(Vec<String>, usize)>,
}

/// W604 and W605 over the commands of a XEP, each with its example's
/// index; the problems come with the index of the example they are in.
pub fn check(commands: &[(usize, Command)]) -> Vec<(usize, Problem)> {
    let number = |index: usize| index + 1;
    let mut out = Vec::new();
    let mut sessions: HashMap<&str, Session> = HashMap::new();
    for (example, command) in commands {
        if command.ends {
            // A session that ended may see its id again: a new session the
            // examples did not bother to number differently.
            sessions.remove(command.session.as_str());
            continue;
        }
        let Some(session) = sessions.get_mut(command.session.as_str()) else {
            sessions.insert(
                &command.session,
                Session {
                    node: command.node.clone(),
                    example: *example,
                    offered: offered(command, *example),
                },
            );
            continue;
        };
        if session.node != command.node {
            out.push((
                *example,
                Problem::new(
                    Code::SessionNodeChanged,
                    command.offset,
                    format!(
                        "session '{}' belongs to the command '{}' (Example {}), but this stage names '{}'; XEP-0050 keeps the node for the whole session",
                        command.session,
                        session.node,
                        number(session.example),
                        command.node
                    ),
                ),
            ));
            continue;
        }
        if let (Some((kind, fields)), Some((vars, from))) = (&command.form, &session.offered)
            && kind == "submit"
        {
            for (var, at) in fields {
                if var != "FORM_TYPE" && !vars.contains(var) {
                    out.push((
                        *example,
                        Problem::new(
                            Code::FieldNotOffered,
                            *at,
                            format!(
                                "field '{var}' answers no field of the form this session offered (Example {}): {}",
                                number(*from),
                                vars.join(", ")
                            ),
                        ),
                    ));
                }
            }
        }
        if let Some(next) = offered(command, *example) {
            session.offered = Some(next);
        }
    }
    out
}

/// The field vars of the form `command` offers, if it offers one with
/// fields.
fn offered(command: &Command, example: usize) -> Option<(Vec<String>, usize)> {
    let (kind, fields) = command.form.as_ref()?;
    (kind == "form" && !fields.is_empty())
        .then(|| (fields.iter().map(|(v, _)| v.clone()).collect(), example))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(session: &str, node: &str, form: Option<(&str, &[&str])>) -> Command {
        Command {
            offset: 0,
            session: session.into(),
            node: node.into(),
            ends: false,
            form: form.map(|(kind, vars)| {
                (
                    kind.into(),
                    vars.iter().map(|v| ((*v).to_owned(), 0)).collect(),
                )
            }),
        }
    }

    fn codes(commands: &[Command]) -> Vec<Code> {
        let indexed: Vec<(usize, Command)> = commands.iter().cloned().enumerate().collect();
        check(&indexed).into_iter().map(|(_, p)| p.code).collect()
    }

    #[test]
    fn a_session_keeps_its_node_and_answers_the_form_it_offered() {
        let offer = command(
            "s1",
            "config",
            Some(("form", &["FORM_TYPE", "runlevel", "state"])),
        );
        let good = command("s1", "config", Some(("submit", &["FORM_TYPE", "runlevel"])));
        assert!(codes(&[offer.clone(), good]).is_empty());
        let renamed = command("s1", "config", Some(("submit", &["mode", "state"])));
        assert_eq!(codes(&[offer.clone(), renamed]), [Code::FieldNotOffered]);
        let other_node = command("s1", "edit-whitelist", None);
        assert_eq!(codes(&[offer, other_node]), [Code::SessionNodeChanged]);
    }

    #[test]
    fn sessions_are_told_apart_by_id() {
        let a = command("s1", "config", Some(("form", &["runlevel"])));
        let b = command("s2", "other", Some(("submit", &["mode"])));
        assert!(codes(&[a.clone(), b]).is_empty());
        let mut done = a.clone();
        done.ends = true;
        let again = command("s1", "other", None);
        assert!(codes(&[a, done, again]).is_empty());
    }
}
