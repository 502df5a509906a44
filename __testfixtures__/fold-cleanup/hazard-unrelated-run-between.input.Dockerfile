FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN curl -fsSL https://example.com/setup.sh | sh
RUN rm -rf /var/lib/apt/lists/*
