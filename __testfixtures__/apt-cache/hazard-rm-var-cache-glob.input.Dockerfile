FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl && rm -rf /tmp/* /var/cache/* /var/lib/apt/lists/*
