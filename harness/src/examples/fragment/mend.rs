//! Mending the broken top-level elements whose every error the scan knows
//! how to mend (see [`super::scan`]), so that the namespace, schema and form
//! checks still see them. The mended text is longer or shorter than the
//! example's, so positions found in it are carried back through the edits.

use super::scan::{Edit, Scan};

/// An example's mended elements: the text with the clean and the
/// unmendable top-level elements blanked out and the edits applied, and
/// where its positions lie in the example.
#[derive(Debug)]
pub struct Mended {
    /// The text to parse.
    pub text: String,
    /// After each edit: (its end in `text`, its end in the example).
    ends: Vec<(usize, usize)>,
}

impl Mended {
    /// The example's offset of `offset` in the mended text (an offset inside
    /// an inserted text goes to where it was inserted).
    pub fn original(&self, offset: usize) -> usize {
        let after = self.ends.partition_point(|(mended, _)| *mended <= offset);
        match after.checked_sub(1).map(|i| self.ends[i]) {
            Some((mended, original)) => offset - mended + original,
            None => offset,
        }
    }
}

/// Mends `text` with `scan`'s edits, or `None` when no broken top-level
/// element can be mended.
pub fn mend(text: &str, scan: &Scan) -> Option<Mended> {
    if !scan.roots.iter().any(|r| !r.clean && r.mendable) {
        return None;
    }
    let mut blanked = text.to_owned();
    for root in scan.roots.iter().filter(|r| r.clean || !r.mendable) {
        let range = root.range.clone();
        blanked.replace_range(range.clone(), &super::blank(&text[range]));
    }
    let applies = |edit: &Edit| {
        let at = edit.range.start;
        scan.roots
            .iter()
            .find(|r| r.range.start <= at && at < r.range.end.max(r.range.start + 1))
            .is_none_or(|r| !r.clean && r.mendable)
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut ends = Vec::new();
    let mut at = 0;
    for edit in scan.edits.iter().filter(|e| applies(e)) {
        if edit.range.start < at || !blanked.is_char_boundary(edit.range.start) {
            continue;
        }
        out.push_str(&blanked[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
        ends.push((out.len(), at));
    }
    out.push_str(&blanked[at..]);
    Some(Mended { text: out, ends })
}

#[cfg(test)]
mod tests {
    use super::super::scan::scan;
    use super::*;

    #[test]
    fn misnamed_and_missing_ends_are_mended_and_offsets_carried_back() {
        let text = "<ok/>\n<a><b>x</a>\n<d><e>y</f>";
        let found = scan(text);
        let mended = mend(text, &found).expect("mendable");
        assert_eq!(mended.text, "     \n<a><b>x</b></a>\n<d><e>y</e></d>");
        let e = mended.text.find("<e>").unwrap();
        assert_eq!(mended.original(e), text.find("<e>").unwrap());
        let a = mended.text.find("<a>").unwrap();
        assert_eq!(mended.original(a), text.find("<a>").unwrap());
    }

    #[test]
    fn unclosed_children_are_closed_before_their_parents_end() {
        let text = "<f><v>1<w></f>";
        let mended = mend(text, &scan(text)).expect("mendable");
        assert_eq!(mended.text, "<f><v>1<w></w></v></f>");
    }

    #[test]
    fn a_start_tag_typed_for_its_end_tag_ends_the_element() {
        let text = "<f><v>1<v></f>\n<iq><q/>\n<iq>";
        let found = scan(text);
        let messages: Vec<&str> = found.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "start tag <v> where its end tag </v> belongs",
                "start tag <iq> where its end tag </iq> belongs"
            ]
        );
        let mended = mend(text, &found).expect("mendable");
        assert_eq!(mended.text, "<f><v>1</v></f>\n<iq><q/>\n</iq>");
        let nested = "<v><v>1</v></v>";
        assert!(scan(nested).errors.is_empty());
    }

    #[test]
    fn attribute_mistakes_are_not_guessed_at() {
        let text = "<a b=c/>";
        assert!(mend(text, &scan(text)).is_none());
    }
}
