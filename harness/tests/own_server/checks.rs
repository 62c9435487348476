//! The own-server trials beyond the suite: the preflight's messages against
//! a real server, and a case on an account someone left data on.

use std::time::{Duration, Instant};

use libtest_mimic::Failed;
use minidom::Element;
use xepspec::scenario::Case;
use xepspec::server::account_state::{PrivateSlot, leftovers};
use xepspec::server::accounts::read_accounts;
use xepspec::server::{
    AccountSupply, ExternalTarget, LiveTarget, PreflightError, PreflightLimits, preflight,
};
use xepspec::session::{Claim, Session, SessionSpec, TlsMode};
use xepspec::verdict::Grade;

use super::{OwnServer, grades, write};
use xepspec::runner::TargetChoice;

/// Without `insecure`, the self-signed certificate stops the run before it
/// starts, with a message naming both ways to accept it.
pub async fn certificate_trial(server: &OwnServer) -> Result<(), Failed> {
    let mut target = server.target().await?;
    target.insecure = false;
    match preflight(&target, 1, &PreflightLimits::default()).await {
        Err(e @ PreflightError::Certificate { .. }) => {
            let text = e.to_string();
            if text.contains("--insecure") && text.contains("insecure = true") {
                Ok(())
            } else {
                Err(format!("unclear: {text}").into())
            }
        }
        other => Err(format!("expected a certificate error, got {other:?}").into()),
    }
}

/// A wrong password in the accounts file fails the preflight's one login.
pub async fn login_trial(server: &OwnServer) -> Result<(), Failed> {
    let mut target = server.target().await?;
    let wrong = server.get().await?.dir.join("wrong-accounts.toml");
    write(
        &wrong,
        "[[account]]\nusername = \"own1\"\npassword = \"wrong\"\n",
    )?;
    target.accounts = Some(AccountSupply::File(wrong));
    match preflight(&target, 1, &PreflightLimits::default()).await {
        Err(e @ PreflightError::Login { .. }) if e.to_string().contains("own1@capulet.lit") => {
            Ok(())
        }
        other => Err(format!("expected a login error, got {other:?}").into()),
    }
}

/// `--register` on a server with registration closed stops before any case,
/// naming `--accounts FILE`.
pub async fn registration_closed_trial(server: &OwnServer) -> Result<(), Failed> {
    let mut target = server.target().await?;
    target.accounts = Some(AccountSupply::Register);
    match preflight(&target, 1, &PreflightLimits::default()).await {
        Err(e @ PreflightError::RegistrationClosed { .. })
            if e.to_string().contains("--accounts FILE") =>
        {
            Ok(())
        }
        other => Err(format!("expected registration to be refused, got {other:?}").into()),
    }
}

/// `--register` on a server with registration open passes the preflight
/// (the form is asked for; nothing is registered).
pub async fn registration_open(fresh: &LiveTarget) -> Result<(), Failed> {
    let mut target = ExternalTarget::one_off(&fresh.endpoint.address, &fresh.endpoint.domain);
    target.tls = TlsMode::None;
    target.accounts = Some(AccountSupply::Register);
    preflight(&target, 1, &PreflightLimits::default())
        .await
        .map_err(|e| Failed::from(format!("registration open: {e}")))
}

/// After the whole suite, every account of the file holds nothing.
pub async fn accounts_left_empty(live: &LiveTarget, target: &ExternalTarget) -> Result<(), Failed> {
    let file = target.accounts_file().ok_or("no accounts file")?;
    let slots = [PrivateSlot::bookmarks()];
    for account in read_accounts(file).map_err(|e| e.to_string())? {
        let left = leftovers(&live.endpoint, &account, &slots)
            .await
            .map_err(|e| e.to_string())?;
        if !left.is_empty() {
            return Err(format!(
                "{} holds {} after the run",
                account.username,
                left.join(", ")
            )
            .into());
        }
    }
    Ok(())
}

/// A case whose account holds a PEP item it did not publish is an error
/// naming the node, never a pass or fail; and it leaves the account clean.
pub async fn dirty_account_trial(server: &OwnServer, cases: &[Case]) -> Result<(), Failed> {
    let mut target = server.target().await?;
    let file = server.get().await?.dir.join("dirty-accounts.toml");
    target.accounts = Some(AccountSupply::File(file.clone()));
    let account = read_accounts(&file)
        .map_err(|e| e.to_string())?
        .pop()
        .ok_or("no dirty account")?;
    publish_leftover(&target, &account).await?;
    let case = cases
        .iter()
        .find(|c| c.scenario.accounts().len() == 1)
        .ok_or("no case with one account")?;
    let live = LiveTarget::external(&target)
        .await
        .map_err(|e| e.to_string())?;
    let choice = TargetChoice::External(target.clone());
    let graded = grades(&server.catalog, choice, std::slice::from_ref(case), 1).await;
    let (grade, reason) = graded.get(&case.id).ok_or("no verdict")?;
    if *grade != Grade::Error || !reason.contains("PEP node urn:xmpp:tmp:leftover") {
        return Err(format!("{}: {grade:?}: {reason}", case.id).into());
    }
    let slots = [PrivateSlot::bookmarks()];
    let left = leftovers(&live.endpoint, &account, &slots)
        .await
        .map_err(|e| e.to_string())?;
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("still there after the case: {}", left.join(", ")).into())
    }
}

/// Publishes one item to a PEP node of `account`, as another client would.
async fn publish_leftover(
    target: &ExternalTarget,
    account: &xepspec::session::Account,
) -> Result<(), Failed> {
    let spec = SessionSpec {
        endpoint: target.endpoint(),
        account: account.clone(),
        resource: "other-client".into(),
        caps: None,
        origin: Instant::now(),
    };
    let mut session = Session::open(spec).await.map_err(|e| e.to_string())?;
    let publish = "<iq xmlns='jabber:client' type='set' id='leftover'>\
        <pubsub xmlns='http://jabber.org/protocol/pubsub'>\
        <publish node='urn:xmpp:tmp:leftover'><item id='1'><x xmlns='urn:xmpp:tmp:leftover'/></item>\
        </publish></pubsub></iq>";
    let element: Element = publish.parse().map_err(|e| format!("{e}"))?;
    session.send(element).await.map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(5);
    let answer = session
        .claim(deadline, |el| {
            Claim::take_if(el.attr("id") == Some("leftover"))
        })
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no answer to the publish")?;
    session.close(deadline).await;
    match answer.attr("type") {
        Some("result") => Ok(()),
        _ => Err(format!("publish refused: {}", String::from(&answer)).into()),
    }
}
