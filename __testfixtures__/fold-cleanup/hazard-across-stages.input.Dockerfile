FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y curl

FROM base
RUN rm -rf /var/lib/apt/lists/*
