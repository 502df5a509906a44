FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN apt-get clean
RUN rm -rf /var/lib/apt/lists/*
