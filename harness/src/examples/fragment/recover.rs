//! Recovering from a broken example: every error the scan and the parser
//! found, the clean top-level elements parsed alone, and the broken ones
//! mended where they can be.

use super::{Broken, blank, mend, parsed, scan};
use crate::stanza::parse::{XmlError, parse_stanzas_in};

/// Every error of `balanced` (the parser's `first`, and the scan's), and
/// its clean top-level elements parsed on their own.
/// When the example ends in an elision (`elided_end`), the elements it
/// leaves open are elided, not errors; so is a stream it leaves open.
pub(super) fn recover(
    balanced: &str,
    first: XmlError,
    len: usize,
    elided_end: bool,
    prefixes: &[(&str, &str)],
) -> Broken {
    let line = |offset: usize| balanced[..offset.min(balanced.len())].matches('\n').count();
    let mut found = scan::scan(balanced);
    let open_at_end = found
        .errors
        .iter()
        .any(|e| e.message.ends_with("is never closed"));
    // A stream an example opens is left open on purpose (the stream goes
    // on), whatever its prefix (`<stream xmlns='http://etherx…'>`).
    let open_stream = |e: &XmlError| {
        e.message.ends_with("is never closed")
            && (e.message.starts_with("<stream>") || e.message.contains(":stream>"))
    };
    found.errors.retain(|e| !open_stream(e));
    let streams_only = open_at_end && found.errors.is_empty();
    if elided_end {
        found
            .errors
            .retain(|e| !e.message.ends_with("is never closed"));
    }
    let mut errors: Vec<XmlError> = std::mem::take(&mut found.errors)
        .into_iter()
        .map(|mut e| {
            e.offset = e.offset.min(len);
            e
        })
        .collect();
    // The parser stops at the first error; the scan, which goes on, may
    // have met the same mistake on that line, or, for a mismatched end tag,
    // earlier (a start tag typed for an end tag is seen there, not at the
    // end tag the parser trips on).
    let mismatch = first.message.contains("do not match");
    let seen = |e: &XmlError| {
        line(e.offset) == line(first.offset) || (mismatch && e.offset <= first.offset)
    };
    let elided = (elided_end && open_at_end) || streams_only;
    if !elided && !errors.iter().any(seen) {
        errors.push(first);
    }
    errors.sort_by_key(|e| e.offset);
    let mut rest = balanced.to_owned();
    let mut kept = 0;
    for root in &found.roots {
        if root.clean {
            kept += 1;
        } else {
            let blanked = blank(&rest[root.range.clone()]);
            rest.replace_range(root.range.clone(), &blanked);
        }
    }
    let rest = (kept > 0)
        .then(|| {
            parse_stanzas_in(&rest, prefixes)
                .ok()
                .map(|roots| parsed(rest, roots))
        })
        .flatten();
    let mended = mend::mend(balanced, &found).and_then(|mended| {
        let roots = parse_stanzas_in(&mended.text, prefixes).ok()?;
        let mut out = parsed(mended.text.clone(), roots);
        for tag in &mut out.tags {
            tag.offset = mended.original(tag.offset);
            for attribute in &mut tag.attributes {
                attribute.offset = mended.original(attribute.offset);
                attribute.start = mended.original(attribute.start);
            }
        }
        Some(out)
    });
    Broken {
        errors,
        rest,
        mended,
        guessed: found.guessed,
    }
}
