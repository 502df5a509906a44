FROM debian:bookworm-slim
RUN apt-get update && env DEBIAN_FRONTEND=noninteractive eatmydata apt-get install -y curl && rm -rf /var/lib/apt/lists/*
