FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl || apt-get install -y --fix-missing curl
RUN rm -rf /var/lib/apt/lists/*
