FROM ruby:3.3
ENV BUNDLE_PATH=/gems
COPY Gemfile Gemfile.lock ./
RUN bundle install
