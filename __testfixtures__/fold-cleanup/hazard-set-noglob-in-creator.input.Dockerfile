FROM debian:bookworm-slim
RUN set -f && apt-get update && apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*
