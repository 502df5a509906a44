FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
ARG VERSION=1
RUN rm -rf /var/lib/apt/lists/*
