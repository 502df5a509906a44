FROM rust:1
WORKDIR /app
COPY . .
RUN cargo fetch
RUN cargo build --release
