FROM debian:bookworm-slim AS a
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim AS b
# tools
RUN apt-get update && apt-get install -y git
