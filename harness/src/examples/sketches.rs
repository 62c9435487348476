//! What an example that sketches rather than shows leaves out on purpose:
//! the attributes it elides (`<transport .../>`), the id of a stanza whose
//! shape a `<code>` block gives.

use std::sync::LazyLock;

use super::finding::{Code, Problem};
use super::source::Example;

/// An `id` attribute in a start tag (not `sid`, not `node-id`).
static ID_ATTRIBUTE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\sid\s*=").expect("a valid pattern"));

/// A `type` attribute in a start tag.
static TYPE_ATTRIBUTE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\stype\s*=").expect("a valid pattern"));

/// Drops from `problems` what `example` leaves out on purpose: schema
/// findings on a start tag with elided attributes (it may have lost its
/// `xmlns` too), and a missing iq `id` in a `<code>` block giving a
/// stanza's shape ("the IQ result SHOULD be of the following form") or
/// in an iq that only shows addressing (no id, no type, no namespaced
/// payload).
/// A "Resulting Stanza" of an `xmpp:` URI is an example like any other:
/// readers of the labelled samples mostly held its missing id a mistake.
pub fn drop_what_sketches_leave_out(example: &Example, problems: &mut Vec<Problem>) {
    let start_tag = |offset: usize| {
        let tag = example.text.get(offset..).unwrap_or("");
        &tag[..tag.find('>').unwrap_or(tag.len())]
    };
    let elided = |offset: usize| {
        let tag = start_tag(offset);
        tag.contains("...") || tag.contains('…')
    };
    let shape = example.number == 0;
    // An iq with neither id nor type and no namespaced payload only shows
    // how something is addressed (`<iq to='pubsub@…/news'> ... </iq>`).
    let addressing = |offset: usize| {
        let iq = example.text.get(offset..).unwrap_or("");
        let iq = &iq[..iq.find("</iq>").unwrap_or(iq.len())];
        let tag = start_tag(offset);
        !ID_ATTRIBUTE.is_match(tag) && !TYPE_ATTRIBUTE.is_match(tag) && !iq.contains("xmlns")
    };
    problems.retain(|p| {
        let elided_attributes = p.code.judges_by_schema() && elided(p.offset);
        let id_left_to_sender = p.code == Code::IqAttributes
            && ((shape && !ID_ATTRIBUTE.is_match(start_tag(p.offset))) || addressing(p.offset));
        !(elided_attributes || id_left_to_sender)
    });
}
