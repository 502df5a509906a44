FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*
LABEL org.opencontainers.image.title=web
EXPOSE 80
COPY nginx.conf /etc/nginx/nginx.conf
