FROM composer:2
COPY . /app
RUN composer install --no-dev && rm -rf /tmp/*
