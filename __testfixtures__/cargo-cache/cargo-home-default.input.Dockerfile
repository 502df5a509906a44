FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cargo && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo install --path . --root /usr/local
