//! Parallel map with in-order delivery: worker threads produce items
//! `0..count`, each as a sequence of parts followed by an end value; one
//! consumer takes the parts in order, item by item. Memory stays bounded
//! however far a fast worker could run ahead and however big an item is:
//! at most `window` items are started ahead of the consumer, and the parts
//! waiting for it stay within a byte budget.
//!
//! [`Queue`] is the shared state for callers that keep the consumer loop
//! themselves (the writers pull one table at a time while the workers are
//! already on the next); [`run`] is the closed form for one loop.

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// How many bytes a part holds, for the budget of waiting parts.
pub(crate) trait Weigh {
    /// Bytes held.
    fn weight(&self) -> usize;
}

/// Parts the item the consumer is on may have waiting: it never waits for
/// the budget (the others could fill it while waiting for this very item),
/// so it has a small budget of its own.
const HEAD_PARTS: usize = 2;

/// One item's finished parts, and its end once produced.
struct Slot<P, E> {
    parts: VecDeque<P>,
    end: Option<io::Result<E>>,
}

impl<P, E> Default for Slot<P, E> {
    fn default() -> Self {
        Self {
            parts: VecDeque::new(),
            end: None,
        }
    }
}

struct State<P, E> {
    /// Items started and not yet consumed.
    slots: BTreeMap<usize, Slot<P, E>>,
    /// Index the consumer is on (or waits for).
    next_consumed: usize,
    /// Bytes of all waiting parts.
    waiting: usize,
    /// Set when the consumer stopped early (error, or done): producers quit.
    stopped: bool,
}

/// Items `0..count` produced by [`Queue::work`] on any number of threads and
/// taken in order by one consumer with [`Queue::take`].
pub(crate) struct Queue<P, E> {
    count: usize,
    window: usize,
    budget: usize,
    state: Mutex<State<P, E>>,
    changed: Condvar,
    next: AtomicUsize,
}

/// The error a producer sees when the consumer has gone.
fn stopped() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "stopped")
}

impl<P: Weigh, E> Queue<P, E> {
    /// A queue of `count` items, at most `window` (at least 1) of them
    /// started ahead of the consumer, and at most about `budget` bytes of
    /// parts waiting (one part more when a single part is bigger).
    pub(crate) fn new(count: usize, window: usize, budget: usize) -> Self {
        Self {
            count,
            window: window.max(1),
            budget,
            state: Mutex::new(State {
                slots: BTreeMap::new(),
                next_consumed: 0,
                waiting: 0,
                stopped: false,
            }),
            changed: Condvar::new(),
            next: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<P, E>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'g>(&self, guard: MutexGuard<'g, State<P, E>>) -> MutexGuard<'g, State<P, E>> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands over part of item `i`, waiting while the budget is spent.
    fn push(&self, i: usize, part: P) -> io::Result<()> {
        let bytes = part.weight();
        let mut s = self.lock();
        loop {
            if s.stopped {
                return Err(stopped());
            }
            let fits = if i == s.next_consumed {
                s.slots.get(&i).map_or(0, |slot| slot.parts.len()) < HEAD_PARTS
            } else {
                s.waiting == 0 || s.waiting + bytes <= self.budget
            };
            if fits {
                break;
            }
            s = self.wait(s);
        }
        s.waiting += bytes;
        s.slots.entry(i).or_default().parts.push_back(part);
        drop(s);
        self.changed.notify_all();
        Ok(())
    }

    /// A producer's loop: claims the next item, waits until it fits in the
    /// window, produces it, passing its parts to `emit`. Returns when every
    /// item is claimed, after an error of its own, or when the consumer stops.
    pub(crate) fn work(
        &self,
        produce: impl Fn(usize, &mut dyn FnMut(P) -> io::Result<()>) -> io::Result<E>,
    ) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.count {
                return;
            }
            {
                let mut s = self.lock();
                while !s.stopped && i >= s.next_consumed + self.window {
                    s = self.wait(s);
                }
                if s.stopped {
                    return;
                }
            }
            // A panic here would leave item `i` unfinished and the consumer
            // waiting for it forever: turn it into the item's error instead.
            let end = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                produce(i, &mut |part| self.push(i, part))
            }))
            .unwrap_or_else(|_| {
                Err(io::Error::other(
                    "internal error: a worker thread panicked (please report this)",
                ))
            });
            let failed = end.is_err();
            self.lock().slots.entry(i).or_default().end = Some(end);
            self.changed.notify_all();
            if failed {
                return;
            }
        }
    }

    /// Waits for the parts of item `i`, which must be the one after the last
    /// taken, hands each to `consume`, and returns the item's end. Only valid
    /// while some producer will still make it.
    pub(crate) fn take(
        &self,
        i: usize,
        mut consume: impl FnMut(P) -> io::Result<()>,
    ) -> io::Result<E> {
        loop {
            let next = {
                let mut s = self.lock();
                debug_assert_eq!(i, s.next_consumed, "items are taken in order");
                loop {
                    let slot = s.slots.entry(i).or_default();
                    if let Some(part) = slot.parts.pop_front() {
                        s.waiting -= part.weight();
                        break Ok(part);
                    }
                    if slot.end.is_some() {
                        let end = s.slots.remove(&i).and_then(|slot| slot.end);
                        s.next_consumed = i + 1;
                        break Err(end.unwrap_or_else(|| Err(stopped())));
                    }
                    s = self.wait(s);
                }
            };
            self.changed.notify_all();
            match next {
                Ok(part) => consume(part)?,
                Err(end) => return end,
            }
        }
    }

    /// Tells the producers to quit, dropping what they would still make.
    pub(crate) fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// Runs `produce(i, emit)` for every `i < count` on `jobs` threads; hands
/// the parts it emits to `consume` and its end to `end`, in index order. The
/// first error (from either side) stops the run and is returned.
pub(crate) fn run<P: Weigh + Send, E: Send>(
    count: usize,
    jobs: usize,
    (window, budget): (usize, usize),
    produce: impl Fn(usize, &mut dyn FnMut(P) -> io::Result<()>) -> io::Result<E> + Sync,
    mut consume: impl FnMut(P) -> io::Result<()>,
    mut end: impl FnMut(E) -> io::Result<()>,
) -> io::Result<()> {
    if jobs <= 1 || count <= 1 {
        for i in 0..count {
            end(produce(i, &mut consume)?)?;
        }
        return Ok(());
    }
    let queue = Queue::new(count, window.max(jobs), budget);
    /// Releases the producers however the consumer ends, a panic included:
    /// the scope below waits for them.
    struct StopOnDrop<'q, P: Weigh, E>(&'q Queue<P, E>);
    impl<P: Weigh, E> Drop for StopOnDrop<'_, P, E> {
        fn drop(&mut self) {
            self.0.stop();
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count) {
            scope.spawn(|| queue.work(&produce));
        }
        let _stop = StopOnDrop(&queue);
        (0..count).try_for_each(|i| end(queue.take(i, &mut consume)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test part: `.0` identifies it, `.1` is its weight.
    #[derive(Debug, PartialEq)]
    struct Part(usize, usize);

    impl Weigh for Part {
        fn weight(&self) -> usize {
            self.1
        }
    }

    /// Item `i` as one part.
    fn one(i: usize, emit: &mut dyn FnMut(Part) -> io::Result<()>) -> io::Result<usize> {
        emit(Part(i, 1))?;
        Ok(i)
    }

    #[test]
    fn results_arrive_in_order_for_any_number_of_jobs() {
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let mut ends = Vec::new();
            run(
                100,
                jobs,
                (4, 10),
                |i, emit| {
                    // Uneven work and uneven part counts, so threads finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros(((i * 7) % 5) as u64 * 50));
                    for k in 0..i % 3 {
                        emit(Part(i * 10 + k, 1))?;
                    }
                    Ok(i * 2)
                },
                |p| {
                    seen.push(p.0);
                    Ok(())
                },
                |e| {
                    ends.push(e);
                    Ok(())
                },
            )
            .expect("no errors");
            let want: Vec<usize> = (0..100)
                .flat_map(|i| (0..i % 3).map(move |k| i * 10 + k))
                .collect();
            assert_eq!(seen, want, "jobs {jobs}");
            assert_eq!(ends, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn waiting_parts_stay_within_the_budget() {
        // Items of many parts each: the producers ahead of the consumer must
        // stop at the budget instead of holding whole items.
        let queue = Queue::new(20, 8, 50);
        let most = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    queue.work(|i, emit| {
                        for k in 0..30 {
                            emit(Part(i * 100 + k, 10))?;
                            most.fetch_max(queue.lock().waiting, Ordering::Relaxed);
                        }
                        Ok(i)
                    });
                });
            }
            for i in 0..20 {
                let mut parts = 0;
                let end = queue
                    .take(i, |p| {
                        assert_eq!(p.0, i * 100 + parts);
                        parts += 1;
                        std::thread::sleep(std::time::Duration::from_micros(20));
                        Ok(())
                    })
                    .expect("no errors");
                assert_eq!((end, parts), (i, 30));
            }
            queue.stop();
        });
        // The budget, plus the item the consumer is on.
        let most = most.load(Ordering::Relaxed);
        assert!(most <= 50 + HEAD_PARTS * 10, "{most} bytes waited");
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let err = run(
            50,
            2,
            (4, 10),
            |i, emit| {
                if i == 10 {
                    Err(io::Error::other("boom"))
                } else {
                    one(i, emit)
                }
            },
            |_| Ok(()),
            |_| Ok(()),
        );
        assert_eq!(err.expect_err("fails").to_string(), "boom");
        let err = run(
            50,
            2,
            (4, 10),
            one,
            |p| {
                if p.0 == 3 {
                    Err(io::Error::other("full disk"))
                } else {
                    Ok(())
                }
            },
            |_| Ok(()),
        );
        assert_eq!(err.expect_err("fails").to_string(), "full disk");
    }

    #[test]
    fn a_consumer_that_stops_early_releases_the_workers() {
        // Workers blocked on a full window or budget must return once the
        // consumer stops, or the scope below would never end.
        let queue = Queue::new(1000, 2, 1);
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| queue.work(one));
            }
            assert_eq!(queue.take(0, |_| Ok(())).expect("item 0"), 0);
            assert_eq!(queue.take(1, |_| Ok(())).expect("item 1"), 1);
            queue.stop();
        });
    }

    #[test]
    fn takes_in_several_runs_see_one_ordered_stream() {
        let queue = Queue::new(30, 4, 10);
        let mut seen = Vec::new();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| queue.work(|i, emit| one(i * 3, emit)));
            }
            // As the writers do: one table's items, then the next table's.
            for range in [0..7, 7..8, 8..30] {
                for i in range {
                    seen.push(queue.take(i, |_| Ok(())).expect("no errors"));
                }
            }
            queue.stop();
        });
        assert_eq!(seen, (0..30).map(|i| i * 3).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_worker_fails_the_run_instead_of_hanging_it() {
        let queue = Queue::new(3, 2, 10);
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                queue.work(|i, emit| {
                    assert!(i != 1, "boom");
                    one(i, emit)
                });
            });
            let result = (0..3).try_for_each(|i| queue.take(i, |_| Ok(())).map(drop));
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
            run(
                100,
                2,
                (2, 2),
                one,
                |p: Part| {
                    assert!(p.0 != 3, "writer broke");
                    Ok(())
                },
                |_| Ok(()),
            )
        });
        assert!(outcome.is_err(), "the panic reaches the caller");
    }
}
