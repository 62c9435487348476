use std::path::Path;

use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use super::*;

fn limits() -> PreflightLimits {
    PreflightLimits {
        connect: Duration::from_millis(500),
        answer: Duration::from_millis(200),
    }
}

fn target(address: &str) -> ExternalTarget {
    let mut target = ExternalTarget::one_off(address, "capulet.lit");
    target.name = "home".into();
    target.tls = TlsMode::None;
    target.accounts = Some(AccountSupply::Register);
    target
}

async fn message(target: &ExternalTarget) -> String {
    preflight(target, 3, &limits())
        .await
        .unwrap_err()
        .to_string()
}

/// A file of `n` accounts in a fresh temporary folder.
fn accounts_file(n: usize, tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("xepspec-preflight-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("accounts.toml");
    let text: String = (0..n)
        .map(|i| format!("[[account]]\nusername = \"u{i}\"\npassword = \"p\"\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn no_account_source_names_both_flags_and_keys() {
    let mut t = target("127.0.0.1:1");
    t.accounts = None;
    let m = message(&t).await;
    for needle in [
        "home:",
        "--register",
        "--accounts FILE",
        "register = true",
        "accounts = \"FILE\"",
    ] {
        assert!(m.contains(needle), "{needle} missing from: {m}");
    }
}

#[tokio::test]
async fn a_short_accounts_file_says_how_many_are_needed() {
    let mut t = target("127.0.0.1:1");
    let path = accounts_file(2, "short");
    t.accounts = Some(AccountSupply::File(path.clone()));
    let m = message(&t).await;
    assert!(
        m.contains("this run needs 3 accounts, the file has 2"),
        "{m}"
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn a_missing_accounts_file_is_named() {
    let mut t = target("127.0.0.1:1");
    t.accounts = Some(AccountSupply::File(Path::new("/nonexistent/a.toml").into()));
    assert!(message(&t).await.contains("/nonexistent/a.toml"));
}

#[tokio::test]
async fn nothing_listening_fails_at_the_tcp_connect() {
    // Bound, then closed: a loopback port with nothing listening.
    let address = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let m = message(&target(&address.to_string())).await;
    assert!(
        m.starts_with(&format!("home: cannot reach {address}: TCP connect failed")),
        "{m}"
    );
}

#[tokio::test]
async fn a_server_that_hangs_up_fails_at_the_stream_header() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            drop(tcp);
        }
    });
    let m = message(&target(&address)).await;
    assert!(
        m.contains(&format!(
            "cannot reach {address}: TCP connected, stream header sent"
        )),
        "{m}"
    );
    assert!(m.contains("closed") || m.contains("reset"), "{m}");
}

#[tokio::test]
async fn a_server_that_never_answers_fails_after_the_limit() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut buf = [0u8; 512];
            let _ = tcp.read(&mut buf).await;
            held.push(tcp);
        }
    });
    let started = Instant::now();
    let m = message(&target(&address)).await;
    assert!(m.contains("no stream features within 0.2 s"), "{m}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "bounded by the limit"
    );
}

#[test]
fn certificate_refusals_are_told_from_other_tls_failures() {
    let refused = "connecting: invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))";
    assert!(is_certificate_problem(refused));
    assert!(!is_certificate_problem(
        "connecting: connection reset by peer"
    ));
    let t = target("127.0.0.1:5222");
    let check = Check {
        target: &t,
        limits: &limits(),
    };
    let m = check.tls_failure("STARTTLS", refused).to_string();
    assert!(
        m.contains("--insecure") && m.contains("insecure = true"),
        "{m}"
    );
    let m = check
        .tls_failure("STARTTLS", "handshake failure")
        .to_string();
    assert!(
        m.contains("TCP connected, STARTTLS failed: handshake failure"),
        "{m}"
    );
}
