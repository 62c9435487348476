//! Fuzzing at scale, in `cargo test`: the scenario loader and the reading
//! of a server's stream each take 10,000 generated inputs from a fixed seed
//! (failures are shrunk, and their seeds kept in
//! `harness/proptest-regressions/`), within a bound on the whole run. Each
//! test prints its cases per second (`--nocapture` shows them).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError};
use tokio::net::TcpListener;
use xepspec::fuzz::runner::{offline, run, seeded_runner};
use xepspec::session::{
    Account, Claim, Endpoint, SaslChoice, Session, SessionError, SessionSpec, TlsMode, register,
    registration_refusal,
};

use garbage::{DOMAIN, play};
use stream::{Reader, StreamCase};

/// Generated inputs per property.
const CASES: u32 = 10_000;
/// The seed every run starts from, so a red run can be repeated.
const SEED: u64 = 18;
/// What the 10,000 cases of one property may take, however slow the
/// machine (they take a few seconds in a debug build).
const BOUND: Duration = Duration::from_secs(120);

#[test]
fn scenario_loader_takes_10000_broken_files() {
    let property = offline()
        .into_iter()
        .find(|p| p.name == "scenario-loader-on-broken-files")
        .expect("the property exists");
    let report = run(&property, CASES, Some(SEED), &|| {});
    println!(
        "{}: {} cases in {:.2} s, {:.0} cases/s (seed {SEED})",
        report.name,
        report.cases,
        report.elapsed.as_secs_f64(),
        report.rate()
    );
    assert!(
        report.failure.is_none(),
        "{}",
        report.failure.unwrap_or_default()
    );
    assert!(
        report.cases >= u64::from(CASES),
        "only {} cases",
        report.cases
    );
    assert!(report.elapsed < BOUND, "took {:?}", report.elapsed);
}

/// What one attempt may take before it counts as a hang: the server has
/// sent everything and ended its half, so nothing is left to wait for.
const ATTEMPT_BOUND: Duration = Duration::from_secs(5);

/// Where failing seeds of the stream property are kept.
const STREAM_REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/fuzz-stream.txt"
);

/// Each case: a loopback connection on which a player sends the generated
/// bytes and ends its half, while the session's reading path runs; it must
/// end within its bound, with a result or an error, without panicking.
#[test]
fn session_reading_takes_10000_generated_streams() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let endpoint = Endpoint {
        address: listener.local_addr().expect("its address").to_string(),
        domain: DOMAIN.into(),
        tls: TlsMode::None,
        insecure: true,
        sasl: SaslChoice::Plain,
    };
    let config = Config {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(STREAM_REGRESSIONS))),
        ..Config::default()
    };
    let mut runner = seeded_runner(config, Some(SEED));
    let seen: RefCell<BTreeMap<&'static str, u64>> = RefCell::default();
    let start = Instant::now();
    let result = runner.run(&stream::stream_case(), |case| {
        let outcome = runtime.block_on(attempt(&listener, &endpoint, &case));
        let label = outcome.as_ref().map_or("failed", |kind| *kind);
        *seen.borrow_mut().entry(label).or_default() += 1;
        outcome.map(|_| ()).map_err(TestCaseError::fail)
    });
    let elapsed = start.elapsed();
    let seen = seen.into_inner();
    let cases: u64 = seen.values().sum();
    println!(
        "session-reading-on-generated-streams: {cases} cases in {:.2} s, {:.0} cases/s (seed {SEED})",
        elapsed.as_secs_f64(),
        cases as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    for (outcome, n) in &seen {
        println!("  {n:>6}  {outcome}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(cases >= u64::from(CASES), "only {cases} cases");
    assert!(elapsed < BOUND, "took {elapsed:?}");
}

/// One case: the player and the reader on one connection; the reader's
/// outcome, or why it is a failure.
async fn attempt(
    listener: &TcpListener,
    endpoint: &Endpoint,
    case: &StreamCase,
) -> Result<&'static str, String> {
    let server = async {
        if let Ok(Ok((tcp, _))) = tokio::time::timeout(ATTEMPT_BOUND, listener.accept()).await {
            play(tcp, &case.bytes, &case.pieces, ATTEMPT_BOUND).await;
        }
    };
    let client = tokio::time::timeout(ATTEMPT_BOUND, read(endpoint, case.reader));
    let ((), read) = tokio::join!(server, client);
    read.unwrap_or_else(|_| Err(format!("no end within {ATTEMPT_BOUND:?}")))
}

/// Runs one reading path against the player.
async fn read(endpoint: &Endpoint, reader: Reader) -> Result<&'static str, String> {
    let account = Account {
        username: "juliet".into(),
        password: "r0m30".into(),
    };
    match reader {
        Reader::Register => Ok(match register(endpoint, &account).await {
            Ok(()) => "registered",
            Err(e) => kind(&e),
        }),
        Reader::RegistrationForm => Ok(match registration_refusal(endpoint).await {
            Ok(None) => "registration form offered",
            Ok(Some(_)) => "registration refused",
            Err(e) => kind(&e),
        }),
        Reader::Login => {
            let spec = SessionSpec {
                endpoint: endpoint.clone(),
                account,
                resource: "balcony".into(),
                caps: None,
                origin: Instant::now(),
            };
            let mut session = match Session::open(spec).await {
                Ok(session) => session,
                Err(e) => return Ok(kind(&e)),
            };
            // The player has ended its half: the session must notice.
            let deadline = Instant::now() + ATTEMPT_BOUND;
            match session.claim(deadline, |_| Claim::Keep).await {
                Err(_) => Ok("logged in, then the end noticed"),
                Ok(_) => Err("logged in, and the stream's end went unnoticed".into()),
            }
        }
    }
}

/// A session error's stage, for the tally.
fn kind(e: &SessionError) -> &'static str {
    match e {
        SessionError::Connect(_) => "error: connecting",
        SessionError::Auth(_) => "error: authenticating",
        SessionError::Bind(_) => "error: binding",
        SessionError::Register(_) => "error: registering",
        SessionError::Timeout(_) => "error: timeout",
        SessionError::Unexpected(_) => "error: unexpected",
        SessionError::Closed(_) => "error: closed",
    }
}

#[path = "support/garbage.rs"]
#[allow(dead_code)] // the fuzzing uses only the player
mod garbage;

mod stream {
    //! A server's stream, generated: a valid login, registration or
    //! registration-form exchange with its pieces dropped, doubled or
    //! swapped and its bytes cut, flipped or padded with XML syntax and
    //! invalid UTF-8, or arbitrary bytes; sent in pieces down to one byte.

    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::{Index, select};

    use super::garbage::{FEATURES, FOOTER, HEADER};

    /// Which reading of the server's stream a case drives.
    #[derive(Debug, Clone, Copy)]
    pub enum Reader {
        /// `Session::open`, then the session's task until the stream ends.
        Login,
        /// `session::register`.
        Register,
        /// `session::registration_refusal`.
        RegistrationForm,
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
            Reader::Login => {
                let mut pieces = vec![HEADER, FEATURES, SUCCESS, HEADER, BIND_FEATURES, BOUND];
                pieces.extend(STANZAS);
                pieces.push(FOOTER);
                pieces
            }
            Reader::Register => vec![HEADER, FEATURES, REGISTERED, FOOTER],
            Reader::RegistrationForm => vec![HEADER, FEATURES, FORM_REFUSED, FOOTER],
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
            2 => Just(Reader::RegistrationForm)
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
}
