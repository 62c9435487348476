//! Running the checks over XEP sources, and turning problems into findings
//! located in the source file.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::checks::Checker;
use super::finding::{Code, Finding, Problem, Severity, Unknown};
use super::render::FileResult;
use super::source::{SourceError, XepSource};

/// How often a XEP's examples use an unknown name before it counts as
/// deliberate (the XEP's own, left undefined) rather than mistyped: its
/// edit-distance guess is then dropped, and the count said.
pub const DELIBERATE: usize = 3;

/// The namespaces the corpus defines, each with the XEPs defining it.
type Namespaces = BTreeMap<String, BTreeSet<u32>>;

/// Checks every example of `source`, naming the file `file` in findings.
pub fn check_source(source: &XepSource, file: &str, checker: &Checker<'_>) -> FileResult {
    let mut result = FileResult {
        file: file.to_owned(),
        examples: source.examples.len(),
        ..FileResult::default()
    };
    let mut problems = Vec::new();
    let mut iqs = Vec::new();
    let mut commands = Vec::new();
    let mut bound: Vec<(String, String)> = Vec::new();
    for (index, example) in source.examples.iter().enumerate() {
        let checked = checker.check_after(example, source.number, &bound);
        bind_prefixes(&example.text, &mut bound);
        result.xml_examples += usize::from(checked.is_xml);
        problems.extend(checked.problems.into_iter().map(|p| (example, p)));
        iqs.extend(checked.iqs.into_iter().map(|iq| (index, iq)));
        commands.extend(checked.commands.into_iter().map(|c| (index, c)));
    }
    let across = super::ids::check(&iqs)
        .into_iter()
        .chain(super::sessions::check(&commands));
    for (index, problem) in across {
        problems.push((&source.examples[index], problem));
    }
    for code in source
        .code_examples
        .iter()
        .filter(|c| holds_stanzas(&c.text))
    {
        let checked = checker.check_in(code, source.number);
        problems.extend(checked.problems.into_iter().map(|p| (code, p)));
    }
    let mut uses: HashMap<(Code, String), usize> = HashMap::new();
    for (_, problem) in &problems {
        if let Some(unknown) = &problem.unknown {
            *uses
                .entry((problem.code, unknown.name.clone()))
                .or_default() += 1;
        }
    }
    let own_namespaces = &checker.corpus().namespaces;
    for (example, mut problem) in problems {
        let severity = weigh(&mut problem, source, &uses, own_namespaces);
        let (line, column) = source.position(example, problem.offset);
        result.findings.push(Finding {
            file: file.to_owned(),
            example: example.number,
            caption: example.caption.clone(),
            line,
            column,
            severity,
            code: problem.code,
            name: problem.code.name(),
            message: problem.message,
        });
    }
    result
}

/// Settles what `problem` is worth in `source`, now that every example has
/// been read: an unknown name the XEP keeps using, or one under its own
/// namespace's base, is its own (I104), and another version of a known
/// name it keeps using is meant (a note); one with nothing known near it, or
/// an older form of a known one in a XEP no longer developed, is a note; so
/// is what only today's other specifications say of such a XEP, and a name
/// a Humorous XEP makes up. Returns the
/// severity, and rewrites the code and message to say why.
fn weigh(
    problem: &mut Problem,
    source: &XepSource,
    uses: &HashMap<(Code, String), usize>,
    own_namespaces: &Namespaces,
) -> Severity {
    let unknown = problem.unknown.take();
    let guess = unknown.as_ref().and_then(|u| u.guess.as_ref());
    let mut meant = false;
    if let Some(Unknown { name, plain, guess }) = &unknown {
        let n = uses[&(problem.code, name.clone())];
        // A guess by spelling alone does not outweigh the XEP's own base; a
        // separator swap or another version does.
        let firm_guess = guess.as_ref().is_some_and(|g| !g.typo);
        let namespace = problem.code == Code::UnknownNamespace;
        let own = namespace
            && !firm_guess
            && source
                .number
                .is_some_and(|xep| extends_own_namespace(name, xep, own_namespaces));
        // A XEP that states no namespace of its own still has one: the one
        // its examples use under its short name (`urn:xmpp:cam:0` in the
        // XEP whose short name is `cam`), or use again and again.
        let undeclared_own = namespace
            && source
                .number
                .is_some_and(|xep| !states_a_protocol_namespace(xep, own_namespaces))
            && (names_short_name(name, &source.shortname) || (n >= DELIBERATE && !firm_guess));
        if own {
            problem.code = Code::OwnNamespace;
            problem.message = format!("{plain} (it extends this XEP's own namespace)");
        } else if undeclared_own {
            problem.code = Code::OwnNamespace;
            problem.message = format!(
                "{plain} (this XEP states no namespace of its own, and its examples use this one {n} times)"
            );
        } else if n >= DELIBERATE {
            if problem.code == Code::UnknownNamespace {
                match guess {
                    None => problem.code = Code::OwnNamespace,
                    // Another version or a separator swap of a known name,
                    // written the same way every time: meant as written.
                    Some(g) if !g.typo => meant = true,
                    Some(_) => {}
                }
            }
            let unnamed = match problem.code {
                Code::UnregisteredField => "",
                _ => ", named nowhere in a XEP's text",
            };
            problem.message = format!("{plain} (used {n} times in this XEP's examples{unnamed})");
        }
    }
    let unknown_name = matches!(problem.code, Code::UnknownNamespace | Code::UnknownFeature);
    let mut severity = problem.code.severity();
    if meant {
        severity = Severity::Info;
        problem.message = format!(
            "{} (a note: written so every time, it is meant)",
            problem.message
        );
    } else if unknown_name && guess.is_none() {
        // Nothing known is near it: a name defined outside the XEPs
        // (another project's, a draft's) far more often than a slip, as two
        // unbiased samples found.
        severity = Severity::Info;
        problem.message = format!(
            "{} (a note: no known name is near it, so it may well be defined outside the XEPs)",
            problem.message
        );
    }
    let of_its_time = if unknown_name {
        unknown.as_ref().is_some_and(is_outdated)
    } else {
        problem.code.judges_by_other_specs()
    };
    if is_historic(&source.status) && of_its_time && severity != Severity::Info {
        severity = Severity::Info;
        problem.message = format!(
            "{} (a note: this XEP is {}, written against the specifications of its time)",
            problem.message, source.status
        );
    } else if source.kind == "Humorous"
        && unknown.is_some()
        && guess.is_none()
        && severity != Severity::Info
    {
        // A joke's made-up names are part of the joke; a slip near a real
        // name (`pusub#…`) is still a slip.
        severity = Severity::Info;
        problem.message = format!(
            "{} (a note: this XEP is Humorous, and nothing known is near the name)",
            problem.message
        );
    }
    severity
}

/// Whether `name` extends a namespace XEP `xep` defines, or sits beside
/// one under the same base (`urn:xmpp:channel-search:0:error` beside the
/// XEP's `urn:xmpp:channel-search:0:search`).
fn extends_own_namespace(name: &str, xep: u32, namespaces: &Namespaces) -> bool {
    let separators = [':', '#', '/'];
    let Some(cut) = name.rfind(separators) else {
        return false;
    };
    let (base, last) = (&name[..cut], &name[cut + 1..]);
    // A last segment of digits is a version: `urn:x:2` beside `urn:x:1` is
    // a version off, not a name of the XEP's own.
    base.len() >= 10
        && last.chars().any(char::is_alphabetic)
        && namespaces.iter().any(|(ns, xeps)| {
            xeps.contains(&xep)
                && ns.as_str() != name
                && (ns.as_str() == base
                    || ns
                        .strip_prefix(base)
                        .is_some_and(|rest| rest.starts_with(separators)))
        })
}

/// Whether XEP `xep` states an XMPP protocol namespace of its own
/// (`urn:xmpp:…`, `jabber:…`, `http://jabber.org/protocol/…`), not only
/// the web addresses its prose links to.
fn states_a_protocol_namespace(xep: u32, namespaces: &Namespaces) -> bool {
    namespaces.iter().any(|(ns, xeps)| {
        xeps.contains(&xep)
            && ["urn:xmpp:", "jabber:", "http://jabber.org/protocol/"]
                .iter()
                .any(|p| ns.starts_with(p))
    })
}

/// Whether one of `name`'s segments is the XEP's short name `short`
/// (`cam` in `urn:xmpp:cam:0`); placeholders such as `N/A` name nothing.
fn names_short_name(name: &str, short: &str) -> bool {
    let real = short.len() >= 2
        && short
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    real && name
        .split([':', '/', '#', '.'])
        .any(|segment| segment == short)
}

/// Whether an unknown namespace or feature is an older form of a known
/// one, which an old XEP may well mean: a provisional name (`urn:xmpp:tmp:`,
/// XEP-0053, or the older `http://www.xmpp.org/extensions/xep-NNNN.html#ns`),
/// or a guess by spelling that differs from it only in digits
/// (`jingle:0` for `jingle:1`). A guess the suggester found as another
/// version or a separator swap (`Suggestion::typo` false) stays an alarm.
fn is_outdated(unknown: &Unknown) -> bool {
    let name = unknown.name.as_str();
    if name.starts_with("urn:xmpp:tmp:") || name.starts_with("http://www.xmpp.org/extensions/xep-")
    {
        return true;
    }
    let letters = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    unknown
        .guess
        .as_ref()
        .is_some_and(|guess| guess.typo && letters(name) == letters(&guess.name))
}

/// Whether a XEP of `status` is no longer developed against today's other
/// specifications: what they define now is not what it was written
/// against, so disagreeing with them is a note there, not an alarm.
pub fn is_historic(status: &str) -> bool {
    matches!(
        status,
        "Deferred" | "Retracted" | "Rejected" | "Obsolete" | "Deprecated"
    )
}

/// Whether a `<code>` block holds stanzas or payloads to check like an
/// example: XML whose first element is a stanza or declares a namespace,
/// not a schema, a DTD or a registry submission (`<ns>`, `<var>`).
pub fn holds_stanzas(text: &str) -> bool {
    let text = super::fragment::after_declaration(text.trim_start());
    if !text.starts_with('<')
        || text.starts_with("<!")
        || text.contains(":schema")
        || is_template(text)
    {
        return false;
    }
    let head = &text[..text.find('>').unwrap_or(text.len())];
    let name = head[1..]
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("");
    matches!(
        name,
        "iq" | "message" | "presence" | "stream:stream" | "stream:features"
    ) || head.contains("xmlns=")
}

/// Adds the namespace prefixes `text` declares (`xmlns:p='…'`) to
/// `bound`, a later declaration of a prefix replacing an earlier one.
fn bind_prefixes(text: &str, bound: &mut Vec<(String, String)>) {
    static DECLARATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"xmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")"#)
            .expect("a valid pattern")
    });
    for found in DECLARATION.captures_iter(text) {
        let prefix = found[1].to_owned();
        if matches!(prefix.as_str(), "stream" | "db" | "xml" | "xmlns") {
            continue;
        }
        let namespace = found.get(2).or(found.get(3)).map_or("", |m| m.as_str());
        bound.retain(|(p, _)| *p != prefix);
        bound.push((prefix, namespace.to_owned()));
    }
}

/// Whether a code block is a syntax template rather than XML to check:
/// optional parts in brackets (`[for='...']`, `[<text/>]`).
fn is_template(text: &str) -> bool {
    text.match_indices('[').any(|(i, _)| {
        let after = text[i + 1..].trim_start();
        let name_end = after
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ':')))
            .unwrap_or(after.len());
        after.starts_with('<') || (name_end > 0 && after[name_end..].trim_start().starts_with('='))
    })
}

/// The result for a file that is not well-formed XML (E000), or `None` for
/// other errors (which stop a run).
pub fn broken_source(error: &SourceError, file: &str) -> Option<FileResult> {
    let SourceError::Xml {
        line,
        column,
        message,
        ..
    } = error
    else {
        return None;
    };
    let code = Code::SourceNotWellFormed;
    Some(FileResult {
        file: file.to_owned(),
        findings: vec![Finding {
            file: file.to_owned(),
            example: 0,
            caption: String::new(),
            line: *line,
            column: *column,
            severity: code.severity(),
            code,
            name: code.name(),
            message: format!("the XEP source is not well-formed XML: {message}"),
        }],
        ..FileResult::default()
    })
}

#[cfg(test)]
mod tests {
    use super::{holds_stanzas, names_short_name};

    #[test]
    fn a_short_name_is_a_whole_segment_and_placeholders_name_nothing() {
        assert!(names_short_name("urn:xmpp:cam:0", "cam"));
        assert!(names_short_name("http://jabber.org/protocol/dtcp", "dtcp"));
        assert!(!names_short_name("urn:xmpp:camera:0", "cam"));
        assert!(!names_short_name("urn:xmpp:n/a:0", "N/A"));
        assert!(!names_short_name("urn:xmpp:none:0", "None"));
    }

    #[test]
    fn code_blocks_with_stanzas_are_checked_schemas_and_registries_not() {
        assert!(holds_stanzas("\n<iq type='get' id='1'/>"));
        assert!(holds_stanzas(
            "<?xml version='1.0'?>\n<query xmlns='jabber:iq:x'/>"
        ));
        assert!(!holds_stanzas(
            "<?xml version='1.0'?>\n<xs:schema xmlns:xs='x'/>"
        ));
        assert!(!holds_stanzas("<ns>\n  <name>urn:x</name>\n</ns>"));
        assert!(!holds_stanzas("<!ELEMENT a (b)>"));
        assert!(!holds_stanzas("_xmpp-client._tcp 86400 IN SRV"));
        assert!(!holds_stanzas("<iq id='a'\n    [for='x']/>"));
        assert!(!holds_stanzas(
            "<status xmlns='urn:x'>\n  [<text>OPTIONAL</text>]\n</status>"
        ));
        assert!(holds_stanzas("<iq id='a'><data>[base64]</data></iq>"));
    }
}
