FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install --jobs 4 && rm -rf /usr/local/bundle/cache/*.gem
COPY . .
CMD ["bundle", "exec", "rails", "server"]
