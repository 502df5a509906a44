FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ruby && rm -rf /var/lib/apt/lists/*
RUN gem install bundler:2.5.6 rake
