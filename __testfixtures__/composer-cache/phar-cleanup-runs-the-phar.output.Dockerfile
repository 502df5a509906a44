FROM composer:2
WORKDIR /app
COPY composer.phar composer.json composer.lock ./
RUN --mount=type=cache,target=/tmp/cache \
    ./composer.phar install --no-dev --prefer-dist
