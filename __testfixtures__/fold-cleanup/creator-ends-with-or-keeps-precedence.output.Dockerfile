FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl || apt-get install -y --fix-missing curl && rm -rf /var/lib/apt/lists/*
