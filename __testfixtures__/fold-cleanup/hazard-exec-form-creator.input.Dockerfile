FROM debian:bookworm-slim
RUN ["apt-get", "update"]
RUN rm -rf /var/lib/apt/lists/*
