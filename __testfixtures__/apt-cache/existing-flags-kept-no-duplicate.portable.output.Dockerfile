FROM debian:bookworm-slim
RUN --network=host --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
