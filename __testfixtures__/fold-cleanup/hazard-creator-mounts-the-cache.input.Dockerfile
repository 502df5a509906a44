FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*
