FROM rust:1.80
COPY . .
RUN CARGO_HOME=/tmp/cargo cargo build --release
