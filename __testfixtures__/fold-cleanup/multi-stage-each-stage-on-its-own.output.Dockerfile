FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*

FROM build AS test
RUN rm -rf /var/lib/apt/lists/*
