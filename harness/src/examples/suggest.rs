//! "Did you mean": the known name closest to an unknown one, biased to the
//! mistakes editors make: a separator swapped (`:` for `#` or `/`), a
//! version number off, then a few typos.

/// How close a candidate is; smaller is closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Closeness {
    /// Only separators differ (`#` ↔ `:` ↔ `/`).
    Separator,
    /// Only version numbers differ, by this much.
    Version(u64),
    /// This many edits apart (optimal string alignment).
    Edits(usize),
}

/// A known name offered in place of an unknown one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The known name.
    pub name: String,
    /// Found by counting edits, rather than by a separator swap or another
    /// version: a guess, and a poor one for a name used on purpose.
    pub typo: bool,
}

/// The candidate closest to `unknown`, if any is close enough to be a
/// plausible intent. `strict` accepts only a separator swap or a single
/// edit (for names outside the XSF's authority, whose other versions, such
/// as the W3C's dated drafts, are that body's to judge).
pub fn suggest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    strict: bool,
) -> Option<Suggestion> {
    let mut best: Option<(Closeness, &str)> = None;
    let candidates_again: Vec<&str> = candidates.into_iter().collect();
    for &candidate in &candidates_again {
        if candidate == unknown {
            continue;
        }
        let Some(score) = closeness(unknown, candidate, limit(unknown, strict), !strict) else {
            continue;
        };
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, candidate));
        }
    }
    if best.is_none() && !strict {
        return same_last_segment(unknown, candidates_again);
    }
    best.map(|(score, name)| Suggestion {
        name: name.to_owned(),
        typo: matches!(score, Closeness::Edits(_)),
    })
}

/// For a URL no candidate is close to (`http://xmpp.org/protocol/disco#info`,
/// `http://jabber.org/disco#info`): the one known URL with the same last
/// path segment, when it is distinctive (a fragment, or six characters).
fn same_last_segment(unknown: &str, candidates: Vec<&str>) -> Option<Suggestion> {
    let last = |s: &str| s.rsplit('/').next().unwrap_or("").to_owned();
    let tail = last(unknown);
    if !unknown.starts_with("http") || !(tail.contains('#') || tail.len() >= 6) {
        return None;
    }
    let mut same = candidates
        .into_iter()
        .filter(|c| c.starts_with("http") && *c != unknown && last(c) == tail);
    let only = same.next()?;
    same.next().is_none().then(|| Suggestion {
        name: only.to_owned(),
        typo: true,
    })
}

fn limit(unknown: &str, strict: bool) -> usize {
    if strict {
        1
    } else {
        (unknown.chars().count() / 10).clamp(1, 3)
    }
}

fn closeness(unknown: &str, candidate: &str, limit: usize, versions: bool) -> Option<Closeness> {
    if separators(unknown) == separators(candidate) {
        return Some(Closeness::Separator);
    }
    let (a, va) = versionless(unknown);
    let (b, vb) = versionless(candidate);
    if versions && a == b && va != vb {
        let distance = va.iter().zip(&vb).map(|(x, y)| x.abs_diff(*y)).sum::<u64>()
            + va.len().abs_diff(vb.len()) as u64 * 100;
        return Some(Closeness::Version(distance));
    }
    if unknown.len().abs_diff(candidate.len()) > limit {
        return None;
    }
    let edits = strsim::osa_distance(unknown, candidate);
    (edits <= limit).then_some(Closeness::Edits(edits))
}

fn separators(name: &str) -> String {
    name.replace(['#', '/'], ":")
}

/// The name with each number replaced by `#`, and the numbers.
fn versionless(name: &str) -> (String, Vec<u64>) {
    let mut shape = String::with_capacity(name.len());
    let mut numbers = Vec::new();
    let mut digits = String::new();
    for c in name.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            numbers.push(digits.parse().unwrap_or(u64::MAX));
            digits.clear();
            shape.push('#');
        }
        if c != '\0' {
            shape.push(c);
        }
    }
    (shape, numbers)
}

#[cfg(test)]
mod tests {
    const KNOWN: &[&str] = &[
        "urn:xmpp:mam:2",
        "urn:xmpp:mam:0",
        "urn:xmpp:bookmarks:1",
        "http://jabber.org/protocol/pubsub#event",
        "http://jabber.org/protocol/pubsub",
        "urn:ietf:params:xml:ns:xmpp-stanzas",
    ];

    /// The name [`super::suggest`] offers for `name` among `known`.
    fn closest(name: &str, known: &[&str], strict: bool) -> Option<String> {
        super::suggest(name, known.iter().copied(), strict).map(|s| s.name)
    }

    fn suggest(name: &str) -> Option<String> {
        closest(name, KNOWN, false)
    }

    #[test]
    fn version_off_by_one() {
        assert_eq!(
            suggest("urn:xmpp:bookmarks:2").as_deref(),
            Some("urn:xmpp:bookmarks:1")
        );
        assert_eq!(suggest("urn:xmpp:mam:3").as_deref(), Some("urn:xmpp:mam:2"));
    }

    #[test]
    fn another_bodys_other_versions_are_its_own_business() {
        let w3c = ["http://www.w3.org/2003/05/soap-envelope"];
        let draft = "http://www.w3.org/2001/12/soap-envelope";
        assert_eq!(closest(draft, &w3c, true), None);
        assert_eq!(closest(draft, &w3c, false).as_deref(), Some(w3c[0]));
    }

    #[test]
    fn separator_swapped() {
        assert_eq!(
            suggest("http://jabber.org/protocol/pubsub:event").as_deref(),
            Some("http://jabber.org/protocol/pubsub#event")
        );
    }

    #[test]
    fn typos_within_reason() {
        assert_eq!(
            suggest("http://jabber.org/protocol/pubsub#evnet").as_deref(),
            Some("http://jabber.org/protocol/pubsub#event")
        );
        assert_eq!(suggest("urn:xmpp:jingle:1"), None);
        assert_eq!(
            closest("urn:ietf:params:xml:ns:xmpp-stanza", KNOWN, true).as_deref(),
            Some("urn:ietf:params:xml:ns:xmpp-stanzas")
        );
        assert_eq!(
            closest("urn:ietf:params:xml:ns:vcard-4.0", KNOWN, true),
            None
        );
    }
}
