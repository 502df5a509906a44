FROM debian:bookworm-slim AS a
RUN apt-get update
FROM a
RUN apt-get install -y curl
