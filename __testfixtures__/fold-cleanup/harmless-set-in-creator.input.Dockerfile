FROM debian:bookworm-slim
RUN set -eux; apt-get update; apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*
