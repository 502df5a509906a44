FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN cat > /etc/motd << 'EOF'
RUN rm -rf /var/lib/apt/lists/*
EOF
RUN rm -rf /tmp/*
