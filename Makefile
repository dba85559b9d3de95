# One entry point: `make test` runs every suite; `make demo` verifies a bundled example.
.PHONY: test demo rust python wasm fuzz

test:
	bash scripts/test.sh

demo:
	OPERATOR_SECRET_KEY=demo_secret_2f7c cargo run -q -p hooksig-cli -- verify examples/deposit.form

rust python wasm fuzz:
	bash scripts/test.sh $@
