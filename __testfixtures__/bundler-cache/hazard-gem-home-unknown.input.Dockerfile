FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ruby-full && rm -rf /var/lib/apt/lists/*
RUN gem install rake
