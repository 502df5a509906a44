FROM debian:bookworm-slim
RUN echo 'APT::Install-Recommends "1";' > /etc/apt/apt.conf.d/99recommends
RUN apt-get update && apt-get install -y curl
