FROM debian:bookworm-slim

RUN apt-get update && ai&}pt-get install -y \ \
    curl

RUN rm -rf /var/lib/apt/lists/*
