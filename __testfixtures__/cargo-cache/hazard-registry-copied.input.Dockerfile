FROM rust:1.80 AS deps
COPY Cargo.toml Cargo.lock ./
RUN cargo fetch
FROM rust:1.80
COPY --from=deps /usr/local/cargo /usr/local/cargo
COPY . .
RUN cargo build --offline
