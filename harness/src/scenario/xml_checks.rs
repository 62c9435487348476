//! Checks of a scenario's XML that need the text around a placeholder or a
//! name: whether a placeholder is defined where it stands, `{one-of:…}`
//! where it may stand, `{id}` where it means something, and where template
//! markup is written, to point at it.

use super::load::Scope;
use crate::stanza::template::{ONE_OF_PREFIX, TEMPLATE_NS};

/// What is wrong with the placeholder `{name}` at byte `offset` of `text`
/// (`template`: an expectation's, else a stanza sent), given the names in
/// `scope`; a capture it makes is added to `new_captures`.
pub(super) fn placeholder_problem(
    text: &str,
    offset: usize,
    name: &str,
    scope: &Scope,
    template: bool,
    new_captures: &mut Vec<String>,
) -> Option<String> {
    if let Some(alternatives) = name.strip_prefix(ONE_OF_PREFIX) {
        one_of_problem(text, offset, name, alternatives, template)
    } else if name == "id" && template {
        id_problem(scope.last_sent)
    } else if let Some(capture) = name.strip_prefix('=') {
        if !template {
            Some(format!(
                "`{{{name}}}` captures a value: only expectations can capture"
            ))
        } else if scope.fixed.contains(capture) {
            Some(format!(
                "capture {capture:?} would shadow another placeholder"
            ))
        } else {
            new_captures.push(capture.to_owned());
            None
        }
    } else if name == "any" && !template {
        Some("`{any}` matches anything: it belongs in expectations, not in stanzas sent".into())
    } else if scope.fixed.contains(name) || scope.captured.contains(name) {
        None
    } else if let Some(kind) = name.strip_prefix("service:") {
        Some(format!(
            "`{{{name}}}` names a service the scenario does not require: add \
             services = [\"{kind}\"] to [requires]"
        ))
    } else if let Some(actor) = name.strip_prefix("caps:") {
        Some(format!(
            "`{{{name}}}` names the caps of actor {actor:?}, which is not declared"
        ))
    } else {
        Some(format!(
            "undefined placeholder `{{{name}}}` (not an actor, account, parameter, reserved name or earlier capture)"
        ))
    }
}

/// What is wrong with a `{one-of:…}` placeholder at byte `offset` of
/// `text`: it is only for expectations, lists non-empty alternatives, and
/// stands for a whole attribute value or a whole text.
fn one_of_problem(
    text: &str,
    offset: usize,
    name: &str,
    alternatives: &str,
    template: bool,
) -> Option<String> {
    if !template {
        return Some(format!(
            "`{{{name}}}` lists a value's alternatives: it belongs in expectations, not in stanzas sent"
        ));
    }
    if alternatives.split('|').any(|a| a.trim().is_empty()) {
        return Some(format!("`{{{name}}}` has an empty alternative"));
    }
    let before = &text[..offset];
    let after = &text[(offset + name.len() + 2).min(text.len())..];
    let quoted = before
        .chars()
        .last()
        .filter(|q| *q == '\'' || *q == '"')
        .is_some_and(|q| {
            after.starts_with(q) && before[..before.len() - 1].trim_end().ends_with('=')
        });
    let whole_text = before.trim_end().ends_with('>') && after.trim_start().starts_with('<');
    (!quoted && !whole_text).then(|| {
        format!("`{{{name}}}` must be a whole attribute value or the whole text of an element")
    })
}

/// What is wrong with `{id}` in an expectation, given the last stanza sent
/// before it (its line, and whether it has an id).
fn id_problem(last_sent: Option<(usize, bool)>) -> Option<String> {
    match last_sent {
        None => Some(
            "`{id}` in an expectation is the id of the last stanza sent, and no stanza is sent \
             before this step"
                .into(),
        ),
        Some((line, false)) => Some(format!(
            "`{{id}}` in an expectation is the id of the last stanza sent, and that stanza \
             (line {line}) has no id attribute"
        )),
        Some((_, true)) => None,
    }
}

/// The byte offset in `xml` of the template markup named `near` (an
/// attribute or element local name written after a prefix, or an element
/// in the template namespace by default), else of the template namespace's
/// declaration, else 0.
pub(super) fn locate(xml: &str, near: &str) -> usize {
    let is_name_char = |c: char| c.is_alphanumeric() || "-_.:".contains(c);
    for pattern in [format!(":{near}"), format!("<{near}")] {
        let mut from = 0;
        while let Some(found) = xml[from..].find(&pattern).map(|i| from + i) {
            let end = found + pattern.len();
            if !xml[end..].starts_with(is_name_char) {
                return found + 1;
            }
            from = end;
        }
    }
    xml.find(TEMPLATE_NS).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_stands_for_a_whole_value_or_text() {
        let at = |xml: &str| xml.find('{').expect("a placeholder");
        let check = |xml: &str| {
            let start = at(xml);
            let end = xml[start..].find('}').map(|e| start + e).expect("closed");
            let name = &xml[start + 1..end];
            let alternatives = name.strip_prefix("one-of:").expect("one-of");
            one_of_problem(xml, start, name, alternatives, true)
        };
        assert_eq!(check("<a b='{one-of:1|true}'/>"), None);
        assert_eq!(check("<a b=\"{one-of:1|true}\"/>"), None);
        assert_eq!(check("<a>\n  {one-of:1|true}\n</a>"), None);
        assert!(check("<a b='x{one-of:1|true}'/>").is_some());
        assert!(check("<a>x {one-of:1|true}</a>").is_some());
        assert!(check("<a b='{one-of:1|}'/>").is_some_and(|m| m.contains("empty alternative")));
        let sent = one_of_problem("<a b='{one-of:1}'/>", 6, "one-of:1", "1", false);
        assert!(sent.is_some_and(|m| m.contains("not in stanzas sent")));
    }

    #[test]
    fn id_needs_a_sent_stanza_with_an_id() {
        assert!(id_problem(None).is_some());
        assert!(id_problem(Some((12, false))).is_some_and(|m| m.contains("line 12")));
        assert_eq!(id_problem(Some((12, true))), None);
    }

    #[test]
    fn markup_is_located_by_its_name_after_a_prefix() {
        let xml = "<a xmlns:t='urn:xepspec:template'><b t:strictly='1' t:strict='x'/></a>";
        assert_eq!(&xml[locate(xml, "strict")..][..6], "strict");
        assert_eq!(&xml[locate(xml, "strict")..][..8], "strict='");
        let element = "<a><one-of xmlns='urn:xepspec:template'/></a>";
        assert_eq!(&element[locate(element, "one-of")..][..6], "one-of");
        let nowhere = "<a xmlns:t='urn:xepspec:template'/>";
        assert_eq!(&nowhere[locate(nowhere, "absent")..][..3], "urn");
    }
}
