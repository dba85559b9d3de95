//! Prints one table: each payload, operation, median ns per op and its ratio to
//! the MD5-only baseline, against the project's targets.
//!
//! `cargo run -p hooksig-benches --release --bin ratios [-- --json]`
//!
//! `ratios --run PAYLOAD OPERATION N` runs one operation N times and prints
//! nothing: the harness for `valgrind --tool=callgrind`.
//!
//! Samples of all operations of a payload are interleaved round by round, so
//! that noise from other work on the machine hits them alike; the median of
//! the samples decides. Instruction counts (callgrind) are the tie-breaker.

use hooksig_benches::{Op, Prepared, load};
use std::time::{Duration, Instant};

/// Time one sample should take, long enough to dwarf the clock's overhead.
const SAMPLE: Duration = Duration::from_micros(500);
/// Samples per operation; odd, so the median is one of them.
const ROUNDS: usize = 61;

/// The ratio each operation must stay under, where the project sets one.
fn target(payload: &str, op: Op) -> Option<f64> {
    match (payload, op) {
        ("deposit", Op::Sign | Op::Verify) => Some(1.2),
        ("deposit", Op::VerifyForm) => Some(1.35),
        ("value64k" | "body1m", Op::Sign | Op::Verify) => Some(1.05),
        _ => None,
    }
}

/// How many runs of `op` make one sample of about [`SAMPLE`].
fn calibrate(p: &Prepared<'_>, op: Op) -> u32 {
    let mut iters = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..iters {
            p.run(op);
        }
        if start.elapsed() >= SAMPLE || iters >= 1 << 24 {
            return iters;
        }
        iters *= 2;
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// `--run PAYLOAD OPERATION N`: one operation in a loop, for a profiler.
fn run_only(payloads: &[hooksig_benches::Payload], args: &[String]) {
    let payload = payloads
        .iter()
        .find(|p| p.name == args[0])
        .expect("payload name");
    let op = Op::ALL
        .into_iter()
        .find(|op| op.name() == args[1])
        .expect("operation name");
    let n: u32 = args[2].parse().expect("count");
    let p = Prepared::new(payload);
    for _ in 0..n {
        p.run(op);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let payloads = load();
    if args.first().is_some_and(|a| a == "--run") && args.len() == 4 {
        return run_only(&payloads, &args[1..]);
    }
    let json = args.iter().any(|a| a == "--json");
    let mut misses = 0;
    if !json {
        println!(
            "{:<11} {:<13} {:>12} {:>7} {:>7}",
            "payload", "operation", "ns/op", "ratio", "target"
        );
    }
    for payload in &payloads {
        let p = Prepared::new(payload);
        let iters: Vec<u32> = Op::ALL.iter().map(|&op| calibrate(&p, op)).collect();
        let mut samples = vec![Vec::with_capacity(ROUNDS); Op::ALL.len()];
        for round in 0..ROUNDS {
            for k in 0..Op::ALL.len() {
                // Rotate the order each round so no operation always runs first.
                let i = (k + round) % Op::ALL.len();
                let start = Instant::now();
                for _ in 0..iters[i] {
                    p.run(Op::ALL[i]);
                }
                samples[i].push(start.elapsed().as_nanos() as f64 / f64::from(iters[i]));
            }
        }
        let ns: Vec<f64> = samples.into_iter().map(median).collect();
        for (i, &op) in Op::ALL.iter().enumerate() {
            let ratio = ns[i] / ns[0];
            let goal = target(&payload.name, op);
            let miss = goal.is_some_and(|g| ratio > g);
            misses += usize::from(miss);
            if json {
                println!(
                    "{{\"lang\":\"rust\",\"payload\":\"{}\",\"op\":\"{}\",\"ns\":{:.1},\"ratio\":{:.3}}}",
                    payload.name,
                    op.name(),
                    ns[i],
                    ratio
                );
            } else {
                let goal = goal.map_or(String::new(), |g| format!("≤{g}"));
                let flag = if miss { "  MISS" } else { "" };
                println!(
                    "{:<11} {:<13} {:>12.1} {:>7.3} {:>7}{flag}",
                    payload.name,
                    op.name(),
                    ns[i],
                    ratio,
                    goal
                );
            }
        }
    }
    if !json {
        println!("targets missed: {misses}");
    }
}
