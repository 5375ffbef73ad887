# The two commands of the quick start, and a few more for development.
.PHONY: run stop test bench generate fuzz systemd-test

## Bring the whole system up locally and show it answering.
run:
	deploy/run-local.sh

## Stop what `make run` started.
stop:
	deploy/run-local.sh stop

## Run every test: unit, integration (real executables over mutual TLS), interop.
test:
	deploy/install-deps.sh
	swift build --build-tests
	swift build --product generate-manual
	swift test --skip-build --disable-xctest

## Measure the protocol against the reference peers in ../shared/bench (release build).
bench:
	Tests/Benchmarks/run.sh

## The operator's path on a real systemd (PID 1 of a namespace): installs into THIS host's
## /usr/local, /etc/pingan and /etc/systemd/system and removes it again. Disposable hosts only.
systemd-test:
	swift build
	Tests/Deploy/systemd-host.sh --disposable-host

## Regenerate the Swift code for the .proto files.
generate:
	Shared/Contracts/generate.sh

## Fuzz the frame decoder and connection state machines for 60 s (libFuzzer + ASan).
fuzz:
	Tests/Fuzz/run.sh 60
