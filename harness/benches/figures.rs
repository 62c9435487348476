//! Figures for the README, printed rather than asserted: container start to
//! ready per target, a fresh session (connect, STARTTLS, SASL, bind), a
//! round trip, and the whole matrix. `cargo bench --bench figures`, with
//! `XEPSPEC_TARGETS=a,b` to narrow the targets and `XEPSPEC_SECURE=1` to
//! measure sessions with STARTTLS and SCRAM.

use std::time::{Duration, Instant};

use xepspec::scenario::{ScenarioSource, plan};
use xepspec::server::{Catalog, LiveTarget, docker_api};
use xepspec::session::{Session, SessionSpec};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runtime = docker_api::container_runtime().expect("a Docker Engine");
    let catalog = Catalog::default_catalog().expect("targets.toml");
    let wanted: Vec<String> = std::env::var("XEPSPEC_TARGETS")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let defs = catalog.select(&wanted).expect("known targets");
    runtime.block_on(async {
        println!(
            "{:16} {:>12} {:>14} {:>12}",
            "target", "ready after", "fresh session", "round trip"
        );
        for def in &defs {
            let mut ready = Vec::new();
            for _ in 0..3 {
                let target = LiveTarget::start(&catalog, def)
                    .await
                    .expect("target starts");
                ready.push(target.ready_after.unwrap_or_default());
            }
            let mut target = LiveTarget::start(&catalog, def)
                .await
                .expect("target starts");
            if std::env::var("XEPSPEC_SECURE").is_ok() {
                target = target.secured();
            }
            let account = target.fresh_account().await.expect("account");
            let mut opens = Vec::new();
            let mut trips = Vec::new();
            for i in 0..20 {
                let started = Instant::now();
                let mut session = Session::open(SessionSpec {
                    endpoint: target.endpoint.clone(),
                    account: account.clone(),
                    resource: format!("r{i}"),
                    caps: None,
                    origin: started,
                })
                .await
                .expect("session");
                opens.push(started.elapsed());
                for _ in 0..20 {
                    let t = Instant::now();
                    session
                        .round_trip(Instant::now() + Duration::from_secs(5))
                        .await
                        .expect("ping");
                    trips.push(t.elapsed());
                }
                session.close(Instant::now() + Duration::from_secs(1)).await;
            }
            println!(
                "{:16} {:>12} {:>14} {:>12}",
                def.name,
                ms(median(ready)),
                ms(median(opens)),
                ms(median(trips))
            );
        }
        let scenarios = ScenarioSource::bundled().load().expect("scenarios load");
        let cases = plan(&scenarios, None);
        let choices: Vec<_> = defs
            .iter()
            .cloned()
            .map(xepspec::runner::TargetChoice::Default)
            .collect();
        let plan = xepspec::runner::Plan::new(cases.clone(), choices);
        let judge = xepspec::judge::Judge::new(Vec::new(), &cases);
        let stop = tokio_util::sync::CancellationToken::new();
        let started = Instant::now();
        let matrix = xepspec::runner::run(&plan, &catalog, &judge, &stop, Vec::new())
            .await
            .matrix;
        println!(
            "whole matrix: {} cases × {} targets = {} cells in {:.2} s",
            cases.len(),
            defs.len(),
            matrix.cells.len(),
            started.elapsed().as_secs_f64()
        );
    });
}
