FROM debian:bookworm-slim
RUN alias rm='echo' && apt-get update && apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*
