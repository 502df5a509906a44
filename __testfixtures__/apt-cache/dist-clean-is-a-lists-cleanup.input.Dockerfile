FROM debian:sid
RUN apt-get update && apt-get install -y curl && apt-get dist-clean
