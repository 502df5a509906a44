FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl # tools
RUN rm -rf /var/lib/apt/lists/*
