FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
USER nobody
RUN rm -rf /var/lib/apt/lists/*
