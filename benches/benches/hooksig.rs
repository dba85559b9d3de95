//! Criterion benches: for each payload of `payloads.json`, `sign`, `verify`,
//! `verify_form` and the MD5-only baseline, with throughput in bytes.
//!
//! Run with `cargo bench -p hooksig-benches`; `--bin ratios` prints the
//! ratio table from the same operations.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hooksig_benches::{Op, Prepared, load};

fn benches(c: &mut Criterion) {
    let payloads = load();
    for payload in &payloads {
        let prepared = Prepared::new(payload);
        let mut group = c.benchmark_group(&payload.name);
        for op in Op::ALL {
            group.throughput(Throughput::Bytes(op.bytes(payload)));
            group.bench_function(op.name(), |b| b.iter(|| prepared.run(op)));
        }
        group.finish();
    }
}

criterion_group!(hooksig, benches);
criterion_main!(hooksig);
