FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y hello
RUN echo cowsay > /pkgs && xargs apt-get install -y < /pkgs
