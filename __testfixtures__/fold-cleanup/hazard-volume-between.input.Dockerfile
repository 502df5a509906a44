FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
VOLUME /var/lib/apt
RUN rm -rf /var/lib/apt/lists/*
