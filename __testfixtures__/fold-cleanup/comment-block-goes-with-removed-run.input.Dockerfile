FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl

# keep the image small
# (lists are 30 MB)
RUN rm -rf /var/lib/apt/lists/*

CMD ["curl", "--version"]
