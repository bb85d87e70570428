//! Parallel map with in-order delivery: worker threads produce items
//! `0..count`, one consumer takes them in index order, and at most `window`
//! finished items wait at a time, so memory stays flat however far a fast
//! worker could run ahead.
//!
//! [`Queue`] is the shared state for callers that keep the consumer loop
//! themselves (the writers pull one table at a time while the workers are
//! already on the next); [`run`] is the closed form for one loop.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

struct State<T> {
    /// Finished items not yet consumed.
    ready: BTreeMap<usize, io::Result<T>>,
    /// Index the consumer waits for next.
    next_consumed: usize,
    /// Set when the consumer stopped early (error, or done): producers quit.
    stopped: bool,
}

/// Items `0..count` produced by [`Queue::work`] on any number of threads and
/// taken in order by one consumer with [`Queue::take`].
pub(crate) struct Queue<T> {
    count: usize,
    window: usize,
    state: Mutex<State<T>>,
    changed: Condvar,
    next: AtomicUsize,
}

impl<T> Queue<T> {
    /// A queue of `count` items of which at most `window` (at least 1) wait finished.
    pub(crate) fn new(count: usize, window: usize) -> Self {
        Self {
            count,
            window: window.max(1),
            state: Mutex::new(State {
                ready: BTreeMap::new(),
                next_consumed: 0,
                stopped: false,
            }),
            changed: Condvar::new(),
            next: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A producer's loop: claims the next item, waits until it fits in the
    /// window, produces it. Returns when every item is claimed, after an
    /// error of its own, or when the consumer stops.
    pub(crate) fn work(&self, produce: impl Fn(usize) -> io::Result<T>) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.count {
                return;
            }
            {
                let mut s = self.lock();
                while !s.stopped && i >= s.next_consumed + self.window {
                    s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
                }
                if s.stopped {
                    return;
                }
            }
            // A panic here would leave item `i` missing and the consumer
            // waiting for it forever: turn it into the item's error instead.
            let item = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| produce(i)))
                .unwrap_or_else(|_| {
                    Err(io::Error::other(
                        "internal error: a worker thread panicked (please report this)",
                    ))
                });
            let failed = item.is_err();
            self.lock().ready.insert(i, item);
            self.changed.notify_all();
            if failed {
                return;
            }
        }
    }

    /// Waits for item `i`, which must be the one after the last taken, and
    /// hands it over. Only valid while some producer will still make it.
    pub(crate) fn take(&self, i: usize) -> io::Result<T> {
        let item = {
            let mut s = self.lock();
            debug_assert_eq!(i, s.next_consumed, "items are taken in order");
            loop {
                if let Some(item) = s.ready.remove(&i) {
                    s.next_consumed = i + 1;
                    break item;
                }
                s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
            }
        };
        self.changed.notify_all();
        item
    }

    /// Tells the producers to quit, dropping what they would still make.
    pub(crate) fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// Runs `produce(i)` for every `i < count` on `jobs` threads and calls
/// `consume` with the results in index order. The first error (from either
/// side) stops the run and is returned.
pub(crate) fn run<T: Send>(
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
    let queue = Queue::new(count, window.max(jobs));
    /// Releases the producers however the consumer ends, a panic included:
    /// the scope below waits for them.
    struct StopOnDrop<'q, T>(&'q Queue<T>);
    impl<T> Drop for StopOnDrop<'_, T> {
        fn drop(&mut self) {
            self.0.stop();
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count) {
            scope.spawn(|| queue.work(&produce));
        }
        let _stop = StopOnDrop(&queue);
        (0..count).try_for_each(|i| consume(queue.take(i)?))
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

    #[test]
    fn a_consumer_that_stops_early_releases_the_workers() {
        // Workers blocked on a full window must return once the consumer
        // stops, or the scope below would never end.
        let queue = Queue::new(1000, 2);
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| queue.work(Ok));
            }
            assert_eq!(queue.take(0).expect("item 0"), 0);
            assert_eq!(queue.take(1).expect("item 1"), 1);
            queue.stop();
        });
    }

    #[test]
    fn takes_in_several_runs_see_one_ordered_stream() {
        let queue = Queue::new(30, 4);
        let mut seen = Vec::new();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| queue.work(|i| Ok(i * 3)));
            }
            // As the writers do: one table's items, then the next table's.
            for range in [0..7, 7..8, 8..30] {
                for i in range {
                    seen.push(queue.take(i).expect("no errors"));
                }
            }
            queue.stop();
        });
        assert_eq!(seen, (0..30).map(|i| i * 3).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_worker_fails_the_run_instead_of_hanging_it() {
        let queue = Queue::new(3, 2);
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                queue.work(|i| {
                    assert!(i != 1, "boom");
                    Ok(i)
                });
            });
            let result = (0..3).try_for_each(|i| queue.take(i).map(drop));
            queue.stop();
            result
        });
        let err = result.expect_err("item 1 failed");
        assert!(err.to_string().contains("panicked"), "{err}");
    }

    #[test]
    fn a_panicking_consumer_fails_the_run_instead_of_hanging_it() {
        // The producers fill the window and wait; the consumer's panic must
        // release them, or the scope would wait forever.
        let outcome = std::panic::catch_unwind(|| {
            run(100, 2, 2, Ok, |i: usize| {
                assert!(i != 3, "writer broke");
                Ok(())
            })
        });
        assert!(outcome.is_err(), "the panic reaches the caller");
    }
}
