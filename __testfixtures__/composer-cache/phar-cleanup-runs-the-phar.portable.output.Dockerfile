FROM composer:2
WORKDIR /app
COPY composer.phar composer.json composer.lock ./
RUN ./composer.phar install --no-dev --prefer-dist && ./composer.phar clear-cache
