FROM debian:bookworm-slim
RUN set -eux; apt-get update; apt-get install -y curl && rm -rf /var/lib/apt/lists/*
