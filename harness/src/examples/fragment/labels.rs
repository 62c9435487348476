//! Speaker labels: examples often mark who sends what (`C:`, `S:`,
//! `SEND:`, `RECV:`, `CLIENT:`, `Romeo's server:`) before a stanza or on a
//! line of their own. They are blanked (offsets do not move) so that the
//! stanzas are checked.

/// `text` with the speaker labels blanked: a short label ending in `:` at
/// the start of a line, followed on that line by `<`, or alone on its line
/// with the next non-blank line starting with `<`.
pub fn blank_labels(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match label_len(line) {
            Some(len) if is_speaker(line) || follows_with_tag(&line[len..], &lines[i + 1..]) => {
                out.extend(std::iter::repeat_n(' ', len));
                out.push_str(&line[len..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// URI schemes that text beside a stanza writes in angle brackets
/// (RFC 3986 Appendix C): a SIP or mail header, a link.
const SCHEMES: &[&str] = &["sip", "sips", "tel", "mailto", "http", "https", "xmpp"];

/// `text` with URIs in angle brackets (`<sip:romeo@montague.lit>`, from a
/// SIP message shown beside the stanza it becomes) blanked in place: no
/// element name holds `@` or `/`, and no example binds these prefixes.
pub fn blank_uris(text: &str) -> String {
    let mut out = text.to_owned();
    let mut at = 0;
    while let Some(start) = text[at..].find('<').map(|i| i + at) {
        at = start + 1;
        let rest = &text[at..];
        let Some(end) = rest.find(|c: char| c == '>' || c.is_whitespace() || "<'\"".contains(c))
        else {
            break;
        };
        let inner = &rest[..end];
        let is_uri = rest[end..].starts_with('>')
            && inner.split_once(':').is_some_and(|(scheme, tail)| {
                SCHEMES.contains(&scheme) && tail.contains(['@', '.', '/'])
            });
        if is_uri {
            out.replace_range(start..at + end + 1, &" ".repeat(end + 2));
        }
    }
    out
}

/// `text` with bracketed narration between stanzas blanked in place: a
/// `[` at the start of a line, the `]` ending it at the end of a line (at
/// most five lines on), and prose within, which may mention a tag
/// (`[client still throttled, server ignores <r/> for now]`). A bracket
/// holding only markup (`[<text/>]`, an optional part) is left alone.
pub fn blank_narration(text: &str) -> String {
    let mut out = text.to_owned();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut i = 0;
    while i < starts.len() {
        let line = line_at(text, starts[i]);
        if !line.trim_start().starts_with('[') {
            i += 1;
            continue;
        }
        let close = (i..starts.len().min(i + 6))
            .find(|&j| line_at(text, starts[j]).trim_end().ends_with(']'));
        let Some(j) = close else {
            i += 1;
            continue;
        };
        let end = starts[j] + line_at(text, starts[j]).len();
        let span = &text[starts[i]..end];
        if is_prose(span) {
            out.replace_range(starts[i]..end, &super::blank(span));
        }
        i = j + 1;
    }
    out
}

/// The line of `text` that starts at `start`, without its newline.
fn line_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    &rest[..rest.find('\n').unwrap_or(rest.len())]
}

/// Whether a bracketed span, its tags taken out, holds prose: three words
/// of letters or more, and no other bracket.
fn is_prose(span: &str) -> bool {
    let inner = span.trim();
    let inner = &inner[1..inner.len() - 1];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words = text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words >= 3 && !inner.contains(['[', ']'])
}

/// The byte length of a label (with its colon and the spaces after it)
/// at the start of `line`.
fn label_len(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let colon = rest.find(':')?;
    let label = &rest[..colon];
    // A label may carry a remark in parentheses: `SERVER (optional error):`.
    let (label, remark_fits) = match label.split_once('(') {
        Some((head, remark)) => (
            head.trim_end(),
            remark.ends_with(')') && remark.chars().count() <= 100 && !remark.contains('<'),
        ),
        None => (label, true),
    };
    let first = label.chars().next()?;
    let fits = remark_fits
        && first.is_alphabetic()
        && label.chars().count() <= 24
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '\'' | '’'));
    if !fits {
        return None;
    }
    let after = &rest[colon + 1..];
    let spaces = after.len() - after.trim_start().len();
    Some(indent + colon + 1 + spaces)
}

/// The labels that mark every line of a stanza, even a tag's continuation
/// lines (`U:       to='…'`).
const SPEAKERS: &[&str] = &["C", "S", "U", "A", "B", "SEND", "RECV", "CLIENT", "SERVER"];

fn is_speaker(line: &str) -> bool {
    let trimmed = line.trim_start();
    SPEAKERS
        .iter()
        .any(|s| trimmed.strip_prefix(s).is_some_and(|r| r.starts_with(':')))
}

fn follows_with_tag(rest: &str, next: &[&str]) -> bool {
    if rest.trim().is_empty() {
        return next
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start().starts_with('<'));
    }
    rest.starts_with('<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_blanked_in_place() {
        let text = "C: <r/>\nCLIENT:\n\n<iq/>\nS:<a/>\nNote: plain text\nhttp://x";
        let out = blank_labels(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(
            out,
            "   <r/>\n       \n\n<iq/>\n  <a/>\nNote: plain text\nhttp://x"
        );
        assert_eq!(blank_labels("<a xmlns:b='c'/>"), "<a xmlns:b='c'/>");
        assert_eq!(
            blank_uris("To: <sip:romeo@montague.lit>;tag=Z\n<a/><stream:features/>"),
            format!("To: {};tag=Z\n<a/><stream:features/>", " ".repeat(24))
        );
        let narrated = "C: <r/>\n\n   [client still throttled, server ignores <r/> for now]\n\nS: <a h='2'/>\n   [two\n   lines of it]\n[<text/>]";
        let out = blank_narration(narrated);
        assert_eq!(out.len(), narrated.len());
        assert!(!out.contains("throttled") && !out.contains("lines of it"));
        assert!(out.contains("C: <r/>") && out.contains("S: <a h='2'/>"));
        assert!(
            out.ends_with("[<text/>]"),
            "markup alone is an optional part"
        );
        assert_eq!(
            blank_labels("U: <iq\nU:   to='x'/>"),
            "   <iq\n     to='x'/>"
        );
    }
}
