//! Validating example payloads against the corpus's schemas (see
//! [`super::schema`]): declared elements, allowed attributes, required
//! attributes, enumerated values, allowed children of the same namespace.

use std::collections::BTreeMap;

use super::finding::{Code, Problem};
use super::fragment::{self, Parsed};
use super::known::is_foreign;
use super::schema::Schema;

/// Elements that only wrap their own namespace's children, so that a
/// payload of another namespace directly inside them is misplaced.
const WRAPPERS: &[(&str, &str)] = &[
    ("http://jabber.org/protocol/pubsub", "publish"),
    ("http://jabber.org/protocol/pubsub", "items"),
    ("http://jabber.org/protocol/pubsub#event", "items"),
];

/// W501–W505: the elements of `parsed` whose namespace has a schema in
/// `schemas` against it: declared elements, allowed attributes (required
/// ones present, enumerated values), allowed children.
///
/// An element a schema of `xep` itself does not declare is not reported:
/// a XEP's examples follow its text, which is revised more often than its
/// schema.
pub fn validate(
    parsed: &Parsed,
    schemas: &BTreeMap<String, Schema>,
    xep: Option<u32>,
) -> Vec<Problem> {
    let walk = fragment::walk(&parsed.roots);
    let mut out = Vec::new();
    let of = |schema: &Schema| {
        let names: Vec<String> = schema.xeps.iter().map(|n| format!("XEP-{n:04}")).collect();
        names.join(", ")
    };
    for (i, (el, parent)) in walk.iter().enumerate() {
        let Some(tag) = parsed.tags.get(i) else {
            break;
        };
        let ns = el.ns();
        if let Some(p) = parent {
            let (outer, _) = walk[*p];
            let outer_ns = outer.ns();
            if let Some(schema) = schemas.get(&outer_ns).filter(|_| !is_foreign(&outer_ns))
                && let Some(decl) = schema.elements.get(outer.name())
                && !decl.any_child
            {
                // A child of another namespace is an extension: XMPP allows
                // them nearly everywhere, and schemas rarely say `##other`;
                // except where the parent is a wrapper whose schema lists
                // only its own children (a payload put directly inside
                // pubsub's <publish> instead of in an <item>).
                let wrapper = !decl.other_children
                    && !decl.children.is_empty()
                    && WRAPPERS.contains(&(outer_ns.as_str(), outer.name()));
                if (ns == outer_ns || wrapper) && !decl.children.contains(el.name()) {
                    let what = format!("<{}>", el.name());
                    out.push(Problem::new(
                        Code::ChildNotAllowed,
                        tag.offset,
                        format!(
                            "{what} is not allowed inside <{}> by the schema of '{outer_ns}' ({})",
                            outer.name(),
                            of(schema)
                        ),
                    ));
                }
            }
        }
        let Some(schema) = schemas.get(&ns).filter(|_| !is_foreign(&ns)) else {
            continue;
        };
        let Some(decl) = schema.elements.get(el.name()) else {
            if xep.is_some_and(|n| schema.xeps.contains(&n)) {
                continue;
            }
            out.push(Problem::new(
                Code::UndeclaredElement,
                tag.offset,
                format!(
                    "<{}> is not an element of '{ns}': its schema ({}) does not declare it",
                    el.name(),
                    of(schema)
                ),
            ));
            continue;
        };
        for attr in &tag.attributes {
            if attr.name == "xmlns" || attr.name.contains(':') {
                continue;
            }
            match decl.attributes.get(&attr.name) {
                None if !decl.any_attribute => out.push(Problem::new(
                    Code::UndeclaredAttribute,
                    attr.start,
                    format!(
                        "<{}> has no attribute '{}' in the schema of '{ns}' ({})",
                        el.name(),
                        attr.name,
                        of(schema)
                    ),
                )),
                Some((_, values)) if !values.is_empty() && !values.contains(&attr.value) => out
                    .push(Problem::new(
                        Code::InvalidValue,
                        attr.offset,
                        format!(
                            "'{}' is not a value of <{}>'s '{}' in the schema of '{ns}' ({}): {}",
                            attr.value,
                            el.name(),
                            attr.name,
                            of(schema),
                            values.join(", ")
                        ),
                    )),
                _ => {}
            }
        }
        for name in &decl.date_times {
            if let Some(attr) = tag.attribute(name)
                && !is_date_time(&attr.value)
            {
                out.push(Problem::new(
                    Code::NotDateTime,
                    attr.offset,
                    format!(
                        "'{}' is not an XEP-0082 DateTime (CCYY-MM-DDThh:mm:ss[.sss]TZD), which the schema of '{ns}' ({}) makes <{}>'s '{name}'",
                        attr.value,
                        of(schema),
                        el.name()
                    ),
                ));
            }
        }
        for (name, (required, _)) in &decl.attributes {
            if *required && tag.attribute(name).is_none() {
                out.push(Problem::new(
                    Code::MissingAttribute,
                    tag.offset,
                    format!(
                        "<{}> lacks the attribute '{name}' the schema of '{ns}' requires ({})",
                        el.name(),
                        of(schema)
                    ),
                ));
            }
        }
    }
    out
}

/// Whether `value` is an XEP-0082 DateTime, or a placeholder (letters
/// other than the `T` and `Z` of the format, an elision) that stands for
/// one.
fn is_date_time(value: &str) -> bool {
    static DATE_TIME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
            .expect("a valid pattern")
    });
    let placeholder = value.contains("...")
        || value.contains('…')
        || value
            .chars()
            .any(|c| c.is_alphabetic() && c != 'T' && c != 'Z');
    placeholder || DATE_TIME.is_match(value.trim())
}

#[cfg(test)]
mod tests {
    use super::is_date_time;

    #[test]
    fn date_times_follow_xep_0082() {
        assert!(is_date_time("2002-10-13T23:58:37Z"));
        assert!(is_date_time("2002-10-13T23:58:37.123-07:00"));
        assert!(is_date_time("YYYY-MM-DDThh:mm:ssZ"));
        assert!(!is_date_time("2002-10-13T23:58:37"));
        assert!(!is_date_time("20040929T01:54:37Z"));
        assert!(!is_date_time("1970-01-01T00:00Z"));
    }
}
