FROM debian:bookworm-slim
RUN apt-get update \
    # tools for the build
    && apt-get install -y \
    # version control
    git \
    && rm -rf /var/lib/apt/lists/*
