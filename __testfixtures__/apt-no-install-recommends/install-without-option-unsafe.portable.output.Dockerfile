FROM ubuntu:24.04
RUN apt-get update && apt-get -y install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
