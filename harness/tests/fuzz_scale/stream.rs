//! A server's stream, generated: a valid login, registration or
//! registration-form exchange with its pieces dropped, doubled or
//! swapped and its bytes cut, flipped or padded with XML syntax and
//! invalid UTF-8, or arbitrary bytes; sent in pieces down to one byte.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::garbage::{FEATURES, FOOTER, HEADER};

/// Which reading of the server's stream a case drives.
#[derive(Debug, Clone, Copy)]
pub enum Reader {
    /// `Session::open`, then the session's task until the stream ends.
    Login,
    /// `session::register`.
    Register,
    /// `session::registration_refusal`.
    RegistrationForm,
    /// `Session::open` with STARTTLS: the TLS handshake meets the bytes
    /// after `<proceed/>`.
    Starttls,
    /// `Session::open` with direct TLS: the handshake meets the bytes.
    DirectTls,
}

/// One generated case: who reads, what the server sends, in what pieces.
#[derive(Debug, Clone)]
pub struct StreamCase {
    /// The reading path.
    pub reader: Reader,
    /// The bytes the server sends, then it ends its half.
    pub bytes: Vec<u8>,
    /// The sizes of the writes, cycled.
    pub pieces: Vec<usize>,
}

const SUCCESS: &str = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
const BIND_FEATURES: &str = "<stream:features><bind \
    xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";
const BOUND: &str = "<iq type='result' id='bind-1'><bind \
    xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>juliet@capulet.lit/balcony</jid>\
    </bind></iq>";
const STANZAS: &[&str] = &[
    "<message from='romeo@montague.lit/orchard' type='chat'><body>Art thou not \
     Romeo, and a Montague?</body></message>",
    "<presence from='romeo@montague.lit/orchard'><c xmlns='http://jabber.org/protocol/caps' \
     hash='sha-1' node='n' ver='v'/></presence>",
    "<iq type='get' id='p1' from='capulet.lit'><ping xmlns='urn:xmpp:ping'/></iq>",
    "<iq type='get' id='d1' from='capulet.lit'><query \
     xmlns='http://jabber.org/protocol/disco#info' node='urn:xmpp:xepspec#x'/></iq>",
    "<iq type='set' id='s1'><query xmlns='jabber:iq:roster'/></iq>",
    "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
];
const STARTTLS_FEATURES: &str = "<stream:features><starttls \
    xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";
const PROCEED: &str = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
const REGISTERED: &str = "<iq type='result' id='register-1'/>";
const FORM_REFUSED: &str = "<iq type='error' id='register-form'><error type='cancel'>\
    <not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"/>",
    b"</",
    b"&",
    b"&#0;",
    b"&amp;",
    b"]]>",
    b"<!--",
    b"<?xml?>",
    b"<![CDATA[",
    b"<!DOCTYPE x>",
    b"\0",
    b"\r",
    b"\xff",
    b"\xc3",
    b"\xe0\xa8",
    b" xmlns='urn:x'",
    b" xmlns:stream='x'",
    b"stream:",
    b"</stream:stream>",
    b"<stream:stream>",
    b" a='1' a='2'",
];

fn script(reader: Reader) -> Vec<&'static str> {
    match reader {
        Reader::Login | Reader::DirectTls => {
            let mut pieces = vec![HEADER, FEATURES, SUCCESS, HEADER, BIND_FEATURES, BOUND];
            pieces.extend(STANZAS);
            pieces.push(FOOTER);
            pieces
        }
        Reader::Register => vec![HEADER, FEATURES, REGISTERED, FOOTER],
        Reader::RegistrationForm => vec![HEADER, FEATURES, FORM_REFUSED, FOOTER],
        Reader::Starttls => {
            let mut pieces = vec![HEADER, STARTTLS_FEATURES, PROCEED];
            pieces.extend(script(Reader::Login));
            pieces
        }
    }
}

/// One edit of a script.
#[derive(Debug, Clone)]
enum Edit {
    DropPiece(Index),
    DoublePiece(Index),
    SwapPieces(Index, Index),
    Delete(Index, usize),
    Insert(Index, Vec<u8>),
    Flip(Index, u8),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let inserted = prop_oneof![
        select(TOKENS).prop_map(<[u8]>::to_vec),
        vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        any::<Index>().prop_map(Edit::DropPiece),
        any::<Index>().prop_map(Edit::DoublePiece),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapPieces(a, b)),
        (any::<Index>(), 1usize..16).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<Index>(), inserted).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<Index>(), 1u8..=255).prop_map(|(at, x)| Edit::Flip(at, x)),
        any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(pieces: &mut Vec<&'static str>, bytes: &mut Vec<u8>, edit: &Edit) {
    let n = pieces.len().max(1);
    let at = |i: &Index| i.index(bytes.len() + 1);
    match edit {
        Edit::DropPiece(i) if !pieces.is_empty() => {
            pieces.remove(i.index(n));
        }
        Edit::DoublePiece(i) if !pieces.is_empty() => {
            let piece = pieces[i.index(n)];
            pieces.insert(i.index(n), piece);
        }
        Edit::SwapPieces(a, b) if !pieces.is_empty() => pieces.swap(a.index(n), b.index(n)),
        Edit::Delete(i, len) => {
            let start = at(i);
            bytes.drain(start..(start + len).min(bytes.len()));
        }
        Edit::Insert(i, inserted) => {
            let start = at(i);
            bytes.splice(start..start, inserted.iter().copied());
        }
        Edit::Flip(i, x) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] ^= x;
        }
        Edit::Truncate(i) => bytes.truncate(at(i)),
        _ => {}
    }
}

fn reader() -> impl Strategy<Value = Reader> {
    prop_oneof![
        6 => Just(Reader::Login),
        2 => Just(Reader::Register),
        2 => Just(Reader::RegistrationForm),
        1 => Just(Reader::Starttls),
        1 => Just(Reader::DirectTls)
    ]
}

/// Script edits first rearrange pieces, then change bytes.
fn mutated() -> impl Strategy<Value = (Reader, Vec<u8>)> {
    (reader(), vec(edit(), 0..5)).prop_map(|(reader, edits)| {
        let mut pieces = script(reader);
        let (piece_edits, byte_edits): (Vec<&Edit>, Vec<&Edit>) = edits.iter().partition(|e| {
            matches!(
                e,
                Edit::DropPiece(_) | Edit::DoublePiece(_) | Edit::SwapPieces(..)
            )
        });
        let mut bytes = Vec::new();
        for e in piece_edits {
            apply(&mut pieces, &mut bytes, e);
        }
        bytes = pieces.concat().into_bytes();
        for e in byte_edits {
            apply(&mut pieces, &mut bytes, e);
        }
        (reader, bytes)
    })
}

/// The generated cases: mostly mutated scripts, else a valid header
/// followed by arbitrary bytes, or arbitrary bytes alone.
pub fn stream_case() -> impl Strategy<Value = StreamCase> {
    let bytes = prop_oneof![
        8 => mutated(),
        1 => (reader(), vec(any::<u8>(), 0..256))
            .prop_map(|(r, b)| (r, [HEADER.as_bytes(), &b].concat())),
        1 => (reader(), vec(any::<u8>(), 0..256)),
    ];
    let pieces = prop_oneof![
        4 => Just(Vec::new()),
        1 => Just(vec![1]),
        2 => vec(1usize..64, 1..6),
    ];
    (bytes, pieces).prop_map(|((reader, bytes), pieces)| StreamCase {
        reader,
        bytes,
        pieces,
    })
}
