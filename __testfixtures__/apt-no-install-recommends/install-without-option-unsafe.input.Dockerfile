FROM ubuntu:24.04
RUN apt-get update && apt-get -y install curl && rm -rf /var/lib/apt/lists/*
