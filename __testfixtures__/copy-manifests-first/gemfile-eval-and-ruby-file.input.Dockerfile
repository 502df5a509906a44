FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle install
RUN bundle exec rake assets:precompile
