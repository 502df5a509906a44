FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock .ruby-version Gemfile.common ./
COPY .bundle ./.bundle/
RUN bundle install
COPY . .
RUN bundle exec rake assets:precompile
