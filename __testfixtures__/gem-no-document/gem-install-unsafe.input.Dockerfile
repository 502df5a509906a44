FROM alpine:3.20
RUN gem install -N json && gem install sass
