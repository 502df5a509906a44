FROM registry.example/internal/base:7
RUN apt-get -y update && DEBIAN_FRONTEND=noninteractive apt-get -y install curl
