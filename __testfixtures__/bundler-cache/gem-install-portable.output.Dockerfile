FROM ruby:3.3-slim
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    gem install bundler -v 2.5.6
