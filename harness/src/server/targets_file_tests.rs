use std::path::{Path, PathBuf};

use super::*;

const FILE: &str = "ci/xepspec.toml";

fn parse(text: &str) -> Result<TargetsFile, TargetsFileError> {
    TargetsFile::parse(text, Path::new(FILE))
}

fn problems(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(TargetsFileError::Invalid(found)) => found.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("unexpected error {other}"),
    }
}

#[test]
fn a_full_target_is_read_with_paths_from_the_files_folder() {
    let file = parse(
        r#"
[[target]]
name = "home"
address = "127.0.0.1:5222"
domain = "example.org"
tls = "direct"
insecure = true
accounts = "accounts.toml"
known_failures = "known.toml"
snapshots = "snaps"
concurrency = 2

[[target]]
name = "staging"
address = "xmpp.example.org:5222"
domain = "example.org"
register = true
"#,
    )
    .unwrap();
    assert_eq!(file.names(), ["home", "staging"]);
    let home = file.get("home").unwrap();
    assert_eq!(home.tls, TlsMode::Direct);
    assert!(home.insecure);
    assert_eq!(
        home.accounts,
        Some(AccountSupply::File(PathBuf::from("ci/accounts.toml")))
    );
    assert_eq!(home.known_failures, Some(PathBuf::from("ci/known.toml")));
    assert_eq!(home.snapshots, Some(PathBuf::from("ci/snaps")));
    assert_eq!(home.concurrency, Some(2));
    assert_eq!(home.declared_at.as_deref(), Some("ci/xepspec.toml:2"));
    let staging = file.get("staging").unwrap();
    assert_eq!(staging.tls, TlsMode::Starttls, "STARTTLS by default");
    assert!(!staging.insecure);
    assert_eq!(staging.accounts, Some(AccountSupply::Register));
}

#[test]
fn a_target_without_accounts_is_left_to_the_preflight() {
    let file = parse("[[target]]\nname = \"a\"\naddress = \"h:1\"\ndomain = \"d\"\n").unwrap();
    assert_eq!(file.targets[0].accounts, None);
}

#[test]
fn an_unknown_key_is_refused_where_it_is() {
    let found =
        problems("[[target]]\nname = \"a\"\naddress = \"h:1\"\ndomain = \"d\"\npassword = \"x\"\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("ci/xepspec.toml:5:1: "), "{found:?}");
    assert!(found[0].contains("password"), "{found:?}");
}

#[test]
fn bad_toml_names_its_line_and_column() {
    let found = problems("[[target]]\nname = \"a\nport = 1\n");
    assert!(found[0].starts_with("ci/xepspec.toml:2:"), "{found:?}");
}

#[test]
fn a_missing_key_is_named() {
    let found = problems("[[target]]\nname = \"a\"\naddress = \"h:1\"\n");
    assert!(found[0].contains("domain"), "{found:?}");
}

#[test]
fn an_unknown_tls_mode_is_refused_at_its_value() {
    let found =
        problems("[[target]]\nname = \"a\"\naddress = \"h:1\"\ndomain = \"d\"\ntls = \"ssl\"\n");
    assert!(found[0].starts_with("ci/xepspec.toml:5:7: "), "{found:?}");
}

#[test]
fn an_address_without_a_port_is_refused_at_its_value() {
    let found = problems("[[target]]\nname = \"a\"\naddress = \"h\"\ndomain = \"d\"\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("ci/xepspec.toml:3:11: "), "{found:?}");
    assert!(found[0].contains("HOST:PORT"), "{found:?}");
}

#[test]
fn register_and_accounts_together_are_refused() {
    let found = problems(
        "[[target]]\nname = \"a\"\naddress = \"h:1\"\ndomain = \"d\"\nregister = true\naccounts = \"f\"\n",
    );
    assert!(found[0].starts_with("ci/xepspec.toml:6:12: "), "{found:?}");
    assert!(found[0].contains("choose one"), "{found:?}");
}

#[test]
fn names_must_be_usable_and_unique() {
    let target =
        |name: &str| format!("[[target]]\nname = \"{name}\"\naddress = \"h:1\"\ndomain = \"d\"\n");
    let found = problems(&format!("{}{}{}", target("a"), target("a"), target("all")));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("ci/xepspec.toml:6:8: "), "{found:?}");
    assert!(found[0].contains("declared twice"), "{found:?}");
    assert!(found[1].starts_with("ci/xepspec.toml:10:8: "), "{found:?}");
}

#[test]
fn zero_concurrency_is_refused() {
    let found =
        problems("[[target]]\nname = \"a\"\naddress = \"h:1\"\ndomain = \"d\"\nconcurrency = 0\n");
    assert!(found[0].starts_with("ci/xepspec.toml:5:15: "), "{found:?}");
}

#[test]
fn a_missing_named_file_says_which() {
    let err = TargetsFile::load(Path::new("/nonexistent/xepspec.toml")).unwrap_err();
    assert!(
        err.to_string().starts_with("/nonexistent/xepspec.toml: "),
        "{err}"
    );
}

#[test]
fn services_and_premade_accounts_are_read() {
    let file = parse(
        r#"
[[target]]
name = "home"
address = "127.0.0.1:5222"
domain = "example.org"
register = true
services = { pubsub = "pubsub.example.org", muc = "rooms.example.org" }

[[target.account]]
name = "admin"
password = "secret"
roles = ["admin"]
"#,
    )
    .unwrap();
    let home = file.get("home").unwrap();
    assert_eq!(home.services["pubsub"], "pubsub.example.org");
    assert_eq!(home.services["muc"], "rooms.example.org");
    assert_eq!(home.premade.len(), 1);
    assert_eq!(home.premade[0].name, "admin");
    assert_eq!(home.premade[0].roles, ["admin"]);
}

#[test]
fn bad_services_and_accounts_are_refused_where_they_are() {
    let found = problems(
        "[[target]]\nname = \"h\"\naddress = \"h:1\"\ndomain = \"d\"\nregister = true\n\
         services = { pubsub = \"me@pubsub.d\" }\n\
         [[target.account]]\nname = \"admin\"\npassword = \"\"\nroles = [\"ad min\"]\n\
         [[target.account]]\nname = \"admin\"\npassword = \"p\"\n",
    );
    let all = found.join("\n");
    assert!(all.contains("ci/xepspec.toml:6:"), "{all}");
    assert!(all.contains("\"me@pubsub.d\" is not a domain"), "{all}");
    assert!(
        all.contains("account admin: the password is empty"),
        "{all}"
    );
    assert!(all.contains("role \"ad min\""), "{all}");
    assert!(all.contains("account admin is declared twice"), "{all}");
}
