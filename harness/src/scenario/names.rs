//! The names a scenario gives to what a target declares: service kinds
//! (`{service:pubsub}`, `[requires] services`) and the roles of pre-made
//! accounts (an actor's `account = "admin"`).

use super::loaded::Actor;

/// Whether `s` is a service kind or role name: letters, digits, `-`, `_`.
pub(super) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
}

/// An actor's `account` role is a name, and every actor of one account
/// alias asks for the same role (or none).
pub(super) fn check_role(
    role: &Option<String>,
    alias: &str,
    earlier: &[Actor],
) -> Result<(), String> {
    if let Some(role) = role
        && !is_name(role)
    {
        return Err(format!(
            "account {role:?}: a role is letters, digits, - and _ (e.g. \"admin\")"
        ));
    }
    match earlier.iter().find(|a| a.account == alias) {
        Some(other) if &other.role != role => Err(format!(
            "actors of account {alias:?} disagree on its role ({} has {:?})",
            other.name, other.role
        )),
        _ => Ok(()),
    }
}
