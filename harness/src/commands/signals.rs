//! Ctrl-C and SIGTERM during a run: caught, so the run can stop cleanly and
//! still write its reports.

use tokio_util::sync::CancellationToken;

/// SIGINT and SIGTERM, caught from the moment this is made.
pub struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    /// Starts catching both signals.
    pub fn catch() -> Result<Signals, String> {
        use tokio::signal::unix::{SignalKind, signal};
        let catch = |kind| signal(kind).map_err(|e| format!("catching signals: {e}"));
        Ok(Signals {
            interrupt: catch(SignalKind::interrupt())?,
            terminate: catch(SignalKind::terminate())?,
        })
    }
}

/// Cancels `stop` on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn cancel_on_signal(stop: CancellationToken, mut signals: Signals) {
    tokio::select! {
        _ = signals.interrupt.recv() => {}
        _ = signals.terminate.recv() => {}
    }
    stop.cancel();
}
