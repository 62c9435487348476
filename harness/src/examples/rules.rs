//! Checks of what the core specifications say about any example, whatever
//! its XEP: a misspelled `xmlns`, a stanza carrying `<error>` without
//! `type='error'`, error conditions with a type or legacy code other than
//! XEP-0086's (and RFC 6120's) table, and data forms (XEP-0004) without a
//! type, with several values in a single-value field, with an untyped
//! reported field, or with items but no `<reported>`.

use minidom::Element;

use super::finding::{Code, Problem};
use super::fragment::{self, Parsed};
use crate::ns::{DATA_FORMS, XMPP_STANZAS as STANZAS};

/// The stanza namespaces: an `<error>` child in one of them is a stanza
/// error.
const STANZA_NAMESPACES: &[&str] = &["jabber:client", "jabber:server", "jabber:component:accept"];

/// Each defined condition (RFC 6120 §8.3.3) with the error types XEP-0086
/// or RFC 6120 give it, and the legacy codes XEP-0086 maps to and from it
/// (empty: any).
const CONDITIONS: &[(&str, &[&str], &[&str])] = &[
    ("bad-request", &["modify"], &["400"]),
    ("conflict", &["cancel"], &["409"]),
    ("feature-not-implemented", &["cancel", "modify"], &["501"]),
    ("forbidden", &["auth"], &["403"]),
    ("gone", &["modify", "cancel"], &["302"]),
    ("internal-server-error", &["wait", "cancel"], &["500"]),
    ("item-not-found", &["cancel"], &["404"]),
    ("jid-malformed", &["modify"], &["400"]),
    ("not-acceptable", &["modify", "cancel"], &["406"]),
    ("not-allowed", &["cancel"], &["405"]),
    ("not-authorized", &["auth"], &["401"]),
    ("payment-required", &["auth"], &["402"]),
    ("policy-violation", &["modify", "wait"], &[]),
    ("recipient-unavailable", &["wait"], &["404"]),
    ("redirect", &["modify"], &["302"]),
    ("registration-required", &["auth"], &["407"]),
    ("remote-server-not-found", &["cancel"], &["404"]),
    ("remote-server-timeout", &["wait"], &["504", "408"]),
    ("resource-constraint", &["wait"], &["500"]),
    (
        "service-unavailable",
        &["cancel", "wait"],
        &["503", "502", "510"],
    ),
    ("subscription-required", &["auth"], &["407"]),
    ("undefined-condition", &[], &[]),
    ("unexpected-request", &["wait", "modify"], &["400"]),
];

/// XEP-0004's field types that hold at most one value.
/// (XEP-0004 §3.2: list-multi, jid-multi, text-multi and hidden may hold
/// several; all others one.)
const SINGLE: &[&str] = &[
    "boolean",
    "fixed",
    "jid-single",
    "list-single",
    "text-private",
    "text-single",
];

/// XEP-0004's form types.
const FORM_TYPES: &[&str] = &["form", "submit", "cancel", "result"];

/// Runs every rule; `field_type` gives a field's registered type for a
/// FORM_TYPE (empty when unknown).
pub fn check(parsed: &Parsed, field_type: &dyn Fn(&str, &str) -> Option<String>) -> Vec<Problem> {
    let walk = fragment::walk(&parsed.roots);
    let offset = |i: usize| parsed.tags.get(i).map_or(0, |t| t.offset);
    let index_of = |el: &Element| walk.iter().position(|(e, _)| std::ptr::eq(*e, el));
    let mut out = misspelled_xmlns(parsed);
    for (i, (element, _)) in walk.iter().enumerate() {
        if let Some(text) = element.texts().next()
            && looks_like_attributes(text)
        {
            out.push(Problem::new(
                Code::AttributesAsText,
                offset(i),
                format!(
                    "<{}> holds the text {:?}, which reads like its attributes: its start tag was closed too early",
                    element.name(),
                    text.trim().lines().next().unwrap_or("")
                ),
            ));
        }
        if STANZA_NAMESPACES.contains(&element.ns().as_str()) {
            out.extend(stanza_error(element, offset(i), &|e| {
                index_of(e).map_or(offset(i), offset)
            }));
        }
        if element.is("x", DATA_FORMS) {
            out.extend(form(
                element,
                offset(i),
                &|e| index_of(e).map_or(offset(i), offset),
                field_type,
            ));
        }
    }
    out
}

/// Whether an element's first text starts like `name='value'`.
fn looks_like_attributes(text: &str) -> bool {
    static ATTRIBUTE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"^\s*[A-Za-z_][\w:.-]*\s*=\s*['"]"#).expect("a valid pattern")
    });
    ATTRIBUTE.is_match(text)
}

/// W103: an attribute whose name is one or two edits from `xmlns` (`xlns`,
/// `mlns`, `xml`) leaves its element in the enclosing namespace.
fn misspelled_xmlns(parsed: &Parsed) -> Vec<Problem> {
    let mut out = Vec::new();
    for tag in &parsed.tags {
        for attr in &tag.attributes {
            let name = attr.name.as_str();
            if name != "xmlns"
                && !name.contains(':')
                && strsim::osa_distance(name, "xmlns") <= 2
                && (attr.value.contains(':') || attr.value.contains('/'))
            {
                out.push(Problem::new(
                    Code::MisspelledXmlns,
                    attr.start,
                    format!(
                        "attribute '{name}' looks like a misspelled 'xmlns': the element stays in its parent's namespace, not '{}'",
                        attr.value
                    ),
                ));
            }
        }
    }
    out
}

/// E401, W402, W403 on a stanza and its `<error>` child.
/// E405: an iq without the `id` or the `type` RFC 6120 §8.2.3 requires
/// (a `type` outside get, set, result and error counts as none).
fn iq_attributes(stanza: &Element, at: usize) -> Option<Problem> {
    if stanza.name() != "iq" {
        return None;
    }
    let what = match (stanza.attr("id"), stanza.attr("type")) {
        (None, _) => "no 'id'",
        (_, None) => "no 'type'",
        (_, Some(t)) if !matches!(t, "get" | "set" | "result" | "error") => "an unknown 'type'",
        _ => return None,
    };
    Some(Problem::new(
        Code::IqAttributes,
        at,
        format!(
            "<iq> has {what}; RFC 6120 §8.2.3 requires an 'id' and a 'type' (get, set, result or error) on every iq"
        ),
    ))
}

/// The defined condition closest in spelling to `name`.
fn nearest_condition(name: &str) -> &'static str {
    CONDITIONS
        .iter()
        .map(|(n, _, _)| *n)
        .min_by_key(|n| strsim::levenshtein(n, name))
        .unwrap_or("undefined-condition")
}

fn stanza_error(stanza: &Element, at: usize, offset: &dyn Fn(&Element) -> usize) -> Vec<Problem> {
    let mut out = Vec::new();
    if !matches!(stanza.name(), "iq" | "message" | "presence") {
        return out;
    }
    out.extend(iq_attributes(stanza, at));
    let Some(error) = stanza.get_child("error", stanza.ns().as_str()) else {
        return out;
    };
    let kind = stanza.attr("type").unwrap_or("");
    if kind != "error" {
        out.push(Problem::new(
            Code::ErrorStanzaType,
            at,
            format!(
                "<{}> carries an <error> but its type is '{kind}', not 'error' (RFC 6120 §8.3)",
                stanza.name()
            ),
        ));
    }
    let Some(condition) = error
        .children()
        .find(|c| c.ns() == STANZAS && c.name() != "text")
    else {
        return out;
    };
    let Some((name, types, codes)) = CONDITIONS.iter().find(|(n, _, _)| *n == condition.name())
    else {
        out.push(Problem::new(
            Code::UndefinedCondition,
            offset(condition),
            format!(
                "<{}/> is not a stanza error condition; RFC 6120 §8.3.3 defines {} of them (is <{}/> meant?)",
                condition.name(),
                CONDITIONS.len(),
                nearest_condition(condition.name())
            ),
        ));
        return out;
    };
    if let Some(given) = error.attr("type")
        && !types.is_empty()
        && !types.contains(&given)
    {
        out.push(Problem::new(
            Code::ErrorConditionType,
            offset(error),
            format!(
                "<{name}/> has type '{given}'; XEP-0086 and RFC 6120 give it type '{}'",
                types.join("' or '")
            ),
        ));
    }
    if let Some(code) = error.attr("code")
        && !codes.is_empty()
        && !codes.contains(&code)
    {
        out.push(Problem::new(
            Code::ErrorConditionCode,
            offset(error),
            format!(
                "legacy code '{code}' does not go with <{name}/>, which XEP-0086 maps to '{}'",
                codes.join("' or '")
            ),
        ));
    }
    out
}

/// E303, E304, I305, E306 on one data form.
fn form(
    form: &Element,
    at: usize,
    offset: &dyn Fn(&Element) -> usize,
    field_type: &dyn Fn(&str, &str) -> Option<String>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let kind = form.attr("type");
    // `type='{form-type}'`: a syntax template's placeholder, not a value.
    let template = kind.is_some_and(|k| k.starts_with('{') && k.ends_with('}'));
    if !template && !kind.is_some_and(|k| FORM_TYPES.contains(&k)) {
        let said = kind.map_or("no type".to_owned(), |k| format!("type '{k}'"));
        out.push(Problem::new(
            Code::FormType,
            at,
            format!("a data form has {said}; XEP-0004 requires form, submit, cancel or result"),
        ));
    }
    let form_type = form
        .children()
        .find(|f| f.is("field", DATA_FORMS) && f.attr("var") == Some("FORM_TYPE"))
        .and_then(|f| f.get_child("value", DATA_FORMS))
        .map(|v| v.text().trim().to_owned());
    for field in form.children().filter(|f| f.is("field", DATA_FORMS)) {
        let var = field.attr("var").unwrap_or("");
        let typed = field
            .attr("type")
            .map(str::to_owned)
            .or_else(|| form_type.as_deref().and_then(|t| field_type(t, var)))
            .filter(|t| !t.is_empty())
            .or_else(|| (kind == Some("form")).then(|| "text-single".to_owned()));
        let values: Vec<&Element> = field
            .children()
            .filter(|c| c.is("value", DATA_FORMS))
            .collect();
        if let Some(t) = typed
            && SINGLE.contains(&t.as_str())
            && values.len() > 1
        {
            out.push(Problem::new(
                Code::SingleFieldValues,
                offset(values[1]),
                format!(
                    "field '{var}' of type '{t}' has {} values; only -multi and hidden fields hold several (XEP-0004 §3.2)",
                    values.len()
                ),
            ));
        }
    }
    let reported = form.get_child("reported", DATA_FORMS);
    if let Some(reported) = reported {
        for field in reported.children().filter(|f| f.is("field", DATA_FORMS)) {
            if field.attr("type").is_none() {
                out.push(Problem::new(
                    Code::ReportedUntyped,
                    offset(field),
                    format!(
                        "reported field '{}' has no type; XEP-0004 §3.4 says reported fields SHOULD have one",
                        field.attr("var").unwrap_or("")
                    ),
                ));
            }
        }
    }
    if reported.is_none()
        && let Some(item) = form.get_child("item", DATA_FORMS)
    {
        out.push(Problem::new(
            Code::ItemWithoutReported,
            offset(item),
            "a data form has <item> but no <reported> before it (XEP-0004 §3.4)",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::fragment::Fragment;

    fn codes(text: &str) -> Vec<Code> {
        let Fragment::Parsed(parsed) = fragment::parse(text) else {
            panic!("{text}")
        };
        check(&parsed, &|_, var| {
            (var == "colours").then(|| "list-multi".to_owned())
        })
        .into_iter()
        .map(|p| p.code)
        .collect()
    }

    #[test]
    fn stanza_errors() {
        let ok = "<iq type='error' id='1'><error type='cancel' code='405'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
        assert!(codes(ok).is_empty());
        let bad = "<iq type='result' id='1'><error type='cancel' code='403'><redirect xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
        assert_eq!(
            codes(bad),
            [
                Code::ErrorStanzaType,
                Code::ErrorConditionType,
                Code::ErrorConditionCode
            ]
        );
        assert_eq!(
            codes("<pubsub xlns='http://jabber.org/protocol/pubsub'/>"),
            [Code::MisspelledXmlns]
        );
        assert!(codes("<a xml:lang='en' name='x'/>").is_empty());
    }

    #[test]
    fn forms() {
        let ok = "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>t</value></field><field var='colours'><value>a</value><value>b</value></field></x>";
        assert!(codes(ok).is_empty());
        let bad = "<x xmlns='jabber:x:data'><field var='a' type='text-single'><value>1</value><value>2</value></field><item><field var='a'/></item></x>";
        assert_eq!(
            codes(bad),
            [
                Code::FormType,
                Code::SingleFieldValues,
                Code::ItemWithoutReported
            ]
        );
        let result = "<x xmlns='jabber:x:data' type='result'><reported><field var='a'/></reported><item><field var='a'><value>1</value></field></item></x>";
        assert_eq!(codes(result), [Code::ReportedUntyped]);
    }
}
