//! Parallel map with in-order delivery: `jobs` threads produce items
//! `0..count`, the calling thread consumes them in index order, and at most
//! `window` finished items wait at a time, so memory stays flat however far
//! a fast worker could run ahead.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

struct State<T> {
    /// Finished items not yet consumed.
    ready: BTreeMap<usize, io::Result<T>>,
    /// Index the consumer waits for next.
    next_consumed: usize,
    /// Set when the consumer stopped early (error): producers quit.
    stopped: bool,
}

/// Runs `produce(i)` for every `i < count` on `jobs` threads and calls
/// `consume` with the results in index order. The first error (from either
/// side) stops the run and is returned.
pub fn run<T: Send>(
    count: usize,
    jobs: usize,
    window: usize,
    produce: impl Fn(usize) -> io::Result<T> + Sync,
    mut consume: impl FnMut(T) -> io::Result<()>,
) -> io::Result<()> {
    if jobs <= 1 || count <= 1 {
        for i in 0..count {
            consume(produce(i)?)?;
        }
        return Ok(());
    }
    let window = window.max(jobs);
    let state = Mutex::new(State {
        ready: BTreeMap::new(),
        next_consumed: 0,
        stopped: false,
    });
    let changed = Condvar::new();
    let next = AtomicUsize::new(0);
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return;
                }
                // Wait until the item fits in the window.
                {
                    let mut s = lock();
                    while !s.stopped && i >= s.next_consumed + window {
                        s = changed.wait(s).unwrap_or_else(PoisonError::into_inner);
                    }
                    if s.stopped {
                        return;
                    }
                }
                let item = produce(i);
                let failed = item.is_err();
                lock().ready.insert(i, item);
                changed.notify_all();
                if failed {
                    return;
                }
            });
        }
        let result = (|| {
            for i in 0..count {
                let item = {
                    let mut s = lock();
                    loop {
                        if let Some(item) = s.ready.remove(&i) {
                            s.next_consumed = i + 1;
                            break item;
                        }
                        s = changed.wait(s).unwrap_or_else(PoisonError::into_inner);
                    }
                };
                changed.notify_all();
                consume(item?)?;
            }
            Ok(())
        })();
        if result.is_err() {
            lock().stopped = true;
            changed.notify_all();
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_order_for_any_number_of_jobs() {
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            run(
                100,
                jobs,
                4,
                |i| {
                    // Uneven work, so threads finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros(((i * 7) % 5) as u64 * 50));
                    Ok(i * 2)
                },
                |v| {
                    seen.push(v);
                    Ok(())
                },
            )
            .expect("no errors");
            assert_eq!(
                seen,
                (0..100).map(|i| i * 2).collect::<Vec<_>>(),
                "jobs {jobs}"
            );
        }
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let err = run(
            50,
            2,
            4,
            |i| {
                if i == 10 {
                    Err(io::Error::other("boom"))
                } else {
                    Ok(i)
                }
            },
            |_| Ok(()),
        );
        assert_eq!(err.expect_err("fails").to_string(), "boom");
        let err = run(50, 2, 4, Ok, |v| {
            if v == 3 {
                Err(io::Error::other("full disk"))
            } else {
                Ok(())
            }
        });
        assert_eq!(err.expect_err("fails").to_string(), "full disk");
    }
}
