FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
WORKDIR /app
RUN rm -rf /var/lib/apt/lists/*
