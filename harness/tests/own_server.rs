//! "Your own server, in your own CI": a Prosody container standing in for a
//! server whose admin makes the accounts (registration closed, six accounts
//! made with `prosodyctl register`), named in a targets file, run through
//! the library as an external target. The whole suite must grade exactly as
//! it does with fresh accounts on the same image, with no `error` cell: six
//! accounts reused case after case are enough, and each case leaves them as
//! it found them. Two more trials check the preflight's messages against the
//! real server (a self-signed certificate, a wrong password).
//!
//! `XEPSPEC_TARGETS` narrows the Prosody targets used (default prosody-13).

#[path = "own_server/checks.rs"]
mod checks;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use libtest_mimic::{Arguments, Failed, Trial};
use support::by_hand::{ByHand, DOMAIN, docker};
use tokio::sync::OnceCell;
use xepspec::judge::Judge;
use xepspec::runner::{Plan, TargetChoice};
use xepspec::scenario::{Case, ScenarioSource, accounts_needed, plan};
use xepspec::server::images::{self, BaseSource, BuildOutcome};
use xepspec::server::{
    Catalog, ExternalTarget, LiveTarget, PreflightLimits, TargetDef, TargetsFile, preflight,
};
use xepspec::verdict::Grade;

/// Accounts made on the server: two cases of the widest kind at once.
const ACCOUNTS: usize = 6;
/// Cases at once on the own server (the targets file's `concurrency`).
const AT_ONCE: usize = 2;

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let cases = match ScenarioSource::bundled().load() {
        Ok(scenarios) => plan(&scenarios, None),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (catalog, defs, runtime) = match support::setup("own-server trials", &["prosody-13"]) {
        Ok(setup) => setup,
        Err(code) => return code,
    };
    let cases = Arc::new(cases);
    let mut trials = Vec::new();
    let mut servers = Vec::new();
    let mut containers = Vec::new();
    for def in defs.into_iter().filter(|d| d.recipe == "prosody") {
        // An image of its own, from this checkout's recipe: the shared
        // `xepspec/<target>` tags may be rebuilt from another checkout.
        let def = TargetDef {
            name: format!("{}-own", def.name),
            ..def
        };
        let server = Arc::new(OwnServer::new(catalog.clone(), def.clone()));
        servers.push(server.clone());
        let started = Arc::new(support::Targets::new(
            catalog.clone(),
            std::slice::from_ref(&def),
        ));
        containers.push(started.clone());
        let run = {
            let (server, cases, runtime) = (server.clone(), cases.clone(), runtime.clone());
            let def = def.clone();
            move || runtime.block_on(suite_trial(&server, &started, &def, &cases))
        };
        trials.push(Trial::test(format!("{}::own-server::suite", def.name), run));
        let (s, r, c) = (server.clone(), runtime.clone(), cases.clone());
        trials.push(Trial::test(
            format!("{}::own-server::dirty-account", def.name),
            move || r.block_on(checks::dirty_account_trial(&s, &c)),
        ));
        let (s, r) = (server.clone(), runtime.clone());
        trials.push(Trial::test(
            format!("{}::own-server::preflight-registration-closed", def.name),
            move || r.block_on(checks::registration_closed_trial(&s)),
        ));
        let (s, r) = (server.clone(), runtime.clone());
        trials.push(Trial::test(
            format!("{}::own-server::preflight-certificate", def.name),
            move || r.block_on(checks::certificate_trial(&s)),
        ));
        let (s, r) = (server, runtime.clone());
        trials.push(Trial::test(
            format!("{}::own-server::preflight-login", def.name),
            move || r.block_on(checks::login_trial(&s)),
        ));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    // The containers go even when a trial failed or panicked; the fresh
    // accounts' container before the runtime that drives its removal.
    drop(servers);
    runtime.block_on(async move { drop(containers) });
    conclusion.exit_code()
}

/// A Prosody container with registration closed and six accounts, started
/// on first use and removed when dropped.
struct OwnServer {
    catalog: Arc<Catalog>,
    def: TargetDef,
    started: OnceCell<Result<Running, String>>,
}

/// The running container, its address and the files describing it.
struct Running {
    container: ByHand,
    /// The temporary folder of the targets and accounts files.
    dir: PathBuf,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl OwnServer {
    fn new(catalog: Arc<Catalog>, def: TargetDef) -> OwnServer {
        OwnServer {
            catalog,
            def,
            started: OnceCell::new(),
        }
    }

    pub(crate) async fn get(&self) -> Result<&Running, Failed> {
        let started = self.started.get_or_init(|| self.start()).await;
        started.as_ref().map_err(|e| Failed::from(e.clone()))
    }

    async fn start(&self) -> Result<Running, String> {
        let built = images::build(
            &self.catalog,
            std::slice::from_ref(&self.def),
            BaseSource::Debootstrap,
            false,
            1,
        )
        .await;
        if let Some((_, BuildOutcome::Failed(e))) = built.first() {
            return Err(e.to_string());
        }
        let image = format!("{}:{}", self.def.image(), TargetDef::TAG);
        let container = ByHand::start(&image, &["XEPSPEC_REGISTRATION=closed"]).await?;
        let dir = std::env::temp_dir().join(format!(
            "xepspec-own-{}-{}",
            self.def.name,
            std::process::id()
        ));
        // From here on, dropping `running` removes the container.
        let running = Running { container, dir };
        let mut accounts = String::new();
        for i in 1..=ACCOUNTS {
            accounts += &register(&running.container.id, &format!("own{i}"))?;
        }
        // One more, outside the suite's file, for the dirty-account trial.
        let dirty = register(&running.container.id, "dirty")?;
        std::fs::create_dir_all(&running.dir).map_err(|e| e.to_string())?;
        write(&running.dir.join("accounts.toml"), &accounts)?;
        write(&running.dir.join("dirty-accounts.toml"), &dirty)?;
        let targets = format!(
            "[[target]]\nname = \"{name}\"\naddress = \"{address}\"\ndomain = \"{DOMAIN}\"\n\
             tls = \"starttls\"\ninsecure = true\naccounts = \"accounts.toml\"\n\
             concurrency = {AT_ONCE}\n{services}{premade}",
            name = self.def.name,
            address = running.container.address,
            services = services_line(&self.def),
            premade = premade_tables(&self.def),
        );
        write(&running.dir.join("xepspec.toml"), &targets)?;
        Ok(running)
    }

    /// The target the targets file declares.
    pub(crate) async fn target(&self) -> Result<ExternalTarget, Failed> {
        let running = self.get().await?;
        let file =
            TargetsFile::load(&running.dir.join("xepspec.toml")).map_err(|e| e.to_string())?;
        Ok(file
            .targets
            .first()
            .cloned()
            .ok_or("the targets file declares no target")?)
    }
}

/// The image's services, as a targets file declares them.
fn services_line(def: &TargetDef) -> String {
    let pairs: Vec<String> = def
        .services
        .iter()
        .map(|(kind, jid)| format!("{kind} = \"{jid}\""))
        .collect();
    format!("services = {{ {} }}\n", pairs.join(", "))
}

/// The image's pre-made accounts (made at build time, so there with
/// registration closed too), as a targets file declares them.
fn premade_tables(def: &TargetDef) -> String {
    def.accounts
        .iter()
        .map(|a| {
            let roles: Vec<String> = a.roles.iter().map(|r| format!("\"{r}\"")).collect();
            format!(
                "[[target.account]]\nname = \"{}\"\npassword = \"{}\"\nroles = [{}]\n",
                a.name,
                a.password,
                roles.join(", ")
            )
        })
        .collect()
}

/// Makes account `user` with `prosodyctl register`; returns its entry for
/// an accounts file.
fn register(container: &str, user: &str) -> Result<String, String> {
    let password = format!("pw-{user}-{}", std::process::id());
    let args = [
        "exec",
        container,
        "prosodyctl",
        "register",
        user,
        DOMAIN,
        &password,
    ];
    docker(&args)?;
    Ok(format!(
        "[[account]]\nusername = \"{user}\"\npassword = \"{password}\"\n"
    ))
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Each case's grade and reason on `target`, from the one pipeline, at
/// most `at_once` cases at once.
pub(crate) async fn grades(
    catalog: &Catalog,
    target: TargetChoice,
    cases: &[Case],
    at_once: usize,
) -> BTreeMap<String, (Grade, String)> {
    let mut plan = Plan::new(cases.to_vec(), vec![target]);
    plan.jobs = at_once.max(1);
    let judge = Judge::new(Vec::new(), cases);
    let stop = tokio_util::sync::CancellationToken::new();
    let result = xepspec::runner::run(&plan, catalog, &judge, &stop, Vec::new()).await;
    result
        .matrix
        .cells
        .into_iter()
        .map(|c| {
            let reason = c.verdict.reason.clone().unwrap_or_default();
            (c.case, (c.verdict.grade, reason))
        })
        .collect()
}

async fn suite_trial(
    server: &OwnServer,
    started: &support::Targets,
    def: &TargetDef,
    cases: &[Case],
) -> Result<(), Failed> {
    let clock = Instant::now();
    // The image is built here, before the fresh-accounts run needs it.
    let target = server.target().await?;
    let ready = clock.elapsed();
    let at_once = target.concurrency.unwrap_or(1);
    let needed = accounts_needed(cases, at_once);
    if needed > ACCOUNTS {
        return Err(format!("the suite needs {needed} accounts at {at_once} cases at once").into());
    }
    preflight(&target, needed, &PreflightLimits::default())
        .await
        .map_err(|e| e.to_string())?;
    let live = LiveTarget::external(&target)
        .await
        .map_err(|e| e.to_string())?;
    if live.info.name != def.name {
        return Err(format!("the target is called {:?}", live.info.name).into());
    }
    let own_clock = Instant::now();
    let own = grades(
        &server.catalog,
        TargetChoice::External(target.clone()),
        cases,
        at_once,
    )
    .await;
    let own_took = own_clock.elapsed();
    let fresh_clock = Instant::now();
    let fresh_choice = TargetChoice::Default(def.clone());
    let fresh = grades(
        &server.catalog,
        fresh_choice,
        cases,
        def.concurrency.unwrap_or(8),
    )
    .await;
    let (fresh_target, _) = started.get(def).await?;
    let fresh_took = fresh_clock.elapsed();
    checks::registration_open(&fresh_target).await?;
    checks::accounts_left_empty(&live, &target).await?;
    println!(
        "{}: container, 6 accounts and preflight {:.1} s; {} cases on reused accounts \
         ({at_once} at once) {:.1} s; with fresh accounts {:.1} s",
        def.name,
        ready.as_secs_f64(),
        cases.len(),
        own_took.as_secs_f64(),
        fresh_took.as_secs_f64()
    );
    let mut problems = Vec::new();
    for (id, (grade, reason)) in &own {
        let reference = fresh.get(id).map(|(g, _)| *g);
        if *grade == Grade::Error || reference != Some(*grade) {
            problems.push(format!(
                "{id}: {grade:?} on reused accounts, {reference:?} fresh: {reason}"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}
