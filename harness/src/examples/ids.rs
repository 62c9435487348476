//! Checks across a XEP's examples, in document order: iq ids. A request
//! whose id an earlier, already answered request used (I601); an error or
//! result answering a request that was already answered while another
//! request between the same parties waits (I602); and a "request" that is
//! really the answer to the request before it (W603: same id, the parties
//! swapped, yet typed get or set).

use std::collections::HashMap;

use super::finding::{Code, Problem};
use super::fragment::{self, Parsed};

/// One iq of an example.
#[derive(Debug, Clone)]
pub struct Iq {
    /// Offset of its start tag in the example's text.
    pub offset: usize,
    /// Its attributes.
    pub id: String,
    /// `get`, `set`, `result` or `error`.
    pub kind: String,
    /// The sender, as written (may be empty).
    pub from: String,
    /// The recipient, as written (may be empty).
    pub to: String,
    /// The namespace of its first child other than `<error>` (empty when
    /// it has none).
    pub payload: String,
}

/// The iqs of a parsed example that are stanzas (top level, or children
/// of a stream).
pub fn iqs(parsed: &Parsed) -> Vec<Iq> {
    let walk = fragment::walk(&parsed.roots);
    walk.iter()
        .enumerate()
        .filter(|(_, (el, parent))| {
            el.name() == "iq" && parent.is_none_or(|p| walk[p].0.name() == "stream")
        })
        .filter_map(|(i, (el, _))| {
            Some(Iq {
                offset: parsed.tags.get(i)?.offset,
                id: el.attr("id")?.to_owned(),
                kind: el.attr("type").unwrap_or("").to_owned(),
                from: el.attr("from").unwrap_or("").to_owned(),
                to: el.attr("to").unwrap_or("").to_owned(),
                payload: el
                    .children()
                    .find(|c| c.name() != "error")
                    .map(|c| c.ns())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

struct Request {
    example: usize,
    from: String,
    to: String,
    payload: String,
    answered: bool,
}

/// I601, I602 and W603 over the iqs of a XEP, each with its example's index; the
/// problems come with the index of the example they are in.
pub fn check(iqs: &[(usize, Iq)]) -> Vec<(usize, Problem)> {
    let mut out = Vec::new();
    let mut requests: HashMap<&str, Request> = HashMap::new();
    let mut latest: Option<&str> = None;
    for (example, iq) in iqs {
        let id = iq.id.as_str();
        match iq.kind.as_str() {
            "get" | "set" => {
                let last = latest.and_then(|l| requests.get(l).map(|r| (l, r)));
                // Only a `get`: a `set` the other way with the same id is
                // most often a new request (Jingle's session-accept, a
                // push) that reuses a copied id, as the labelled samples
                // found every time.
                if let Some((last_id, last)) = last
                    && last_id == id
                    && iq.kind == "get"
                    && !iq.from.is_empty()
                    && !iq.to.is_empty()
                    && last.from == iq.to
                    && last.to == iq.from
                    // A payload of another namespace makes it a new request
                    // that reuses the id (a disco#info query after a Jingle
                    // action), not an answer.
                    && (iq.payload.is_empty()
                        || last.payload.is_empty()
                        || iq.payload == last.payload)
                {
                    out.push((
                        *example,
                        Problem::new(
                            Code::AnswerTypedAsRequest,
                            iq.offset,
                            format!(
                                "this iq answers the request '{id}' of Example {} (same id, the parties swapped) but is typed '{}', not 'result' or 'error'",
                                last.example + 1, iq.kind
                            ),
                        ),
                    ));
                    continue;
                }
                if let Some(earlier) = requests.get(id)
                    && earlier.answered
                {
                    out.push((
                        *example,
                        Problem::new(
                            Code::IdReused,
                            iq.offset,
                            format!(
                                "id '{id}' was already used by the request of Example {}, which was answered; a new request needs an id of its own",
                                earlier.example + 1
                            ),
                        ),
                    ));
                }
                requests.insert(
                    id,
                    Request {
                        example: *example,
                        from: iq.from.clone(),
                        to: iq.to.clone(),
                        payload: iq.payload.clone(),
                        answered: false,
                    },
                );
                latest = Some(id);
            }
            "result" | "error" => {
                let waiting = latest.filter(|l| *l != id).and_then(|l| {
                    requests
                        .get(l)
                        .map(|r| (l, r.example + 1, r.answered, r.from.clone(), r.to.clone()))
                });
                let Some(request) = requests.get_mut(id) else {
                    continue;
                };
                if let Some((other, other_example, false, from, to)) = waiting
                    && request.answered
                    && iq.kind == "error"
                    && !from.is_empty()
                    && from == iq.to
                    && to == iq.from
                {
                    out.push((
                        *example,
                        Problem::new(
                            Code::StaleResponse,
                            iq.offset,
                            format!(
                                "this error answers '{id}' (Example {}), already answered, while the request '{other}' of Example {other_example} between the same parties waits",
                                request.example + 1
                            ),
                        ),
                    ));
                }
                request.answered = true;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iq(id: &str, kind: &str, from: &str, to: &str) -> Iq {
        Iq {
            offset: 0,
            id: id.into(),
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
            payload: String::new(),
        }
    }

    fn codes(iqs: &[Iq]) -> Vec<Code> {
        let numbered: Vec<(usize, Iq)> = iqs.iter().cloned().enumerate().collect();
        check(&numbered).into_iter().map(|(_, p)| p.code).collect()
    }

    #[test]
    fn ids_across_examples() {
        let fine = [
            iq("a", "get", "c", "s"),
            iq("a", "result", "s", "c"),
            iq("a", "error", "s", "c"),
            iq("b", "set", "c", "s"),
        ];
        assert!(codes(&fine).is_empty());
        assert_eq!(
            codes(&[
                iq("a", "get", "c", "s"),
                iq("a", "result", "s", "c"),
                iq("a", "get", "c", "s")
            ]),
            [Code::IdReused]
        );
        assert_eq!(
            codes(&[iq("a", "get", "c", "s"), iq("a", "get", "s", "c")]),
            [Code::AnswerTypedAsRequest]
        );
        let with = |mut iq: Iq, payload: &str| {
            iq.payload = payload.to_owned();
            iq
        };
        let new_request = [
            with(iq("a", "set", "c", "s"), "urn:xmpp:jingle:1"),
            with(
                iq("a", "get", "s", "c"),
                "http://jabber.org/protocol/disco#info",
            ),
        ];
        assert!(codes(&new_request).is_empty());
        assert_eq!(
            codes(&[
                iq("p", "set", "c", "s"),
                iq("p", "result", "s", "c"),
                iq("q", "set", "c", "s"),
                iq("p", "error", "s", "c"),
            ]),
            [Code::StaleResponse]
        );
    }
}
