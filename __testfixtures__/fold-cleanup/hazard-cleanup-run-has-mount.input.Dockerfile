FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN --mount=type=cache,target=/var/cache/apt apt-get clean
