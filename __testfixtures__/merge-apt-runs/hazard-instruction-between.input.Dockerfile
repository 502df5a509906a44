FROM debian:bookworm-slim
RUN apt-get update
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get install -y curl
