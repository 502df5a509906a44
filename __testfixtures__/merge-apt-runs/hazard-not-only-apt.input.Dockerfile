FROM debian:bookworm-slim
RUN apt-get update
RUN cd /tmp && apt-get install -y curl
