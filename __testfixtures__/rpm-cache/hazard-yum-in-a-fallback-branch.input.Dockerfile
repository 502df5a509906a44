FROM debian:bookworm-slim
RUN (apt-get update && apt-get install -y openssl) || (yum install -y openssl)
