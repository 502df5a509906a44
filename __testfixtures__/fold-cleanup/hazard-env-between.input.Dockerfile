FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
ENV DEBIAN_FRONTEND=noninteractive
RUN rm -rf /var/lib/apt/lists/*
