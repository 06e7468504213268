//! `SimConfig::rate_limit`: submits per second per Basic-auth user, or per connection when the VASP sends
//! no credentials. Above it a submit is answered as the Throttling personality answers. Fixed one-second
//! windows, counted from a window's first submit; throttled submits count too, as a real MMSC's would.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::time::Instant;

/// Submits seen in the current window.
#[derive(Debug, Default)]
pub(crate) struct RateWindow {
    started: Option<Instant>,
    count: u32,
}

impl RateWindow {
    /// Counts one submit at `now`; false when it goes over `limit` in its window.
    fn admit(&mut self, limit: u32, now: Instant) -> bool {
        match self.started {
            Some(started) if now.duration_since(started) < Duration::from_secs(1) => {}
            _ => {
                self.started = Some(now);
                self.count = 0;
            }
        }
        self.count = self.count.saturating_add(1);
        self.count <= limit
    }
}

/// One connection's window, put into each of its requests' extensions.
#[derive(Clone, Default)]
pub(crate) struct ConnectionRate(Arc<Mutex<RateWindow>>);

/// Every user's window.
#[derive(Default)]
pub(crate) struct UserRates(Mutex<HashMap<String, RateWindow>>);

/// Whether this submit is within `limit` (0: unlimited), counted for `user` or else for `connection`.
pub(crate) fn admit(
    limit: u32,
    user: Option<&str>,
    connection: &ConnectionRate,
    users: &UserRates,
) -> bool {
    if limit == 0 {
        return true;
    }
    let now = Instant::now();
    match user {
        Some(user) => super::lock(&users.0)
            .entry(user.to_string())
            .or_default()
            .admit(limit, now),
        None => super::lock(&connection.0).admit(limit, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_takes_the_limit_then_refuses_until_a_second_has_passed() {
        let mut window = RateWindow::default();
        let start = Instant::now();
        assert!((0..3).all(|_| window.admit(3, start)));
        assert!(!window.admit(3, start + Duration::from_millis(999)));
        assert!(window.admit(3, start + Duration::from_secs(1)));
    }

    #[test]
    fn users_are_counted_apart_and_zero_is_unlimited() {
        let (connection, users) = (ConnectionRate::default(), UserRates::default());
        assert!(admit(1, Some("a"), &connection, &users));
        assert!(!admit(1, Some("a"), &connection, &users));
        assert!(admit(1, Some("b"), &connection, &users));
        assert!(admit(1, None, &connection, &users));
        assert!((0..100).all(|_| admit(0, Some("a"), &connection, &users)));
    }
}
