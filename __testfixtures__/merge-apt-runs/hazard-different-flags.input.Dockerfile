FROM debian:bookworm-slim
RUN apt-get update
RUN --network=none apt-get install -y curl
