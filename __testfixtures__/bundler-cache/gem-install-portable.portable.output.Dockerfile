FROM ruby:3.3-slim
RUN gem install bundler -v 2.5.6 && rm -rf /usr/local/bundle/cache/*.gem
