FROM ruby:3.3
COPY Gemfile Gemfile.lock ./
RUN bundle install --deployment --without development test
