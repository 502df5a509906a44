FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLO https://example.com/t.tar.gz && tar -xzf t.tar.gz && rm t.tar.gz
