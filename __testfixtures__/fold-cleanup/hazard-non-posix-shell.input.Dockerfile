FROM debian:bookworm-slim
SHELL ["pwsh", "-Command"]
RUN apt-get update; apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*
