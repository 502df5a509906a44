FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y curl

FROM base AS dev
RUN apt-get update && apt-get install -y git
